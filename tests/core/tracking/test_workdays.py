"""Working days and deadlines against the published 2026 holidays, and the override table for a year the package does not know."""
from datetime import date

import chinese_calendar
import pytest

from core.tracking import deadlines
from core.common.errors import UserError
from core.tracking.workdays import (
    CALENDAR_WARNING, CalendarNotCovered, WorkCalendar, add_workdays, covered_by_package, list_overrides,
    remove_overrides, set_overrides, workdays_between,
)
from tests.helpers.tracking import campaign_id


def test_package_agrees_with_the_published_2026_schedule():
    # 国办发明电〔2025〕7号: 春节 2月15日至23日放假，2月14日（周六）、2月28日（周六）上班
    assert all(not chinese_calendar.is_workday(date(2026, 2, d)) for d in range(15, 24))
    assert chinese_calendar.is_workday(date(2026, 2, 14)) and date(2026, 2, 14).weekday() == 5
    assert chinese_calendar.is_workday(date(2026, 2, 28)) and date(2026, 2, 28).weekday() == 5
    # 元旦 1月1日至3日放假，1月4日（周日）上班
    assert not chinese_calendar.is_workday(date(2026, 1, 2))
    assert chinese_calendar.is_workday(date(2026, 1, 4)) and date(2026, 1, 4).weekday() == 6


def test_spring_festival_is_skipped_and_adjusted_saturday_counts():
    cal = WorkCalendar()
    # from Thu 12 Feb: Fri 13, Sat 14 (调休上班), then 15–23 off, Tue 24, Wed 25, Thu 26
    assert cal.add_workdays(date(2026, 2, 12), 5) == date(2026, 2, 26)
    assert cal.workdays_between(date(2026, 2, 13), date(2026, 2, 24)) == 2  # 14th and 24th
    assert cal.workdays_between(date(2026, 2, 14), date(2026, 2, 23)) == 0
    assert cal.warning is None
    assert add_workdays(date(2026, 2, 12), 0) == date(2026, 2, 12)
    assert workdays_between(date(2026, 3, 1), date(2026, 2, 1)) == 0


def test_report_due_dates_2026():
    cal = WorkCalendar()
    due = {p: deadlines.report_due(p, cal) for p in ("2025-12", "2026-01", "2026-02", "2026-04", "2026-09")}
    assert due["2025-12"] == date(2026, 1, 8)   # 1–3 off; Sun 4 (调休) counts: 4,5,6,7,8
    assert due["2026-01"] == date(2026, 2, 6)   # month ends on a Saturday: Mon 2 … Fri 6
    assert due["2026-02"] == date(2026, 3, 6)   # Sat 28 Feb is a working day but lies inside February
    assert due["2026-04"] == date(2026, 5, 11)  # 5月1–5日 off, Sat 9 May (调休) counts: 6,7,8,9,11
    assert due["2026-09"] == date(2026, 10, 13)  # 国庆 1–7 off, Sat 10 Oct (调休) counts: 8,9,10,12,13
    # a longer window runs into the Spring Festival: 12 working days after 31 Jan
    assert deadlines.report_due("2026-01", cal, 12) == date(2026, 2, 24)
    assert cal.warning is None


def test_due_dates_follow_the_campaign_settings(ledger_2026):
    cid = campaign_id(ledger_2026)
    cal = WorkCalendar.from_ledger(ledger_2026)
    with ledger_2026.read() as conn:
        camp = deadlines.campaign_of(conn, cid)
    assert deadlines.due_date(camp, "plan", "2026", cal) == date(2026, 3, 6)
    assert deadlines.due_date(camp, "report", "2026-01", cal) == date(2026, 2, 6)
    deadlines.set_report_workdays(ledger_2026, 12)
    deadlines.set_plan_due(ledger_2026, "2026-03-10")
    with ledger_2026.read() as conn:
        camp = deadlines.campaign_of(conn, cid)
        audit = conn.exec_driver_sql("SELECT field, old, new FROM audit WHERE table_name='campaign'").all()
    assert deadlines.due_date(camp, "report", "2026-01", cal) == date(2026, 2, 24)
    assert deadlines.due_date(camp, "plan", "2026", cal) == date(2026, 3, 10)
    assert {"report_workdays", "plan_due"} <= {a[0] for a in audit}
    with pytest.raises(UserError):
        deadlines.set_report_workdays(ledger_2026, 0)
    with pytest.raises(UserError):
        deadlines.parse_period("2026-13")


def test_uncovered_year_is_estimated_with_a_visible_warning():
    assert covered_by_package(2026)
    assert not covered_by_package(2027)
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 2, 8))
    cal = WorkCalendar()
    assert deadlines.report_due("2027-01", cal, 7) == date(2027, 2, 9)  # Mon–Fri only: 1–5, 8, 9
    assert cal.estimated_years == {2027}
    assert CALENDAR_WARNING in cal.warning and "2027年" in cal.warning
    assert CALENDAR_WARNING == "日历未覆盖该年份，已按周一至周五估算，请在设置中补充节假日"
    strict = WorkCalendar(strict=True)
    with pytest.raises(CalendarNotCovered):
        strict.add_workdays(date(2027, 1, 31), 1)


def test_overrides_come_first_and_cover_the_year(ledger):
    set_overrides(ledger, {date(2027, 2, 6): True}, "2027年春节调休")
    set_overrides(ledger, {date(2027, 2, d): False for d in range(8, 13)}, "2027年春节")
    # an override also beats the package inside a known year
    set_overrides(ledger, {date(2026, 3, 2): False}, "本地停电")
    cal = WorkCalendar.from_ledger(ledger)
    # 31 Jan 2027 is a Sunday: 1–5 Feb, Sat 6 (调休), then 8–12 off, Mon 15
    assert deadlines.report_due("2027-01", cal, 6) == date(2027, 2, 6)
    assert deadlines.report_due("2027-01", cal, 7) == date(2027, 2, 15)
    assert cal.warning is None and not cal.estimated_years
    assert deadlines.report_due("2026-02", cal) == date(2026, 3, 9)  # 3–6, 9
    rows = list_overrides(ledger, 2027)
    assert len(rows) == 6 and rows[0]["workday"] is True and rows[0]["note"] == "2027年春节调休"
    with ledger.read() as conn:
        n_audit = conn.exec_driver_sql("SELECT count(*) FROM audit WHERE table_name='holiday_override'").scalar()
    assert n_audit == 7
    assert set_overrides(ledger, {date(2027, 2, 6): True}).value == 0  # unchanged: no write
    assert remove_overrides(ledger, [date(2026, 3, 2)]).value == 1
    assert deadlines.report_due("2026-02", WorkCalendar.from_ledger(ledger)) == date(2026, 3, 6)


def test_spans_of_years_count_as_a_day_by_day_walk_and_flag_the_same_years():
    """workdays_between counts from each year's running total: over spans of a day to ten years, across the years
    chinese-calendar knows, a year it does not (estimated, warned) and a clerk's overrides, it gives the day-by-day
    count, flags exactly the years that walk touches (31 December → 1 January flags only the new year), and a strict
    calendar names the same first uncovered year."""
    import random
    from datetime import timedelta

    def walk(cal, a, b):
        n, day = 0, a
        while day < b:
            day += timedelta(days=1)
            n += cal.is_workday(day)
        return n

    first = min(y for y in range(1990, 2100) if covered_by_package(y))
    last = max(y for y in range(2000, 2100) if covered_by_package(y))
    rng = random.Random(30)
    spans = [(date(last, 12, 31), date(last + 1, 1, 2)), (date(first - 1, 12, 31), date(first, 1, 5)),
             (date(2016, 12, 31), date(2017, 1, 1)),
             (date(2017, 3, 31), date(2026, 12, 6)), (date(2026, 5, 8), date(2026, 5, 8))]
    spans += [(a, a + timedelta(days=rng.randint(-20, 3700)))
              for a in (date(2012, 1, 1) + timedelta(days=rng.randint(0, 6000)) for _ in range(400))]
    overrides = {date(last + 1, 1, 4): False, date(2026, 10, 10): True}
    for a, b in spans:
        for ov in ({}, overrides):
            fast, slow = WorkCalendar(ov), WorkCalendar(ov)
            assert fast.workdays_between(a, b) == walk(slow, a, b), (a, b)
            assert fast.estimated_years == slow.estimated_years, (a, b)
    first_uncovered = date(last + 1, 3, 1)
    with pytest.raises(CalendarNotCovered) as fast_error:
        WorkCalendar(strict=True).workdays_between(date(last, 6, 1), first_uncovered + timedelta(days=800))
    with pytest.raises(CalendarNotCovered) as slow_error:
        walk(WorkCalendar(strict=True), date(last, 6, 1), first_uncovered + timedelta(days=800))
    assert fast_error.value.year == slow_error.value.year == last + 1


def test_the_packages_tables_read_once_give_its_answer_on_every_day():
    """The calendar reads chinese-calendar's tables itself (its is_workday recounts the years covered on every call:
    a tenth of a second over ten years of due dates); every day from before its first year to after its last gets
    the package's own answer, None where it has no data."""
    from datetime import timedelta

    from core.tracking.workdays import _package_is_workday
    day, seen = date(2003, 1, 1), set()
    while day < date(2028, 1, 1):
        try:
            expected = bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            expected = None
        assert _package_is_workday(day) is expected, day
        seen.add(expected)
        day += timedelta(days=1)
    assert seen == {True, False, None}
