"""Small text helpers: whitespace and width normalisation, leader-name and unit-list splitting."""
from __future__ import annotations

import functools
import re
import unicodedata

_WS = re.compile(r"[ \t\u3000\xa0]+")
UNIT_SEPARATORS = re.compile(r"[、，,；;\n\r/]+|\s{2,}")
LEADER_SEPARATORS = re.compile(r"[、，,；;/\n\r]+")


def clean_cell(value: object) -> str:
    """Cell text as the clerk sees it: _x000D_ and \\r\\n folded to \\n, outer blanks trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _clean_text(str(value))


@functools.lru_cache(maxsize=8192)
def _clean_text(text: str) -> str:
    """clean_cell of a text; kept per text, as every unit's return repeats the task texts of the year."""
    text = text.replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.strip() for line in text.strip().split("\n")).strip()


@functools.lru_cache(maxsize=8192)
def squash(text: str) -> str:
    """Compare-form: NFKC, no spaces at all (so "区农业 农村局" == "区农业农村局"); kept per text (the same task and
    unit names are compared for every returned file)."""
    return _WS.sub("", unicodedata.normalize("NFKC", text or "")).replace("\n", "")


def despace(text: str) -> str:
    """Drop every blank inside a name, keeping its characters as written."""
    return _WS.sub("", text or "").replace("\n", "")


def split_leaders(cell: str) -> list[str]:
    """'王  菊' → ['王菊']; '陈  剑   何  洋' → ['陈剑', '何洋']; '栾长征、王菊' → both."""
    names: list[str] = []
    for part in LEADER_SEPARATORS.split(cell or ""):
        chunks = [c for c in re.split(r"[ \t\u3000\xa0]+", part.strip()) if c]
        i = 0
        while i < len(chunks):
            chunk = chunks[i]
            # a two-character name is typeset as two single characters with spaces between
            if len(chunk) == 1 and i + 1 < len(chunks) and len(chunks[i + 1]) == 1:
                names.append(chunk + chunks[i + 1])
                i += 2
                continue
            names.append(chunk)
            i += 1
    return [n for n in names if n]


def unit_separators(text: str) -> list[re.Match]:
    """The separators between unit names, except inside “…” (区“暖企、助企、兴企”行动领导小组成员单位 is one unit)."""
    return [m for m in UNIT_SEPARATORS.finditer(text or "")
            if text.count("“", 0, m.start()) <= text.count("”", 0, m.start())]


def split_units(cell: str) -> list[str]:
    """Unit names separated by 、 ， , ； newlines or wide gaps; stray single spaces inside a name dropped."""
    cell = cell or ""
    cuts = [0] + [x for m in unit_separators(cell) for x in (m.start(), m.end())] + [len(cell)]
    parts = (cell[cuts[i]:cuts[i + 1]].strip() for i in range(0, len(cuts), 2))
    return [despace(p) for p in parts if p and despace(p)]


YEAR_RE = re.compile(r"(20\d{2})\s*年")


def find_year(text: str) -> int | None:
    match = YEAR_RE.search(text or "")
    return int(match.group(1)) if match else None
