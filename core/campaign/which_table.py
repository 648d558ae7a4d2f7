"""Which table is which (重点任务 or 民生实事): weighing the sheet name, the title above, the header words, the columns."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.common.textnorm import squash

KIND_WORDS = {"key": "重点任务", "livelihood": "民生实事"}

# words that name the livelihood list in the years we have seen: 2021 “12100”民生工程, 2023/2025 为民办20件实事,
# 2026 民生实事; and the key list: 重点任务, 主要任务, 年度工作任务 … 立项表
_LIVE_WORDS = re.compile(r"民生工程|民生实事|为民办|办实事|实事项目|民生项目|惠民实事|民生")
_KEY_WORDS = re.compile(r"重点任务|主要任务|重点工作|年度工作任务|工作任务|目标任务|立项表")
_ANNEX = re.compile(r"附件\s*([1-9一二三四])")
_ANNEX_KIND = {"1": "key", "一": "key", "2": "livelihood", "二": "livelihood"}

WEIGHTS = {"sheet": 3, "title": 3, "header": 2, "columns": 2, "order": 1}
SOURCE_NAMES = {"sheet": "工作表名", "title": "表格上方标题", "header": "表头", "columns": "列", "order": "表格顺序"}


@dataclass
class Evidence:
    source: str   # sheet | title | header | columns | order
    kind: str     # key | livelihood
    text: str     # what was read, as a clerk would recognise it

    def describe(self) -> str:
        return f"{SOURCE_NAMES[self.source]}“{self.text}”→{KIND_WORDS[self.kind]}"


@dataclass
class TableReading:
    """One table of the file and the kind it was read as, with the evidence for and against."""
    where: str
    kind: str
    evidence: list[Evidence] = field(default_factory=list)
    tasks: int = 0
    swapped: bool = False   # the clerk swapped it in the preview

    @property
    def against(self) -> list[Evidence]:
        return [e for e in self.evidence if e.kind != self.kind]

    def describe(self) -> str:
        for_ = [e for e in self.evidence if e.kind == self.kind]
        line = f"{self.where}（{self.tasks} 项）读作{KIND_WORDS[self.kind]}表"
        if self.swapped:
            return line + "（已手动对调）"
        if for_:
            line += "，依据：" + "、".join(dict.fromkeys(SOURCE_NAMES[e.source] for e in for_))
        if self.against:
            line += "；但" + "；".join(e.describe() for e in self.against) + "。依据不一致，请核对；如读反了请点“对调两表”"
        return line


def kind_of_text(text: str) -> str | None:
    """The kind a title, sheet name or header cell names, or None when it names neither or both."""
    s = squash(text)
    live, key = bool(_LIVE_WORDS.search(s)), bool(_KEY_WORDS.search(s))
    if live and key:   # …重点任务和民生实事…: only a title ending 立项表 (附件1's form) says which
        return "key" if s.endswith("立项表") else None
    return "livelihood" if live else "key" if key else None


def sheet_evidence(name: str) -> Evidence | None:
    s = squash(name)
    m = _ANNEX.search(s)
    kind = kind_of_text(s) or (_ANNEX_KIND.get(m.group(1)) if m else None)
    return Evidence("sheet", kind, name.strip()) if kind else None


def title_evidence(lines: list[str]) -> Evidence | None:
    """The nearest line above the table that names a kind (…责任分解立项表, …民生工程责任分解表); 附件N alone too."""
    for line in reversed([ln for ln in lines if ln and ln.strip()]):
        s = squash(line)
        if len(s) > 80:
            continue  # body text, not a title
        kind = kind_of_text(s) if ("表" in s or "附件" in s) else None
        if kind:
            return Evidence("title", kind, line.strip()[:40])
        m = _ANNEX.fullmatch(s)
        if m and m.group(1) in _ANNEX_KIND:
            return Evidence("title", _ANNEX_KIND[m.group(1)], line.strip())
    return None


def decide(evidence: list[Evidence], fallback: str = "key") -> str:
    score = {"key": 0, "livelihood": 0}
    for e in evidence:
        score[e.kind] += WEIGHTS[e.source]
    if score["key"] == score["livelihood"]:
        header = next((e.kind for e in evidence if e.source == "header"), None)
        return header or fallback
    return max(score, key=lambda k: score[k])


def swap_tables(plan, where: list[str] | None = None) -> None:
    """Read the given tables (default: every table) as the other kind; task numbers stay as in the file."""
    other = {"key": "livelihood", "livelihood": "key"}
    for reading in plan.readings:
        if where is None or reading.where in where:
            reading.kind = other[reading.kind]
            reading.swapped = not reading.swapped
            for t in plan.tasks:
                if t.table == reading.where:
                    t.kind = reading.kind
                    if t.kind == "livelihood":
                        t.area = t.category = ""
