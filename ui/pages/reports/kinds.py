"""The report kinds the 通报打印 page generates: button text, tooltip, file name and the core writer of each."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from core.common.work import Work

if TYPE_CHECKING:
    from core.reports.report_types import Written


@dataclass(frozen=True)
class ReportJob:
    """What one generation needs: the ledger, the month, its quarter, the task of 一事一通报, the file, the day."""
    ledger: object
    period: str
    quarter: str
    task_ref: str
    out: Path
    today: date


def _summary(job: ReportJob, work: Work) -> Written:
    from core.reports.summary_xlsx import write_summary
    return write_summary(job.ledger, job.period, job.out, today=job.today, work=work)


def _livelihood(job: ReportJob, work: Work) -> Written:
    from core.reports.livelihood_xlsx import write_livelihood
    return write_livelihood(job.ledger, job.period, job.out, today=job.today, work=work)


def _leaders(job: ReportJob, work: Work) -> Written:
    from core.reports.leader_pages import write_leader_pages
    return write_leader_pages(job.ledger, job.period, job.out, today=job.today, work=work)


def _brief(job: ReportJob, work: Work) -> Written:
    from core.reports.brief import write_brief
    return write_brief(job.ledger, job.period, job.out, today=job.today, work=work)


def _bulletin(job: ReportJob, work: Work) -> Written:
    from core.reports.bulletin_docx import write_bulletin
    return write_bulletin(job.ledger, job.quarter, job.out, today=job.today, work=work)


def _single(job: ReportJob, work: Work) -> Written:
    from core.reports.bulletin_single import write_single
    return write_single(job.ledger, job.quarter, job.task_ref, job.out, today=job.today, work=work)


def _livelihood_notice(job: ReportJob, work: Work) -> Written:
    from core.reports.notices import write_livelihood_notice
    return write_livelihood_notice(job.ledger, job.period, job.out, today=job.today, work=work)


def _closure(job: ReportJob, work: Work) -> Written:
    from core.reports.notices import write_closure_notice
    return write_closure_notice(job.ledger, job.task_ref, job.out, today=job.today, year=int(job.period[:4]), work=work)


@dataclass(frozen=True)
class ReportKind:
    key: str
    button: str
    file_name: str          # formatted with period, quarter and task (the 一事一通报's task, e.g. key12)
    write: Callable[[ReportJob, Work], Written]
    tip: str = ""


KINDS: dict[str, ReportKind] = {k.key: k for k in (
    ReportKind("summary", "生成月度汇总表", "{period}-重点任务落实情况汇总表.xlsx", _summary),
    ReportKind("livelihood", "生成民生实事表", "{period}-民生实事项目进展情况表.xlsx", _livelihood),
    ReportKind("leaders", "生成领导页", "{period}-牵头领导任务页.docx", _leaders),
    ReportKind("brief", "生成区长简报", "{period}-区长简报.docx", _brief,
               "当月总体情况、红黄灯任务（每项一两行）、迟报未报单位，Word 文档，不超过8页"),
    ReportKind("bulletin", "生成季度通报稿", "{quarter}-季度通报稿.docx", _bulletin),
    ReportKind("single", "生成一事一通报", "{quarter}-一事一通报-{task}.docx", _single),
    ReportKind("livelihood_notice", "生成民生实事通报", "{period}-民生实事通报.docx", _livelihood_notice,
               "民生实事项目进展情况的通报（Word，公文格式）；按“设置”每月（一月一通报）或每季度一次"),
    ReportKind("closure", "生成办结通报", "办结通报-{task}.docx", _closure,
               "所选任务已办结时，第一时间通报其办结情况（Word，公文格式）"),
)}
