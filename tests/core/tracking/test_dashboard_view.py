"""The 督办 page's month in display form (core.tracking.dashboard_view): every cell's text, colour, tooltip and code
is the matrix row's own, the tiles say their month, and the lights' rows carry their columns' texts."""
from __future__ import annotations

from datetime import date, datetime

from core.tracking.dashboard_view import EMPTY_CELL, LIGHT_COLORS, cell_tip, dashboard_view, matrix_grid
from core.tracking.states import STATE_COLORS, dashboard_data, shown_code
from tests.helpers.tracking import assigned_units, campaign_id, dispatch, submit

TODAY = date(2026, 4, 13)


def _march(led) -> tuple[int, list[int]]:
    cid = campaign_id(led)
    units = assigned_units(led, cid)
    for form, period in (("plan", "2026"), ("report", "2026-03")):
        dispatch(led, cid, form, period, units)
    for n, u in enumerate(units):
        submit(led, cid, u, "plan", "2026", datetime(2026, 3, 5, 9))
        if n % 3:
            submit(led, cid, u, "report", "2026-03", datetime(2026, 4, 7 + n % 4, 9), "returned" if n % 5 == 0 else "merged")
    return cid, units


def test_the_view_shows_the_matrix_rows_as_they_are(ledger_2026):
    cid, units = _march(ledger_2026)
    view = dashboard_view(ledger_2026, 2026, "2026-03", TODAY)
    assert view is not None and view.cid == cid and view.period == "2026-03"
    data = dashboard_data(ledger_2026, cid, "2026-03", TODAY)
    assert view.data["tiles"] == data["tiles"]
    assert {name: tile["value"] for name, tile in view.tiles.items() if name in data["tiles"]} == \
        {name: str(v) for name, v in data["tiles"].items()}
    assert view.tiles["未报已逾期"]["caption"] == "3月未报已逾期" and view.tiles["红灯任务"]["caption"] == "红灯任务"
    grid = view.grid
    assert [uid for uid, _ in grid.units] == sorted(units)
    assert grid.columns == [("plan", "2026"), ("report", "2026-03")]   # no 1–2月: no form went out then
    for i, (uid, name) in enumerate(grid.units):
        assert grid.texts[i][0] == name and isinstance(grid.texts[i][-1], int)
        for c, (form, period) in enumerate(grid.columns, start=1):
            cell = grid.cells.get((uid, form, period))
            if cell is None:
                assert (grid.texts[i][c], grid.colours[i][c], grid.codes[i][c]) == (EMPTY_CELL, None, "")
                continue
            assert grid.texts[i][c] == cell["state"] and grid.codes[i][c] == shown_code(cell)
            assert grid.colours[i][c] == STATE_COLORS[shown_code(cell)]
            assert cell_tip(cell).startswith(f"{cell['unit']} {'计划表' if form == 'plan' else '3月'}：{cell['state']}")
    assert set(view.states) == {r["state"] for r in data["matrix"]}
    assert len(view.tasks) == len(data["lights"]) and all(
        t["colour"] == LIGHT_COLORS[t["light"]] and t["shown"][2] == t["seq"] and t["shown"][6] == "；".join(t["reasons"])
        for t in view.tasks)


def test_no_ranking_leaves_out_the_late_count_and_no_campaign_is_none(ledger_2026):
    cid, _units = _march(ledger_2026)
    matrix = dashboard_data(ledger_2026, cid, "2026-03", TODAY)["matrix"]
    grid = matrix_grid(matrix, show_late_count=False, keep="2026-03")
    assert all(len(row) == 1 + len(grid.columns) for row in grid.texts)
    assert dashboard_view(ledger_2026, 2031, "2031-03", TODAY) is None
