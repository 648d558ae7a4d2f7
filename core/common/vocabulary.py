"""The ledger's words as StrEnums: each member IS its stored string (so the database and JSON are unchanged), with
its Chinese name for what a clerk sees."""
from __future__ import annotations

from enum import StrEnum


class Form(StrEnum):
    PLAN = "plan"             # 落实计划表 (附件3)
    REPORT = "report"         # 落实情况表 (附件4)

    @property
    def cn(self) -> str:
        return {"plan": "落实计划表", "report": "落实情况表"}[self.value]


class Kind(StrEnum):
    KEY = "key"               # 重点任务
    LIVELIHOOD = "livelihood"  # 民生实事

    @property
    def cn(self) -> str:
        return {"key": "重点任务", "livelihood": "民生实事"}[self.value]


class Role(StrEnum):
    LEAD = "lead"             # 牵头
    CO = "co"                 # 配合

    @property
    def cn(self) -> str:
        return {"lead": "牵头", "co": "配合"}[self.value]


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    BLUE = "blue"             # 办结

    @property
    def cn(self) -> str:
        return {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "blue": "蓝灯"}[self.value]


class SubmissionStatus(StrEnum):
    """A returned file's status in the ledger (submission.status)."""
    STAGED = "staged"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    NEEDS_CONFIRMATION = "needs-confirmation"
    REJECTED = "rejected"
    MERGED = "merged"
    SUPERSEDED = "superseded"
    RETURNED = "returned"
    BLANK = "blank"           # came back with nothing typed (未填写)

    @property
    def cn(self) -> str:
        return SUBMISSION_STATUS_CN[self]


SUBMISSION_STATUS_CN = {
    SubmissionStatus.STAGED: "待审核", SubmissionStatus.UNCHANGED: "无变化", SubmissionStatus.DUPLICATE: "重复",
    SubmissionStatus.NEEDS_CONFIRMATION: "待确认", SubmissionStatus.REJECTED: "已拒收", SubmissionStatus.MERGED: "已合并",
    SubmissionStatus.SUPERSEDED: "已被替代", SubmissionStatus.RETURNED: "已退回", SubmissionStatus.BLANK: "未填写",
}


class Decision(StrEnum):
    """The clerk's decision on one change of a returned file (change.decision)."""
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"

    @property
    def cn(self) -> str:
        return {"pending": "待定", "accepted": "接受", "rejected": "不接受"}[self.value]


class MatrixState(StrEnum):
    """Where a unit stands on one form and period in the 督办 matrix (computed, never stored)."""
    NOT_DISPATCHED = "not_dispatched"
    DISPATCHED = "dispatched"
    REPORTED = "reported"
    REPORTED_LATE = "reported_late"
    OVERDUE = "overdue"
    RETURNED = "returned"


KIND_NAMES = {k.value: k.cn for k in Kind}
FORM_NAMES = {f.value: f.cn for f in Form}
ROLE_NAMES = {r.value: r.cn for r in Role}
SUBMISSION_STATUS_NAMES = {s.value: s.cn for s in SubmissionStatus}   # the one map of a file's status to Chinese
