"""Year over year reads every year's 督办 codes at once (core.tracking.states.state_codes); on a three-year ledger
with every kind of cell — on time, late, missing, still in time, sent back whole, a later file after a 退回, a blank
or rejected file only, a 计划表 filed with no period, a unit sent nothing — it gives exactly the rows and codes of
each year's own submission_matrix, and the year table equals the one counted from those per-year matrices."""
from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from core.ledger.queries import campaign_years
from core.stats.read import is_due, stats_periods
from core.stats.years import YEAR_COLUMNS, year_over_year
from core.tracking.states import state_codes, submission_matrix
from core.tracking.workdays import WorkCalendar
from tests.helpers import tracking as th
from tests.helpers.years import pad_years

TODAY = date(2026, 6, 20)


def _year_of_cells(ledger) -> None:
    """Each year's forms: a spread of states over the first units, the rest of the units sent nothing."""
    for year in (2024, 2025, 2026):
        cid = th.campaign_id(ledger, year)
        units = th.assigned_units(ledger, cid)[:12]
        th.dispatch(ledger, cid, "plan", "", units)
        for month in (3, 4, 5):
            th.dispatch(ledger, cid, "report", f"{year}-{month:02d}", units[:10])
        for i, uid in enumerate(units):
            kind = (i + year) % 8
            if kind == 0:   # 计划表 on time, filed with no period
                th.submit(ledger, cid, uid, "plan", "", datetime(year, 3, 2, 9))
            elif kind == 1:   # 计划表 late
                th.submit(ledger, cid, uid, "plan", str(year), datetime(year, 3, 20, 9))
            for month in (3, 4, 5):
                period, due_day = f"{year}-{month:02d}", datetime(year, month + 1, 3, 9)
                late_day = datetime(year, month + 1, 25, 16)
                if kind == 2:
                    th.submit(ledger, cid, uid, "report", period, due_day)
                elif kind == 3:
                    th.submit(ledger, cid, uid, "report", period, late_day)
                elif kind == 4:   # sent back whole, nothing since
                    th.submit(ledger, cid, uid, "report", period, due_day, status="returned")
                elif kind == 5:   # sent back, then a corrected file (late)
                    th.submit(ledger, cid, uid, "report", period, due_day, status="returned")
                    th.submit(ledger, cid, uid, "report", period, late_day)
                elif kind == 6:   # only a blank and a rejected file: not reported
                    th.submit(ledger, cid, uid, "report", period, due_day, status="blank")
                    th.submit(ledger, cid, uid, "report", period, late_day, status="rejected")
                elif kind == 7 and month == 5:   # a file for a month never dispatched to it
                    th.submit(ledger, cid, uid, "report", period, late_day, status="staged")


def _per_year(ledger) -> pd.DataFrame:
    """The year table counted the old way: one full submission_matrix per year."""
    rows = []
    for year in sorted(campaign_years(ledger)):
        cid = th.campaign_id(ledger, year)
        matrix = submission_matrix(ledger, cid, stats_periods(year, TODAY), TODAY)
        codes = [str(r["code"]) for r in matrix if is_due(str(r["code"]))]
        rows.append({"year": year, "units": len({r["unit_id"] for r in matrix}), "forms_due": len(codes),
                     "on_time": codes.count("reported"), "late": codes.count("reported_late"),
                     "missing": codes.count("overdue")})
    return pd.DataFrame(rows)


def test_every_years_codes_at_once_are_each_years_matrix(ledger_2026):
    pad_years(ledger_2026, years=2)
    _year_of_cells(ledger_2026)
    years = sorted(campaign_years(ledger_2026))
    assert years == [2024, 2025, 2026]
    ids = {y: th.campaign_id(ledger_2026, y) for y in years}
    with ledger_2026.read() as conn:
        codes = state_codes(conn, {ids[y]: stats_periods(y, TODAY) for y in years}, TODAY, WorkCalendar.from_conn(conn))
    seen = set()
    for year in years:
        matrix = submission_matrix(ledger_2026, ids[year], stats_periods(year, TODAY), TODAY)
        assert codes[ids[year]] == [(r["unit_id"], r["form"], r["period"], r["code"]) for r in matrix], year
        seen |= {str(r["code"]) for r in matrix}
    # every state was there to be got wrong
    assert seen >= {"reported", "reported_late", "overdue", "returned", "not_dispatched"}

    table, per_unit = year_over_year(ledger_2026, TODAY)
    expected = _per_year(ledger_2026)
    pd.testing.assert_frame_equal(table[["year", "units", "forms_due", "on_time", "late", "missing"]], expected,
                                  check_dtype=False)
    assert list(table.columns) == list(YEAR_COLUMNS)
    assert (table["late"] > 0).all() and (table["missing"] > 0).all()
    # each unit's late + missing forms per year, as each year's matrix has them
    for year in years:
        matrix = submission_matrix(ledger_2026, ids[year], stats_periods(year, TODAY), TODAY)
        bad: dict[str, int] = {}
        for r in matrix:
            if str(r["code"]) in ("reported_late", "overdue"):
                bad[r["unit"]] = bad.get(r["unit"], 0) + 1
        assert {u: int(n) for u, n in per_unit[year].items() if n} == bad, year
