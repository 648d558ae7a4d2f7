"""Test helpers for 督办: insert dispatch, submission and progress rows straight into a ledger."""
from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import insert, select

from core.ledger import schema
from core.ledger.store import now


def campaign_id(ledger, year=2026) -> int:
    with ledger.read() as conn:
        return conn.execute(select(schema.campaign.c.id).where(schema.campaign.c.year == year)).scalar_one()


def unit_id(ledger, name: str) -> int:
    with ledger.read() as conn:
        return conn.execute(select(schema.unit.c.id).where(schema.unit.c.name == name)).scalar_one()


def task_id(ledger, kind: str, seq: int, year=2026) -> int:
    t = schema.task
    with ledger.read() as conn:
        return conn.execute(select(t.c.id).join(schema.campaign).where(
            schema.campaign.c.year == year, t.c.kind == kind, t.c.seq == seq)).scalar_one()


def units_of_task(ledger, tid: int) -> list[tuple[int, str, str]]:
    a, u = schema.assignment, schema.unit
    with ledger.read() as conn:
        return [(r.unit_id, r.name, r.role) for r in conn.execute(
            select(a.c.unit_id, u.c.name, a.c.role).join(u).where(a.c.task_id == tid).order_by(a.c.position))]


def assigned_units(ledger, cid: int) -> list[int]:
    """The units that report: holding a task, collective entries (各街道办事处…) apart (issue 29: not counted)."""
    a, t, u = schema.assignment, schema.task, schema.unit
    with ledger.read() as conn:
        return sorted({r[0] for r in conn.execute(select(a.c.unit_id).join(t).join(u, u.c.id == a.c.unit_id)
                                                  .where(t.c.campaign_id == cid, u.c.collective.is_(False)))})


def dispatch(ledger, cid: int, form: str, period: str, unit_ids: list[int]) -> int:
    with ledger.begin() as conn:
        did = conn.execute(insert(schema.dispatch).values(
            campaign_id=cid, form=form, period=period, out_dir="/tmp/x", created_at=now())).inserted_primary_key[0]
        conn.execute(insert(schema.dispatch_item), [
            {"dispatch_id": did, "unit_id": uid, "path": f"/tmp/x/{uid}.xlsx", "file_hash": "0" * 64, "tasks": 1}
            for uid in unit_ids])
    return did


def submit(ledger, cid: int, uid: int, form: str, period: str, received: datetime, status: str = "merged",
           name: str = "") -> int:
    name = name or f"{uid}-{form}-{period}.xlsx"
    digest = hashlib.sha256(f"{uid}{form}{period}{received}{status}".encode()).hexdigest()
    with ledger.begin() as conn:
        if conn.execute(select(schema.stored_file.c.hash).where(schema.stored_file.c.hash == digest)).first() is None:
            conn.execute(insert(schema.stored_file).values(hash=digest, name=name, size=1, stored_at=now()))
        return conn.execute(insert(schema.submission).values(
            campaign_id=cid, unit_id=uid, form=form, period=period, file_hash=digest, file_name=name,
            received_at=received, collected_at=received, status=status)).inserted_primary_key[0]


def progress(ledger, tid: int, uid: int, period: str, on_track, done: str = "推进中") -> None:
    with ledger.begin() as conn:
        conn.execute(insert(schema.progress_row).values(
            task_id=tid, unit_id=uid, period=period, done=done, on_track=on_track,
            on_track_raw={True: "是", False: "否", None: ""}[on_track]))


def by_unit(matrix, form: str, period: str) -> dict[int, dict]:
    return {r["unit_id"]: r for r in matrix if r["form"] == form and r["period"] == period}
