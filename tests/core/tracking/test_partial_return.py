"""A file sent back in part (退回 of some rows, the others accepted): 督办 shows 退回待改 and 催报 chases the unit until a
later file comes in, while the file still counts as reported on time for the 通报 and 逾期次数."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from core.ledger.queries import require_campaign
from core.returns.collect import collect
from core.returns.merge import merge
from core.returns.review import set_file_decision, set_row_decision
from core.returns.review_grid import build_grid
from core.returns.send_back import send_back
from core.tracking.reminders import reminder_body, reminder_rows
from core.tracking.states import (
    NOT_DISPATCHED, REPORTED, REPORTED_LATE, RETURNED, TILE_STATES, dashboard_data, shown_code, submission_matrix,
)
from core.tracking.status_view import unit_late_counts
from tests.helpers import returns as rh
from tests.helpers.review_grid import UNIT, make_may, received_on
from tests.helpers.review_grid import entries as _entries

TODAY = date(2026, 6, 20)   # after May's deadline: a unit still owing its form is chased


@pytest.fixture
def may(ledger_2026, tmp_path):
    return make_may(ledger_2026, tmp_path)


def _row(ledger, cid):
    [row] = [r for r in submission_matrix(ledger, cid, "2026-05", TODAY, forms=("report",))
             if r["unit"] == UNIT and r["period"] == "2026-05"]
    return row


def test_a_file_sent_back_in_part_is_owed_until_a_later_file_comes(ledger_2026, may, tmp_path):
    sid, keys, _april, answers = may
    with ledger_2026.read() as conn:
        cid = require_campaign(conn, 2026)
    before = _row(ledger_2026, cid)
    assert before["code"] in (REPORTED, REPORTED_LATE) and before["returned_rows"] == 0
    late_before = unit_late_counts(ledger_2026, cid, "2026-05", TODAY)[1]

    set_file_decision(ledger_2026, sid, "accepted")
    grid = build_grid(ledger_2026, sid)
    for row in grid.rows[:2]:
        set_row_decision(ledger_2026, sid, row.task_id, "rejected")
    out = send_back(ledger_2026, sid, tmp_path / "发件箱").value
    assert out["rows"] == 2 and not out["returned"]
    merge(ledger_2026, accept_all=False)        # the accepted rows go into the ledger as usual

    row = _row(ledger_2026, cid)
    assert row["code"] == before["code"]                    # it came in when it came in: the 通报 is unchanged
    assert row["returned_rows"] == 2 and shown_code(row) == RETURNED
    assert row["state"].startswith("退回 2 行待改（") and before["state"] in row["state"], row["state"]
    assert unit_late_counts(ledger_2026, cid, "2026-05", TODAY)[1] == late_before   # 逾期次数 unchanged
    data = dashboard_data(ledger_2026, cid, "2026-05", TODAY)
    assert data["tiles"]["退回待改"] == 1
    shown = [r for r in data["matrix"] if r["form"] == "report" and r["period"] == "2026-05"
             and r["code"] != NOT_DISPATCHED]
    assert sum(data["tiles"][k] for k in TILE_STATES) == len(shown) >= 1   # each cell on exactly one tile
    assert data["tiles"]["按时已报"] + data["tiles"]["逾期已报"] == len(shown) - 1
    chased = [r for r in reminder_rows(ledger_2026, cid, "2026-05", TODAY, forms=("report",)) if r["unit"] == UNIT]
    assert len(chased) == 1
    body = reminder_body(chased[0], TODAY)
    assert "有 2 行已退回修改" in body and "尚未报送" not in body

    # the unit sends its corrected form: nothing owed any more
    [form] = rh.generate_forms(ledger_2026, "report", "2026-05", tmp_path / "again", unit_names=[UNIT])
    fixed = _entries(Path(form["path"]), 5, {})
    [res] = collect(ledger_2026, [rh.fill(Path(form["path"]), tmp_path / "区发展改革局5月（修改稿）.xlsx", fixed)])
    assert res["status"] in ("staged", "needs-confirmation"), res
    received_on(ledger_2026, res["submission_id"], datetime(2026, 6, 15, 9, 40))   # before TODAY, as logged
    after = _row(ledger_2026, cid)
    assert after["returned_rows"] == 0 and shown_code(after) == after["code"] != RETURNED
    assert not [r for r in reminder_rows(ledger_2026, cid, "2026-05", TODAY, forms=("report",)) if r["unit"] == UNIT]


def test_a_file_sent_back_whole_stays_returned_not_partial(ledger_2026, may, tmp_path):
    sid, *_ = may
    with ledger_2026.read() as conn:
        cid = require_campaign(conn, 2026)
    set_file_decision(ledger_2026, sid, "rejected")
    assert send_back(ledger_2026, sid, tmp_path).value["returned"]
    row = _row(ledger_2026, cid)
    assert row["code"] == RETURNED and row["returned_rows"] == 0 and row["state"] == "退回待改"
