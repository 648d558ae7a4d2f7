"""The 2023 and 2025 立项表 (Word and Excel, built from the notices by tests/helpers/year_tables.py) imported exactly
into a ledger that holds 2026: every task and project field by field, old unit names merged as aliases of 2026's."""
from __future__ import annotations

import pytest

from tests.helpers.year_tables import YEARS, build_expected, load_expected, write_docx, write_xlsx

COUNTS = {2023: (110, 20), 2025: (109, 20)}


@pytest.mark.parametrize("year", YEARS)
def test_expected_json_is_what_the_notice_says(year):
    """The committed expected values are the notice's rows (re-derived from the extracted text here)."""
    data = load_expected(year)
    assert build_expected(year) == data
    assert (len(data["tasks"]), len(data["projects"])) == COUNTS[year]
    assert [t["seq"] for t in data["tasks"]] == list(range(1, COUNTS[year][0] + 1))
    for row in data["tasks"] + data["projects"]:
        assert row["leaders"] and row["units"] and len(row["text"]) >= 10, row
        assert [u["lead"] for u in row["units"]] == [True] + [False] * (len(row["units"]) - 1)


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
@pytest.mark.parametrize("year", YEARS)
def test_year_table_imports_exactly_with_aliases_to_2026(ledger_2026, tmp_path, year, fmt):
    from core.campaign.importing import apply_import, preview_import
    from core.campaign.read import read_plan_file
    from core.ledger.queries import list_tasks, list_units
    data = load_expected(year)
    aliases = data["aliases_to_2026"]
    src = (write_docx if fmt == "docx" else write_xlsx)(data, tmp_path / f"{year}年立项表.{fmt}")
    plan = read_plan_file(src)
    assert plan.year == year and not plan.warnings
    assert [(r.kind, r.tasks) for r in plan.readings] == [("key", COUNTS[year][0]), ("livelihood", COUNTS[year][1])]
    preview = preview_import(ledger_2026, plan)
    proposed = {p.name: p.canonical for p in preview.unit_proposals}
    for old, new in aliases.items():
        assert proposed.get(old) == new, (old, proposed.get(old))
    apply_import(ledger_2026, preview, aliases)

    got = list_tasks(ledger_2026, year)
    want = [{"kind": "key", **t} for t in data["tasks"]] + [
        {"kind": "livelihood", "area": "", "category": "", **p} for p in data["projects"]]
    assert len(got) == len(want) == sum(COUNTS[year])
    for g, w in zip(got, want, strict=True):
        for field in ("kind", "seq", "area", "category", "text", "leaders"):
            assert g[field] == w[field], (w["kind"], w["seq"], field)
        units = [{"name": aliases.get(u["name"], u["name"]), "lead": u["lead"]} for u in w["units"]]
        assert g["units"] == units, (w["kind"], w["seq"])
    by_name = {u["name"]: u for u in list_units(ledger_2026)}
    for old, new in aliases.items():
        assert old in by_name[new]["aliases"] and old not in by_name
    assert len(list_tasks(ledger_2026, 2026)) == 118   # 2026 untouched
