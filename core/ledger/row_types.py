"""The shapes of the rows core hands to the window and the CLI, as TypedDicts (keys and types in one place)."""
from __future__ import annotations

from datetime import datetime
from typing import TypedDict


class TaskUnit(TypedDict):
    name: str
    lead: bool              # 牵头 (True) or 配合


class TaskRow(TypedDict):
    """A task of a campaign, as `list_tasks` returns it (and `tasks --json` prints a part of it)."""
    id: int
    uid: str
    kind: str               # core.common.vocabulary.Kind
    seq: int
    area: str | None
    category: str | None
    text: str
    leaders: list[str]
    units: list[TaskUnit]   # 牵头 first, in the 立项表's order
    active: bool
    closed_on: str | None   # ISO date of 办结


class PublicTask(TypedDict):
    """`tasks --json`."""
    kind: str
    seq: int
    area: str | None
    category: str | None
    text: str
    leaders: list[str]
    units: list[TaskUnit]


class UnitRow(TypedDict):
    """A unit with its aliases, contacts and task counts, as `list_units` returns it (`units --json`)."""
    id: int
    name: str
    aliases: list[str]
    short_name: str | None
    contact: str | None
    phone: str | None
    email: str | None
    collective: bool
    tasks_lead: int
    tasks_co: int


class SubmissionRow(TypedDict):
    """A received file as the submission table holds it (`rivals`)."""
    id: int
    campaign_id: int | None
    unit_id: int | None
    form: str | None            # core.common.vocabulary.Form; None until identified
    period: str | None          # "2026-04" (a month) or "2026" (the plan)
    file_hash: str
    file_name: str
    received_at: datetime
    collected_at: datetime
    status: str                 # core.common.vocabulary.SubmissionStatus
    message: str
    identified_by: str
    merged_at: datetime | None
    sheet: str


class ListedSubmission(SubmissionRow):
    """A received file in the 收文 list (`list_submissions`): its unit's name and its changes counted by decision."""
    unit_name: str | None
    changes: int                # real differences (old ≠ new, not an informational row)
    pending: int
    accepted: int
    rejected: int
    flagged: int                # changes carrying a reviewer flag


class ChangeRow(TypedDict):
    """One staged difference of a received file, with its task's 序号 and text (`submission_detail`)."""
    id: int
    submission_id: int
    task_id: int | None
    unit_id: int | None
    target: str                 # "plan" / "progress"
    period: str
    quarter: int | None
    field: str                  # a column, or "_task_text" / "_missing" / "_role" … (informational)
    old: str
    new: str
    decision: str               # core.common.vocabulary.Decision
    flags: str
    comment: str
    uid: str | None
    kind: str | None
    seq: int | None
    task_text: str | None


class DetailRow(TypedDict):
    """A task's row of a received file, with its changes in form order."""
    task_id: int | None
    uid: str | None
    kind: str | None
    seq: int | None
    text: str | None
    quarter: int | None         # a plan row's quarter; None for a month's report row
    changes: list[ChangeRow]


class SubmissionDetail(TypedDict):
    """A received file with its unit's name and its rows (`submission_detail`)."""
    submission: SubmissionRow
    unit: str
    rows: list[DetailRow]


class HistoryRow(TypedDict):
    """One 痕迹 line of a task (`task_history`): an audit row keyed by the task."""
    at: str                 # "YYYY-MM-DD HH:MM:SS", or "" when unknown
    table: str
    field: str
    old: str | None
    new: str | None
    source_kind: str        # import | file | hand | undo | closure | system
    source_ref: str         # file hash, file name, user note


class ProgressListRow(TypedDict):
    """A merged 落实情况 row as `progress_rows` lists it (`progress --json`)."""
    kind: str
    seq: int
    unit: str
    period: str
    quarter_target: str
    done: str
    problems: str
    next_steps: str
    on_track: bool | None
    on_track_raw: str
    note: str


class PlanListRow(TypedDict):
    """A merged 计划表 row as `plan_rows` lists it (`progress --form plan --json`)."""
    kind: str
    seq: int
    unit: str
    quarter: int
    target: str
    owner: str
    supervisor: str
    remark: str


class TaskUnitPeriodRow(TypedDict):
    """督办's drill-down: one assigned unit's row of a task for a month (`tracking.detail.task_rows`)."""
    unit: str
    lead: bool
    period: str
    done: str
    problems: str
    on_track: bool | None
    on_track_raw: str
    file_name: str
    reported: bool          # False: the unit has no row for the month (the texts are "")
