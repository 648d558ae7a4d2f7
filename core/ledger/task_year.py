"""One task's year as the units reported it: each month's merged rows with their source file and merge 痕迹."""
from __future__ import annotations

import re

from sqlalchemy import select

from core.common.errors import UserError
from core.ledger import schema
from core.ledger.queries import require_campaign
from core.ledger.store import Ledger

FIELDS = ("done", "problems", "next_steps", "on_track")


def task_uid(ledger: Ledger, ref: str, year: int | None = None) -> str:
    """`key:2` / `livelihood:3` (or 重点:2 / 民生:3) → the task's uid in `year` (default: the latest campaign)."""
    m = re.fullmatch(r"\s*(key|livelihood|重点|民生)\s*[:：]\s*(\d+)\s*", ref or "")
    if not m:
        raise UserError(f"任务“{ref}”写法不对，应写成 key:2（重点任务第2项）或 livelihood:3（民生实事第3项）。")
    kind = {"重点": "key", "民生": "livelihood"}.get(m.group(1), m.group(1))
    t = schema.task
    with ledger.read() as conn:
        cid = require_campaign(conn, year)
        uid = conn.execute(select(t.c.uid).where(t.c.campaign_id == cid, t.c.kind == kind,
                                                 t.c.seq == int(m.group(2)))).scalar()
    if uid is None:
        raise UserError(f"台账中没有{'重点任务' if kind == 'key' else '民生实事'}第{m.group(2)}项。请用 tasks 命令查看序号。")
    return str(uid)


def task_months(ledger: Ledger, uid: str) -> list[dict]:
    """[{period, unit, lead, quarter_target, done, problems, next_steps, on_track, on_track_raw, file_name,
    file_hash, received_at, merges: [{at, clerk, file_name, file_hash, fields}]}], newest month first, the lead
    unit first within a month. `merges` is the merge 痕迹 of that row (who, when, from which file), newest first."""
    p, t, u, s, a, f = (schema.progress_row, schema.task, schema.unit, schema.submission, schema.audit,
                        schema.stored_file)
    asg = schema.assignment
    with ledger.read() as conn:
        task = conn.execute(select(t.c.id).where(t.c.uid == uid)).first()
        if task is None:
            raise UserError("找不到该任务。")
        tid = task.id
        rows = conn.execute(
            select(p, u.c.name.label("unit"), s.c.file_name, s.c.file_hash, s.c.received_at)
            .join(u, u.c.id == p.c.unit_id).outerjoin(s, s.c.id == p.c.submission_id)
            .where(p.c.task_id == tid)).mappings().all()
        roles = {r.unit_id: (r.role, r.position) for r in conn.execute(
            select(asg.c.unit_id, asg.c.role, asg.c.position).where(asg.c.task_id == tid))}
        audits = conn.execute(
            select(a.c.row_key, a.c.at, a.c.clerk, a.c.field, a.c.source_ref, a.c.batch)
            .where(a.c.table_name == "progress_row", a.c.row_key.like(f"{uid}/%"), a.c.source_kind == "file")
            .order_by(a.c.at.desc(), a.c.id.desc())).all()
        hashes = {r.source_ref for r in audits} | {r["file_hash"] for r in rows if r["file_hash"]}
        names: dict[str, str] = dict(conn.execute(select(f.c.hash, f.c.name).where(f.c.hash.in_(hashes))).all()) if hashes else {}
    merges: dict[str, list[dict]] = {}
    for a_row in audits:
        runs = merges.setdefault(a_row.row_key, [])
        if runs and runs[-1]["batch"] == a_row.batch:
            runs[-1]["fields"].append(a_row.field)
            continue
        at = a_row.at.isoformat(sep=" ", timespec="minutes") if a_row.at else ""
        runs.append({"batch": a_row.batch, "at": at, "clerk": a_row.clerk or "", "file_hash": a_row.source_ref,
                     "file_name": names.get(a_row.source_ref, ""), "fields": [a_row.field]})
    out: list[dict] = []
    for r in rows:
        role, position = roles.get(r["unit_id"], ("co", 10**6))
        out.append({
            "period": r["period"], "unit": r["unit"], "lead": role == "lead", "_order": (role != "lead", position),
            "quarter_target": r["quarter_target"], "done": r["done"], "problems": r["problems"],
            "next_steps": r["next_steps"], "on_track": r["on_track"], "on_track_raw": r["on_track_raw"],
            "file_name": r["file_name"] or "", "file_hash": r["file_hash"] or "",
            "received_at": r["received_at"].isoformat(sep=" ", timespec="minutes") if r["received_at"] else "",
            "merges": [{k: v for k, v in m.items() if k != "batch"}
                       for m in merges.get(f"{uid}/{r['unit_id']}/{r['period']}", [])]})
    out.sort(key=lambda r: r["_order"])
    out.sort(key=lambda r: r["period"], reverse=True)
    for item in out:
        del item["_order"]
    return out
