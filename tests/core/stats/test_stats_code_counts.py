"""Year over year counts every year's 督办 codes in the database (core.tracking.states.code_counts) instead of bringing
each file into Python: on a three-year ledger with every kind of cell, plus a returned and a counted file received at
the very same moment (the file id decides, either way round) and files for a month not yet counted, its units and
counts are exactly what state_codes' rows (each year's own matrix, test_stats_years_fast) add up to."""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from core.ledger.queries import campaign_years
from core.stats.read import is_due, stats_periods
from core.tracking.states import code_counts, state_codes
from core.tracking.workdays import WorkCalendar
from tests.core.stats.test_stats_years_fast import TODAY, _year_of_cells
from tests.helpers import tracking as th
from tests.helpers.years import pad_years


def _ties(ledger) -> None:
    """2025's April, units beyond the first twelve: a returned and a counted file at one moment, in both id orders,
    on time and late; and a file for 2026-07, a month `stats` as of TODAY does not count yet."""
    cid = th.campaign_id(ledger, 2025)
    units = th.assigned_units(ledger, cid)[12:16]
    th.dispatch(ledger, cid, "report", "2025-04", units)
    on_time, late = datetime(2025, 5, 6, 10, 30), datetime(2025, 5, 28, 15)
    for uid, when, order in zip(units, (on_time, on_time, late, late), ("returned first", "counted first") * 2,
                                strict=True):
        statuses = ("returned", "merged") if order == "returned first" else ("merged", "returned")
        for status in statuses:
            th.submit(ledger, cid, uid, "report", "2025-04", when, status=status)
    later = th.campaign_id(ledger, 2026)
    th.submit(ledger, later, th.assigned_units(ledger, later)[0], "report", "2026-07", datetime(2026, 6, 1, 9))


def test_database_counts_are_state_codes_added_up(ledger_2026):
    pad_years(ledger_2026, years=2)
    _year_of_cells(ledger_2026)
    _ties(ledger_2026)
    years = sorted(campaign_years(ledger_2026))
    ids = {y: th.campaign_id(ledger_2026, y) for y in years}
    periods_of = {ids[y]: stats_periods(y, TODAY) for y in years}
    with ledger_2026.read() as conn:
        cal = WorkCalendar.from_conn(conn)
        rows = state_codes(conn, periods_of, TODAY, cal)
        counted = code_counts(conn, periods_of, TODAY, cal)
    assert set(counted) == set(rows)
    for cid, cells in rows.items():
        units, counts = counted[cid]
        assert units == {uid for uid, _f, _p, _c in cells}, cid
        expected = Counter((uid, str(code)) for uid, _f, _p, code in cells if is_due(str(code)))
        assert counts == dict(expected), cid
    # the tied cells went each way: the later id decides
    tied = {uid: str(code) for uid, form, period, code in rows[ids[2025]] if period == "2025-04"}
    tie_units = th.assigned_units(ledger_2026, ids[2025])[12:16]
    assert [tied[u] for u in tie_units] == ["reported", "returned", "reported_late", "returned"]


def test_nothing_sent_nor_received(ledger_2026):
    """A campaign with nothing sent nor received still has its task holders' 计划表 cells (未下发), counted in none."""
    cid = th.campaign_id(ledger_2026, 2026)
    with ledger_2026.read() as conn:
        cal = WorkCalendar.from_conn(conn)
        units, counts = code_counts(conn, {cid: stats_periods(2026, date(2026, 6, 20))}, date(2026, 6, 20), cal)[cid]
        rows = state_codes(conn, {cid: stats_periods(2026, date(2026, 6, 20))}, date(2026, 6, 20), cal)[cid]
    assert units == {uid for uid, *_ in rows} and units
    assert counts == {}
