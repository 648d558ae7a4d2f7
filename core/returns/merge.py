"""Merge accepted staged changes into the ledger: one transaction per file, an audit row per field, each row's prior state.

The safety point costs what the merge changes: each file's transaction also writes, for every row it touches, the
row's state before (core.ledger.schema.merge_prior); with the audit rows that is all 撤销上次合并 needs, so no
whole-ledger copy or export is taken per merge. A SQLite ledger still gets its once-a-day full copy
(core.ledger.backup.daily_backup: skipped when today's exists, as it does after the window's start); a server
ledger's full backups are the server's own (pg_dump, README).

Long work: `work.report(done, total, label)` is called before the backup and after each file; `work.check()` runs
between files and raises `Cancelled` there once 取消 was pressed. A file is merged whole (its one transaction)
or not at all, so a cancelled run leaves every file either merged or still staged; the files merged before
the cancel stay merged (撤销上次合并 reverts them, like any run).
"""
from __future__ import annotations

from typing import TypedDict

from sqlalchemy import and_, insert, select, update

from core.common.work import Work, given
from core.ledger import schema
from core.returns.answers import normalise
from core.ledger.backup import daily_backup
from core.ledger.changes import Changed
from core.returns.merge_undo import MERGED, mark_merge_run, note_merge_batch
from core.ledger.store import Ledger, new_batch, now, record_audit

PROGRESS_COLUMNS = {"quarter_target", "done", "problems", "next_steps", "note"}
PLAN_COLUMNS = {"target", "owner", "supervisor", "remark"}


class Skipped(TypedDict):
    id: int
    reason: str


class MergeSummary(TypedDict):
    """One merge run: files and fields merged, the day's backup ("" when there was one), merged ids, files left out
    with the reason, changes still pending."""
    files: int
    fields: int
    backup: str
    merged: list[int]
    skipped: list[Skipped]
    pending: int


def merge(ledger: Ledger, submission_ids: list[int] | None = None, accept_all: bool = False,
          work: Work | None = None) -> Changed[MergeSummary]:
    """The run's MergeSummary with its change (plan/progress rows and the files); raises Cancelled between files."""
    s = schema.submission
    with ledger.read() as conn:
        query = select(s.c.id).where(s.c.status == "staged").order_by(s.c.received_at, s.c.id)
        if submission_ids is not None:
            query = query.where(s.c.id.in_(list(submission_ids)))
        ids: list[int] = list(conn.execute(query).scalars())
        skipped: list[Skipped] = []
        if submission_ids is not None:
            for sid in submission_ids:
                if sid not in ids:
                    sub = conn.execute(select(s.c.id, s.c.status, s.c.file_name).where(s.c.id == sid)).mappings().first()
                    # already handled (perhaps by another clerk a moment ago): say who and when, as a race inside does
                    skipped.append({"id": sid, "reason": _taken_by_other(conn, sub) if sub else "不存在"})
    summary = MergeSummary(files=0, fields=0, backup="", merged=[], skipped=skipped, pending=0)
    if not ids:
        return Changed(summary, change=MERGED)
    total = len(ids)
    work = given(work)
    work.check("已取消合并，台账没有改动。")
    work.report(0, total, "准备合并")
    if not getattr(ledger, "is_server", False):
        summary["backup"] = str(daily_backup(ledger) or "")   # "" when today's full copy is already there
    run_id = mark_merge_run(ledger)  # where this run starts, so 撤销上次合并 knows what to revert
    for n, sid in enumerate(ids):
        work.check(f"已取消合并：{n} 份文件已完整合并，其余 {total - n} 份未动，仍待审核。")
        done = _merge_one(ledger, sid, accept_all, run_id)   # one transaction: the whole file or nothing
        if isinstance(done, str):   # another clerk merged (or undid) it meanwhile: never applied twice
            summary["skipped"].append({"id": sid, "reason": done})
            continue
        fields, pending = done
        summary["fields"] += fields
        summary["pending"] += pending
        summary["files"] += 1
        summary["merged"].append(sid)
        work.report(n + 1, total, f"已合并 #{sid}")
    return Changed(summary, change=MERGED)


def _merge_one(ledger: Ledger, sid: int, accept_all: bool, run_id: str = "") -> tuple[int, int] | str:
    """(fields written, changes still pending), or why nothing was done (a Chinese sentence)."""
    s, ch = schema.submission, schema.change
    batch = new_batch()
    applied = 0
    priors: set[tuple[str, str]] = set()   # rows whose state before this file is written already
    with ledger.begin() as conn:
        sub = conn.execute(select(s).where(s.c.id == sid)).mappings().one()
        if sub["status"] != "staged":   # read under the write lock: a clerk on another PC got there first
            return _taken_by_other(conn, sub)
        if accept_all:
            conn.execute(update(ch).where(ch.c.submission_id == sid, ch.c.decision == "pending",
                                          ~ch.c.field.startswith("_", autoescape=True),
                                          ~ch.c.flags.contains("unit-conflict", autoescape=True),
                                          ~ch.c.flags.contains("target-other-quarter", autoescape=True))   # the clerk chooses
                         .values(decision="accepted"))
        changes = conn.execute(select(ch).where(ch.c.submission_id == sid, ch.c.decision == "accepted")
                               .order_by(ch.c.id)).mappings().all()
        for c in changes:
            if c["field"].startswith("_"):
                continue   # task text edits and missing rows are information, never ledger content
            if c["target"] == "progress":
                applied += _apply_progress(conn, sub, c, batch, priors)
            elif c["target"] == "plan":
                applied += _apply_plan(conn, sub, c, batch, priors)
        pending = conn.execute(select(ch.c.id).where(ch.c.submission_id == sid, ch.c.decision == "pending",
                                                     ~ch.c.field.startswith("_", autoescape=True))).all()
        status = "staged" if pending else "merged"
        conn.execute(update(s).where(s.c.id == sid).values(status=status, merged_at=now()))
        if status == "merged":
            # an earlier merged file of the same unit and period is now superseded (its values stay in 痕迹)
            conn.execute(update(s).where(and_(s.c.id != sid, s.c.unit_id == sub["unit_id"], s.c.form == sub["form"],
                                              s.c.period == sub["period"], s.c.status == "merged"))
                         .values(status="superseded"))
            record_audit(conn, batch, "submission", str(sid), "status", sub["status"], "merged", "file", sub["file_hash"])
        if run_id and (applied or status == "merged"):   # a batch with audit rows
            note_merge_batch(conn, run_id, batch)
    return applied, len(pending)


def _taken_by_other(conn, sub) -> str:
    from core.common.vocabulary import SUBMISSION_STATUS_NAMES as STATUS_NAMES
    a = schema.audit
    last = conn.execute(select(a.c.clerk, a.c.at).where(a.c.table_name == "submission", a.c.row_key == str(sub["id"]),
                                                        a.c.field == "status").order_by(a.c.id.desc()).limit(1)).first()
    who = f"已由{last.clerk or '其他人'}于 {last.at:%m-%d %H:%M} 处理" if last else "已被处理"
    now_status = STATUS_NAMES.get(sub["status"], sub["status"])
    return (f"“{sub['file_name']}”（第 {sub['id']} 号）在本次合并前{who}（现为“{now_status}”），"
            "没有重复合并。请按 F5 刷新后查看。")


def _note_prior(conn, priors: set, batch: str, table_name: str, row_key: str, row) -> None:
    """The row's state before this file's merge touches it (once per row and file): existed, and the two
    columns no audit row carries."""
    if (table_name, row_key) in priors:
        return
    priors.add((table_name, row_key))
    conn.execute(insert(schema.merge_prior).values(
        batch=batch, table_name=table_name, row_key=row_key, existed=row is not None,
        submission_id=row["submission_id"] if row is not None else None,
        reporter_unit_id=row.get("reporter_unit_id") if row is not None else None))


def _apply_progress(conn, sub, c, batch, priors: set) -> int:
    pr = schema.progress_row
    key = and_(pr.c.task_id == c["task_id"], pr.c.unit_id == c["unit_id"], pr.c.period == c["period"])
    row = conn.execute(select(pr).where(key)).mappings().first()
    uid = conn.execute(select(schema.task.c.uid).where(schema.task.c.id == c["task_id"])).scalar()
    row_key = f"{uid}/{c['unit_id']}/{c['period']}"
    _note_prior(conn, priors, batch, "progress_row", row_key, row)
    if row is None:
        conn.execute(insert(pr).values(task_id=c["task_id"], unit_id=c["unit_id"], period=c["period"],
                                       reporter_unit_id=sub["unit_id"], submission_id=sub["id"]))
        row = conn.execute(select(pr).where(key)).mappings().one()
    if c["field"] == "on_track":
        value, raw = normalise(c["new"])
        if row["on_track_raw"] == raw and row["on_track"] == value:
            return 0
        conn.execute(update(pr).where(key).values(on_track=value, on_track_raw=raw, submission_id=sub["id"],
                                                  reporter_unit_id=sub["unit_id"]))
        record_audit(conn, batch, "progress_row", row_key, "on_track", row["on_track_raw"], raw, "file", sub["file_hash"])
        return 1
    if c["field"] not in PROGRESS_COLUMNS or row[c["field"]] == c["new"]:
        return 0
    conn.execute(update(pr).where(key).values({c["field"]: c["new"], "submission_id": sub["id"],
                                               "reporter_unit_id": sub["unit_id"]}))
    record_audit(conn, batch, "progress_row", row_key, c["field"], row[c["field"]], c["new"], "file", sub["file_hash"])
    return 1


def _apply_plan(conn, sub, c, batch, priors: set) -> int:
    pl = schema.plan_row
    key = and_(pl.c.task_id == c["task_id"], pl.c.unit_id == c["unit_id"], pl.c.quarter == c["quarter"])
    row = conn.execute(select(pl).where(key)).mappings().first()
    uid = conn.execute(select(schema.task.c.uid).where(schema.task.c.id == c["task_id"])).scalar()
    row_key = f"{uid}/{c['unit_id']}/Q{c['quarter']}"
    _note_prior(conn, priors, batch, "plan_row", row_key, row)
    if row is None:
        conn.execute(insert(pl).values(task_id=c["task_id"], unit_id=c["unit_id"], quarter=c["quarter"],
                                       submission_id=sub["id"]))
        row = conn.execute(select(pl).where(key)).mappings().one()
    if c["field"] not in PLAN_COLUMNS or row[c["field"]] == c["new"]:
        return 0
    conn.execute(update(pl).where(key).values({c["field"]: c["new"], "submission_id": sub["id"]}))
    record_audit(conn, batch, "plan_row", row_key, c["field"], row[c["field"]],
                 c["new"], "file", sub["file_hash"])
    return 1
