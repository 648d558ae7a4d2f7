"""The draft 立项表 being edited: candidates with merge, split, edit, move, delete, and undo of each operation."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict

from core.draft.report import Candidate, DraftReport
from core.common.errors import UserError
from core.ledger.changes import Changed

EDITABLE = ("text", "area", "category", "leaders", "units", "kind")


@dataclass
class Operation:
    label: str
    before: list[Candidate]


@dataclass
class DraftTable:
    candidates: list[Candidate] = field(default_factory=list)
    report_text: str = ""
    history: list[Operation] = field(default_factory=list)

    @classmethod
    def from_report(cls, report: DraftReport) -> DraftTable:
        return cls([c.copy() for c in report.candidates], report.text)

    # -- undo --------------------------------------------------------------------------------
    def _push(self, label: str) -> None:
        self.history.append(Operation(label, [c.copy() for c in self.candidates]))

    def undo(self) -> str | None:
        """Restore the state before the last operation; returns its label (None when nothing to undo)."""
        if not self.history:
            return None
        op = self.history.pop()
        self.candidates = op.before
        return op.label

    @property
    def can_undo(self) -> bool:
        return bool(self.history)

    def _check(self, i: int) -> Candidate:
        if not 0 <= i < len(self.candidates):
            raise UserError(f"没有第{i + 1}条候选任务。")
        return self.candidates[i]

    # -- operations ----------------------------------------------------------------------------
    def merge_next(self, i: int) -> None:
        a = self._check(i)
        if i + 1 >= len(self.candidates):
            raise UserError("这是最后一条候选任务，没有下一条可以合并。")
        b = self.candidates[i + 1]
        self._push("合并")
        merged = a.copy()
        merged.text = self._joined(a, b)
        merged.start, merged.end = min(a.start, b.start), max(a.end, b.end)
        names = [u["name"] for u in merged.units]
        merged.units += [dict(u) for u in b.units if u["name"] not in names]
        merged.leaders += [n for n in b.leaders if n not in merged.leaders]
        merged.reasons += [r for r in b.reasons if r not in merged.reasons]
        self.candidates[i:i + 2] = [merged]

    def _joined(self, a: Candidate, b: Candidate) -> str:
        # adjacent slices of the report keep the report's own text between them
        if self.report_text and a.end <= b.start and self._is_slice(a) and self._is_slice(b):
            between = self.report_text[a.end:b.start]
            if len(between) <= 2 and between.strip() == "":
                return self.report_text[a.start:b.end]
        return a.text + b.text

    def _is_slice(self, c: Candidate) -> bool:
        return self.report_text[c.start:c.end] == c.text

    def split(self, i: int, offset: int) -> None:
        """Split candidate i at character offset in its text; both halves keep the suggestions."""
        c = self._check(i)
        if not 0 < offset < len(c.text):
            raise UserError("拆分位置应在任务文字的中间。请把光标放在要拆开的位置再拆分。")
        head, tail = c.text[:offset].strip(), c.text[offset:].strip()
        if not head or not tail:
            raise UserError("拆分后有一半是空的。请把光标放在要拆开的位置再拆分。")
        self._push("拆分")
        first, second = c.copy(), c.copy()
        first.text, second.text = head, tail
        if self._is_slice(c):
            cut = c.start + offset
            first.start, first.end, second.start, second.end = c.start, cut, cut, c.end
        self.candidates[i:i + 1] = [first, second]

    def move(self, i: int, delta: int) -> int:
        self._check(i)
        j = i + delta
        if not 0 <= j < len(self.candidates):
            return i
        self._push("上移" if delta < 0 else "下移")
        self.candidates[i], self.candidates[j] = self.candidates[j], self.candidates[i]
        return j

    def delete(self, i: int) -> None:
        self._check(i)
        self._push("删除")
        del self.candidates[i]

    def edit(self, i: int, field_name: str, value) -> None:
        c = self._check(i)
        if field_name not in EDITABLE:
            raise ValueError(field_name)
        if getattr(c, field_name) == value:
            return
        self._push("修改")
        setattr(c, field_name, value)
        if field_name in ("units", "leaders"):
            c.note = "hand"  # the clerk's choice: later re-suggestions leave it alone

    def insert(self, i: int, candidate: Candidate) -> None:
        self._push("新增")
        self.candidates.insert(i, candidate)

    # -- output -----------------------------------------------------------------------------------
    def to_plan(self, year: int | None, title: str = ""):
        """The draft as a ParsedPlan (key tasks and livelihood projects numbered in order)."""
        from core.campaign.table import ParsedPlan, ParsedTask, ParsedUnit
        plan = ParsedPlan(year=year, title=title or (f"{year}年《政府工作报告》重点任务责任分解立项表" if year else ""))
        counters = {"key": 0, "livelihood": 0}
        for c in self.candidates:
            text = c.text.strip()
            if not text:
                continue
            counters[c.kind] += 1
            units = [ParsedUnit(u["name"], bool(u["lead"])) for u in c.units if u.get("name")]
            if units and not any(u.lead for u in units):
                units[0].lead = True
            plan.tasks.append(ParsedTask(kind=c.kind, seq=counters[c.kind], text=text,
                                         area=c.area if c.kind == "key" else "",
                                         category=(c.category or "--") if c.kind == "key" else "",
                                         leaders=list(c.leaders), units=units))
        return plan


class CampaignAccepted(TypedDict):
    """The draft written as a new campaign: what the import wrote (core.campaign.importing.ImportApplied) and the
    units it created."""
    batch: str
    added: int
    changed: int
    removed: int
    renumbered: int
    new_units: list[str]


def accept_as_campaign(ledger, table: DraftTable, year: int, title: str = "",
                       source_ref: str = "") -> Changed[CampaignAccepted]:
    """Write the draft as the new campaign of `year` through the ordinary import (preview, then apply)."""
    from core.campaign.importing import apply_import, preview_import
    from sqlalchemy import select
    from core.ledger import schema
    if not table.candidates:
        raise UserError("草稿里没有任务。请先打开政府工作报告生成草稿。")
    with ledger.read() as conn:
        exists = conn.execute(select(schema.campaign.c.id).where(schema.campaign.c.year == year)).scalar()
    if exists is not None:
        raise UserError(f"台账里已经有{year}年的立项。草稿只能作为新的年度立项接受；"
                        f"如要更新已有立项，请先导出 Word，再用“导入立项表”导入。")
    plan = table.to_plan(year, title)
    missing = [t.seq for t in plan.tasks if not t.units]
    if missing:
        raise UserError(f"第{'、'.join(map(str, missing[:10]))}{'等' if len(missing) > 10 else ''}项任务还没有责任单位。"
                        f"请补上责任单位后再接受为新立项。")
    preview = preview_import(ledger, plan, year, source_ref or "draft")
    applied = apply_import(ledger, preview)
    return Changed(CampaignAccepted(**applied.value, new_units=preview.new_units), change=applied.change)

