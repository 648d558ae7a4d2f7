"""Working days by statutory holidays and 调休 (chinese-calendar), the clerk's overrides first, a warning for years uncovered."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Connection, delete, extract, insert, select

from core.ledger import schema
from core.common.errors import UserError
from core.ledger.changes import Area, Changed, LedgerChange
from core.ledger.store import Ledger, new_batch, record_audit

CALENDAR_WARNING = "日历未覆盖该年份，已按周一至周五估算，请在设置中补充节假日"

_PACKAGE: dict[date, bool | None] = {}  # chinese-calendar's answers (None: year not covered); they never change


def _package_is_workday(day: date) -> bool | None:
    if day in _PACKAGE:
        return _PACKAGE[day]
    years, holidays, workdays = _package_tables()
    value: bool | None = None
    if years[0] <= day.year <= years[1]:   # chinese_calendar.is_workday's rule, without its per-call min/max of years
        value = day in workdays or (day.weekday() <= 4 and day not in holidays)
    _PACKAGE[day] = value
    return value


_TABLES: list[tuple[tuple[int, int], dict, dict]] = []


def _package_tables() -> tuple[tuple[int, int], dict, dict]:
    """((first year, last year) the package covers, its holidays, its 调休 working days), read once."""
    if not _TABLES:
        from chinese_calendar.constants import holidays, workdays
        _TABLES.append(((min(holidays).year, max(holidays).year), holidays, workdays))
    return _TABLES[0]


class CalendarNotCovered(Exception):
    """Raised by strict calendars when a day falls in a year neither chinese-calendar nor the overrides cover."""

    def __init__(self, year: int):
        super().__init__(f"{year}年：{CALENDAR_WARNING}")
        self.year = year


class WorkCalendar:
    """Answers "is this a working day?" and remembers every year it had to estimate (Mon–Fri) — never silently.

    Order of authority: the override table (a day the clerk entered), then chinese-calendar, then,
    for a year neither knows, Monday–Friday with the year recorded in `estimated_years`.
    A year with at least one override row counts as entered by the clerk and is not flagged.
    """

    def __init__(self, overrides: dict[date, bool] | None = None, strict: bool = False):
        self.overrides = dict(overrides or {})
        self.override_years = {d.year for d in self.overrides}
        self.strict = strict
        self.estimated_years: set[int] = set()
        self._cache: dict[date, bool] = {}
        self._between: dict[tuple[date, date], int] = {}
        self._prefix: dict[int, list[int]] = {}   # year → working days among its first k days, k = 0…days in year

    @classmethod
    def from_conn(cls, conn: Connection, strict: bool = False) -> WorkCalendar:
        rows = conn.execute(select(schema.holiday_override.c.day, schema.holiday_override.c.workday)).all()
        return cls({r.day: bool(r.workday) for r in rows}, strict=strict)

    @classmethod
    def from_ledger(cls, ledger: Ledger, strict: bool = False) -> WorkCalendar:
        with ledger.read() as conn:
            return cls.from_conn(conn, strict)

    # -- single days ---------------------------------------------------------------------
    def is_workday(self, day: date) -> bool:
        cached = self._cache.get(day)
        if cached is not None:
            return cached
        value = self._lookup(day)
        self._cache[day] = value
        return value

    def is_holiday(self, day: date) -> bool:
        return not self.is_workday(day)

    def _lookup(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        value = _package_is_workday(day)
        if value is not None:
            return value
        if day.year in self.override_years:
            return day.weekday() < 5  # the clerk entered this year's schedule; ordinary days follow the week
        if self.strict:
            raise CalendarNotCovered(day.year)
        self.estimated_years.add(day.year)
        return day.weekday() < 5

    # -- counting ------------------------------------------------------------------------
    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after `start` (start itself not counted); n = 0 gives `start`."""
        if n < 0:
            raise ValueError("n must be >= 0")
        day, left = start, n
        while left > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        return day

    def workdays_between(self, a: date, b: date) -> int:
        """Working days after `a` up to and including `b` (0 when b <= a). Counted from each year's running total
        (every day of a year asked once), so a span of ten years costs no more than a span of ten days."""
        key = (a, b)
        count = self._between.get(key)
        if count is None:
            count = 0
            if b > a:   # the days first…b: only years holding one of them are looked at, as a day-by-day walk would
                first = a + timedelta(days=1)
                count = self.is_workday(first) - self._upto(first)   # years in order (a strict calendar names the first)
                for year in range(first.year, b.year):
                    count += self._year_prefix(year)[-1]
                count += self._upto(b)
            self._between[key] = count
        return count

    def _upto(self, day: date) -> int:
        """Working days from 1 January of `day`'s year up to and including `day`."""
        return self._year_prefix(day.year)[day.timetuple().tm_yday]

    def _year_prefix(self, year: int) -> list[int]:
        prefix = self._prefix.get(year)
        if prefix is None:
            prefix, day, end = [0], date(year, 1, 1), date(year + 1, 1, 1)
            while day < end:
                prefix.append(prefix[-1] + self.is_workday(day))
                day += timedelta(days=1)
            self._prefix[year] = prefix
        return prefix

    @property
    def warning(self) -> str | None:
        """The text the window shows when any answer was an estimate, else None."""
        if not self.estimated_years:
            return None
        years = "、".join(f"{y}年" for y in sorted(self.estimated_years))
        return f"{years}：{CALENDAR_WARNING}"


# -- module-level helpers (no overrides, or a ledger's) ------------------------------------------
def is_workday(day: date, calendar: WorkCalendar | None = None) -> bool:
    return (calendar or WorkCalendar()).is_workday(day)


def is_holiday(day: date, calendar: WorkCalendar | None = None) -> bool:
    return not is_workday(day, calendar)


def add_workdays(start: date, n: int, calendar: WorkCalendar | None = None) -> date:
    return (calendar or WorkCalendar()).add_workdays(start, n)


def workdays_between(a: date, b: date, calendar: WorkCalendar | None = None) -> int:
    return (calendar or WorkCalendar()).workdays_between(a, b)


def covered_by_package(year: int) -> bool:
    """Whether chinese-calendar knows `year`'s holidays."""
    import chinese_calendar
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
        return True
    except NotImplementedError:
        return False


# -- the override table ------------------------------------------------------------------------
def list_overrides(ledger: Ledger, year: int | None = None) -> list[dict]:
    h = schema.holiday_override
    query = select(h).order_by(h.c.day)
    if year:
        query = query.where(extract("year", h.c.day) == year)
    with ledger.read() as conn:
        return [{"day": r["day"], "workday": bool(r["workday"]), "note": r["note"]}
                for r in conn.execute(query).mappings()]


CALENDAR = LedgerChange.of(Area.SETTINGS)   # holidays are the ledger's calendar settings


def set_overrides(ledger: Ledger, days: dict[date, bool], note: str = "") -> Changed[int]:
    """Enter (or change) days as working days (True) or days off (False), audited, in one transaction."""
    h = schema.holiday_override
    batch, changed = new_batch(), 0
    for day in days:
        if not isinstance(day, date):
            raise UserError(f"“{day}”不是日期。请按 2027-02-10 的格式填写。")
    with ledger.begin() as conn:
        for day, workday in sorted(days.items()):
            old = conn.execute(select(h.c.workday).where(h.c.day == day)).scalar()
            if old is not None and bool(old) == bool(workday):
                continue
            conn.execute(delete(h).where(h.c.day == day))
            conn.execute(insert(h).values(day=day, workday=bool(workday), note=note))
            record_audit(conn, batch, "holiday_override", day.isoformat(), "workday",
                         None if old is None else _word(bool(old)), _word(bool(workday)), "hand", note)
            changed += 1
    return Changed(changed, change=CALENDAR)


def remove_overrides(ledger: Ledger, days: list[date]) -> Changed[int]:
    h = schema.holiday_override
    batch, removed = new_batch(), 0
    with ledger.begin() as conn:
        for day in days:
            old = conn.execute(select(h.c.workday).where(h.c.day == day)).scalar()
            if old is None:
                continue
            conn.execute(delete(h).where(h.c.day == day))
            record_audit(conn, batch, "holiday_override", day.isoformat(), "workday", _word(bool(old)), None, "hand")
            removed += 1
    return Changed(removed, change=CALENDAR)


def _word(workday: bool) -> str:
    return "工作日" if workday else "休息日"
