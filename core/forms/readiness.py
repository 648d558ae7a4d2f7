"""Before a 落实情况表 round: which of the chosen units have no 落实计划表 in the ledger (their 季度目标 would be blank)."""
from __future__ import annotations

from sqlalchemy import func, select

from core.ledger import schema
from core.ledger.queries import campaign_id


def units_without_plan(ledger, unit_names: list[str] | None = None, year: int | None = None) -> list[str]:
    """Names of the units (all with tasks, or those named) that hold tasks but have no plan row with a target yet."""
    a, t, p, u = schema.assignment, schema.task, schema.plan_row, schema.unit
    with ledger.read() as conn:
        cid = campaign_id(conn, year)
        if cid is None:
            return []
        with_tasks = {r.id: r.name for r in conn.execute(
            select(u.c.id, u.c.name).join(a, a.c.unit_id == u.c.id).join(t, t.c.id == a.c.task_id)
            .where(t.c.campaign_id == cid, t.c.active.is_(True), u.c.collective.is_(False))
            .group_by(u.c.id, u.c.name).order_by(u.c.id))}
        planned = set(conn.execute(
            select(p.c.unit_id).join(t, t.c.id == p.c.task_id)
            .where(t.c.campaign_id == cid, func.length(func.trim(p.c.target)) > 0)
            .group_by(p.c.unit_id)).scalars())
    wanted = None if unit_names is None else set(unit_names)
    return [name for uid, name in with_tasks.items() if uid not in planned and (wanted is None or name in wanted)]
