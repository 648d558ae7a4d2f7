"""Read-only views of the ledger shared by the CLI and the window: campaigns, tasks, units."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, func, select

from core.ledger import schema
from core.common.errors import UserError
from core.common.vocabulary import KIND_NAMES as KIND_NAMES, Kind, Role  # KIND_NAMES: the CLI reads it here
from core.ledger.row_types import HistoryRow, PublicTask, TaskRow, TaskUnit, UnitRow
from core.ledger.store import Ledger

KIND_ORDER: dict[str, int] = {Kind.KEY: 0, Kind.LIVELIHOOD: 1}


def campaign_id(conn: Connection, year: int | None = None) -> int | None:
    """The campaign of `year`, or the latest one."""
    query = select(schema.campaign.c.id)
    if year:
        query = query.where(schema.campaign.c.year == year)
    return conn.execute(query.order_by(schema.campaign.c.year.desc()).limit(1)).scalar()


def require_campaign(conn: Connection, year: int | None = None) -> int:
    cid = campaign_id(conn, year)
    if cid is None:
        raise UserError(f"台账中还没有{f'{year}年的' if year else ''}立项任务。请先导入立项表（import-plan）。")
    return cid


def campaign_row(conn: Connection, cid: int):
    return conn.execute(select(schema.campaign).where(schema.campaign.c.id == cid)).mappings().one()


def list_tasks(ledger: Ledger, year: int | None = None, include_inactive: bool = False) -> list[TaskRow]:
    """`tasks --json`: key tasks then livelihood projects, in 序号 order, with leaders and units."""
    with ledger.read() as conn:
        cid = campaign_id(conn, year)
        if cid is None:
            return []
        return tasks_of_campaign(conn, cid, include_inactive)


def tasks_of_campaign(conn: Connection, cid: int, include_inactive: bool = False) -> list[TaskRow]:
    t = schema.task
    query = select(t).where(t.c.campaign_id == cid)
    if not include_inactive:
        query = query.where(t.c.active.is_(True))
    rows = conn.execute(query).mappings().all()
    leaders: dict[int, list[str]] = defaultdict(list)
    for r in conn.execute(select(schema.task_leader.c.task_id, schema.leader.c.name)
                          .join(schema.leader).join(t, t.c.id == schema.task_leader.c.task_id)
                          .where(t.c.campaign_id == cid).order_by(schema.task_leader.c.position)):
        leaders[r.task_id].append(r.name)
    units: dict[int, list[TaskUnit]] = defaultdict(list)
    for r in conn.execute(select(schema.assignment.c.task_id, schema.unit.c.name, schema.assignment.c.role)
                          .join(schema.unit).join(t, t.c.id == schema.assignment.c.task_id)
                          .where(t.c.campaign_id == cid).order_by(schema.assignment.c.position)):
        units[r.task_id].append(TaskUnit(name=r.name, lead=r.role == Role.LEAD))
    out: list[TaskRow] = []
    for m in sorted(rows, key=lambda m: (KIND_ORDER.get(m["kind"], 9), m["seq"])):
        out.append(TaskRow(
            id=m["id"], uid=m["uid"], kind=m["kind"], seq=m["seq"], area=m["area"],
            category=m["category"], text=m["text"], leaders=leaders[m["id"]], units=units[m["id"]],
            active=bool(m["active"]),
            closed_on=m["closed_on"].isoformat() if m["closed_on"] else None,
        ))
    return out


def public_task(task: TaskRow) -> PublicTask:
    """The CLI's `tasks --json` shape."""
    return PublicTask(kind=task["kind"], seq=task["seq"], area=task["area"], category=task["category"], text=task["text"],
                      leaders=task["leaders"], units=task["units"])


def list_units(ledger: Ledger, year: int | None = None) -> list[UnitRow]:
    """`units --json`: every unit with aliases, contacts and its lead/co task counts in the campaign."""
    with ledger.read() as conn:
        cid = campaign_id(conn, year)
        aliases: dict[int, list[str]] = defaultdict(list)
        for r in conn.execute(select(schema.unit_alias.c.unit_id, schema.unit_alias.c.alias)
                              .order_by(schema.unit_alias.c.id)):
            aliases[r.unit_id].append(r.alias)
        counts: dict[tuple[int, str], int] = {}
        if cid is not None:
            a, t = schema.assignment, schema.task
            for r in conn.execute(select(a.c.unit_id, a.c.role, func.count()).join(t, t.c.id == a.c.task_id)
                                  .where(t.c.campaign_id == cid, t.c.active.is_(True))
                                  .group_by(a.c.unit_id, a.c.role)):
                counts[(r[0], r[1])] = r[2]
        out: list[UnitRow] = []
        for u in conn.execute(select(schema.unit).order_by(schema.unit.c.id)).mappings():
            out.append(UnitRow(
                id=u["id"], name=u["name"], aliases=aliases[u["id"]], short_name=u["short_name"],
                contact=u["contact"], phone=u["phone"], email=u["email"],
                collective=bool(u["collective"]),
                tasks_lead=counts.get((u["id"], Role.LEAD), 0), tasks_co=counts.get((u["id"], Role.CO), 0),
            ))
        return out


def task_history(ledger: Ledger, uid: str, kind: str, seq: int) -> list[HistoryRow]:
    """The 痕迹 of one task: audit rows keyed by its uid or by "kind#seq" (as an import records creation)."""
    a = schema.audit
    with ledger.read() as conn:
        rows = conn.execute(select(a).where(a.c.row_key.in_([uid, f"{kind}#{seq}"]))
                            .order_by(a.c.at, a.c.id)).mappings().all()
        text = conn.execute(select(schema.task.c.text).where(schema.task.c.uid == uid)).scalar() or ""
    # "kind#seq" is shared by the same 序号 of other years: keep only rows about a text this task has had
    texts = {text} | {r[k] for r in rows if r["row_key"] == uid and r["field"] == "text" for k in ("old", "new")}
    rows = [r for r in rows if r["row_key"] == uid or r["new"] in texts]
    return [HistoryRow(at=r["at"].isoformat(sep=" ") if r["at"] else "", table=r["table_name"], field=r["field"],
                       old=r["old"], new=r["new"], source_kind=r["source_kind"], source_ref=r["source_ref"])
            for r in rows]


def campaign_years(ledger: Ledger) -> list[int]:
    """Years that have a campaign, newest first."""
    with ledger.read() as conn:
        return list(conn.execute(select(schema.campaign.c.year).order_by(schema.campaign.c.year.desc())).scalars())
