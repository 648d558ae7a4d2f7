"""The report data core hands to the documents carries exactly the keys its TypedDicts (core.reports.report_types) name."""
from __future__ import annotations

from datetime import date

import pytest

from core.reports import report_types as rt
from tests.helpers.reports import drive

TODAY = date(2026, 5, 1)


def keys_of(shape) -> set[str]:
    return set(shape.__annotations__)


def assert_shape(row: dict, shape, optional: frozenset[str] = frozenset()) -> None:
    want = keys_of(shape)
    assert want - optional <= set(row) <= want, (shape.__name__, set(row) ^ want)


@pytest.fixture
def driven(ledger_2026):
    drive(ledger_2026)
    return ledger_2026


def test_summary_data_has_the_keys_its_types_name(driven):
    from core.reports.data import month_series, summary_data
    for kind in ("key", "livelihood"):
        d = summary_data(driven, "2026-03", kind, TODAY)
        assert_shape(d, rt.SummaryData)
        tasks = [t for g in d["groups"] for t in g["tasks"]]
        assert tasks and d["task_count"] == len(tasks)
        for g in d["groups"]:
            assert_shape(g, rt.SummaryGroup)
        for t in tasks:
            assert_shape(t, rt.SummaryTask)
            for u in t["unit_rows"]:
                assert_shape(u, rt.SummaryUnitRow)
                assert all(isinstance(u[f], str) for f in ("done", "problems", "next_steps", "on_track"))
                if u["source"] is not None:
                    assert_shape(u["source"], rt.SourceRef)
        assert any(u["source"] for t in tasks for u in t["unit_rows"])
    series = month_series(driven, 2026, 3)
    assert len(series) == 3
    for m in series:
        assert_shape(m, rt.MonthCount)


def test_bulletin_data_has_the_keys_its_types_name(driven):
    from core.reports.data import bulletin_data, find_task
    tid = find_task(driven, 2026, "key:1")
    d = bulletin_data(driven, "2026Q1", TODAY, task_id=tid)
    assert_shape(d, rt.BulletinData)
    checks = [("behind_tasks", rt.BehindTask), ("unreported_tasks", rt.UnreportedTask), ("late", rt.LateReport),
              ("missing", rt.MissingReport), ("by_area", rt.AreaCount), ("by_unit", rt.UnitCount),
              ("by_month", rt.MonthCount), ("files", rt.SourceFile)]
    for field, shape in checks:
        assert d[field], field     # the driven quarter has some of each
        for row in d[field]:
            assert_shape(row, shape)
    for t in d["behind_tasks"]:
        for u in t["behind_units"]:
            assert_shape(u, rt.BehindUnit)
    assert all(isinstance(x["due"], date) for x in d["late"] + d["missing"])
    single = d["single"]
    assert single is not None
    assert_shape(single, rt.SingleTask)
    for m in single["months"]:
        assert_shape(m, rt.SingleMonth)
        for u in m["units"]:
            assert_shape(u, rt.SingleUnit)
    for u in single["units"]:
        assert_shape(u, rt.AssignedUnit)


def test_brief_and_notice_data_have_the_keys_their_types_name(driven, tmp_path):
    from core.reports.brief import brief_data, plan_items, write_brief
    from core.reports.notices import livelihood_notice_data
    b = brief_data(driven, "2026-03", TODAY)
    assert_shape(b, rt.BriefData)
    for items in plan_items(b).values():
        for i in items:
            assert_shape(i, rt.BriefItem, optional=frozenset({"short"}))
    written = write_brief(driven, "2026-03", tmp_path / "brief.docx", TODAY)
    assert_shape(written, rt.BriefWritten)
    n = livelihood_notice_data(driven, "2026-03", TODAY)
    assert_shape(n, rt.LivelihoodNoticeData)
    for t in n["behind"]:
        assert_shape(t, rt.BehindTask)
    for x in n["late"] + n["missing"]:
        assert_shape(x, rt.UnitPeriod)
