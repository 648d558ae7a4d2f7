"""The ledger's tables, declared once with SQLAlchemy Core (portable SQL: SQLite or PostgreSQL)."""
from sqlalchemy import (
    Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Table, Text,
    UniqueConstraint,
)

metadata = MetaData()

# key/value pairs: schema_version, app settings (JSON text in value)
meta = Table(
    "meta", metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

campaign = Table(
    "campaign", metadata,
    Column("id", Integer, primary_key=True),
    Column("year", Integer, nullable=False, unique=True),
    Column("doc_no", String(100), nullable=False, default=""),      # 文号
    Column("title", Text, nullable=False, default=""),
    Column("plan_due", Date),                                        # 计划表 deadline
    Column("report_workdays", Integer, nullable=False, default=5),   # 月报: N working days after month end
    Column("plan_layout", String(20), nullable=False, default="rows"),  # rows (2026) | columns (2021/2023/2025)
    Column("lead_gathering", Boolean, nullable=False, default=False),  # 牵头单位汇总
    Column("options", Text, nullable=False, default="{}"),           # JSON: further settings
    Column("created_at", DateTime, nullable=False),
)

leader = Table(
    "leader", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(50), nullable=False, unique=True),
)

unit = Table(
    "unit", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("short_name", String(100), nullable=False, default=""),
    Column("contact", String(100), nullable=False, default=""),
    Column("phone", String(100), nullable=False, default=""),
    Column("email", String(200), nullable=False, default=""),
    Column("collective", Boolean, nullable=False, default=False),  # 各街道办事处 etc.
    Column("note", Text, nullable=False, default=""),
)

unit_alias = Table(
    "unit_alias", metadata,
    Column("id", Integer, primary_key=True),
    Column("unit_id", Integer, ForeignKey("unit.id", ondelete="CASCADE"), nullable=False),
    Column("alias", String(200), nullable=False, unique=True),
)

task = Table(
    "task", metadata,
    Column("id", Integer, primary_key=True),
    Column("uid", String(20), nullable=False, unique=True),  # stable key used in forms' hidden columns
    Column("campaign_id", Integer, ForeignKey("campaign.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(20), nullable=False),  # key | livelihood
    Column("seq", Integer, nullable=False),
    Column("area", Text, nullable=False, default=""),
    Column("category", Text, nullable=False, default=""),
    Column("text", Text, nullable=False),
    Column("active", Boolean, nullable=False, default=True),  # False once removed by a revised 立项表
    Column("closed_on", Date),   # 办结 date; NULL while open
    Column("closed_note", Text, nullable=False, default=""),
    Column("closed_evidence", String(64)),  # hash of the evidence file in the store
)
Index("ix_task_campaign_kind_seq", task.c.campaign_id, task.c.kind, task.c.seq)

task_leader = Table(
    "task_leader", metadata,
    Column("task_id", Integer, ForeignKey("task.id", ondelete="CASCADE"), primary_key=True),
    Column("leader_id", Integer, ForeignKey("leader.id"), primary_key=True),
    Column("position", Integer, nullable=False),
)

assignment = Table(
    "assignment", metadata,
    Column("id", Integer, primary_key=True),
    Column("task_id", Integer, ForeignKey("task.id", ondelete="CASCADE"), nullable=False),
    Column("unit_id", Integer, ForeignKey("unit.id"), nullable=False),
    Column("role", String(10), nullable=False),  # lead | co
    Column("position", Integer, nullable=False),
    UniqueConstraint("task_id", "unit_id"),
)
Index("ix_assignment_unit", assignment.c.unit_id)

# content-addressed store of every file received (and evidence files)
stored_file = Table(
    "stored_file", metadata,
    Column("hash", String(64), primary_key=True),  # sha256 hex
    Column("name", Text, nullable=False),           # original file name
    Column("size", Integer, nullable=False),
    Column("stored_at", DateTime, nullable=False),
)

dispatch = Table(
    "dispatch", metadata,
    Column("id", Integer, primary_key=True),
    Column("campaign_id", Integer, ForeignKey("campaign.id", ondelete="CASCADE"), nullable=False),
    Column("form", String(10), nullable=False),  # plan | report
    Column("period", String(7), nullable=False, default=""),  # YYYY-MM for report; "" or YYYY for plan
    Column("out_dir", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

dispatch_item = Table(
    "dispatch_item", metadata,
    Column("id", Integer, primary_key=True),
    Column("dispatch_id", Integer, ForeignKey("dispatch.id", ondelete="CASCADE"), nullable=False),
    Column("unit_id", Integer, ForeignKey("unit.id"), nullable=False),
    Column("path", Text, nullable=False),
    Column("file_hash", String(64), nullable=False),
    Column("fingerprint", String(64), nullable=False, default=""),
    Column("tasks", Integer, nullable=False),
    Column("email", String(200), nullable=False, default=""),
)
# which units a campaign's forms went to, read from the index alone (督办, 统计; migration v6)
Index("ix_dispatch_item_dispatch_unit", dispatch_item.c.dispatch_id, dispatch_item.c.unit_id)

submission = Table(
    "submission", metadata,
    Column("id", Integer, primary_key=True),
    Column("campaign_id", Integer, ForeignKey("campaign.id", ondelete="CASCADE")),
    Column("unit_id", Integer, ForeignKey("unit.id")),
    Column("form", String(10)),    # plan | report
    Column("period", String(7)),   # YYYY-MM (report) or YYYY (plan)
    Column("file_hash", String(64), ForeignKey("stored_file.hash"), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("received_at", DateTime, nullable=False),
    Column("collected_at", DateTime, nullable=False),
    # staged | merged | unchanged | duplicate | needs-confirmation | rejected | superseded | returned
    Column("status", String(30), nullable=False),
    Column("message", Text, nullable=False, default=""),
    Column("identified_by", Text, nullable=False, default=""),  # which stamp carriers agreed
    Column("merged_at", DateTime),
    # the worksheet this submission was read from, when one file holds several units' sheets ("" = the file's one form)
    Column("sheet", Text, nullable=False, default=""),
)
Index("ix_submission_unit_form_period", submission.c.unit_id, submission.c.form, submission.c.period)
# one campaign's files (督办, 统计) without reading every year's; covering what the matrix reads (migration v6)
Index("ix_submission_campaign", submission.c.campaign_id, submission.c.period, submission.c.unit_id, submission.c.form,
      submission.c.status, submission.c.received_at)
# the 收文 list reads one year's files and every file still to review (core.returns.review.list_submissions)
Index("ix_submission_period", submission.c.period)
Index("ix_submission_status", submission.c.status)

plan_row = Table(
    "plan_row", metadata,
    Column("id", Integer, primary_key=True),
    Column("task_id", Integer, ForeignKey("task.id", ondelete="CASCADE"), nullable=False),
    Column("unit_id", Integer, ForeignKey("unit.id"), nullable=False),
    Column("quarter", Integer, nullable=False),  # 1..4
    Column("target", Text, nullable=False, default=""),
    Column("owner", Text, nullable=False, default=""),       # 主要负责人
    Column("supervisor", Text, nullable=False, default=""),  # 分管负责人
    Column("remark", Text, nullable=False, default=""),
    Column("submission_id", Integer, ForeignKey("submission.id")),
    UniqueConstraint("task_id", "unit_id", "quarter"),
)

progress_row = Table(
    "progress_row", metadata,
    Column("id", Integer, primary_key=True),
    Column("task_id", Integer, ForeignKey("task.id", ondelete="CASCADE"), nullable=False),
    Column("unit_id", Integer, ForeignKey("unit.id"), nullable=False),
    Column("period", String(7), nullable=False),  # YYYY-MM
    Column("quarter_target", Text, nullable=False, default=""),
    Column("done", Text, nullable=False, default=""),        # 完成情况
    Column("problems", Text, nullable=False, default=""),    # 存在问题
    Column("next_steps", Text, nullable=False, default=""),  # 下一步计划
    Column("on_track", Boolean),                             # 是否完成阶段任务目标: True/False/None
    Column("on_track_raw", Text, nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),        # rows the unit inserted, kept as notes
    Column("reporter_unit_id", Integer, ForeignKey("unit.id")),  # the lead unit when it gathers for co-units
    Column("submission_id", Integer, ForeignKey("submission.id")),
    UniqueConstraint("task_id", "unit_id", "period"),
)
Index("ix_progress_period", progress_row.c.period)
# the 是/否 answers per task without reading the rows' texts (统计's year over year, its tables; migration v6)
Index("ix_progress_task_on_track", progress_row.c.task_id, progress_row.c.on_track, progress_row.c.unit_id,
      progress_row.c.period)

change = Table(
    "change", metadata,
    Column("id", Integer, primary_key=True),
    Column("submission_id", Integer, ForeignKey("submission.id", ondelete="CASCADE"), nullable=False),
    Column("task_id", Integer, ForeignKey("task.id")),
    Column("unit_id", Integer, ForeignKey("unit.id")),
    Column("target", String(10), nullable=False),  # plan | progress
    Column("period", String(7), nullable=False, default=""),
    Column("quarter", Integer),
    Column("field", String(30), nullable=False),
    Column("old", Text, nullable=False, default=""),
    Column("new", Text, nullable=False, default=""),
    Column("decision", String(10), nullable=False, default="pending"),  # pending | accepted | rejected
    Column("flags", Text, nullable=False, default=""),  # comma-separated reviewer flags
    Column("comment", Text, nullable=False, default=""),  # clerk's comment for a 退回
)
Index("ix_change_submission", change.c.submission_id)

audit = Table(
    "audit", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False),
    Column("batch", String(40), nullable=False),   # one id per transaction (an import, a merge, an undo)
    Column("table_name", String(40), nullable=False),
    Column("row_key", Text, nullable=False),       # e.g. task uid, "uid/unit/period"
    Column("field", String(40), nullable=False),
    Column("old", Text),
    Column("new", Text),
    Column("source_kind", String(20), nullable=False),  # import | file | hand | undo | closure | system
    Column("source_ref", Text, nullable=False, default=""),  # file hash, file name, user note
    Column("clerk", Text, nullable=False, default=""),  # who made the change (core/ledger/clerk.py)
)
Index("ix_audit_batch", audit.c.batch)
# the 督办 matrix looks up the files sent back (table_name "submission", field "send_back") among every audit row
Index("ix_audit_table_field", audit.c.table_name, audit.c.field)

# what each row a merge touched was before it (existence and the columns the audit does not carry), written in the
# file's own merge transaction: 撤销上次合并 restores exactly from these and the audit rows, no whole-ledger copy
merge_prior = Table(
    "merge_prior", metadata,
    Column("id", Integer, primary_key=True),
    Column("batch", String(40), nullable=False),        # the merge batch (audit.batch) that touched the row first
    Column("table_name", String(40), nullable=False),   # progress_row | plan_row
    Column("row_key", Text, nullable=False),            # as in audit: "uid/unit/period", "uid/unit/Qn"
    Column("existed", Boolean, nullable=False),
    Column("submission_id", Integer),
    Column("reporter_unit_id", Integer),
)
Index("ix_merge_prior_batch", merge_prior.c.batch)

holiday_override = Table(
    "holiday_override", metadata,
    Column("day", Date, primary_key=True),
    Column("workday", Boolean, nullable=False),
    Column("note", Text, nullable=False, default=""),
)

keyword_rule = Table(
    "keyword_rule", metadata,
    Column("id", Integer, primary_key=True),
    Column("keyword", String(100), nullable=False),
    Column("unit_name", String(200), nullable=False),
    Column("note", Text, nullable=False, default=""),
)

# server ledgers only (PostgreSQL): the bytes of every stored file, so every clerk's PC sees them
# (a SQLite ledger keeps them in the folder beside its file; core/ledger/file_store.py)
server_metadata = MetaData()
file_blob = Table(
    "file_blob", server_metadata,
    Column("hash", String(64), primary_key=True),   # sha256 hex, the same key as stored_file.hash
    Column("data", LargeBinary, nullable=False),
)
