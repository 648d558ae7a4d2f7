"""Issue 29 point 5: one count of units everywhere. A collective entry (各街道办事处, 各行业主管部门) is no unit that
reports — not dispatched to, not counted, never shown 已报 on 督办; the 区长 brief's figures are 督办's tiles, a file
sent back in part counted as 退回待改 in both."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from core.ledger import schema
from core.ledger.queries import require_campaign
from core.reports.brief import brief_data
from core.returns.merge import merge
from core.returns.review import set_file_decision, set_row_decision
from core.returns.review_grid import build_grid
from core.returns.send_back import send_back
from core.tracking.states import TILE_STATES, dashboard_data
from core.units.contacts_plan import contact_counts
from tests.helpers.review_grid import UNIT, make_may
from tests.helpers.tracking import dispatch, submit

TODAY = date(2026, 6, 20)


def test_collective_entries_are_not_counted_and_the_brief_matches_the_tiles(ledger_2026, tmp_path):
    led = ledger_2026
    sid, _keys, _april, _answers = make_may(led, tmp_path)
    with led.read() as conn:
        cid = require_campaign(conn, 2026)
        collective = {r.id: r.name for r in conn.execute(
            select(schema.unit.c.id, schema.unit.c.name).where(schema.unit.c.collective.is_(True)))}
        uid_of = {r.name: r.id for r in conn.execute(select(schema.unit.c.id, schema.unit.c.name))}
    with led.read() as conn:
        units = sorted({r[0] for r in conn.execute(select(schema.assignment.c.unit_id))})   # every holder of a task
    assert set(collective) & set(units), "the 2026 立项表 names collective entries"
    # May's forms went to every unit (a clerk's script may well include the collective entries) and came back
    others = [u for u in units if u != uid_of[UNIT]]
    dispatch(led, cid, "report", "2026-05", others)
    for i, u in enumerate(others):
        if i % 7 == 3:
            continue                                            # not reported: overdue on 20 June
        submit(led, cid, u, "report", "2026-05", datetime(2026, 6, 5 if i % 5 else 12, 9))
    # 区发展改革局's file: two rows sent back, the rest accepted and merged
    set_file_decision(led, sid, "accepted")
    for row in build_grid(led, sid).rows[:2]:
        set_row_decision(led, sid, row.task_id, "rejected")
    send_back(led, sid, tmp_path / "发件箱")
    merge(led, accept_all=False)

    data = dashboard_data(led, cid, "2026-05", TODAY)
    month = [r for r in data["matrix"] if r["form"] == "report" and r["period"] == "2026-05"]
    assert not {r["unit_id"] for r in data["matrix"]} & set(collective)       # never shown, never 已报
    # one count: the 单位 page's units (collective entries apart) = the month's cells = the tiles' sum = the brief's
    real_units = contact_counts(led)["units"]
    assert len(month) == real_units == len(units) - len(set(collective) & set(units))
    tiles = data["tiles"]
    assert sum(tiles[k] for k in TILE_STATES) == real_units
    brief = brief_data(led, "2026-05", TODAY)
    assert brief["units"] == real_units
    assert brief["on_time"] == tiles["按时已报"] and len(brief["late"]) == tiles["逾期已报"]
    assert len(brief["pending"]) == tiles["未到期未报"]
    assert len(brief["missing"]) == tiles["未报已逾期"] + tiles["退回待改"] and tiles["退回待改"] == 1
    assert UNIT in [r["unit"] for r in brief["missing"]]
