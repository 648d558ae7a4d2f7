"""Undo the last merge: every field it changed back to its audited old value, rows it created removed; audited, one transaction.

What "the last merge" is: mark_merge_run (called by core/returns/merge.py before its first file)
appends a marker {audit_id, backup, run, batches, priors} to the ledger setting "merge_runs"; each file merged in
the run adds its batch id there (so two clerks merging at once on a server ledger each undo only their own
files). A marker without "batches" (older versions) means every merge batch (audit rows with source_kind
"file" on progress_row / plan_row / submission) written after it. Without any marker the last merged file
alone is undone.

After the undo: the run's submissions are back to status "staged" (their accepted decisions kept, so
the clerk may review and merge again); a submission the run had superseded is "merged" again; the
undo's own audit rows have source_kind "undo" and source_ref = the undone batch id. An undo is refused
(with a Chinese message) when a later change touched the same rows.

Where the rows' untracked state comes from: a run marked "priors" (every run since schema v4) wrote, in each
file's transaction, each touched row's state before it (table merge_prior: existed, submission_id,
reporter_unit_id); older runs named a whole-ledger backup taken before them ("backup"), read when still there.
"""
from __future__ import annotations

import json
from collections import defaultdict
from typing import TypedDict

from sqlalchemy import and_, delete, insert, select, update

from core.ledger import schema
from core.common.errors import UserError
from core.ledger.changes import Area, Changed, LedgerChange
from core.ledger.clerk import clerk_name
from core.ledger.store import new_batch, record_audit

MERGED = LedgerChange.of(Area.PROGRESS, Area.RETURNS)   # what a merge run and its undo change

RUNS_KEY = "merge_runs"
MERGE_TABLES = ("progress_row", "plan_row", "submission")
PROGRESS_TEXT = ("quarter_target", "done", "problems", "next_steps", "note")
PLAN_TEXT = ("target", "owner", "supervisor", "remark")
_MAX_RUNS = 50


def mark_merge_run(ledger, backup_path: str = "") -> str:
    """Remember where a merge run starts (the highest audit id now); called just before merging. Returns the run's id.

    Each file's merge then names its batch in the run (note_merge_batch, in the file's own transaction), so
    when two clerks merge at once on a server ledger, undoing one run never reverts the other clerk's files.
    """
    a, m = schema.audit, schema.meta
    run_id = new_batch()
    with ledger.begin() as conn:
        start = conn.execute(select(a.c.id).order_by(a.c.id.desc()).limit(1)).scalar() or 0
        runs = _runs(conn)
        runs.append({"audit_id": int(start), "backup": str(backup_path), "run": run_id, "batches": [],
                     "clerk": clerk_name(), "priors": True})
        dropped = [b for run in runs[:-_MAX_RUNS] for b in run.get("batches", [])]
        if dropped:   # runs too old to undo: their rows' prior states are no longer needed (the audit keeps all)
            conn.execute(delete(schema.merge_prior).where(schema.merge_prior.c.batch.in_(dropped)))
        conn.execute(delete(m).where(m.c.key == f"setting:{RUNS_KEY}"))
        conn.execute(insert(m).values(key=f"setting:{RUNS_KEY}", value=json.dumps(runs[-_MAX_RUNS:], ensure_ascii=False)))
    return run_id


def note_merge_batch(conn, run_id: str, batch: str) -> None:
    """Inside a file's merge transaction: this batch belongs to run `run_id`."""
    runs = _runs(conn)
    for run in runs:
        if run.get("run") == run_id:
            run.setdefault("batches", []).append(batch)
            _save_runs(conn, runs)
            return


def _runs(conn) -> list[dict]:
    raw = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == f"setting:{RUNS_KEY}")).scalar()
    try:
        return list(json.loads(raw)) if raw else []
    except ValueError:
        return []


def _save_runs(conn, runs: list[dict]) -> None:
    m = schema.meta
    conn.execute(delete(m).where(m.c.key == f"setting:{RUNS_KEY}"))
    conn.execute(insert(m).values(key=f"setting:{RUNS_KEY}", value=json.dumps(runs, ensure_ascii=False)))


def _undone_batches(conn) -> set[str]:
    a = schema.audit
    return set(conn.execute(select(a.c.source_ref).where(a.c.source_kind == "undo").distinct()).scalars())


def _merge_batches(conn, after_id: int, undone: set[str]) -> list[str]:
    """Merge batches written after audit id `after_id`, oldest first."""
    a = schema.audit
    rows = conn.execute(select(a.c.batch, a.c.id).where(
        a.c.id > after_id, a.c.source_kind == "file", a.c.table_name.in_(MERGE_TABLES)).order_by(a.c.id)).all()
    seen: dict[str, int] = {}
    for batch, _id in rows:
        if batch not in undone:
            seen.setdefault(batch, _id)
    return list(seen)


def find_last_merge(ledger) -> dict | None:
    """{batches, submissions, fields, run_index} of the merge run an undo would revert, or None.

    That is this clerk's last merge run (runs are marked with their clerk): on a shared ledger one clerk's
    undo never reverts another clerk's merge, and is refused when another clerk later changed the same rows.
    """
    with ledger.read() as conn:
        return _find(conn)


def _find(conn) -> dict | None:
    a = schema.audit
    undone = _undone_batches(conn)
    runs = _runs(conn)
    run_index = None
    batches: list[str] = []
    me = clerk_name()
    for i in range(len(runs) - 1, -1, -1):
        if runs[i].get("clerk") not in (None, me):
            continue   # another clerk's run
        if "batches" in runs[i]:   # the run names its batches: exactly those, whoever else merged meanwhile
            found = [b for b in runs[i]["batches"] if b not in undone]
            if found:
                run_index, batches = i, found
                break
            continue
        upper = runs[i + 1]["audit_id"] if i + 1 < len(runs) else None
        found = _merge_batches(conn, runs[i]["audit_id"], undone)
        if upper is not None:
            first_ids = dict(conn.execute(select(a.c.batch, a.c.id).where(a.c.batch.in_(found))).all()) if found else {}
            found = [b for b in found if first_ids.get(b, 0) <= upper]
        if found:
            run_index, batches = i, found
            break
    has_marks = conn.execute(select(schema.meta.c.key).where(schema.meta.c.key == f"setting:{RUNS_KEY}")).first()
    if not batches and has_marks:
        return None
    if not batches:  # a ledger merged before runs were marked: the last merged file alone
        found = _merge_batches(conn, 0, undone)
        if not found:
            return None
        batches = found[-1:]
    rows = conn.execute(select(a).where(a.c.batch.in_(batches)).order_by(a.c.id)).mappings().all()
    subs = sorted({int(r["row_key"]) for r in rows if r["table_name"] == "submission" and r["field"] == "status"})
    hashes = {r["source_ref"] for r in rows}
    if hashes:
        s = schema.submission
        more = conn.execute(select(s.c.id).where(s.c.file_hash.in_(hashes), s.c.status.in_(("merged", "staged")))).scalars()
        subs = sorted(set(subs) | set(more))
    return {"batches": batches, "rows": rows, "submissions": subs, "run_index": run_index,
            "fields": sum(1 for r in rows if r["table_name"] != "submission")}


def _split_key(table: str, row_key: str):
    uid, unit_id, last = row_key.rsplit("/", 2)
    if table == "plan_row":
        return uid, int(unit_id), int(last.lstrip("Q"))
    return uid, int(unit_id), last


_ABSENT = object()


def _prior_reader(conn, batches: list[str]):
    """Reads the untracked columns and row existence from the run's merge_prior rows (the earliest per row wins);
    None for a row the run never touched."""
    p = schema.merge_prior
    found: dict[tuple[str, str], dict | object] = {}
    for r in conn.execute(select(p).where(p.c.batch.in_(batches)).order_by(p.c.id)).mappings():
        key = (r["table_name"], r["row_key"])
        if key in found:
            continue
        if not r["existed"]:
            found[key] = _ABSENT
        elif r["table_name"] == "progress_row":
            found[key] = {"submission_id": r["submission_id"], "reporter_unit_id": r["reporter_unit_id"]}
        else:
            found[key] = {"submission_id": r["submission_id"]}

    def read(table_name, uid, unit_id, last):
        last = f"Q{last}" if table_name == "plan_row" else last
        return found.get((table_name, f"{uid}/{unit_id}/{last}"))
    return read


def _snapshot_reader(runs: list[dict], run_index: int | None, conn=None, batches: list[str] | None = None):
    """Reads the untracked columns (submission_id, reporter_unit_id) and row existence from the run's merge_prior
    rows, or for an older run from its pre-merge backup; None when neither is there."""
    import sqlite3
    from pathlib import Path
    if run_index is not None and runs[run_index].get("priors") and conn is not None:
        return _prior_reader(conn, batches or [])
    if run_index is None or not runs[run_index].get("backup") or not Path(runs[run_index]["backup"]).is_file():
        return None
    if Path(runs[run_index]["backup"]).suffix.lower() == ".xlsx":   # a server ledger's backup: its whole-ledger export
        return _export_snapshot_reader(Path(runs[run_index]["backup"]))
    try:
        db = sqlite3.connect(f"{Path(runs[run_index]['backup']).resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        db.execute("SELECT count(*) FROM progress_row").fetchone()
    except sqlite3.Error:
        return None

    def read(table_name, uid, unit_id, last):
        if table_name == "progress_row":
            row = db.execute("SELECT p.submission_id, p.reporter_unit_id FROM progress_row p JOIN task t ON t.id = p.task_id "
                             "WHERE t.uid = ? AND p.unit_id = ? AND p.period = ?", (uid, unit_id, last)).fetchone()
            return _ABSENT if row is None else {"submission_id": row[0], "reporter_unit_id": row[1]}
        row = db.execute("SELECT p.submission_id FROM plan_row p JOIN task t ON t.id = p.task_id "
                         "WHERE t.uid = ? AND p.unit_id = ? AND p.quarter = ?", (uid, unit_id, last)).fetchone()
        return _ABSENT if row is None else {"submission_id": row[0]}
    return read


def _export_snapshot_reader(path):
    """The same reader over a whole-ledger export (.xlsx), or None when it cannot be read."""
    from core.ledger.import_xlsx import read_export
    try:
        data = read_export(path)
    except (UserError, OSError, ValueError):
        return None
    uid_of = {t["id"]: t["uid"] for t in data["task"]}
    progress = {(uid_of.get(r["task_id"]), r["unit_id"], r["period"]): r for r in data["progress_row"]}
    plan = {(uid_of.get(r["task_id"]), r["unit_id"], r["quarter"]): r for r in data["plan_row"]}

    def read(table_name, uid, unit_id, last):
        if table_name == "progress_row":
            row = progress.get((uid, unit_id, last))
            if row is None:
                return _ABSENT
            return {"submission_id": row["submission_id"], "reporter_unit_id": row["reporter_unit_id"]}
        row = plan.get((uid, unit_id, last))
        return _ABSENT if row is None else {"submission_id": row["submission_id"]}
    return read


class Undone(TypedDict):
    files: int
    fields: int
    rows_deleted: int
    batches: int
    backup: str


def undo_last_merge(ledger) -> Changed[Undone]:
    """Revert the last merge run (Undone: files, fields, rows deleted, batches, the day's backup) with its change.
    Refuses when later changes touch the same rows."""
    from core.returns.answers import normalise
    from core.ledger.backup import daily_backup
    with ledger.read() as conn:
        found = _find(conn)
    if found is None:
        raise UserError("没有可以撤销的合并：台账中找不到尚未撤销的合并记录。")
    # no whole-ledger copy per undo: the undo is audited and its files go back to staged (merge them again to
    # redo); a SQLite ledger gets its once-a-day full copy if today's is not there yet
    backup = None if getattr(ledger, "is_server", False) else daily_backup(ledger)
    a, s = schema.audit, schema.submission
    batch = new_batch()
    deleted = 0
    with ledger.begin() as conn:
        found = _find(conn)  # again, inside the write lock
        if found is None:
            raise UserError("没有可以撤销的合并：台账中找不到尚未撤销的合并记录。")
        rows = found["rows"]
        batches = set(found["batches"])
        last_id = max(r["id"] for r in rows)
        first_id = min(r["id"] for r in rows)
        undone = _undone_batches(conn)
        touched = {(r["table_name"], r["row_key"]) for r in rows if r["table_name"] != "submission"}
        later = conn.execute(select(a).where(a.c.id > last_id, a.c.table_name.in_(("progress_row", "plan_row")),
                                             a.c.source_kind != "undo").order_by(a.c.id)).mappings().all()
        for r in later:
            if r["batch"] not in undone and r["batch"] not in batches and (r["table_name"], r["row_key"]) in touched:
                raise UserError(f"无法撤销上次合并：之后（{str(r['at'])[:16]}）又有修改涉及同一行"
                                f"（{r['row_key']} 的“{r['field']}”）。"
                                "请先撤销或手工处理后来的修改，或从“备份与检查”页恢复合并前的备份。")
        snapshot = _snapshot_reader(_runs(conn), found["run_index"], conn, found["batches"])
        t = schema.task
        uid_to_id = dict(conn.execute(select(t.c.uid, t.c.id)).all())
        ordered = sorted(rows, key=lambda r: r["id"], reverse=True)
        rows_by_key: dict[tuple, list] = defaultdict(list)
        for r in ordered:
            if r["table_name"] == "submission":
                continue
            rows_by_key[(r["table_name"], r["row_key"])].append(r)
        fields = 0
        for (table_name, row_key), items in rows_by_key.items():
            uid, unit_id, last = _split_key(table_name, row_key)
            task_id = uid_to_id.get(uid)
            if task_id is None:
                continue
            if table_name == "progress_row":
                tbl = schema.progress_row
                key = and_(tbl.c.task_id == task_id, tbl.c.unit_id == unit_id, tbl.c.period == last)
            else:
                tbl = schema.plan_row
                key = and_(tbl.c.task_id == task_id, tbl.c.unit_id == unit_id, tbl.c.quarter == last)
            current = conn.execute(select(tbl).where(key)).mappings().first()
            if current is None:
                continue
            for r in items:  # newest first, so the oldest old value wins
                old = r["old"]
                if r["field"] == "on_track":
                    value, _raw = normalise(old)
                    values = {"on_track": value if old else None, "on_track_raw": old or ""}
                    now_value = current["on_track_raw"]
                elif r["field"] in tbl.c:
                    values = {r["field"]: old if old is not None else ""}
                    now_value = current[r["field"]]
                else:
                    continue
                conn.execute(update(tbl).where(key).values(**values))
                record_audit(conn, batch, table_name, row_key, r["field"], now_value, old, "undo", r["batch"])
                current = conn.execute(select(tbl).where(key)).mappings().first()
                fields += 1
            was = snapshot(table_name, uid, unit_id, last) if snapshot is not None else None
            if was is not None:  # merge_prior (or the pre-merge backup) says exactly what the row was
                if was is _ABSENT and current["submission_id"] in set(found["submissions"]) | {None}:
                    conn.execute(delete(tbl).where(key))
                    record_audit(conn, batch, table_name, row_key, "_row", "created", None, "undo", items[0]["batch"])
                    deleted += 1
                elif was is not _ABSENT:
                    conn.execute(update(tbl).where(key).values(**was))
                continue
            earlier = conn.execute(select(a.c.batch, a.c.source_ref).where(
                a.c.id < first_id, a.c.table_name == table_name, a.c.row_key == row_key,
                a.c.source_kind == "file").order_by(a.c.id.desc())).all()
            earlier = [e for e in earlier if e.batch not in undone]
            texts = PROGRESS_TEXT if table_name == "progress_row" else PLAN_TEXT
            empty = all((current[c] or "") == "" for c in texts) and (
                table_name == "plan_row" or (current["on_track"] is None and not current["on_track_raw"]))
            if not earlier and empty and current["submission_id"] in set(found["submissions"]) | {None}:
                conn.execute(delete(tbl).where(key))
                record_audit(conn, batch, table_name, row_key, "_row", "created", None, "undo", items[0]["batch"])
                deleted += 1
                continue
            prev_sub = None
            if earlier:   # one file may hold several units' sheets: the submission that brought this row
                same_file = select(s.c.id, s.c.unit_id).where(s.c.file_hash == earlier[0].source_ref)
                ch = schema.change
                brought = select(ch.c.submission_id).where(ch.c.task_id == task_id, ch.c.unit_id == unit_id)
                prev_sub = (conn.execute(same_file.where(s.c.id.in_(brought)).order_by(s.c.id.desc())).first()
                            or conn.execute(same_file.order_by(s.c.id.desc())).first())
            values = {"submission_id": prev_sub.id if prev_sub else None}
            if table_name == "progress_row":
                values["reporter_unit_id"] = prev_sub.unit_id if prev_sub else current["reporter_unit_id"]
            conn.execute(update(tbl).where(key).values(**values))
        if snapshot is not None:  # rows the merge created without changing any field (no audit row names them)
            for tbl, name in ((schema.progress_row, "progress_row"), (schema.plan_row, "plan_row")):
                last_col = tbl.c.period if name == "progress_row" else tbl.c.quarter
                for row in conn.execute(select(tbl.c.id, t.c.uid, tbl.c.unit_id, last_col).join(t, t.c.id == tbl.c.task_id)
                                        .where(tbl.c.submission_id.in_(found["submissions"]))).all():
                    row_key = f"{row[1]}/{row[2]}/{row[3] if name == 'progress_row' else f'Q{row[3]}'}"
                    if (name, row_key) not in rows_by_key and snapshot(name, row[1], row[2], row[3]) is _ABSENT:
                        conn.execute(delete(tbl).where(tbl.c.id == row[0]))
                        record_audit(conn, batch, name, row_key, "_row", "created", None, "undo", found["batches"][-1])
                        deleted += 1
        # the submissions: back to staged; the one each had superseded is merged again
        for sid in found["submissions"]:
            sub = conn.execute(select(s).where(s.c.id == sid)).mappings().first()
            if sub is None:
                continue
            if sub["status"] != "staged":
                conn.execute(update(s).where(s.c.id == sid).values(status="staged", merged_at=None))
                record_audit(conn, batch, "submission", str(sid), "status", sub["status"], "staged", "undo",
                             found["batches"][-1])
            same = and_(s.c.unit_id == sub["unit_id"], s.c.form == sub["form"], s.c.period == sub["period"])
            if conn.execute(select(s.c.id).where(same, s.c.status == "merged")).first() is None:
                prev = conn.execute(select(s.c.id).where(same, s.c.status == "superseded", s.c.id != sid,
                                                         s.c.merged_at.isnot(None))   # never a version dropped unmerged
                                    .order_by(s.c.merged_at.desc(), s.c.id.desc())).first()
                if prev is not None:
                    conn.execute(update(s).where(s.c.id == prev.id).values(status="merged"))
                    record_audit(conn, batch, "submission", str(prev.id), "status", "superseded", "merged", "undo",
                                 found["batches"][-1])
        # every undone batch is named by at least one undo row, so it is never undone twice
        named = {r["source_ref"] for r in conn.execute(select(a.c.source_ref).where(a.c.batch == batch)).mappings()}
        for b in found["batches"]:
            if b not in named:
                record_audit(conn, batch, "audit", b, "_batch", "merged", "undone", "undo", b)
        conn.execute(delete(schema.merge_prior).where(schema.merge_prior.c.batch.in_(found["batches"])))
        runs = _runs(conn)
        if found["run_index"] is not None:
            del runs[found["run_index"]]
            _save_runs(conn, runs)
    return Changed(Undone(files=len(found["submissions"]), fields=fields, rows_deleted=deleted,
                          batches=len(found["batches"]), backup=str(backup or "")), change=MERGED)
