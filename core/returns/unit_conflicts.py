"""A co-unit's row reported twice (in its lead's gathered form and by itself) is never silently replaced: the clerk chooses."""
from __future__ import annotations

from sqlalchemy import Connection, and_, select, update

from core.ledger import schema

WAITING = ("staged", "needs-confirmation")
CONFLICT = "unit-conflict"   # the clerk chooses: not taken by 全部接受
RIVAL = "unit-rival"         # has a rival but wins by the 牵头单位汇总 setting: taken by 全部接受, still shown


def _changes(conn: Connection, where) -> list[dict]:
    ch, s = schema.change, schema.submission
    return [dict(r) for r in conn.execute(
        select(ch, s.c.unit_id.label("sub_unit"), s.c.file_name, s.c.campaign_id)
        .join(s, s.c.id == ch.c.submission_id)
        .where(and_(s.c.status.in_(WAITING), ch.c.target == "progress", ~ch.c.field.startswith("_", autoescape=True),
                    where))).mappings()]


def mark(conn: Connection, submission_ids: list[int]) -> dict[int, list[str]]:
    """Flag the rows of these submissions that another unit's file (or the ledger) reports differently for the same
    unit, task and month; returns {submission id: messages in Chinese} for every submission touched."""
    if not submission_ids:
        return {}
    ch, s, pr, u, t = schema.change, schema.submission, schema.progress_row, schema.unit, schema.task
    mine = _changes(conn, ch.c.submission_id.in_(list(submission_ids)))
    if not mine:
        return {}
    names = {r.id: r.name for r in conn.execute(select(u.c.id, u.c.name))}
    gathering = {r.id: bool(r.lead_gathering) for r in conn.execute(select(schema.campaign.c.id,
                                                                           schema.campaign.c.lead_gathering))}
    rows: dict[tuple, dict[int, list[dict]]] = {}   # (task, unit, period) -> {submission: [changes]}
    for c in mine:
        rows.setdefault((c["task_id"], c["unit_id"], c["period"]), {}).setdefault(c["submission_id"], []).append(c)
    # only rows some file carries for another unit, or that the ledger holds from another unit's file, can clash
    carried_rows = {(c["task_id"], c["unit_id"], c["period"]) for c in _changes(conn, ch.c.unit_id != s.c.unit_id)}
    periods = {p for _t, _u, p in rows}
    gathered_rows = {(r.task_id, r.unit_id, r.period) for r in conn.execute(
        select(pr.c.task_id, pr.c.unit_id, pr.c.period).where(and_(
            pr.c.period.in_(list(periods)), pr.c.reporter_unit_id.isnot(None), pr.c.reporter_unit_id != pr.c.unit_id)))}
    may_clash = carried_rows | gathered_rows
    out: dict[int, list[str]] = {}
    for (task_id, unit_id, period), by_sub in rows.items():
        if (task_id, unit_id, period) not in may_clash:
            continue
        others = _changes(conn, and_(ch.c.task_id == task_id, ch.c.unit_id == unit_id, ch.c.period == period))
        for c in others:
            by_sub.setdefault(c["submission_id"], [])
            if c not in by_sub[c["submission_id"]]:
                by_sub[c["submission_id"]].append(c)
        subs = {sid: cs for sid, cs in by_sub.items() if cs}
        own = {sid for sid, cs in subs.items() if cs[0]["sub_unit"] == unit_id}        # the unit's own file
        carried = {sid for sid, cs in subs.items() if cs[0]["sub_unit"] != unit_id}    # a lead's file carrying it
        ledger_row = conn.execute(select(pr).where(and_(pr.c.task_id == task_id, pr.c.unit_id == unit_id,
                                                        pr.c.period == period))).mappings().first()
        merged_by = ledger_row["reporter_unit_id"] if ledger_row else None
        if carried and not own and merged_by == unit_id:
            own_text = "内容（已合并入台账）"
        elif own and not carried and merged_by not in (None, unit_id):
            own_text = ""
            carried_text = f"台账中已合并的{names.get(merged_by, '牵头单位')}汇总内容"
        elif own and carried:
            own_text = "、".join(f"“{subs[sid][0]['file_name']}”（#{sid}）" for sid in sorted(own))
        else:
            continue
        if not _differ(subs, ledger_row, own, carried):
            continue
        seq = conn.execute(select(t.c.seq, t.c.kind).where(t.c.id == task_id)).first()
        what = f"{'民生实事' if seq and seq.kind == 'livelihood' else '重点任务'}第{seq.seq if seq else '?'}项"
        unit_name = names.get(unit_id, "")
        lead_wins = gathering.get(next(iter(subs.values()))[0]["campaign_id"], False)
        for sid, cs in subs.items():
            is_own = sid in own
            flag = RIVAL if (lead_wins and not is_own) else CONFLICT
            for c in cs:
                flags = [f for f in (c["flags"] or "").split(",") if f and f not in (CONFLICT, RIVAL)] + [flag]
                conn.execute(update(ch).where(ch.c.id == c["id"]).values(flags=",".join(flags)))
            if is_own:
                rival = ("、".join(f"“{subs[o][0]['file_name']}”（#{o}）" for o in sorted(carried))
                         if carried else carried_text)
                text = f"{what}（{unit_name}）：牵头单位的表 {rival} 也报了这一行，内容与本表不同。"
            else:
                text = f"{what}：本表所填的{unit_name}这一行与{unit_name}自己报送的{own_text}不同。"
            if lead_wins:
                text += ("本批次为牵头单位汇总，以牵头单位汇总的内容为准："
                         + ("本表这一行不随“全部接受”合入，如需采用请逐项选择。" if is_own else
                            "“全部接受”采用本表的内容；如需采用配合单位自报的内容，请逐项选择。"))
            else:
                text += "两份内容都保留，请逐项选择采用哪一份（“全部接受”不会合入这些项）。"
            out.setdefault(sid, []).append(text)
    return out


def _differ(subs: dict[int, list[dict]], ledger_row, own: set[int], carried: set[int]) -> bool:
    """Whether the unit's own report and the carried one say different things (a field a file does not change
    keeps the ledger's value; a side with no file is the ledger)."""
    fields = {c["field"] for cs in subs.values() for c in cs}

    def held(f):
        if ledger_row is None:
            return ""
        return ledger_row["on_track_raw"] if f == "on_track" else (ledger_row[f] or "")

    def side(sids):
        return {f: ({c["new"] for sid in sids for c in subs[sid] if c["field"] == f} or {held(f)}) for f in fields}
    return side(own) != side(carried)


def write_messages(conn: Connection, found: dict[int, list[str]]) -> None:
    s = schema.submission
    for sid, msgs in found.items():
        old = conn.execute(select(s.c.message).where(s.c.id == sid)).scalar() or ""
        new = [m for m in msgs if m not in old]
        if new:
            conn.execute(update(s).where(s.c.id == sid).values(message="\n".join([m for m in [old] if m] + new)))
