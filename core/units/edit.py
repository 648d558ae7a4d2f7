"""Hand edits of the unit directory: a contact field, a new alias, merging one unit into another (audited)."""
from __future__ import annotations

from typing import TypedDict

from sqlalchemy import func, select, update

from core.ledger import schema
from core.common.errors import UserError
from core.ledger.changes import Area, Changed, LedgerChange
from core.ledger.store import Ledger, new_batch, record_audit
from core.common.textnorm import squash

CONTACT_FIELDS = {"contact": "联系人", "phone": "电话", "email": "邮箱"}

# rows that name a unit and would lose their meaning if the unit were merged away (labels for the message)
_HISTORY_LABELS = {"plan_row": "计划表", "progress_row": "月报", "dispatch_item": "下发记录",
                   "submission": "报送记录", "change": "差异"}


def _unit_history_columns():
    """Every column (outside assignment/alias) with a foreign key to unit.id, including tables added later."""
    for table in schema.metadata.sorted_tables:
        if table.name in ("unit", "unit_alias", "assignment"):
            continue
        for col in table.c:
            if any(fk.column.table.name == "unit" for fk in col.foreign_keys):
                yield table, col, _HISTORY_LABELS.get(table.name, "相关记录")


def set_unit_field(ledger: Ledger, unit_id: int, field: str, value: str, source_ref: str = "") -> Changed[bool]:
    """Set 联系人/电话/邮箱 of one unit in one transaction with an audit row; False when nothing changed."""
    changed = LedgerChange.of(Area.UNITS, units=[unit_id])
    if field not in CONTACT_FIELDS:
        raise UserError(f"单位的“{field}”不能在此修改。")
    value = (value or "").strip()
    with ledger.begin() as conn:
        row = conn.execute(select(schema.unit).where(schema.unit.c.id == unit_id)).mappings().first()
        if row is None:
            raise UserError("该单位已不在台账中，请刷新后重试。")
        if (row[field] or "") == value:
            return Changed(False, change=changed)
        conn.execute(update(schema.unit).where(schema.unit.c.id == unit_id).values({field: value}))
        record_audit(conn, new_batch(), "unit", row["name"], field, row[field], value, "hand", source_ref)
    return Changed(True, change=changed)


def _name_taken(conn, name: str) -> str | None:
    key = squash(name)
    for other in conn.execute(select(schema.unit.c.name)).scalars():
        if squash(other) == key:
            return other
    for alias, owner in conn.execute(select(schema.unit_alias.c.alias, schema.unit.c.name)
                                     .join(schema.unit, schema.unit.c.id == schema.unit_alias.c.unit_id)):
        if squash(alias) == key:
            return owner
    return None


def add_unit_alias(ledger: Ledger, unit_id: int, alias: str) -> Changed[None]:
    """Add another name the unit is known by (简称、旧称), so imports and returns resolve to it."""
    alias = (alias or "").strip()
    if not alias:
        raise UserError("别名不能为空。")
    with ledger.begin() as conn:
        name = conn.execute(select(schema.unit.c.name).where(schema.unit.c.id == unit_id)).scalar()
        if name is None:
            raise UserError("该单位已不在台账中，请刷新后重试。")
        owner = _name_taken(conn, alias)
        if owner is not None:
            raise UserError(f"“{alias}”已是单位“{owner}”的名称或别名，不能重复添加。")
        conn.execute(schema.unit_alias.insert().values(unit_id=unit_id, alias=alias))
        record_audit(conn, new_batch(), "unit_alias", name, "alias", None, alias, "hand")
    return Changed(None, change=LedgerChange.of(Area.UNITS, units=[unit_id]))


class UnitsMerged(TypedDict):
    """How many assignments moved to the target unit, and the names it is now also known by."""
    moved: int
    aliases: list[str]


def merge_unit(ledger: Ledger, source_id: int, target_id: int) -> Changed[UnitsMerged]:
    """Merge unit `source` into `target`: its assignments move over, its name (and aliases) become aliases.

    Refused when both units are on the same task, or when the source already has forms, returns or
    progress rows in the ledger (those keep the unit they came from).
    """
    if source_id == target_id:
        raise UserError("不能把单位合并到它自己。")
    a = schema.assignment
    batch = new_batch()
    with ledger.begin() as conn:
        names: dict[int, str] = dict(conn.execute(select(schema.unit.c.id, schema.unit.c.name)
                                                  .where(schema.unit.c.id.in_([source_id, target_id]))).all())
        if len(names) != 2:
            raise UserError("要合并的单位已不在台账中，请刷新后重试。")
        src, dst = names[source_id], names[target_id]
        for table, col, label in _unit_history_columns():
            if conn.execute(select(func.count()).select_from(table).where(col == source_id)).scalar_one():
                raise UserError(f"“{src}”已有{label}，不能合并。请改为给“{dst}”添加别名。")
        src_tasks: dict[int, int] = dict(conn.execute(select(a.c.task_id, a.c.id).where(a.c.unit_id == source_id)).all())
        dst_tasks: set[int] = set(conn.execute(select(a.c.task_id).where(a.c.unit_id == target_id)).scalars())
        both = set(src_tasks) & dst_tasks
        if both:
            labels = [f"{'重点任务' if r.kind == 'key' else '民生实事'}{r.seq}" for r in conn.execute(
                select(schema.task.c.kind, schema.task.c.seq).where(schema.task.c.id.in_(both))
                .order_by(schema.task.c.kind, schema.task.c.seq))]
            raise UserError(f"“{src}”和“{dst}”同时是{'、'.join(labels)}的责任单位，不能合并。"
                            f"请先在立项表中改正后重新导入。")
        for task_id, assignment_id in src_tasks.items():
            conn.execute(update(a).where(a.c.id == assignment_id).values(unit_id=target_id))
            uid: str = conn.execute(select(schema.task.c.uid).where(schema.task.c.id == task_id)).scalar_one()
            record_audit(conn, batch, "assignment", uid, "unit", src, dst, "hand", "合并单位")
        moved_aliases: list[str] = list(conn.execute(select(schema.unit_alias.c.alias)
                                                     .where(schema.unit_alias.c.unit_id == source_id)).scalars())
        conn.execute(update(schema.unit_alias).where(schema.unit_alias.c.unit_id == source_id)
                     .values(unit_id=target_id))
        conn.execute(schema.unit.delete().where(schema.unit.c.id == source_id))
        conn.execute(schema.unit_alias.insert().values(unit_id=target_id, alias=src))
        for alias in [src] + moved_aliases:
            record_audit(conn, batch, "unit_alias", dst, "alias", None, alias, "hand", "合并单位")
        record_audit(conn, batch, "unit", src, "merged_into", src, dst, "hand", "合并单位")
    return Changed(UnitsMerged(moved=len(src_tasks), aliases=[src] + moved_aliases),
                   change=LedgerChange.of(Area.UNITS, Area.TASKS, units=[source_id, target_id]))
