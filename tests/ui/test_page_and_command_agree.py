"""One core function per clerk action: the 督办 page and the `status` command give the same answer on one ledger
(each unit's state per form, and how often each unit was late)."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime

from tests.conftest import ROOT
from tests.helpers.dashboard import wait_read
from tests.helpers.tasks import open_window
from tests.helpers.tracking import assigned_units, campaign_id, dispatch, submit


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
    wait_read(qtbot, page)   # the month is read in the background
    m = page.matrix_model

    # the states: every (unit, form, period) the command lists is the cell the page shows, with the same words
    rows = _command(led)
    assert {(r["form"], r["period"]) for r in rows} == {("plan", "2026"), ("report", "2026-03")}
    names = dict(m.units)
    listed = {("plan", "2026"), ("report", "2026-03")}
    page_states = {(names[uid], form, period): (cell["state"], cell["late_workdays"], cell["file_name"])
                   for (uid, form, period), cell in m.cells.items() if (form, period) in listed}
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


def test_closing_a_task_on_the_page_and_with_close_task_leaves_the_same_ledger(qtbot, ledger_2026, ledger_2026_template,
                                                                              tmp_path):
    """办结: the 督办 page's dialog and `close-task` call core.tracking.closure.close_task; both ledgers end alike."""
    import shutil

    from PySide6.QtCore import QDate, Qt
    from PySide6.QtWidgets import QDialogButtonBox

    from core.ledger.queries import list_tasks
    from core.ledger.store import Ledger
    from core.tracking.closure import closure_of
    from tests.helpers.tracking import task_id
    note = ("一是项目主体工程已全部完工并通过竣工验收；二是配套道路、绿化和照明同步建成，已向社会开放；"
            "三是建立了日常管护机制，明确管护单位和经费来源，群众满意度调查达到百分之九十五以上。")
    evidence = tmp_path / "竣工验收报告.pdf"
    evidence.write_bytes(b"%PDF-1.4 acceptance report")
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("dashboard")
    wait_read(qtbot, page)
    page.tabs.setCurrentIndex(1)
    tid = task_id(ledger_2026, "livelihood", 3)
    assert page.select_task(tid)
    dialog = page.open_close_dialog()
    dialog.date_edit.setDate(QDate(2026, 5, 20))
    dialog.note_edit.setPlainText(note)
    dialog.evidence_edit.setText(str(evidence))
    with qtbot.waitSignal(window.ctx.changed, timeout=5000):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    wait_read(qtbot, page)

    other = tmp_path / "other.sqlite3"
    shutil.copyfile(ledger_2026_template, other)
    res = subprocess.run([sys.executable, str(ROOT / "app.py"), "close-task", "--ledger", str(other), "--kind", "livelihood",
                          "--seq", "3", "--date", "2026-05-20", "--note", note, "--evidence", str(evidence), "--json"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    led_cli = Ledger(other)
    try:
        tid_cli = task_id(led_cli, "livelihood", 3)
        page_side, cli_side = closure_of(ledger_2026, tid), closure_of(led_cli, tid_cli)
        assert page_side is not None and cli_side is not None
        keys = ("day", "note", "evidence_hash", "evidence_name")
        assert {k: page_side[k] for k in keys} == {k: cli_side[k] for k in keys}
        assert json.loads(res.stdout)["closed_on"] == "2026-05-20"
        closed = lambda led: [(t["kind"], t["seq"]) for t in list_tasks(led) if t["closed_on"]]  # noqa: E731
        assert closed(ledger_2026) == closed(led_cli) == [("livelihood", 3)]
    finally:
        led_cli.close()
