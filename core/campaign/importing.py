"""Importing a read 立项表 into the ledger: a preview of what changes (added, removed, changed, units), then apply."""
from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypedDict

from rapidfuzz import fuzz
from sqlalchemy import Connection, insert, select, update

from core.ledger import schema
from core.ledger.changes import Changed, LedgerChange
from core.ledger.store import Ledger, new_batch, new_id, now, record_audit
from core.campaign.table import ParsedPlan, ParsedTask
from core.common.textnorm import squash
from core.units.directory import UnitDirectory, UnitProposal, add_alias, ensure_unit, is_collective, propose_near

FIELDS = ("text", "area", "category", "leaders", "units")
FIELD_NAMES = {"text": "任务内容", "area": "重点领域", "category": "类别", "leaders": "牵头领导", "units": "责任单位"}


@dataclass
class TaskChange:
    task_id: int
    uid: str
    old: dict
    new: ParsedTask
    fields: list[str]


@dataclass
class ImportPreview:
    plan: ParsedPlan
    year: int
    campaign_exists: bool
    added: list[ParsedTask] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[TaskChange] = field(default_factory=list)
    renumbered: list[tuple[int, ParsedTask]] = field(default_factory=list)  # (task id, new)
    unchanged: list[tuple[int, ParsedTask]] = field(default_factory=list)
    new_units: list[str] = field(default_factory=list)
    unit_proposals: list[UnitProposal] = field(default_factory=list)
    collective_units: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source_ref: str = ""

    @property
    def change_count(self) -> int:
        return len(self.added) + len(self.removed) + len(self.changed)

    def as_json(self) -> dict:
        return {
            "year": self.year, "tasks": len(self.plan.tasks),
            "added": [{"kind": t.kind, "seq": t.seq, "text": t.text} for t in self.added],
            "removed": [{"kind": r["kind"], "seq": r["seq"], "text": r["text"]} for r in self.removed],
            "changed": [{"kind": c.new.kind, "seq": c.new.seq, "fields": c.fields} for c in self.changed],
            "renumbered": len(self.renumbered), "unchanged": len(self.unchanged),
            "new_units": self.new_units,
            "unit_proposals": [{"name": p.name, "canonical": p.canonical, "reason": p.reason} for p in self.unit_proposals],
            "collective_units": self.collective_units, "warnings": self.warnings,
            "tables": [{"where": r.where, "kind": r.kind, "tasks": r.tasks, "swapped": r.swapped,
                        "evidence": [e.describe() for e in r.evidence],
                        "against": [e.describe() for e in r.against]} for r in self.plan.readings],
        }

    @property
    def table_lines(self) -> list[str]:
        """Which table was read as which, one line each (with the evidence that disagrees)."""
        return [r.describe() for r in self.plan.readings]

    @property
    def tables_disagree(self) -> bool:
        return any(r.against and not r.swapped for r in self.plan.readings)


def file_ref(path: Path) -> str:
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return f"{digest}:{Path(path).name}"


def task_snapshot(conn: Connection, task_id: int) -> dict:
    row = conn.execute(select(schema.task).where(schema.task.c.id == task_id)).mappings().one()
    leaders = [r.name for r in conn.execute(
        select(schema.leader.c.name).join(schema.task_leader)
        .where(schema.task_leader.c.task_id == task_id).order_by(schema.task_leader.c.position))]
    units = [{"name": r.name, "lead": r.role == "lead"} for r in conn.execute(
        select(schema.unit.c.name, schema.assignment.c.role).join(schema.assignment)
        .where(schema.assignment.c.task_id == task_id).order_by(schema.assignment.c.position))]
    return {**dict(row), "leaders": leaders, "units": units}


def _fields_differ(old: dict, new: ParsedTask, resolve) -> list[str]:
    diffs = []
    for f in FIELDS:
        if f == "units":
            new_units = [{"name": resolve(u.name), "lead": u.lead} for u in new.units]
            if new_units != old["units"]:
                diffs.append(f)
        elif f == "leaders":
            if list(new.leaders) != old["leaders"]:
                diffs.append(f)
        elif (getattr(new, f) or "") != (old[f] or ""):
            diffs.append(f)
    return diffs


def preview_import(ledger: Ledger, plan: ParsedPlan, year: int | None = None, source_ref: str = "") -> ImportPreview:
    year = year or plan.year or date.today().year
    with ledger.read() as conn:
        camp = conn.execute(select(schema.campaign.c.id).where(schema.campaign.c.year == year)).scalar()
        preview = ImportPreview(plan=plan, year=year, campaign_exists=camp is not None,
                                warnings=list(plan.warnings), source_ref=source_ref)
        preview.warnings += [r.describe() for r in plan.readings if r.against and not r.swapped]
        directory = UnitDirectory(conn)
        _plan_units(preview, directory)

        def resolve(name: str) -> str:
            return directory.resolve(name) or name

        existing: list[dict] = []
        if camp is not None:
            ids: Sequence[int] = conn.execute(select(schema.task.c.id).where(
                schema.task.c.campaign_id == camp, schema.task.c.active.is_(True))).scalars().all()
            existing = [task_snapshot(conn, i) for i in ids]
    for kind in ("key", "livelihood"):
        _match_kind(preview, [t for t in plan.tasks if t.kind == kind],
                    [o for o in existing if o["kind"] == kind], resolve)
    return preview


def _plan_units(preview: ImportPreview, directory: UnitDirectory) -> None:
    names: list[str] = []
    for t in preview.plan.tasks:
        for u in t.units:
            if u.name not in names:
                names.append(u.name)
    unknown = [n for n in names if directory.resolve(n) is None]
    known_pool = list(directory.names.values())
    for name in unknown:
        proposal = propose_near(name, known_pool) or propose_near(
            name, [n for n in names if n != name and len(n) > len(name)])
        if proposal:
            preview.unit_proposals.append(proposal)
        preview.new_units.append(name)
        if is_collective(name):
            preview.collective_units.append(name)
            preview.warnings.append(f"“{name}”是集合性单位，将作为一个单位保留，不会拆分到具体单位，请留意。")


def _match_kind(preview: ImportPreview, new: list[ParsedTask], old: list[dict], resolve) -> None:
    old_by_text: dict[str, list[dict]] = {}
    for o in old:
        old_by_text.setdefault(squash(o["text"]), []).append(o)
    pending_new: list[ParsedTask] = []
    used: set[int] = set()
    for t in new:
        candidates = [o for o in old_by_text.get(squash(t.text), []) if o["id"] not in used]
        if candidates:
            o = min(candidates, key=lambda c: abs(c["seq"] - t.seq))
            used.add(o["id"])
            _classify(preview, o, t, resolve)
        else:
            pending_new.append(t)
    remaining = [o for o in old if o["id"] not in used]
    for t in pending_new:
        best, best_score = None, 0.0
        for o in remaining:
            score = fuzz.ratio(squash(o["text"]), squash(t.text)) + (10 if o["seq"] == t.seq else 0)
            if score > best_score:
                best, best_score = o, score
        if best is not None and best_score >= 60:
            remaining.remove(best)
            _classify(preview, best, t, resolve)
        else:
            preview.added.append(t)
    preview.removed.extend(remaining)


def _classify(preview: ImportPreview, old: dict, new: ParsedTask, resolve) -> None:
    diffs = _fields_differ(old, new, resolve)
    if diffs:
        preview.changed.append(TaskChange(old["id"], old["uid"], old, new, diffs))
    elif old["seq"] != new.seq:
        preview.renumbered.append((old["id"], new))
    else:
        preview.unchanged.append((old["id"], new))


def _backup_before_import(ledger: Ledger) -> None:
    """A full copy before an import changes a ledger that holds tasks (an import is rare: once a year or so);
    a merge needs none (core/returns/merge.py). A server ledger's full backups are the server's own (README)."""
    if getattr(ledger, "is_server", False):
        return
    with ledger.read() as conn:
        if not conn.execute(select(schema.task.c.id).limit(1)).first():
            return   # nothing to lose yet
    from core.ledger.backup import backup_before
    backup_before(ledger, "import")


class ImportApplied(TypedDict):
    """What an import wrote: its audit batch and the tasks added, changed, removed and renumbered."""
    batch: str
    added: int
    changed: int
    removed: int
    renumbered: int


def apply_import(ledger: Ledger, preview: ImportPreview,
                 accepted_merges: dict[str, str] | None = None) -> Changed[ImportApplied]:
    """Write the preview in one transaction. `accepted_merges` maps a file name to the unit the clerk confirmed."""
    accepted_merges = accepted_merges or {}
    batch = new_batch()
    src = preview.source_ref
    _backup_before_import(ledger)
    with ledger.begin() as conn:
        camp = conn.execute(select(schema.campaign.c.id).where(schema.campaign.c.year == preview.year)).scalar()
        if camp is None:
            camp = new_id(conn, insert(schema.campaign).values(
                year=preview.year, title=preview.plan.title or f"{preview.year}年《政府工作报告》重点任务",
                doc_no="", created_at=now(), plan_layout="rows", report_workdays=5,
                lead_gathering=False, options="{}",
                plan_due=date(preview.year, 3, 6)))
            record_audit(conn, batch, "campaign", str(preview.year), "created", None, preview.year, "import", src)
        directory = UnitDirectory(conn)
        unit_ids: dict[str, int] = {}

        def unit_id_for(name: str) -> int:
            if name in unit_ids:
                return unit_ids[name]
            target = accepted_merges.get(name)
            if target:
                uid_ = ensure_unit(conn, directory.resolve(target) or target)
                if add_alias(conn, uid_, name):
                    record_audit(conn, batch, "unit_alias", target, "alias", None, name, "import", src)
            else:
                known = directory.resolve(name)
                uid_ = ensure_unit(conn, known or name)
                if not known:
                    record_audit(conn, batch, "unit", name, "created", None, name, "import", src)
            unit_ids[name] = uid_
            return uid_

        for t in preview.added:
            task_id = new_id(conn, insert(schema.task).values(
                uid="T" + uuid.uuid4().hex[:10], campaign_id=camp, kind=t.kind, seq=t.seq, area=t.area,
                category=t.category, text=t.text, active=True, closed_note=""))
            _write_people(conn, task_id, t, unit_id_for)
            record_audit(conn, batch, "task", f"{t.kind}#{t.seq}", "created", None, t.text, "import", src)
        for ch in preview.changed:
            t = ch.new
            conn.execute(update(schema.task).where(schema.task.c.id == ch.task_id).values(
                seq=t.seq, area=t.area, category=t.category, text=t.text))
            _write_people(conn, ch.task_id, t, unit_id_for)
            for f in ch.fields + (["seq"] if ch.old["seq"] != t.seq else []):
                old_v = ch.old[f]
                new_v = getattr(t, f) if f not in ("units",) else [{"name": u.name, "lead": u.lead} for u in t.units]
                record_audit(conn, batch, "task", ch.uid, f, old_v, new_v, "import", src)
        for task_id, t in preview.renumbered:
            old_seq = conn.execute(select(schema.task.c.seq, schema.task.c.uid).where(schema.task.c.id == task_id)).one()
            conn.execute(update(schema.task).where(schema.task.c.id == task_id).values(seq=t.seq))
            record_audit(conn, batch, "task", old_seq.uid, "seq", old_seq.seq, t.seq, "import", src)
        for r in preview.removed:
            conn.execute(update(schema.task).where(schema.task.c.id == r["id"]).values(active=False))
            record_audit(conn, batch, "task", r["uid"], "active", True, False, "import", src)
        # units only named in the file (all tasks unchanged) still get their aliases when confirmed
        for name in accepted_merges:
            unit_id_for(name)
    return Changed(ImportApplied(batch=batch, added=len(preview.added), changed=len(preview.changed),
                                 removed=len(preview.removed), renumbered=len(preview.renumbered)),
                   change=LedgerChange.everything())   # a year's tasks, units and assignments: every page


def _write_people(conn: Connection, task_id: int, t: ParsedTask, unit_id_for) -> None:
    conn.execute(schema.task_leader.delete().where(schema.task_leader.c.task_id == task_id))
    for pos, name in enumerate(t.leaders):
        lid = conn.execute(select(schema.leader.c.id).where(schema.leader.c.name == name)).scalar()
        if lid is None:
            lid = new_id(conn, insert(schema.leader).values(name=name))
        conn.execute(insert(schema.task_leader).values(task_id=task_id, leader_id=lid, position=pos))
    existing = {r.unit_id: r.id for r in conn.execute(
        select(schema.assignment.c.unit_id, schema.assignment.c.id).where(schema.assignment.c.task_id == task_id))}
    wanted: list[tuple[int, str]] = []
    for u in t.units:
        uid_ = unit_id_for(u.name)
        if uid_ not in [w[0] for w in wanted]:
            wanted.append((uid_, "lead" if u.lead else "co"))
    for unit_id in set(existing) - {w[0] for w in wanted}:
        conn.execute(schema.assignment.delete().where(schema.assignment.c.id == existing[unit_id]))
    for pos, (unit_id, role) in enumerate(wanted):
        if unit_id in existing:
            conn.execute(update(schema.assignment).where(schema.assignment.c.id == existing[unit_id])
                         .values(role=role, position=pos))
        else:
            conn.execute(insert(schema.assignment).values(task_id=task_id, unit_id=unit_id, role=role, position=pos))
