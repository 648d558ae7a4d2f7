"""What the forms are made of: one unit's tasks (key then livelihood, lead first) loaded once for all units, and FormRow."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from core.common.vocabulary import ROLE_NAMES as ROLE_NAMES  # forms.plan and forms.report read it here
from core.ledger import schema

KIND_ORDER = {"key": 0, "livelihood": 1}


@dataclass
class FormRow:
    """One data row of a generated sheet: field → value, the DCTA_KEY, and what the fingerprint covers."""
    key: str
    values: dict[str, Any]
    group: int = 0                       # rows of one task share a group (merged cells in the rows layout)
    notes: set[str] = field(default_factory=set)     # fields showing a grey note instead of a value
    unlocked: set[str] = field(default_factory=set)  # extra input fields for this row only
    task_uid: str = ""
    unit_id: int = 0
    quarter: int | None = None

    def prefilled(self) -> tuple:
        return (self.key,) + tuple("" if k in self.notes else self.values.get(k, "")
                                   for k in sorted(self.values))


@dataclass
class Assigned:
    task: dict        # id, uid, kind, seq, text, closed_on
    unit_id: int
    role: str         # lead | co
    position: int


@dataclass
class CampaignData:
    cid: int
    year: int
    layout: str
    lead_gathering: bool
    units: dict[int, dict]                       # id → {id, name, short_name, email}
    by_unit: dict[int, list[Assigned]]           # every active task of the unit, ordered
    by_task: dict[int, list[Assigned]]           # a task's units in 立项表 order
    plan: dict[tuple[int, int, int], dict]       # (task_id, unit_id, quarter) → plan row


def seq_label(task: dict) -> str | int:
    """分解序号 as in the 立项表: the number for key tasks, "实事N" for livelihood projects."""
    return task["seq"] if task["kind"] == "key" else f"实事{task['seq']}"


def load(conn: Connection, cid: int, plan_units: set[int] | None = None) -> CampaignData:
    """The campaign's tasks, units and assignments, and its plan rows — only those of `plan_units` when given (收文's
    review grid needs one unit's, not the 8,000 rows of a 630-unit campaign)."""
    c = conn.execute(select(schema.campaign).where(schema.campaign.c.id == cid)).mappings().one()
    t, a, u = schema.task, schema.assignment, schema.unit
    tasks = {r["id"]: dict(r) for r in conn.execute(
        select(t.c.id, t.c.uid, t.c.kind, t.c.seq, t.c.text, t.c.closed_on)
        .where(t.c.campaign_id == cid, t.c.active.is_(True))).mappings()}
    units = {r["id"]: dict(r) for r in conn.execute(
        select(u.c.id, u.c.name, u.c.short_name, u.c.email)).mappings()}
    by_unit: dict[int, list[Assigned]] = defaultdict(list)
    by_task: dict[int, list[Assigned]] = defaultdict(list)
    for r in conn.execute(select(a.c.task_id, a.c.unit_id, a.c.role, a.c.position)
                          .join(t, t.c.id == a.c.task_id)
                          .where(t.c.campaign_id == cid, t.c.active.is_(True))
                          .order_by(a.c.task_id, a.c.position)):
        item = Assigned(tasks[r.task_id], r.unit_id, r.role, r.position)
        by_unit[r.unit_id].append(item)
        by_task[r.task_id].append(item)
    for items in by_unit.values():
        items.sort(key=lambda x: (KIND_ORDER.get(x.task["kind"], 9), x.role != "lead", x.task["seq"]))
    p = schema.plan_row
    query = (select(p.c.task_id, p.c.unit_id, p.c.quarter, p.c.target, p.c.owner, p.c.supervisor, p.c.remark)
             .join(t, t.c.id == p.c.task_id).where(t.c.campaign_id == cid))
    if plan_units is not None:
        query = query.where(p.c.unit_id.in_(plan_units))
    plan = {(r["task_id"], r["unit_id"], r["quarter"]): dict(r) for r in conn.execute(query).mappings()}
    return CampaignData(cid=cid, year=c["year"], layout=c["plan_layout"] or "rows",
                        lead_gathering=bool(c["lead_gathering"]), units=units, by_unit=dict(by_unit),
                        by_task=dict(by_task), plan=plan)


def open_on(task: dict, first_day: date) -> bool:
    """False when the task was closed (办结) before `first_day` of the form's period."""
    closed = task.get("closed_on")
    return closed is None or closed >= first_day
