"""立项助手 suggestions: leave-one-out over the 2026 table, general rules in the ledger, reasons, past campaigns only."""
from __future__ import annotations

import json


from tests.helpers.draft import expected


def test_leave_one_out_lead_unit_in_top3_for_75_percent():
    """Each task's units suggested from the other 97 tasks (as an earlier year) + the shipped general rules."""
    from core.draft.suggest import PastTask, SuggestIndex, shipped_rules
    data = expected()
    tasks = data["tasks"]
    directory = sorted({u["name"] for t in tasks + data["projects"] for u in t["units"]})
    rules = shipped_rules()
    hits = 0
    for i, task in enumerate(tasks):
        past = [PastTask(2025, o["text"], o["leaders"], o["units"]) for j, o in enumerate(tasks) if j != i]
        s = SuggestIndex(past, rules, directory).suggest(task["text"])
        assert all(u.reason for u in s.units)       # every suggestion says why
        leads = {u["name"] for u in task["units"] if u["lead"]}
        hits += bool(leads & set(s.lead_names(3)))
    assert hits / len(tasks) >= 0.75


def test_shipped_rules_are_general_remits_not_task_lookups():
    """Short remit keywords, each naming one unit; no keyword is a chunk of a 2026 task's text."""
    from core.draft.suggest import RULES_FILE, shipped_rules
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    rules = shipped_rules()
    assert len(data["rules"]) >= 30
    assert all(len(r.keyword) <= 8 for r in rules)
    counts = {}
    for r in rules:
        counts[r.keyword] = counts.get(r.keyword, 0) + 1
    assert max(counts.values()) == 1            # a keyword points at one unit
    names = {u["name"] for t in expected()["tasks"] + expected()["projects"] for u in t["units"]}
    assert {r.unit for r in rules} <= names      # canonical names of the unit directory


def test_reasons_name_the_similar_past_task_or_the_rule():
    from core.draft.suggest import PastTask, Rule, SuggestIndex
    past = [PastTask(2025, "城镇新增就业1.6万人，失业人员再就业5000人。", ["许胜勇"],
                     [{"name": "区人力资源社会保障局", "lead": True}]),
            PastTask(2025, "新建幼儿园3所，新增学位900个。", ["王菊"], [{"name": "区教育体育局", "lead": True}])]
    index = SuggestIndex(past, [Rule("垃圾分类", "区城管局")])
    s = index.suggest("城镇新增就业1.75万人、失业人员再就业5200人。")
    assert s.units[0].name == "区人力资源社会保障局" and s.units[0].lead
    assert "2025年" in s.units[0].reason and "相似度" in s.units[0].reason
    assert s.leaders[0][0] == "许胜勇"
    s = index.suggest("完善垃圾分类体系。")
    assert s.units[0].name == "区城管局" and "关键词“垃圾分类”" in s.units[0].reason


def test_rules_seeded_once_editable_and_audited(ledger):
    from sqlalchemy import select
    from core.ledger import schema
    from core.draft.suggest import add_rule, delete_rules, ensure_rules, load_rules, shipped_rules
    n = ensure_rules(ledger).value
    assert n == len(shipped_rules())
    assert ensure_rules(ledger).value == 0
    rid = add_rule(ledger, "口袋公园", "区园林绿化服务中心").value
    assert any(r.id == rid and r.keyword == "口袋公园" for r in load_rules(ledger))
    assert delete_rules(ledger, [rid, rid + 10_000]).value == 1
    assert not any(r.id == rid for r in load_rules(ledger))
    with ledger.read() as conn:
        fields = [r.field for r in conn.execute(
            select(schema.audit.c.field).where(schema.audit.c.table_name == "keyword_rule")
            .order_by(schema.audit.c.id))]   # in the order written (the audit lookup index would sort by field)
    assert fields == ["seeded", "created", "deleted"]


def test_index_uses_other_campaigns_only(ledger_2026):
    from core.draft.suggest import index_for
    assert index_for(ledger_2026, 2026).past == []          # a year's own tasks are no precedent
    index = index_for(ledger_2026, 2027)
    assert len(index.past) == 118 and {p.year for p in index.past} == {2026}
    s = index.suggest("深化环卫市场化改革，完善垃圾分类新“两网”融合全闭环体系。")
    assert s.units[0].name == "区城管局"
    assert "2026年" in s.units[0].reason
