"""Offline suggestions of 责任单位 and 牵头领导 for draft tasks: n-gram TF-IDF against past campaigns, keyword rules."""
from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import delete, func, insert, select

from core.ledger import schema
from core.ledger.store import Ledger, new_batch, record_audit
from core.common.paths import RESOURCES

RULES_FILE = RESOURCES / "unit_rules.json"
_STRIP = re.compile(r"[\s，。、；：:“”‘’（）()《》〈〉【】—…！？!?,.;\"'·\-]+")
NEIGHBOURS = 10
CO_WEIGHT = 0.35
RULE_WEIGHT = 0.22


@dataclass
class PastTask:
    year: int
    text: str
    leaders: list[str]
    units: list[dict]  # [{name, lead}]


@dataclass
class Rule:
    keyword: str
    unit: str
    id: int | None = None
    note: str = ""


@dataclass
class UnitSuggestion:
    name: str
    score: float
    lead: bool
    reason: str


@dataclass
class Suggestion:
    units: list[UnitSuggestion] = field(default_factory=list)
    leaders: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)

    def lead_names(self, n: int = 3) -> list[str]:
        return [u.name for u in self.units[:n]]


def _grams(text: str) -> Counter:
    s = _STRIP.sub("", unicodedata.normalize("NFKC", text or ""))
    grams = Counter(s[i:i + 2] for i in range(len(s) - 1))
    grams.update(s[i:i + 3] for i in range(len(s) - 2))
    return grams


class SuggestIndex:
    """Character 2–3-gram TF-IDF vectors of past tasks plus keyword rules; suggest() ranks units and leaders."""

    def __init__(self, past: list[PastTask], rules: list[Rule], known_units: list[str] | None = None):
        self.past = past
        self.rules = [r for r in rules if r.keyword]
        self.known = set(known_units) if known_units is not None else None
        grams = [_grams(p.text) for p in past]
        df = Counter(g for gs in grams for g in gs)
        n = len(past)
        self.idf = {g: math.log((n + 1) / (c + 1)) + 1.0 for g, c in df.items()}
        self.default_idf = math.log(n + 1) + 1.0
        self.vectors = [self._vector(g) for g in grams]
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i, vec in enumerate(self.vectors):
            for g in vec:
                self.postings[g].append(i)
        # who usually leads a unit's tasks: the leader history per lead unit
        self.unit_leaders: dict[str, Counter] = defaultdict(Counter)
        for p in past:
            for u in p.units:
                if u["lead"]:
                    self.unit_leaders[u["name"]].update(p.leaders)

    def _vector(self, grams: Counter) -> dict[str, float]:
        vec = {g: (1 + math.log(c)) * self.idf.get(g, self.default_idf) for g, c in grams.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {g: v / norm for g, v in vec.items()}

    def similar(self, text: str, k: int = NEIGHBOURS) -> list[tuple[float, PastTask]]:
        q = self._vector(_grams(text))
        scores: dict[int, float] = defaultdict(float)
        for g, w in q.items():
            for i in self.postings.get(g, ()):
                scores[i] += w * self.vectors[i][g]
        best = sorted(scores.items(), key=lambda kv: -kv[1])[:k]
        return [(s, self.past[i]) for i, s in best if s > 0.01]

    def suggest(self, text: str, max_units: int = 6) -> Suggestion:
        lead_score: dict[str, float] = defaultdict(float)
        reason: dict[str, tuple[float, str]] = {}
        neighbours = self.similar(text)
        for sim, p in neighbours:
            for u in p.units:
                name = u["name"]
                w = sim * (1.0 if u["lead"] else CO_WEIGHT)
                lead_score[name] += w
                why = f"相似往年任务（{p.year}年，相似度{sim:.2f}{'，牵头' if u['lead'] else '，配合'}）：{_short(p.text)}"
                if name not in reason or reason[name][0] < w:
                    reason[name] = (w, why)
        norm_text = unicodedata.normalize("NFKC", text)
        for r in self.rules:
            if self.known is not None and r.unit not in self.known:
                continue
            if unicodedata.normalize("NFKC", r.keyword) in norm_text:
                lead_score[r.unit] += RULE_WEIGHT
                why = f"规则：关键词“{r.keyword}”→{r.unit}"
                if r.unit not in reason or reason[r.unit][0] < RULE_WEIGHT:
                    reason[r.unit] = (RULE_WEIGHT, why)
        ranked = sorted(lead_score.items(), key=lambda kv: -kv[1])[:max_units]
        out = Suggestion()
        top = ranked[0][1] if ranked else 0
        for i, (name, score) in enumerate(ranked):
            if i and score < top * 0.25:
                break
            out.units.append(UnitSuggestion(name, round(score, 3), i == 0, reason[name][1]))
        out.leaders = self._leaders(neighbours, out)
        return out

    def _leaders(self, neighbours, sugg: Suggestion) -> list[tuple[str, str]]:
        score: dict[str, float] = defaultdict(float)
        why: dict[str, str] = {}
        if sugg.units:
            lead_unit = sugg.units[0].name
            hist = self.unit_leaders.get(lead_unit)
            if hist:
                total = sum(hist.values())
                for name, c in hist.most_common(2):
                    score[name] += 0.6 * c / total
                    why.setdefault(name, f"往年“{lead_unit}”牵头的任务多由其牵头（{c}/{total}项）")
        for sim, p in neighbours[:3]:
            for name in p.leaders:
                score[name] += sim * 0.5
                why.setdefault(name, f"相似往年任务（{p.year}年，相似度{sim:.2f}）：{_short(p.text)}")
        ranked = sorted(score.items(), key=lambda kv: -kv[1])
        if not ranked:
            return []
        return [(n, why[n]) for n, s in ranked[:2] if s >= ranked[0][1] * 0.6]


def _short(text: str, n: int = 30) -> str:
    return text if len(text) <= n else text[:n] + "…"


# -- ledger side --------------------------------------------------------------------------------
def shipped_rules() -> list[Rule]:
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    return [Rule(k, entry["unit"], note="随程序提供的一般职责规则")
            for entry in data["rules"] for k in entry["keywords"]]


def ensure_rules(ledger: Ledger) -> int:
    """Seed keyword_rule from the shipped general rules when the table is empty; returns rows added."""
    with ledger.read() as conn:
        if conn.execute(select(func.count()).select_from(schema.keyword_rule)).scalar():
            return 0
    rules = shipped_rules()
    batch = new_batch()
    with ledger.begin() as conn:
        if conn.execute(select(func.count()).select_from(schema.keyword_rule)).scalar():
            return 0
        for r in rules:
            conn.execute(insert(schema.keyword_rule).values(keyword=r.keyword, unit_name=r.unit, note=r.note))
        record_audit(conn, batch, "keyword_rule", "*", "seeded", None, len(rules), "draft", str(RULES_FILE.name))
    return len(rules)


def load_rules(ledger: Ledger) -> list[Rule]:
    with ledger.read() as conn:
        rows = conn.execute(select(schema.keyword_rule).order_by(schema.keyword_rule.c.id)).mappings().all()
    return [Rule(r["keyword"], r["unit_name"], r["id"], r["note"] or "") for r in rows]


def add_rule(ledger: Ledger, keyword: str, unit: str, note: str = "") -> int:
    keyword, unit = keyword.strip(), unit.strip()
    if not keyword or not unit:
        from core.common.errors import UserError
        raise UserError("关键词和单位都不能为空。请填写后再保存规则。")
    with ledger.begin() as conn:
        rid = conn.execute(insert(schema.keyword_rule).values(
            keyword=keyword, unit_name=unit, note=note)).inserted_primary_key[0]
        record_audit(conn, new_batch(), "keyword_rule", str(rid), "created", None, f"{keyword}→{unit}", "hand", "")
    return rid


def delete_rule(ledger: Ledger, rule_id: int) -> None:
    with ledger.begin() as conn:
        row = conn.execute(select(schema.keyword_rule).where(schema.keyword_rule.c.id == rule_id)).mappings().first()
        if row is None:
            return
        conn.execute(delete(schema.keyword_rule).where(schema.keyword_rule.c.id == rule_id))
        record_audit(conn, new_batch(), "keyword_rule", str(rule_id), "deleted",
                     f"{row['keyword']}→{row['unit_name']}", None, "hand", "")


def past_tasks(ledger: Ledger, exclude_year: int | None) -> list[PastTask]:
    """Every active task of every campaign except the target year's (its own tasks are not a precedent)."""
    from core.ledger.queries import list_tasks
    with ledger.read() as conn:
        years = [y for y in conn.execute(select(schema.campaign.c.year)).scalars() if y != exclude_year]
    out = []
    for year in years:
        for t in list_tasks(ledger, year):
            if t.get("active", True):
                out.append(PastTask(year, t["text"], list(t["leaders"]), [dict(u) for u in t["units"]]))
    return out


def index_for(ledger: Ledger, year: int | None, extra: list[PastTask] | None = None) -> SuggestIndex:
    """The suggestion index for drafting `year`: earlier campaigns, the ledger's rules, the unit directory.

    `extra` adds earlier years' tables the clerk loaded for this draft (not written to the ledger). Reads only: a
    ledger whose rules were never stored (ensure_rules) suggests from the shipped rules."""
    from core.ledger.queries import list_units
    known = [u["name"] for u in list_units(ledger)]
    past = past_tasks(ledger, year) + [p for p in (extra or []) if p.year != year]
    return SuggestIndex(past, load_rules(ledger) or shipped_rules(), known or None)


def apply_suggestions(index: SuggestIndex, candidates: list, only_empty: bool = True) -> None:
    """Fill each candidate's units/leaders/reasons from the index; never overwrites units the clerk edited."""
    for c in candidates:
        if (only_empty and (c.units or c.leaders)) or c.note == "hand":
            continue
        s = index.suggest(c.text)
        c.units = [{"name": u.name, "lead": u.lead} for u in s.units[:4]]
        c.leaders = [n for n, _ in s.leaders]
        c.reasons = [f"{u.name}：{u.reason}" for u in s.units[:4]] + [f"领导 {n}：{why}" for n, why in s.leaders]
