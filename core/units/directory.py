"""The unit directory: canonical names with aliases, name resolution, near-name proposals, collective entries."""
from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from sqlalchemy import Connection, insert, select

from core.ledger import schema
from core.ledger.store import new_id
from core.common.textnorm import squash

_PAREN = re.compile(r"^(.*?)[（(](.+?)[)）]$")


@dataclass
class UnitProposal:
    """A name in the file that probably means an existing unit; applied only when the clerk confirms."""
    name: str        # as written in the file
    canonical: str   # the unit it probably is
    reason: str


def is_collective(name: str) -> bool:
    """各街道办事处, 各行业主管部门, 各区直部门 …: kept as one entry, flagged, never expanded."""
    return name.startswith("各") or name.endswith("等单位") or name in ("相关单位", "有关单位")


class UnitDirectory:
    """An in-memory view of unit names and aliases for fast resolution during an import."""

    def __init__(self, conn: Connection):
        self.by_key: dict[str, tuple[int, str]] = {}
        self.names: dict[int, str] = {}
        for row in conn.execute(select(schema.unit.c.id, schema.unit.c.name)):
            self.names[row.id] = row.name
            self.by_key[squash(row.name)] = (row.id, row.name)
        for row in conn.execute(select(schema.unit_alias.c.unit_id, schema.unit_alias.c.alias)):
            self.by_key.setdefault(squash(row.alias), (row.unit_id, self.names[row.unit_id]))

    def resolve(self, name: str) -> str | None:
        hit = self.by_key.get(squash(name))
        return hit[1] if hit else None

    def propose(self, name: str, candidates: list[str] | None = None) -> UnitProposal | None:
        """A near-name among the directory's units (or the given candidates) for a name not known yet."""
        pool = candidates if candidates is not None else list(self.names.values())
        return propose_near(name, pool)


def known_renames() -> dict[str, tuple[str, str]]:
    """Old names and short forms of units → (today's name, note), shipped in resources/unit_renames.json."""
    import json
    from core.common.paths import RESOURCES
    data = json.loads((RESOURCES / "unit_renames.json").read_text(encoding="utf-8"))
    return {squash(r["old"]): (r["new"], r.get("note", "")) for r in data["renames"]}


def propose_near(name: str, pool: list[str]) -> UnitProposal | None:
    key = squash(name)
    renamed = known_renames().get(key)
    if renamed and renamed[0] in pool:
        return UnitProposal(name, renamed[0], f"往年名称：{renamed[1]}")
    best: UnitProposal | None = None
    best_score = 0.0
    for other in pool:
        okey = squash(other)
        if okey == key:
            continue
        score, reason = _likeness(key, okey)
        if score > best_score:
            best_score, best = score, UnitProposal(name, other, reason)
    return best if best_score >= 0.8 else None


def _likeness(a: str, b: str) -> tuple[float, str]:
    for x, y in ((a, b), (b, a)):
        m = _PAREN.match(x)
        if m and (squash(m.group(2)) == y or squash(m.group(1)) == y):
            return 0.95, "括号内外为同一单位"
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 3 and short[0] == long_[0] and short[-1] == long_[-1] and _is_subsequence(short, long_):
        return 0.9, "简称与全称"
    ratio = fuzz.ratio(a, b) / 100
    if ratio >= 0.85:
        return ratio, "名称相近"
    return 0.0, ""


def _is_subsequence(short: str, long_: str) -> bool:
    it = iter(long_)
    return all(ch in it for ch in short)


def ensure_unit(conn: Connection, name: str) -> int:
    found = conn.execute(select(schema.unit.c.id).where(schema.unit.c.name == name)).scalar()
    if found is not None:
        return found
    return new_id(conn, insert(schema.unit).values(
        name=name, short_name=short_name(name), collective=is_collective(name)))


def add_alias(conn: Connection, unit_id: int, alias: str) -> bool:
    exists = conn.execute(select(schema.unit_alias.c.id).where(schema.unit_alias.c.alias == alias)).first()
    if exists:
        return False
    conn.execute(insert(schema.unit_alias).values(unit_id=unit_id, alias=alias))
    return True


def short_name(name: str) -> str:
    """区发展改革局 → 发展改革局; used in file names a clerk can read."""
    m = _PAREN.match(name)
    base = m.group(1) if m else name
    for prefix in ("济南市市中区", "市中区", "区"):
        if base.startswith(prefix) and len(base) > len(prefix) + 1:
            return base[len(prefix):]
    return base
