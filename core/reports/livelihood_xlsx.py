"""The monthly 民生实事 progress table (.xlsx): every project once, one row per 责任单位, same print layout as the summary."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from core.common.work import Work
from core.reports.report_types import SummaryWritten
from core.reports.summary_xlsx import write_summary

LIVELIHOOD_COLUMNS = [("序号", 4, "seq"), ("民生实事项目", 8, "task"), ("责任单位", 7, "unit"),
                      ("季度目标", 7, "quarter_target"), ("完成情况", 12, "done"), ("存在问题", 7, "problems"),
                      ("下一步计划", 7, "next_steps"), ("是否完成阶段任务目标", 7, "on_track"), ("状态", 4, "light")]
TITLE = "{year}年{month}月民生实事项目进展情况表"


def write_livelihood(ledger, period: str, out: Path | str, today: date | None = None,
                     work: Work | None = None, charts: bool = True) -> SummaryWritten:
    from core.reports.data import parse_period
    year, month = parse_period(period)
    return write_summary(ledger, period, out, kind="livelihood", today=today, work=work,
                         charts=charts, title=TITLE.format(year=year, month=month), columns=LIVELIHOOD_COLUMNS)
