"""A campaign's deadlines: the 计划表 by a date, each month's 落实情况表 N working days after month end; settable (audited)."""
from __future__ import annotations

import calendar as _calendar
from datetime import date

from sqlalchemy import Connection, select

from core.ledger import schema
from core.common.errors import UserError
from core.ledger.store import Ledger
from core.tracking.workdays import WorkCalendar

DEFAULT_REPORT_WORKDAYS = 5


def parse_period(period: str) -> tuple[int, int]:
    """"YYYY-MM" → (year, month), with a Chinese error for anything else."""
    try:
        year_s, month_s = str(period).split("-")
        year, month = int(year_s), int(month_s)
        if len(year_s) != 4 or not 1 <= month <= 12:
            raise ValueError
    except ValueError:
        raise UserError(f"月份“{period}”格式不对，请写成 2026-03 这样的“年-月”。") from None
    return year, month


def month_end(period: str) -> date:
    year, month = parse_period(period)
    return date(year, month, _calendar.monthrange(year, month)[1])


def month_start(period: str) -> date:
    year, month = parse_period(period)
    return date(year, month, 1)


def shift_period(period: str, months: int) -> str:
    year, month = parse_period(period)
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def report_due(period: str, calendar: WorkCalendar, workdays: int = DEFAULT_REPORT_WORKDAYS) -> date:
    """The N-th working day after the last day of the month `period`."""
    return calendar.add_workdays(month_end(period), workdays)


def plan_due(campaign_row) -> date | None:
    """The campaign's 计划表 deadline (2026: 3月6日); None when not set."""
    return campaign_row["plan_due"]


def due_date(campaign_row, form: str, period: str, calendar: WorkCalendar) -> date | None:
    if form == "plan":
        return plan_due(campaign_row)
    return report_due(period, calendar, int(campaign_row["report_workdays"] or DEFAULT_REPORT_WORKDAYS))


def form_due(ledger: Ledger, form: str, period: str | None) -> date | None:
    """The actual deadline of one form (the 计划表's set date, a month's report by the working-day calendar), for the
    e-mail a unit receives with it; None when no deadline is set."""
    from core.forms.generate import check_period
    from core.ledger.queries import campaign_row, require_campaign
    period = check_period(form, period)
    with ledger.read() as conn:
        year = int(period[:4]) if period else None
        camp = campaign_row(conn, require_campaign(conn, year))
        if form == "plan":
            return plan_due(camp)
        return due_date(camp, form, str(period), WorkCalendar.from_conn(conn))


def campaign_of(conn: Connection, campaign_id: int):
    row = conn.execute(select(schema.campaign).where(schema.campaign.c.id == campaign_id)).mappings().first()
    if row is None:
        raise UserError("找不到该立项批次。请先导入立项表。")
    return row


def set_plan_due(ledger: Ledger, day: date | str | None, year: int | None = None) -> int:
    """Set the 计划表 deadline of the campaign (`year`, default the latest), audited."""
    from core.ledger.settings import save_settings
    return save_settings(ledger, campaign={"plan_due": day}, year=year).value


def set_report_workdays(ledger: Ledger, n: int, year: int | None = None) -> int:
    """Set N: each month's 落实情况表 is due on the N-th working day after month end; audited."""
    from core.ledger.settings import save_settings
    return save_settings(ledger, campaign={"report_workdays": n}, year=year).value


def months_through(year: int, period: str) -> list[str]:
    """The campaign year's months from January to `period` (just January when `period` is before the year)."""
    last = max(period, f"{year:04d}-01")
    return [f"{year:04d}-{m:02d}" for m in range(1, 13) if f"{year:04d}-{m:02d}" <= last]


def format_cn(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""
