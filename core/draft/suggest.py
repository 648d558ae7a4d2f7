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
from core.ledger.changes import Area, Changed, LedgerChange
from core.ledger.store import Ledger, new_batch, new_id, record_audit
from core.common.paths import RESOURCES

RULES_FILE = RESOURCES / "unit_rules.json"
_STRIP = re.compile(r"[\s，。、；：:“”‘’（）()《》〈〉【】—…！？!?,.;\"'·\-]+")
NEIGHBOURS = 10
CO_WEIGHT = 0.35
RULE_WEIGHT = 0.22
RECENCY = 0.85      # a year further back weighs 0.85 times as much
AREA_WEIGHT = 0.3   # the report section's likeness, beside the task's own words
NAME_WEIGHT = 0.4   # the task names the unit's field (中央活力区 → 济南中央活力区发展促进中心)


@dataclass
class PastTask:
    year: int
    text: str
    leaders: list[str]
    units: list[dict]  # [{name, lead}]
    kind: str = "key"   # key | livelihood
    seq: int = 0
    area: str = ""      # the table's 重点领域 or 类别: what part of the report the task belongs to


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


def canonical_name(name: str, aliases: dict[str, str] | None = None) -> str:
    """Today's name of a unit: the ledger's aliases first, then the shipped renames (区发改局 → 区发展改革局)."""
    from core.common.textnorm import squash
    from core.units.directory import known_renames
    key = squash(name)
    if aliases and key in aliases:
        return aliases[key]
    renamed = known_renames().get(key)
    return renamed[0] if renamed else name


class SuggestIndex:
    """Character 2–3-gram TF-IDF vectors of past tasks plus keyword rules; suggest() ranks units and leaders.

    Across years (`cross_year`, the default): every past unit is counted under today's name (`aliases`: the
    ledger's alias → name, plus resources/unit_renames.json), a unit not in `known_units` (no longer exists) is
    never suggested, recent years weigh more, and the report section (`area`) a task sits in counts beside its
    words, since the words change every year while the sections and remits stay."""

    def __init__(self, past: list[PastTask], rules: list[Rule], known_units: list[str] | None = None,
                 cross_year: bool = True, aliases: dict[str, str] | None = None, target_year: int | None = None):
        self.cross_year = cross_year
        if cross_year:
            past = [_renamed(p, aliases) for p in past]
        self.past = past
        self.rules = [r for r in rules if r.keyword]
        self.known = set(known_units) if known_units is not None else None
        latest = target_year or max((p.year for p in past), default=0)
        self.recency = [RECENCY ** max(latest - p.year, 0) if cross_year else 1.0 for p in past]
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
        self.area_vectors = [self._vector(_grams(p.area)) if cross_year and p.area else {} for p in past]
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

    def similar(self, text: str, k: int = NEIGHBOURS, area: str = "") -> list[tuple[float, PastTask]]:
        q = self._vector(_grams(text))
        scores: dict[int, float] = defaultdict(float)
        for g, w in q.items():
            for i in self.postings.get(g, ()):
                scores[i] += w * self.vectors[i][g]
        if self.cross_year:
            qa = self._vector(_grams(area)) if area else {}
            for i in list(scores):
                va = self.area_vectors[i]
                if qa and va:
                    scores[i] += AREA_WEIGHT * sum(w * va.get(g, 0.0) for g, w in qa.items())
                scores[i] *= self.recency[i]
        best = sorted(scores.items(), key=lambda kv: -kv[1])[:k]
        return [(s, self.past[i]) for i, s in best if s > 0.01]

    def suggest(self, text: str, max_units: int = 6, area: str = "") -> Suggestion:
        lead_score: dict[str, float] = defaultdict(float)
        reason: dict[str, tuple[float, str]] = {}
        neighbours = self.similar(text, area=area)
        for sim, p in neighbours:
            for u in p.units:
                name = u["name"]
                if self.cross_year and self.known is not None and name not in self.known:
                    continue  # a unit that no longer exists is never suggested
                w = sim * (1.0 if u["lead"] else CO_WEIGHT)
                lead_score[name] += w
                why = f"相似往年任务（{p.year}年，相似度{sim:.2f}{'，牵头' if u['lead'] else '，配合'}）：{_short(p.text)}"
                if name not in reason or reason[name][0] < w:
                    reason[name] = (w, why)
        norm_text = unicodedata.normalize("NFKC", text)
        if self.cross_year and self.known is not None:
            for name in sorted(self.known):  # the task names the unit's own field: 中央活力区, 民族宗教 …
                core = name_core(name)
                if core and core in norm_text:
                    lead_score[name] += NAME_WEIGHT
                    why = f"任务提到“{core}”（单位名称）"
                    if name not in reason or reason[name][0] < NAME_WEIGHT:
                        reason[name] = (NAME_WEIGHT, why)
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


_CORE_PREFIXES = ("济南市市中区", "济南", "市中区", "市中", "区委", "区", "市")
_CORE_SUFFIXES = ("发展促进中心", "管理服务中心", "运行监测中心", "运行指挥中心", "运行中心", "服务中心", "市中分局",
                  "分局", "集团", "大队", "办事处", "委员会", "办公室", "中心", "局", "办", "委", "会")


def name_core(name: str) -> str:
    """What a unit's name says it does: 济南中央活力区发展促进中心 → 中央活力区, 区民族宗教局 → 民族宗教; '' for
    各…/…成员单位 and for cores under three characters."""
    from core.units.directory import is_collective
    if is_collective(name) or "成员单位" in name or "等" in name:
        return ""
    core = re.split(r"[（(]", name)[0]
    for prefix in _CORE_PREFIXES:
        if core.startswith(prefix) and len(core) > len(prefix) + 1:
            core = core[len(prefix):]
            break
    for _ in range(2):
        for suffix in _CORE_SUFFIXES:
            if core.endswith(suffix) and len(core) > len(suffix) + 1:
                core = core[:-len(suffix)]
                break
    return core if len(core) >= 3 else ""   # two characters (商务, 园区, 金融) are everyday words, not a name


def _renamed(p: PastTask, aliases: dict[str, str] | None) -> PastTask:
    units: list[dict] = []
    for u in p.units:
        name = canonical_name(u["name"], aliases)
        if all(x["name"] != name for x in units):
            units.append({"name": name, "lead": u["lead"]})
    return PastTask(p.year, p.text, p.leaders, units, p.kind, p.seq, p.area)


def _short(text: str, n: int = 30) -> str:
    return text if len(text) <= n else text[:n] + "…"


# -- ledger side --------------------------------------------------------------------------------
def shipped_rules() -> list[Rule]:
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    return [Rule(k, entry["unit"], note="随程序提供的一般职责规则")
            for entry in data["rules"] for k in entry["keywords"]]


RULES = LedgerChange.of(Area.SETTINGS)   # the 立项助手's keyword rules are the ledger's settings


def ensure_rules(ledger: Ledger) -> Changed[int]:
    """Seed keyword_rule from the shipped general rules when the table is empty; returns rows added."""
    with ledger.read() as conn:
        if conn.execute(select(func.count()).select_from(schema.keyword_rule)).scalar():
            return Changed(0, change=RULES)
    rules = shipped_rules()
    batch = new_batch()
    with ledger.begin() as conn:
        if conn.execute(select(func.count()).select_from(schema.keyword_rule)).scalar():
            return Changed(0, change=RULES)
        for r in rules:
            conn.execute(insert(schema.keyword_rule).values(keyword=r.keyword, unit_name=r.unit, note=r.note))
        record_audit(conn, batch, "keyword_rule", "*", "seeded", None, len(rules), "draft", str(RULES_FILE.name))
    return Changed(len(rules), change=RULES)


def load_rules(ledger: Ledger) -> list[Rule]:
    with ledger.read() as conn:
        rows = conn.execute(select(schema.keyword_rule).order_by(schema.keyword_rule.c.id)).mappings().all()
    return [Rule(r["keyword"], r["unit_name"], r["id"], r["note"] or "") for r in rows]


def add_rule(ledger: Ledger, keyword: str, unit: str, note: str = "") -> Changed[int]:
    """A keyword → unit rule of the clerk's; returns its id."""
    keyword, unit = keyword.strip(), unit.strip()
    if not keyword or not unit:
        from core.common.errors import UserError
        raise UserError("关键词和单位都不能为空。请填写后再保存规则。")
    with ledger.begin() as conn:
        rid = new_id(conn, insert(schema.keyword_rule).values(
            keyword=keyword, unit_name=unit, note=note))
        record_audit(conn, new_batch(), "keyword_rule", str(rid), "created", None, f"{keyword}→{unit}", "hand", "")
    return Changed(rid, change=RULES)


def delete_rules(ledger: Ledger, rule_ids: list[int]) -> Changed[int]:
    """Delete the clerk's chosen rules in one transaction, audited; returns how many were there to delete."""
    deleted, batch = 0, new_batch()
    with ledger.begin() as conn:
        for rule_id in rule_ids:
            row = conn.execute(select(schema.keyword_rule).where(schema.keyword_rule.c.id == rule_id)).mappings().first()
            if row is None:
                continue
            conn.execute(delete(schema.keyword_rule).where(schema.keyword_rule.c.id == rule_id))
            record_audit(conn, batch, "keyword_rule", str(rule_id), "deleted",
                         f"{row['keyword']}→{row['unit_name']}", None, "hand", "")
            deleted += 1
    return Changed(deleted, change=RULES)


def past_tasks(ledger: Ledger, exclude_year: int | None) -> list[PastTask]:
    """Every active task of every campaign except the target year's (its own tasks are not a precedent)."""
    from core.ledger.queries import list_tasks
    with ledger.read() as conn:
        found: list[int] = list(conn.execute(select(schema.campaign.c.year)).scalars())
    years = [y for y in found if y != exclude_year]
    out = []
    for year in years:
        for t in list_tasks(ledger, year):
            if t.get("active", True):
                area = "".join(x for x in (t["area"], t["category"]) if x and x != "--")
                out.append(PastTask(year, t["text"], list(t["leaders"]), [dict(u) for u in t["units"]],
                                    kind=t["kind"], seq=t["seq"], area=area))
    return out


def current_units(ledger: Ledger, year: int | None) -> list[str]:
    """Units that exist today: those of the latest campaign before `year` (or the latest of all), those with
    contact details (the clerk's 通讯录), and those the shipped renames name as today's; the unit of a campaign
    long gone (a disbanded 领导小组, a merged bureau) is not among them, so it is never suggested."""
    from core.ledger.queries import campaign_years, list_units
    from core.units.directory import known_renames
    years = campaign_years(ledger)
    earlier = [y for y in years if year is None or y < year] or years
    units = list_units(ledger, earlier[0]) if earlier else list_units(ledger)
    names = [u["name"] for u in units if u["tasks_lead"] or u["tasks_co"] or u["contact"] or u["phone"]]
    renamed_to = {new for new, _ in known_renames().values()}
    return names + [u["name"] for u in units if u["name"] in renamed_to and u["name"] not in names]


def index_for(ledger: Ledger, year: int | None, extra: list[PastTask] | None = None) -> SuggestIndex:
    """The suggestion index for drafting `year`: every other campaign, the ledger's rules, today's units.

    `extra` adds earlier years' tables the clerk loaded for this draft (not written to the ledger). Old names are
    counted under today's through the ledger's aliases and the shipped renames. Reads only: a ledger whose rules
    were never stored (ensure_rules) suggests from the shipped rules."""
    from core.common.textnorm import squash
    from core.ledger.queries import list_units
    units = list_units(ledger)
    aliases = {squash(a): u["name"] for u in units for a in u["aliases"]}
    known = current_units(ledger, year) if units else []
    past = past_tasks(ledger, year) + [p for p in (extra or []) if p.year != year]
    return SuggestIndex(past, load_rules(ledger) or shipped_rules(), known or None, aliases=aliases,
                        target_year=year)


def apply_suggestions(index: SuggestIndex, candidates: list, only_empty: bool = True) -> None:
    """Fill each candidate's units/leaders/reasons from the index; never overwrites units the clerk edited."""
    for c in candidates:
        if (only_empty and (c.units or c.leaders)) or c.note == "hand":
            continue
        area = "".join(x for x in (c.area, c.category) if x and x != "--")
        s = index.suggest(c.text, area=area)
        c.units = [{"name": u.name, "lead": u.lead} for u in s.units[:4]]
        c.leaders = [n for n, _ in s.leaders]
        c.reasons = [f"{u.name}：{u.reason}" for u in s.units[:4]] + [f"领导 {n}：{why}" for n, why in s.leaders]
