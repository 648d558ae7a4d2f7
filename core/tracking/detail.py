"""Drill-down for the 督办 page: the rows a unit reported for a period, and a task's rows per unit, with their source files."""
from __future__ import annotations

from sqlalchemy import select

from core.ledger import schema
from core.ledger.row_types import TaskUnitPeriodRow
from core.tracking.deadlines import shift_period
from core.ledger.store import Ledger


def unit_period_rows(ledger: Ledger, campaign_id: int, unit_id: int, form: str, period: str) -> list[dict]:
    """What the ledger holds from this unit for this form and period, with the file each row came from."""
    t, s = schema.task, schema.submission
    with ledger.read() as conn:
        if form == "plan":
            p = schema.plan_row
            query = (select(t.c.kind, t.c.seq, t.c.text, p.c.quarter, p.c.target, p.c.owner, s.c.file_name)
                     .join(t, t.c.id == p.c.task_id).outerjoin(s, s.c.id == p.c.submission_id)
                     .where(t.c.campaign_id == campaign_id, p.c.unit_id == unit_id)
                     .order_by(t.c.kind, t.c.seq, p.c.quarter))
            return [{"kind": r.kind, "seq": r.seq, "text": r.text, "quarter": r.quarter, "target": r.target,
                     "owner": r.owner, "file_name": r.file_name or ""} for r in conn.execute(query)]
        p = schema.progress_row
        query = (select(t.c.kind, t.c.seq, t.c.text, p.c.done, p.c.problems, p.c.on_track, p.c.on_track_raw,
                        s.c.file_name)
                 .join(t, t.c.id == p.c.task_id).outerjoin(s, s.c.id == p.c.submission_id)
                 .where(t.c.campaign_id == campaign_id, p.c.unit_id == unit_id, p.c.period == period)
                 .order_by(t.c.kind, t.c.seq))
        return [{"kind": r.kind, "seq": r.seq, "text": r.text, "done": r.done, "problems": r.problems,
                 "on_track": r.on_track, "on_track_raw": r.on_track_raw, "file_name": r.file_name or ""}
                for r in conn.execute(query)]


def task_rows(ledger: Ledger, task_id: int, period: str) -> list[TaskUnitPeriodRow]:
    """Each assigned unit's row for `period` and the month before, with the source file."""
    a, u, p, s = schema.assignment, schema.unit, schema.progress_row, schema.submission
    periods = [shift_period(period, -1), period]
    with ledger.read() as conn:
        people = conn.execute(select(a.c.unit_id, a.c.role, u.c.name).join(u, u.c.id == a.c.unit_id)
                              .where(a.c.task_id == task_id).order_by(a.c.position)).all()
        rows = {(r.unit_id, r.period): r for r in conn.execute(
            select(p.c.unit_id, p.c.period, p.c.done, p.c.problems, p.c.on_track, p.c.on_track_raw, s.c.file_name)
            .outerjoin(s, s.c.id == p.c.submission_id)
            .where(p.c.task_id == task_id, p.c.period.in_(periods)))}
    out: list[TaskUnitPeriodRow] = []
    for person in people:
        for per in periods:
            r = rows.get((person.unit_id, per))
            out.append(TaskUnitPeriodRow(unit=person.name, lead=person.role == "lead", period=per,
                                         done=r.done if r else "", problems=r.problems if r else "",
                                         on_track=r.on_track if r else None, on_track_raw=r.on_track_raw if r else "",
                                         file_name=(r.file_name or "") if r else "", reported=r is not None))
    return out
