"""core.forms.rows.load: the campaign as the forms and 收文's review grid read it; `plan_units` reads the plan rows of
those units alone (the grid of one file needs one unit's, not the campaign's thousands at 630 units)."""
from __future__ import annotations

from core.forms.rows import load
from tests.helpers.backup import fill_quarter
from tests.helpers.tracking import campaign_id


def test_plan_rows_of_the_units_asked_for_alone(ledger_2026):
    fill_quarter(ledger_2026)
    cid = campaign_id(ledger_2026)
    with ledger_2026.read() as conn:
        full = load(conn, cid)
        units = sorted({unit for _task, unit, _q in full.plan})[:2]
        part = load(conn, cid, plan_units=set(units))
        none = load(conn, cid, plan_units=set())
    assert len(full.plan) > 100 and len(units) == 2
    assert part.plan == {k: v for k, v in full.plan.items() if k[1] in units} and part.plan
    assert none.plan == {}
    assert part.by_unit.keys() == full.by_unit.keys() and part.by_task.keys() == full.by_task.keys()   # all else whole
    assert part.units == full.units and part.year == full.year
