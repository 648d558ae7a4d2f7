"""The review grid of one returned file: the form's rows and columns, each cell's character diff and flags (Qt-free)."""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from datetime import date

from sqlalchemy import select

from core.common.errors import UserError
from core.common.text_diff import diff_spans
from core.forms.rows import ROLE_NAMES, load, open_on, seq_label
from core.returns.mark_notes import split_note
from core.ledger import schema
from core.ledger.store import Ledger
from core.returns.collect import FLAG_NAMES
from core.returns.grid_columns import PLAN_COLUMNS, REPORT_COLUMNS

# fields compared with the same unit's previous month when the month's first entry arrives
MONTHLY = ("done", "problems", "next_steps", "on_track")
ROW_FLAGS = ("task-text-changed", "missing-row")
BASE_NAMES = {"ledger": "台账", "last-month": "上月", "": ""}


@dataclass
class GridCell:
    """One field of one row: what the file says, what it is compared with, the diff and the clerk's decision."""
    field: str
    value: str
    base: str = ""
    base_kind: str = ""           # ledger | last-month | "" (nothing to compare with)
    segments: list[tuple[str, str]] = dc_field(default_factory=list)
    change_id: int | None = None  # the staged change the clerk accepts or rejects
    changed: bool = False         # the value differs from the ledger's (merging it would write something)
    decision: str = ""            # pending | accepted | rejected | "" (nothing to decide)
    flags: list[str] = dc_field(default_factory=list)
    rivals: list[dict] = dc_field(default_factory=list)   # another waiting file's value: {submission_id, file_name, new}
    comments: list[str] = dc_field(default_factory=list)  # the unit's comments (批注) on this cell
    struck: list[str] = dc_field(default_factory=list)    # what the unit struck through in this cell

    @property
    def flag_names(self) -> list[str]:
        return [FLAG_NAMES.get(f, f) for f in self.flags]

    @property
    def same_as_last_month(self) -> bool:
        """The month's first entry repeats last month's text word for word (copying, whether flagged or not)."""
        return self.base_kind == "last-month" and bool(self.value.strip()) and self.value == self.base \
            and self.field != "on_track"


@dataclass
class GridRow:
    """One row of the returned form (a task, and for 附件3 a quarter) with its cells in the form's column order."""
    task_id: int
    unit_id: int
    quarter: int | None
    seq: str
    role: str                     # 牵头 | 配合
    unit_name: str
    task_text: str
    cells: list[GridCell]
    task_segments: list[tuple[str, str]] = dc_field(default_factory=list)   # the unit's rewording of the task text
    row_flags: list[str] = dc_field(default_factory=list)
    other_ids: list[int] = dc_field(default_factory=list)     # changes outside the columns (备注, 任务内容, 缺少的行)
    other_decisions: list[str] = dc_field(default_factory=list)
    note: str = ""                # 备注: rows the unit inserted, columns it added
    pictures: list[str] = dc_field(default_factory=list)  # "单位在第N行附了图片…" notes
    note_rest: list[str] = dc_field(default_factory=list)  # the 备注 lines not shown beside a cell
    comment: str = ""             # the clerk's 退回 comment

    @property
    def key(self) -> tuple:
        return self.task_id, self.unit_id, self.quarter

    @property
    def flags(self) -> list[str]:
        return list(dict.fromkeys(self.row_flags + [f for c in self.cells for f in c.flags]))

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def changed(self) -> bool:
        return bool(self.row_flags) or any(c.changed for c in self.cells)

    @property
    def change_ids(self) -> list[int]:
        return [c.change_id for c in self.cells if c.change_id is not None] + self.other_ids

    @property
    def decisions(self) -> list[str]:
        return [c.decision for c in self.cells if c.change_id is not None] + self.other_decisions

    @property
    def rejected(self) -> bool:
        return "rejected" in self.decisions

    @property
    def deleted(self) -> bool:
        return "missing-row" in self.row_flags


@dataclass
class ReviewGrid:
    """The grid of one submission: its header facts, the columns and the rows (flagged rows first)."""
    submission_id: int
    unit_id: int | None
    unit_name: str
    form: str
    period: str
    file_name: str
    status: str
    columns: tuple[tuple[str, str], ...]
    rows: list[GridRow]

    def visible(self, only_flagged: bool = False, only_changed: bool = False) -> list[GridRow]:
        return [r for r in self.rows if (not only_flagged or r.flagged) and (not only_changed or r.changed)]

    @property
    def counts(self) -> dict[str, int]:
        decisions = [d for r in self.rows for d in r.decisions]
        return {"rows": len(self.rows), "flagged": sum(r.flagged for r in self.rows),
                "changed": sum(r.changed for r in self.rows), "pending": decisions.count("pending"),
                "accepted": decisions.count("accepted"), "rejected": decisions.count("rejected")}


def _prev_period(period: str) -> str:
    year, month = int(period[:4]), int(period[5:7])
    return f"{year - 1:04d}-12" if month == 1 else f"{year:04d}-{month - 1:02d}"


def _first_day(period: str) -> date:
    return date(int(period[:4]), int(period[5:7]) if len(period) >= 7 else 1, 1)


def _quarter_of(period: str) -> int:
    return (int(period[5:7]) - 1) // 3 + 1 if len(period) == 7 else 1


def _progress(conn, period: str, unit_ids: set[int]) -> dict[tuple[int, int], dict]:
    pr = schema.progress_row
    return {(r["task_id"], r["unit_id"]): dict(r) for r in conn.execute(
        select(pr).where(pr.c.period == period, pr.c.unit_id.in_(list(unit_ids)))).mappings()}


def _ledger_value(row: dict | None, f: str) -> str:
    if row is None:
        return ""
    if f == "on_track":
        flag = row.get("on_track")
        return row.get("on_track_raw") or ("" if flag is None else "是" if flag else "否")
    return row.get(f) or ""


def build_grid(ledger: Ledger, submission_id: int) -> ReviewGrid:
    """The returned form of `submission_id` as the clerk reviews it.

    Rows are the form's rows (key tasks then 民生实事, lead rows first, by 序号), plus any row the file reported for
    another unit (a lead gathering its co-units). A cell's diff is against the ledger's value; for a month's first
    entry (the ledger holds nothing for that row and month yet) the 完成情况/存在问题/下一步计划/是否完成 cells are
    compared with the same unit's previous month, so a copied text shows as unchanged and is flagged. Rows with a
    flag come first, in form order.
    """
    s, ch, t, u = schema.submission, schema.change, schema.task, schema.unit
    with ledger.read() as conn:
        sub = conn.execute(select(s).where(s.c.id == submission_id)).mappings().first()
        if sub is None:
            raise UserError(f"没有编号为 {submission_id} 的收文记录，可能已被删除。请刷新后重试。")
        names = {r.id: r.name for r in conn.execute(select(u.c.id, u.c.name))}
        changes = [dict(c) for c in conn.execute(select(ch).where(ch.c.submission_id == submission_id)
                                                 .order_by(ch.c.id)).mappings()]
        texts = {r.id: (r.text, r.kind, r.seq) for r in conn.execute(
            select(t.c.id, t.c.text, t.c.kind, t.c.seq).where(t.c.id.in_({c["task_id"] for c in changes if c["task_id"]})))}
        form, period, unit_id = sub["form"] or "report", sub["period"] or "", sub["unit_id"]
        units = {unit_id} if unit_id else set()
        units |= {c["unit_id"] for c in changes if c["unit_id"]}
        data = None
        if sub["campaign_id"] is not None:   # the plan rows of the units this file speaks for, not the campaign's
            data = load(conn, sub["campaign_id"], plan_units=units)
        expected = []
        if data is not None and unit_id is not None:
            first = _first_day(period) if form == "report" and len(period) == 7 else date(data.year, 1, 1)
            expected = [(a.task, a.unit_id, a.role) for a in data.by_unit.get(unit_id, []) if open_on(a.task, first)]
        current = _progress(conn, period, units) if form == "report" else {}
        previous = _progress(conn, _prev_period(period), units) if form == "report" and len(period) == 7 else {}
    columns = REPORT_COLUMNS if form == "report" else PLAN_COLUMNS
    quarters = [None] if form == "report" else [1, 2, 3, 4]
    by_key: dict[tuple, dict[str, dict]] = {}
    for c in changes:
        q = c["quarter"] if form == "plan" and not c["field"].startswith("_") else None
        by_key.setdefault((c["task_id"], c["unit_id"], q), {})[c["field"]] = c
        if c["field"].startswith("_") and form == "plan":   # a deleted / reworded task is every quarter's row
            for quarter in quarters:
                by_key.setdefault((c["task_id"], c["unit_id"], quarter), {})[c["field"]] = c
    order: list[tuple] = []
    info: dict[tuple, tuple] = {}
    for task, uid, role in expected:
        for q in quarters:
            order.append((task["id"], uid, q))
            info[(task["id"], uid, q)] = (task["text"], task["kind"], task["seq"], role)
    for key in by_key:   # rows reported for other units (a lead gathering), in change order
        if key not in info and key[0] in texts:
            text, kind, seq = texts[key[0]]
            role = next((a.role for a in (data.by_task.get(key[0], []) if data else []) if a.unit_id == key[1]), "co")
            order.append(key)
            info[key] = (text, kind, seq, role)
    rows = []
    for key in order:
        text, kind, seq, role = info[key]
        rows.append(_row(key, text, kind, seq, role, names.get(key[1], ""), columns, by_key.get(key, {}),
                         current.get(key[:2]), previous.get(key[:2]), data, form, period,
                         submission_id))
    _add_rivals(ledger, submission_id, rows, changes)
    rows.sort(key=lambda r: not r.flagged)   # stable: flagged rows first, each group in form order
    return ReviewGrid(submission_id=submission_id, unit_id=unit_id, unit_name=names.get(unit_id, "") if unit_id else "",
                      form=form, period=period, file_name=sub["file_name"], status=sub["status"], columns=columns,
                      rows=rows)


def _add_rivals(ledger: Ledger, submission_id: int, rows: list[GridRow], changes: list[dict]) -> None:
    """The same cell as another waiting file of the unit and month has it (a 修改稿, a lead's gathered form)."""
    from core.returns.review import rival_values
    others = rival_values(ledger, submission_id)
    if not others:
        return
    by_id = {c["id"]: c for c in changes}
    for row in rows:
        for cell in row.cells:
            c = by_id.get(cell.change_id) if cell.change_id is not None else None
            if c is not None:
                cell.rivals = others.get((c["task_id"], c["unit_id"], c["quarter"], c["field"]), [])


def _row(key, text, kind, seq, role, unit_name, columns, changes: dict[str, dict], cur, prev, data, form,
         period: str, submission_id: int) -> GridRow:
    task_id, unit_id, quarter = key
    row = GridRow(task_id=task_id, unit_id=unit_id, quarter=quarter,
                  seq=str(seq_label({"kind": kind, "seq": seq})), role=ROLE_NAMES.get(role, role),
                  unit_name=unit_name, task_text=text, cells=[])
    plan = data.plan.get((task_id, unit_id, quarter)) if data is not None and form == "plan" else None
    # the month's first entry: nothing in the ledger for this row and month yet, or only what this file merged
    first_entry = form == "report" and prev is not None and (cur is None or cur.get("submission_id") == submission_id)
    for f, _label in columns:
        c = changes.get(f)
        ledger_value = _ledger_value(cur, f) if form == "report" else ((plan or {}).get(f) or "")
        if f == "quarter_target" and not ledger_value and data is not None:   # 下发 pre-fills the quarter's plan
            ledger_value = (data.plan.get((task_id, unit_id, _quarter_of(period))) or {}).get("target") or ""
        old = c["old"] if c is not None else ledger_value
        value = c["new"] if c is not None else old
        if first_entry and f in MONTHLY:
            base, kind_ = _ledger_value(prev, f), "last-month"
        else:
            base, kind_ = old, ("ledger" if old or c is not None else "")
        cell = GridCell(field=f, value=value, base=base, base_kind=kind_, segments=diff_spans(base, value))
        if c is not None:
            cell.change_id, cell.decision = c["id"], c["decision"]
            cell.changed = (c["old"] or "") != (c["new"] or "")
            cell.flags = [x for x in (c["flags"] or "").split(",") if x]
            row.comment = row.comment or (c["comment"] or "")
        row.cells.append(cell)
    for f, c in changes.items():
        if f in {name for name, _ in columns}:
            continue
        row.other_ids.append(c["id"])
        row.other_decisions.append(c["decision"])
        row.comment = row.comment or (c["comment"] or "")
        flags = [x for x in (c["flags"] or "").split(",") if x]
        if f == "_task_text":
            row.task_segments = diff_spans(c["old"], c["new"])
        elif f == "note":
            row.note = c["new"] or ""
            by_field, row.pictures, row.note_rest = split_note(row.note)
            for cell in row.cells:
                cell.comments = by_field.get(cell.field, {}).get("comment", [])
                cell.struck = by_field.get(cell.field, {}).get("struck", [])
        row.row_flags += [x for x in flags if x not in row.row_flags]
    return row
