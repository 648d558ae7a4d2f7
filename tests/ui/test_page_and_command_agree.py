"""One core function per clerk action: the 督办 page and the `status` command give the same answer on one ledger
(each unit's state per form, and how often each unit was late)."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime

from tests.conftest import ROOT
from tests.tasks_helpers import open_window
from tests.tracking_helpers import assigned_units, campaign_id, dispatch, submit


def _year_of_returns(led):
    """Plan and three months dispatched; some units late, one never reports March, one file sent back."""
    cid = campaign_id(led)
    units = assigned_units(led, cid)
    for form, period in (("plan", "2026"), ("report", "2026-01"), ("report", "2026-02"), ("report", "2026-03")):
        dispatch(led, cid, form, period, units)
    slow, silent, returned = units[0], units[1], units[2]
    for u in units:
        submit(led, cid, u, "plan", "2026", datetime(2026, 3, 20 if u == slow else 5, 9))
        submit(led, cid, u, "report", "2026-01", datetime(2026, 2, 20 if u == slow else 4, 9))
        submit(led, cid, u, "report", "2026-02", datetime(2026, 3, 5, 9))
        if u != silent:
            submit(led, cid, u, "report", "2026-03", datetime(2026, 4, 7, 9), "returned" if u == returned else "merged")
    return units, slow, silent, returned


def _command(led, *extra) -> list[dict]:
    res = subprocess.run([sys.executable, str(ROOT / "app.py"), "status", "--ledger", str(led.path), "--period", "2026-03",
                          "--today", "2026-04-13", "--json", *extra], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def test_page_and_status_command_show_the_same_states_and_late_counts(qtbot, ledger_2026):
    led = ledger_2026
    units, slow, silent, returned = _year_of_returns(led)
    window = open_window(qtbot, led)
    page = window.show_page("dashboard")
    page.set_today(date(2026, 4, 13))
    page.set_period("2026-03")
    m = page.matrix_model

    # the states: every (unit, form, period) the command lists is the cell the page shows, with the same words
    rows = _command(led)
    assert {(r["form"], r["period"]) for r in rows} == {("plan", "2026"), ("report", "2026-03")}
    names = dict(m.units)
    page_states = {(names[uid], form, period): (cell["state"], cell["late_workdays"], cell["file_name"])
                   for (uid, form, period), cell in m.cells.items() if (form, period) in {("plan", "2026"), ("report", "2026-03")}}
    command_states = {(r["unit"], r["form"], r["period"]): (r["state"], r["late_workdays"], r["file"]) for r in rows}
    assert command_states == page_states
    assert command_states[(names[silent], "report", "2026-03")][0].startswith("未报（逾期")
    assert command_states[(names[returned], "report", "2026-03")][0] == "退回待改"

    # 逾期次数: the page's column and `status --late-count` count the same forms
    col = m.late_count_column()
    shown = {m.units[row][1]: int(m.index(row, col).data()) for row in range(m.rowCount())}
    counted = {r["unit"]: r["late_count"] for r in _command(led, "--late-count")}
    assert counted == shown
    assert counted[names[slow]] == 2 and counted[names[silent]] == 1 and counted[names[returned]] == 0
