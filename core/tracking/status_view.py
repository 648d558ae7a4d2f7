"""The 报送情况 answers both front ends give: which campaign a month belongs to, the status rows, and how often each
unit was late (the 督办 matrix's 逾期次数 column and `status --late-count`)."""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import TypedDict

from core.ledger.queries import campaign_id, require_campaign
from core.ledger.store import Ledger
from core.tracking.deadlines import campaign_of, months_through, parse_period
from core.tracking.states import OVERDUE, REPORTED_LATE, MatrixRow, submission_matrix

LATE_CODES = (OVERDUE, REPORTED_LATE)   # a unit is late on a form when it reported after the deadline or not at all


class StatusRow(TypedDict):
    """One unit × form × period, as `status --json` prints it."""
    unit: str
    form: str               # "plan" | "report"
    period: str             # "YYYY" for the plan, "YYYY-MM" for a month's report
    state: str              # Chinese, e.g. "逾期已报", "未报（逾期 3 个工作日）"
    due: date | None
    received: datetime | None
    late_workdays: int
    file: str


def status_campaign(ledger: Ledger, period: str, year: int | None = None) -> int:
    """The campaign to report on: `year`'s, else the month's year's, else the latest (UserError when there is none)."""
    with ledger.read() as conn:
        if year:
            return require_campaign(conn, year)
        return campaign_id(conn, parse_period(period)[0]) or require_campaign(conn)


def status_rows(matrix: list[MatrixRow]) -> list[StatusRow]:
    """The public rows of a submission matrix (unit directory order kept)."""
    return [StatusRow(unit=r["unit"], form=r["form"], period=r["period"], state=r["state"], due=r["due"],
                      received=r["received"], late_workdays=r["late_workdays"], file=r["file_name"]) for r in matrix]


def late_counts(matrix: list[MatrixRow]) -> dict[int, int]:
    """unit_id → how many of the matrix's forms it was late on; every unit in the matrix is listed (0 when never)."""
    counts: Counter = Counter()
    for r in matrix:
        counts[r["unit_id"]] += r["code"] in LATE_CODES
    return dict(counts)


def unit_late_counts(ledger: Ledger, cid: int, period: str, today: date,
                     forms: tuple[str, ...] = ("plan", "report")) -> tuple[dict[int, str], dict[int, int]]:
    """({unit_id: name}, {unit_id: times late}) over the 计划表 and the campaign year's months through `period`."""
    with ledger.read() as conn:
        year = int(campaign_of(conn, cid)["year"])
    matrix = submission_matrix(ledger, cid, months_through(year, period), today, forms=forms)
    return {r["unit_id"]: r["unit"] for r in matrix}, late_counts(matrix)
