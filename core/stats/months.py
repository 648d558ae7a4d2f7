"""Which months 统计 counts, and result rows as plain values: what the pandas-free reads share with the tables."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from core.common.errors import UserError
from core.tracking.deadlines import parse_period


def rows_of(result: Iterable[Any]) -> list[Any]:
    """A result's rows as plain values for unpacking (SQLAlchemy types untyped selects' columns as object)."""
    return list(result)


def stats_periods(year: int, today: date, first: str | None = None, last: str | None = None) -> list[str]:
    """The year's report months counted: January to last month (all twelve once the year is over), within first–last."""
    for p in (first, last):
        if p is not None:
            parse_period(p)
            if int(p[:4]) != year:
                raise UserError(f"月份“{p}”不在 {year} 年内。统计按立项年度进行，请写成 {year}-01 至 {year}-12 之间的月份。")
    if first and last and first > last:
        raise UserError(f"起止月份颠倒：{first} 在 {last} 之后。请把较早的月份写在前面。")
    now = f"{today.year:04d}-{today.month:02d}"
    months = [f"{year:04d}-{m:02d}" for m in range(1, 13)]
    return [p for p in months if p < now and (first is None or p >= first) and (last is None or p <= last)]
