"""The monthly 民生实事 progress table (.xlsx): every project once, one row per 责任单位, same print layout as the summary."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from core.reports.summary_xlsx import write_summary

LIVELIHOOD_COLUMNS = [("序号", 5, "seq"), ("民生实事项目", 27, "task"), ("责任单位", 12, "unit"),
                      ("季度目标", 16, "quarter_target"), ("完成情况", 27, "done"), ("存在问题", 17, "problems"),
                      ("下一步计划", 20, "next_steps"), ("是否完成阶段任务目标", 9, "on_track"), ("状态", 6, "light")]
TITLE = "{year}年{month}月民生实事项目进展情况表"


def write_livelihood(ledger, period: str, out: Path | str, today: date | None = None, progress=None,
                     cancel=None, charts: bool = True) -> dict:
    from core.reports.data import parse_period
    year, month = parse_period(period)
    return write_summary(ledger, period, out, kind="livelihood", today=today, progress=progress, cancel=cancel,
                         charts=charts, title=TITLE.format(year=year, month=month), columns=LIVELIHOOD_COLUMNS)
