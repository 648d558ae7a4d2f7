"""Year over year: a ledger holding 2025 and 2026, the 2025 立项表 naming a unit by its older name (an alias) — the
unit is one row across the years, its late forms counted in each."""
from __future__ import annotations

from datetime import date, datetime

from core.stats.report import as_json, year_stats
from core.stats.years import year_over_year
from tests.conftest import FIXTURE_DOCX
from tests.helpers import tracking as th

UNIT, OLD_NAME = "区发展改革局", "区发改局"


def _import_2025_under_old_name(ledger) -> None:
    from core.campaign.importing import apply_import, file_ref, preview_import
    from core.campaign.read import read_plan_file
    plan = read_plan_file(FIXTURE_DOCX)
    for task in plan.tasks:
        for u in task.units:
            u.name = OLD_NAME if u.name == UNIT else u.name
    plan.year = 2025
    apply_import(ledger, preview_import(ledger, plan, 2025, file_ref(FIXTURE_DOCX)))


def test_years_side_by_side_with_a_unit_under_its_old_name(ledger_2026):
    from core.units.edit import add_unit_alias
    add_unit_alias(ledger_2026, th.unit_id(ledger_2026, UNIT), OLD_NAME)
    _import_2025_under_old_name(ledger_2026)
    uid = th.unit_id(ledger_2026, UNIT)
    c25, c26 = th.campaign_id(ledger_2026, 2025), th.campaign_id(ledger_2026, 2026)
    for cid, year in ((c25, 2025), (c26, 2026)):
        th.dispatch(ledger_2026, cid, "report", f"{year}-04", [uid])
    th.submit(ledger_2026, c25, uid, "report", "2025-04", datetime(2025, 5, 20, 10))    # late in 2025
    th.submit(ledger_2026, c26, uid, "report", "2026-04", datetime(2026, 5, 6, 10))     # on time in 2026
    table, per_unit = year_over_year(ledger_2026, date(2026, 6, 20))
    assert list(table["year"]) == [2025, 2026]
    assert OLD_NAME not in per_unit.index and per_unit.loc[UNIT, 2025] == 1 and per_unit.loc[UNIT, 2026] == 0
    rows = table.set_index("year")
    assert rows.loc[2025, "late"] == 1 and rows.loc[2026, "on_time"] >= 1 and rows.loc[2025, "tasks"] == 118
    doc = as_json(year_stats(ledger_2026, 2026, date(2026, 6, 20)))
    assert [y["year"] for y in doc["years"]] == [2025, 2026]
