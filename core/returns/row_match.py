"""Match a returned form's rows to the unit's tasks by hidden key and task text together, else 序号 + fuzzy task text."""
from __future__ import annotations

from datetime import date

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from core.returns.match_keys import parse_key
from core.returns.read import FormRow, quarter_of
from core.common.textnorm import squash

ANSWER_FIELDS = ("done", "problems", "next_steps", "on_track", "target", "owner", "supervisor", "remark",
                 "q1", "q2", "q3", "q4")
MIN_SCORE = 60


@dataclass
class Expected:
    task_id: int
    uid: str
    kind: str
    seq: int
    text: str
    closed_on: date | None = None   # 办结: forms for later months leave the task out


@dataclass
class Matched:
    task: Expected
    row: FormRow
    quarter: int | None = None   # plan rows layout: one row per quarter
    by: str = "key"              # key | text | moved (key and text disagree, the text decided) | uncertain
    unit_id: int | None = None   # the unit the row reports for (another unit's row when the lead gathers)
    text_changed: str = ""       # the unit's version of the pre-filled task text, when it differs


@dataclass
class MatchResult:
    matched: list[Matched] = field(default_factory=list)
    notes: dict[int, list[str]] = field(default_factory=dict)   # task_id -> texts of inserted rows
    missing: list[Expected] = field(default_factory=list)
    foreign_keys: list[str] = field(default_factory=list)       # keys naming tasks not in this unit's list
    foreign_units: set[int] = field(default_factory=set)
    unplaced: list[FormRow] = field(default_factory=list)       # rows whose key and text disagree, task taken


def _seq(text: str) -> str:
    m = re.search(r"\d+", text or "")
    return m.group(0) if m else ""


def _has_answer(row: FormRow) -> bool:
    return bool(row.extra) or any(row.values.get(f) for f in ANSWER_FIELDS)


MOVE_SCORE = 85    # the text names a task this clearly …
MOVE_MARGIN = 10   # … and this much better than any other task (and than the key's task)


def _judge(row: FormRow, key_task: Expected, expected: list[Expected]) -> tuple[Expected, str]:
    """Which task a keyed row is about, from its key and its task text together: (task, key | moved | uncertain)."""
    written = squash(row.values.get("task", ""))
    if not written or written == squash(key_task.text):
        return key_task, "key"
    scored = sorted(((_score(row, t), n, t) for n, t in enumerate(expected)), key=lambda x: (-x[0], x[1]))
    best_score, _n, best = scored[0]
    key_score = next((s for s, _n, t in scored if t is key_task), 0.0)
    if best is key_task or key_score >= best_score - 5:
        return key_task, "key"           # the text agrees with the key (perhaps reworded)
    if best_score < MIN_SCORE:
        return key_task, "key"           # the text names no task: a rewording, shown as a task-text change
    second = scored[1][0] if len(scored) > 1 else 0.0
    if best_score >= MOVE_SCORE and best_score - max(second, key_score) >= MOVE_MARGIN:
        return best, "moved"             # sorted or shifted rows: the answers follow the text
    return key_task, "uncertain"


def _score(row: FormRow, task: Expected) -> float:
    a, b = squash(row.values.get("task", "")), squash(task.text)
    if not a:
        return 0.0
    score = max(fuzz.ratio(a, b), 0.9 * fuzz.partial_ratio(a, b) if min(len(a), len(b)) >= 8 else 0)
    if _seq(row.values.get("seq", "")) == str(task.seq):
        score += 10
    return score


def match_rows(rows: list[FormRow], expected: list[Expected], per_quarter: bool = False, own_unit: int | None = None,
               co_units: dict[int, set[int]] | None = None) -> MatchResult:
    """per_quarter: the plan's rows layout, where a task has up to four rows (一季度…四季度).
    co_units: task_id -> units whose rows this unit may fill for them (牵头单位汇总)."""
    co_units = co_units or {}
    result = MatchResult()
    by_uid = {t.uid: t for t in expected}
    taken: set[tuple[int, int | None, int | None]] = set()
    leftovers: list[int] = []
    order: list[tuple[int, Matched | None]] = []   # row index -> match, for placing inserted rows

    def quarter(row: FormRow, key_q: int | None) -> int | None:
        if not per_quarter:
            return None
        return key_q or quarter_of(row.values.get("time", ""))

    judged: list[tuple[int, Expected, Expected, str, int, int | None]] = []
    placed: set[int] = set()
    for i, row in enumerate(rows):
        parsed = parse_key(row.key) if row.key else None
        if parsed:
            uid, unit_id, key_q = parsed
            task = by_uid.get(uid)
            if task is not None and own_unit is not None and unit_id != own_unit \
                    and unit_id not in co_units.get(task.task_id, set()):
                task = None
            if task is None:
                result.foreign_keys.append(row.key)
                result.foreign_units.add(unit_id)
                leftovers.append(i)
                continue
            if not row.values.get("task") and not _has_answer(row):
                continue   # an emptied row (cells deleted and shifted up): its task is missing, not answered
            target, how = _judge(row, task, expected)
            judged.append((i, task, target, how, unit_id, key_q))
        else:
            leftovers.append(i)
    # rows whose key and text agree claim their task first; then rows placed by their text, then rows with a key
    # but no text; a row whose task is taken already (a duplicated line, or a text naming a task another row
    # holds) becomes a note
    def rank(j) -> tuple[int, int]:
        i, how = j[0], j[3]
        if how == "key":
            return (0 if rows[i].values.get("task") else 2), i
        return (1 if how == "moved" else 3), i

    for i, task, target, how, unit_id, key_q in sorted(judged, key=rank):
        row = rows[i]
        q = quarter(row, key_q) if how == "key" else (quarter(row, None) or quarter(row, key_q))
        if how == "moved" and (target.task_id, unit_id, q) in taken:
            target, how = task, "uncertain"
        if (target.task_id, unit_id, q) in taken:
            leftovers.append(i)
            placed.add(i)   # judged by key and text already: not guessed again below
            if how != "key" and _has_answer(row):
                result.unplaced.append(row)
            continue
        taken.add((target.task_id, unit_id, q))
        m = Matched(task=target, row=row, quarter=q, by=how, unit_id=unit_id)
        result.matched.append(m)
        order.append((i, m))
    leftovers.sort()

    # fuzzy matching of the rows without a usable key
    pairs = []
    for i in leftovers:
        row = rows[i]
        if not row.values.get("task") or i in placed:
            continue
        for task in expected:
            s = _score(row, task)
            if s >= MIN_SCORE:
                pairs.append((s, i, task))
    pairs.sort(key=lambda p: (-p[0], p[1]))
    used_rows: set[int] = set()
    for _s, i, task in pairs:
        if i in used_rows:
            continue
        q = quarter(rows[i], None)
        if (task.task_id, own_unit, q) in taken:
            continue
        taken.add((task.task_id, own_unit, q))
        used_rows.add(i)
        m = Matched(task=task, row=rows[i], quarter=q, by="text", unit_id=own_unit)
        result.matched.append(m)
        order.append((i, m))
    order.sort(key=lambda p: p[0])

    for m in result.matched:
        written = m.row.values.get("task", "")
        if written and squash(written) != squash(m.task.text):
            m.text_changed = written

    # inserted rows (no match) with content: notes on the nearest task above (or below)
    for i in leftovers:
        if i in used_rows:
            continue
        row = rows[i]
        if not _has_answer(row) and not row.values.get("task"):
            continue
        if not _has_answer(row) and row.key:
            continue
        above = [m for j, m in order if j < i]
        below = [m for j, m in order if j > i]
        near = above[-1] if above else (below[0] if below else None)
        if near is None:
            continue
        parts = [row.values.get(f, "") for f in ("task", "quarter_target", "target", "done", "problems", "next_steps",
                                                  "on_track", "remark")]
        parts += [f"{k}：{v}" for k, v in row.extra.items()]
        text = "；".join(p for p in parts if p)
        if text:
            result.notes.setdefault(near.task.task_id, []).append(f"（第{row.line}行，单位插入）{text}")

    present = {m.task.task_id for m in result.matched if m.unit_id == own_unit or own_unit is None}
    result.missing = [t for t in expected if t.task_id not in present]
    return result
