"""办结/销号: mark a task completed (date, note, evidence file kept in the content store) and undo it, audited."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select, update

from core.ledger import file_store
from core.ledger import schema
from core.common.errors import UserError
from core.ledger.changes import Area, Changed, LedgerChange
from core.ledger.store import Ledger, new_batch, record_audit


def _parse_day(day: date | str) -> date:
    if isinstance(day, date):
        return day
    try:
        return date.fromisoformat(str(day).strip())
    except ValueError:
        raise UserError(f"办结日期“{day}”格式不对，请写成 2026-06-30。") from None


def _task(conn, task_id: int):
    t = schema.task
    row = conn.execute(select(t.c.id, t.c.uid, t.c.kind, t.c.seq, t.c.closed_on, t.c.closed_note,
                              t.c.closed_evidence).where(t.c.id == task_id)).mappings().first()
    if row is None:
        raise UserError("找不到该任务，可能已从立项表中删除。请刷新后重试。")
    return row


def close_task(ledger: Ledger, task_id: int, day: date | str, note: str = "",
               evidence_path: Path | str | None = None) -> Changed[str]:
    """Close the task on `day`; it stays in the history and drops out of later forms. Returns the audit batch."""
    day = _parse_day(day)
    note = (note or "").strip()
    digest, name, size = None, "", 0
    if evidence_path:
        path = Path(evidence_path)
        if not path.is_file():
            raise UserError(f"找不到佐证材料“{path.name}”。请重新选择文件。")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UserError(f"无法读取佐证材料“{path.name}”：{exc.strerror or exc}。请关闭占用该文件的程序后重试。") from None
        digest, name, size = file_store.put(ledger, data), path.name, len(data)
    batch = new_batch()
    with ledger.begin() as conn:
        row = _task(conn, task_id)
        if row["closed_on"] is not None:
            raise UserError(f"该任务已于{row['closed_on'].isoformat()}办结。如需更改，请先撤销办结。")
        if digest:
            file_store.record(conn, digest, name, size)
        conn.execute(update(schema.task).where(schema.task.c.id == task_id).values(
            closed_on=day, closed_note=note, closed_evidence=digest))
        ref = f"{name} {digest}" if digest else "办结"
        record_audit(conn, batch, "task", row["uid"], "closed_on", None, day.isoformat(), "closure", ref)
        if note != (row["closed_note"] or ""):
            record_audit(conn, batch, "task", row["uid"], "closed_note", row["closed_note"], note, "closure", ref)
        if digest:
            record_audit(conn, batch, "task", row["uid"], "closed_evidence", None, digest, "closure", ref)
    return Changed(batch, change=LedgerChange.of(Area.CLOSURE, tasks=[task_id]))


def reopen_task(ledger: Ledger, task_id: int, note: str = "") -> Changed[str]:
    """Undo a 办结: the task is open again and returns to later forms; the evidence stays in the store."""
    batch = new_batch()
    with ledger.begin() as conn:
        row = _task(conn, task_id)
        if row["closed_on"] is None:
            raise UserError("该任务尚未办结，无需撤销。")
        conn.execute(update(schema.task).where(schema.task.c.id == task_id).values(
            closed_on=None, closed_note="", closed_evidence=None))
        ref = note or "撤销办结"
        record_audit(conn, batch, "task", row["uid"], "closed_on", row["closed_on"].isoformat(), None, "undo", ref)
        if row["closed_note"]:
            record_audit(conn, batch, "task", row["uid"], "closed_note", row["closed_note"], "", "undo", ref)
        if row["closed_evidence"]:
            record_audit(conn, batch, "task", row["uid"], "closed_evidence", row["closed_evidence"], None, "undo", ref)
    return Changed(batch, change=LedgerChange.of(Area.CLOSURE, tasks=[task_id]))


undo_close = reopen_task


def closure_of(ledger: Ledger, task_id: int) -> dict | None:
    """{day, note, evidence_hash, evidence_name, evidence_path} of a closed task, or None while open."""
    with ledger.read() as conn:
        row = _task(conn, task_id)
        if row["closed_on"] is None:
            return None
        name = ""
        if row["closed_evidence"]:
            name = conn.execute(select(schema.stored_file.c.name)
                                .where(schema.stored_file.c.hash == row["closed_evidence"])).scalar() or ""
    return {"day": row["closed_on"], "note": row["closed_note"], "evidence_hash": row["closed_evidence"],
            "evidence_name": name,
            "evidence_path": file_store.path_of(ledger, row["closed_evidence"]) if row["closed_evidence"] else None}
