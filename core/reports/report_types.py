"""The shapes of the report data core hands to the .docx/.xlsx writers and the window, as TypedDicts (one place)."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

from core.ledger.row_types import TaskRow

if TYPE_CHECKING:
    from core.tracking.states import MatrixRow


# -- the monthly summary (summary_data) --------------------------------------------------
class SourceRef(TypedDict):
    """The file a progress row came from."""
    hash: str
    name: str | None
    unit_id: int | None
    received_at: datetime | None


class SummaryUnitRow(TypedDict):
    """One responsible unit's line of a task in the summary."""
    name: str
    role: str                   # lead | co
    reported: bool
    quarter_target: str
    done: str                   # 完成情况, with the unit's note beneath it
    problems: str
    next_steps: str
    on_track: str               # 是 / 否 / "" / 已办结 / 未报送
    source: SourceRef | None


class SummaryTask(TaskRow):
    """A task of the summary with its units' lines and the month's verdict (core.tracking.verdict)."""
    unit_rows: list[SummaryUnitRow]
    light: str
    light_reasons: list[str]
    verdict: str


class SummaryGroup(TypedDict):
    area: str                   # 重点领域
    tasks: list[SummaryTask]


class SummaryData(TypedDict):
    """Everything the monthly summary (or the 民生实事 table) shows."""
    year: int
    month: int
    quarter: int
    period: str
    kind: str
    campaign: dict[str, Any]    # the campaign's ledger row
    groups: list[SummaryGroup]
    task_count: int
    today: date
    counts: dict[str, int]      # core.tracking.verdict.verdict_counts


# -- the quarter's bulletin (bulletin_data) ----------------------------------------------
class AssignedUnit(TypedDict):
    unit_id: int
    name: str
    role: str


class BehindUnit(TypedDict):
    name: str
    role: str
    problems: str
    next_steps: str
    period: str


class BehindTask(TaskRow):
    light: str
    light_reasons: list[str]
    months_behind: int
    behind_units: list[BehindUnit]


class UnreportedTask(TaskRow):
    missing_units: list[str]


class UnitPeriod(TypedDict):
    """A unit's month, late or missing (what the 报送情况 paragraphs group)."""
    unit: str
    period: str


class LateReport(TypedDict):
    unit_id: int
    unit: str
    period: str
    due: date
    received_at: datetime | None
    source: dict[str, Any] | None   # the submission's ledger row


class MissingReport(TypedDict):
    unit_id: int
    unit: str
    period: str
    due: date
    state: str


class AreaCount(TypedDict):
    area: str
    total: int
    met: int
    behind: int


class UnitCount(TypedDict):
    unit: str
    rows: int
    ok: int


class MonthCount(TypedDict):
    period: str
    rows: int
    ok: int


class SourceFile(TypedDict):
    """A file behind a figure, numbered in the bulletin's 依据 by its place in `files`."""
    hash: str
    name: str
    unit: str
    received_at: datetime | None


class SingleUnit(TypedDict):
    name: str
    done: str
    problems: str
    next_steps: str
    on_track: str
    file_name: str
    file_hash: str
    received_at: datetime | None


class SingleMonth(TypedDict):
    period: str
    units: list[SingleUnit]


class SingleTask(TypedDict):
    """The one task of a one-task bulletin, month by month."""
    task: TaskRow
    units: list[AssignedUnit]
    months: list[SingleMonth]
    status: str                 # met | behind | unclear | closed


class BulletinData(TypedDict):
    """Counts, met and behind tasks, late and missing units, chart series and each figure's source files."""
    year: int
    quarter: int
    quarter_cn: str
    periods: list[str]
    campaign: dict[str, Any]
    as_of: str
    quarter_over: bool
    unreported_tasks: list[UnreportedTask]
    counts: dict[str, dict[str, int]]      # key / livelihood → verdict counts with reported, met, unclear
    met_tasks: list[TaskRow]
    behind_tasks: list[BehindTask]
    late: list[LateReport]
    missing: list[MissingReport]
    dues: dict[str, date | None]
    expected_reports: int
    by_area: list[AreaCount]
    by_unit: list[UnitCount]
    by_month: list[MonthCount]
    files: list[SourceFile]
    figures: list[tuple[str, list[int]]]
    no_ranking: bool
    colophon: dict[str, str]
    status: dict[int, str]
    single: SingleTask | None
    today: date
    latest_done: dict[int, str]


# -- the 办结通报 and the 民生实事 通报 (core.reports.notices) -------------------------------
class ClosureData(TypedDict):
    task: TaskRow
    closed_on: date
    note: str                   # the closing note
    evidence: str               # the evidence file's name ("" = none)
    last: dict[str, Any] | None     # the latest progress row with 完成情况, the lead unit's first
    colophon: dict[str, str]
    year: int


class LivelihoodNoticeData(TypedDict):
    """Verdicts of the 民生实事 projects for a month, the projects behind, late and missing reports."""
    year: int
    month: int
    period: str
    periods: list[str]
    cadence: int                # 1 一月一通报, 3 一季一通报
    today: date
    counts: dict[str, int]      # verdict counts with met, unclear
    tasks: list[TaskRow]
    met: list[TaskRow]
    behind: list[BehindTask]    # worst first
    unreported: list[UnreportedTask]
    late: list[UnitPeriod]
    missing: list[UnitPeriod]
    expected: int
    done_text: dict[int, str]
    colophon: dict[str, str]
    no_ranking: bool
    month_over: bool


# -- the 区长 brief (core.reports.brief) -------------------------------------------------
class BriefData(TypedDict):
    """The month's figures, the tasks of each kind with their lights, and the units late, missing or not yet due."""
    verdicts: dict[str, int]    # done, behind, unreported, closed, total over both kinds
    year: int
    month: int
    period: str
    today: date
    tasks: dict[str, list[SummaryTask]]     # key / livelihood
    lights: dict[str, dict[str, int]]       # kind → light → tasks
    units: int                  # units due to report this month
    on_time: int
    late: list[MatrixRow]
    missing: list[MatrixRow]
    pending: list[MatrixRow]


class BriefItem(TypedDict):
    """One red or yellow task of the brief, in whole clauses."""
    seq: int
    kind: str
    task: str
    lead: str
    behind: list[str]
    why: str
    light: str
    source_problems: str
    why_unit: str
    short: NotRequired[bool]    # only the task and its lead unit (too many tasks behind for 8 pages)


# -- what each writer returns (the CLI's --json, the window's list of files) ----------------
class Written(TypedDict):
    path: str


class SummaryWritten(Written):
    tasks: int
    pages: int
    data_rows: int
    title: str
    widths: dict[str, int]


class BulletinWritten(Written):
    basis: str                  # the 底稿 next to it
    counts: dict[str, dict[str, int]]
    late: int
    missing: int
    files: int
    figures: int


class SingleWritten(Written):
    basis: str
    task: str                   # key:12
    status: str
    files: int


class BriefWritten(Written):
    red: int
    yellow: int
    late: int
    missing: int
    items: dict[str, list[BriefItem]]


class LeaderPagesWritten(Written):
    leaders: int


class ClosureWritten(Written):
    task: str
    closed_on: str              # ISO date


class LivelihoodNoticeWritten(Written):
    period: str
    periods: list[str]
    cadence: int
    counts: dict[str, int]
    late: int
    missing: int
