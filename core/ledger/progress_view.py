"""Read-only listings of progress rows and plan rows for the `progress` command and the pages."""
from __future__ import annotations

import re

from sqlalchemy import select

from core.ledger import schema
from core.common.errors import UserError
from core.ledger.queries import KIND_ORDER
from core.ledger.row_types import PlanListRow, ProgressListRow


def progress_rows(ledger, period: str | None = None) -> list[ProgressListRow]:
    """[{kind, seq, unit, period, quarter_target, done, problems, next_steps, on_track}] in 序号 order."""
    if period and not re.fullmatch(r"\d{4}-\d{2}", period):
        raise UserError(f"月份“{period}”格式不对，应为 YYYY-MM，例如 2026-03。")
    p, t, u = schema.progress_row, schema.task, schema.unit
    q = select(p, t.c.kind, t.c.seq, u.c.name.label("unit")).join(t, t.c.id == p.c.task_id).join(u, u.c.id == p.c.unit_id)
    if period:
        q = q.where(p.c.period == period)
    with ledger.read() as conn:
        rows = conn.execute(q).mappings().all()
    out = [ProgressListRow(kind=r["kind"], seq=r["seq"], unit=r["unit"], period=r["period"],
                           quarter_target=r["quarter_target"], done=r["done"], problems=r["problems"],
                           next_steps=r["next_steps"], on_track=r["on_track"], on_track_raw=r["on_track_raw"],
                           note=r["note"]) for r in rows]
    out.sort(key=lambda r: (r["period"], KIND_ORDER.get(r["kind"], 9), r["seq"], r["unit"]))
    return out


def plan_rows(ledger, period: str | None = None) -> list[PlanListRow]:
    """[{kind, seq, unit, quarter, target, owner, supervisor, remark}]; period = the year (YYYY) if given."""
    p, t, u, c = schema.plan_row, schema.task, schema.unit, schema.campaign
    q = select(p, t.c.kind, t.c.seq, u.c.name.label("unit"), c.c.year).join(t, t.c.id == p.c.task_id) \
        .join(u, u.c.id == p.c.unit_id).join(c, c.c.id == t.c.campaign_id)
    if period:
        if not re.fullmatch(r"\d{4}(-\d{2})?", period):
            raise UserError(f"年度“{period}”格式不对，应为 YYYY。")
        q = q.where(c.c.year == int(period[:4]))
    with ledger.read() as conn:
        rows = conn.execute(q).mappings().all()
    out = [PlanListRow(kind=r["kind"], seq=r["seq"], unit=r["unit"], quarter=r["quarter"], target=r["target"],
                       owner=r["owner"], supervisor=r["supervisor"], remark=r["remark"]) for r in rows]
    out.sort(key=lambda r: (KIND_ORDER.get(r["kind"], 9), r["seq"], r["unit"], r["quarter"]))
    return out
