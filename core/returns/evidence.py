"""A returned file's identity weighed against all its evidence: title month and year, file name, 填报单位 cell, later rounds."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, and_, select

from core.common.textnorm import find_year, squash
from core.ledger import schema

CN_MONTHS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11,
             "十二": 12, "元": 1}
_CN = r"(十[一二]|[一二三四五六七八九十元])"
_MONTH = re.compile(r"(?<!\d)(\d{1,2})\s*月|(?:^|(?<=[年（(\-_\s、]))" + _CN + r"月|" + _CN + r"月份")
_DAY_AFTER = re.compile(r"\s*\d{1,2}\s*[日号]|\s*底")
GENERIC = {"区", "市", "局", "中心", "办公室", "街道办事处", "集团"}   # never taken alone as a unit's name in a file name


@dataclass
class UnitKeys:
    """Every way a unit is written in a file name or a 填报单位 cell: full name, short name, aliases."""
    keys: list[tuple[str, int]]       # (squashed text, unit id), longest first
    names: dict[int, str]
    squashed: dict[int, str] = field(default_factory=dict)   # unit id -> squashed full name
    _index: list[tuple[int, dict[str, list[int]]]] | None = field(default=None, repr=False, compare=False)
    _same: dict[int, set[int]] = field(default_factory=dict, repr=False, compare=False)

    def mentioned(self, text: str) -> set[int]:
        """Units named in `text`; a match inside a longer match (发展改革局 in 区发展改革局（…）) does not count alone."""
        hay = squash(text)
        by_length = self._by_length()
        spans: list[tuple[int, int, int]] = []
        for length, keys in by_length:   # each place in the text looked up once per key length, not once per unit
            for start in range(len(hay) - length + 1):
                for uid in keys.get(hay[start:start + length], ()):
                    spans.append((start, start + length, uid))
        kept = [s for s in spans if not any(o[0] <= s[0] and s[1] <= o[1] and (o[1] - o[0]) > (s[1] - s[0])
                                            for o in spans)]
        return {uid for _a, _b, uid in kept}

    def _by_length(self) -> list[tuple[int, dict[str, list[int]]]]:
        if self._index is None:
            index: dict[int, dict[str, list[int]]] = {}
            for key, uid in self.keys:
                index.setdefault(len(key), {}).setdefault(key, []).append(uid)
            self._index = sorted(index.items(), reverse=True)
        return self._index

    def same_names(self, unit_id: int) -> set[int]:
        """_same_names, once per unit in a run."""
        if unit_id not in self._same:
            self._same[unit_id] = _same_names(self, unit_id)
        return self._same[unit_id]

    def describe(self, ids: set[int]) -> str:
        return "、".join(self.names.get(i, str(i)) for i in sorted(ids))


def unit_keys(conn: Connection) -> UnitKeys:
    names: dict[int, str] = {}
    keys: dict[str, set[int]] = {}
    for r in conn.execute(select(schema.unit.c.id, schema.unit.c.name, schema.unit.c.short_name)):
        names[r.id] = r.name
        for text in (r.name, r.short_name):
            key = squash(text or "")
            if len(key) >= 2 and key not in GENERIC:
                keys.setdefault(key, set()).add(r.id)
    for r in conn.execute(select(schema.unit_alias.c.unit_id, schema.unit_alias.c.alias)):
        key = squash(r.alias)
        if len(key) >= 2 and key not in GENERIC:
            keys.setdefault(key, set()).add(r.unit_id)
    flat = [(k, uid) for k, ids in keys.items() for uid in ids]
    flat.sort(key=lambda kv: -len(kv[0]))
    return UnitKeys(keys=flat, names=names, squashed={uid: squash(n) for uid, n in names.items()})


def months_in(text: str) -> set[int]:
    """Months written in a title or file name: 3月, （4月）, 四月份, 十二月; a date such as 4月3日 is not a month named."""
    out = set()
    for m in _MONTH.finditer(text or ""):
        if _DAY_AFTER.match(text, m.end()):
            continue   # 4月3日: the day it was written or sent, not the month reported
        value = int(m.group(1)) if m.group(1) else CN_MONTHS[m.group(2) or m.group(3)]
        if 1 <= value <= 12:
            out.add(value)
    return out


def _month_text(months: set[int]) -> str:
    return "、".join(f"{m}月" for m in sorted(months))


def doubts(conn: Connection, unit_id: int | None, form_kind: str, period: str, title: str, unit_cell: str,
           file_name: str, keys: UnitKeys, task_texts: list[str] | None = None,
           owners: dict[str, set[int]] | None = None, rounds: Rounds | None = None,
           siblings: frozenset[int] = frozenset()) -> list[str]:
    """What in the file disagrees with the identity (unit, form, period); [] when everything agrees.
    siblings: other units whose sheets share the workbook; the file name may name them."""
    out: list[str] = []
    stem = Path(file_name).stem
    if form_kind == "report" and len(period) == 7:
        month = int(period[5:7])
        in_title, in_name = months_in(title), months_in(stem)
        if in_title and in_title != {month}:
            out.append(f"标题写的是{_month_text(in_title)}")
        if in_name and month not in in_name:
            out.append(f"文件名“{file_name}”写的是{_month_text(in_name)}")
    year = find_year(title)
    if year and period and year != int(period[:4]):
        out.append(f"标题写的是{year}年")
    if unit_id:
        named = keys.mentioned(stem)
        if named and unit_id not in named and not named <= siblings:
            out.append(f"文件名“{file_name}”写的是{keys.describe(named)}")
        elif named - {unit_id} - siblings and named - {unit_id} - keys.same_names(unit_id) - siblings:
            out.append(f"文件名“{file_name}”还写有{keys.describe(named - {unit_id} - keys.same_names(unit_id) - siblings)}")
        in_cell = keys.mentioned(unit_cell)
        if in_cell and unit_id not in in_cell:
            out.append(f"填报单位写的是“{unit_cell}”")
        by_rows = rows_doubt(task_texts or [], owners or {}, unit_id, keys)
        if by_rows:
            out.append(by_rows)
        if form_kind == "report" and period:
            later = (rounds or rounds_of(conn)).reused_after(unit_id, period)
            if later:
                out.append(f"{int(period[5:7])}月的报送已经合并，而{later}的表已经下发，这可能是拿上个月的表填写了本月的内容")
    return out


def _same_names(keys: UnitKeys, unit_id: int) -> set[int]:
    """Units written the same way as this one, or whose name holds or is held in its name (区发展改革局 and
    区发展改革局（区民营经济服务中心）: one office, two names)."""
    mine = {k for k, uid in keys.keys if uid == unit_id}
    full = keys.squashed.get(unit_id, "")
    out = {uid for k, uid in keys.keys if k in mine}
    if full:
        out |= {uid for uid, name in keys.squashed.items() if name and (name in full or full in name)}
    return out


def task_owners(conn: Connection, year: int | None) -> dict[str, set[int]]:
    """squashed task text -> the units assigned to it, for the year's active tasks."""
    t, a, c = schema.task, schema.assignment, schema.campaign
    out: dict[str, set[int]] = {}
    if year is None:
        return out
    for r in conn.execute(select(t.c.text, a.c.unit_id).join(a, a.c.task_id == t.c.id).join(c, c.c.id == t.c.campaign_id)
                          .where(c.c.year == year, t.c.active.is_(True))):
        out.setdefault(squash(r.text), set()).add(r.unit_id)
    return out


def units_of_rows(task_texts: list[str], owners: dict[str, set[int]]) -> tuple[int, set[int]]:
    """(how many rows name a task of the year, the units assigned to every one of those tasks)."""
    known = [owners[squash(x)] for x in task_texts if x and squash(x) in owners]
    if not known:
        return 0, set()
    return len(known), set.intersection(*known)


def rows_doubt(task_texts: list[str], owners: dict[str, set[int]], unit_id: int, keys: UnitKeys) -> str:
    """The rows' tasks as evidence: most of them are not this unit's tasks."""
    known = [owners[squash(x)] for x in task_texts if x and squash(x) in owners]
    mine = sum(1 for o in known if unit_id in o)
    if len(known) < 2 or mine * 2 >= len(known):
        return ""
    common = set.intersection(*known) - {unit_id}
    whose = f"都是{keys.describe(common)}承担的任务" if common else "多数不是该单位承担的任务"
    return f"表中 {len(known)} 行任务{whose}，其中只有 {mine} 行是{keys.names.get(unit_id, '')}的"


@dataclass
class Rounds:
    """Which units' monthly reports are merged and which later months' forms went out to them (read once per run)."""
    merged: set[tuple[int, str]]          # (unit id, period) of merged reports
    dispatched: dict[int, list[str]]      # unit id -> report periods dispatched to it

    def reused_after(self, unit_id: int, period: str) -> str:
        """"2026年4月" when this unit's report for `period` is already merged and a later month's form went out to it."""
        if (unit_id, period) not in self.merged:
            return ""
        later = max((p for p in self.dispatched.get(unit_id, []) if p > period), default="")
        return f"{later[:4]}年{int(later[5:7])}月" if later else ""


def rounds_of(conn: Connection) -> Rounds:
    s, d, di = schema.submission, schema.dispatch, schema.dispatch_item
    merged = {(r.unit_id, r.period) for r in conn.execute(select(s.c.unit_id, s.c.period).where(and_(
        s.c.form == "report", s.c.status == "merged")))}
    dispatched: dict[int, list[str]] = {}
    for r in conn.execute(select(di.c.unit_id, d.c.period).join(d, di.c.dispatch_id == d.c.id)
                          .where(d.c.form == "report").distinct()):
        dispatched.setdefault(r.unit_id, []).append(r.period)
    return Rounds(merged, dispatched)
