"""立项助手 quality on the 2026 report: task coverage, 重点领域/类别 agreement, leave-one-out unit and leader hits."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data"   # inputs with provenance: tests/data/README.md
REPORT = DATA / "2026-政府工作报告.txt"
EXPECTED = DATA / "2026-立项表-expected.json"


def coverage_figures(report_path: Path = REPORT, expected_path: Path = EXPECTED) -> dict:
    from core.draft.measure import cover_tasks
    from core.draft.report import load_report
    report = load_report(report_path)
    tasks = json.loads(Path(expected_path).read_text(encoding="utf-8"))["tasks"]
    covers = cover_tasks(tasks, report.candidates)
    covered = [c for c in covers if c.coverage >= 0.8]
    strict = [c for c in covered if c.tightness >= 0.8]
    return {
        "published": len(tasks), "candidates": len(report.candidates),
        "covered": len(covered), "covered_share": len(covered) / len(tasks),
        "single": sum(1 for c in covered if len(c.indices) == 1),
        "tight": len(strict), "tight_share": len(strict) / len(tasks),
        "area_ok": sum(c.area_ok for c in covered), "area_share": sum(c.area_ok for c in covered) / max(len(covered), 1),
        "category_ok": sum(c.category_ok for c in covered),
        "category_share": sum(c.category_ok for c in covered) / max(len(covered), 1),
        "loose": [(c.seq, round(c.tightness, 2)) for c in covered if c.tightness < 0.8],
        "missed": [c.seq for c in covers if c.coverage < 0.8],
    }


def leave_one_out(expected_path: Path = EXPECTED, use_past: bool = True, use_rules: bool = True) -> dict:
    """Suggest each task's units from the other tasks (as an earlier year's ledger) plus the general rules."""
    from core.draft.suggest import PastTask, SuggestIndex, shipped_rules
    data = json.loads(Path(expected_path).read_text(encoding="utf-8"))
    tasks = data["tasks"]
    directory = sorted({u["name"] for t in tasks + data["projects"] for u in t["units"]})
    rules = shipped_rules() if use_rules else []
    top1 = top3 = any_unit = leader1 = 0
    for i, task in enumerate(tasks):
        past = [PastTask(2025, o["text"], o["leaders"], o["units"]) for j, o in enumerate(tasks)
                if j != i] if use_past else []
        s = SuggestIndex(past, rules, directory).suggest(task["text"])
        leads = {u["name"] for u in task["units"] if u["lead"]}
        names = s.lead_names(3)
        top1 += bool(names) and names[0] in leads
        top3 += bool(leads & set(names))
        any_unit += bool({u["name"] for u in task["units"]} & set(names))
        leader1 += bool(s.leaders) and s.leaders[0][0] in task["leaders"]
    n = len(tasks)
    return {"tasks": n, "lead_top1": top1 / n, "lead_top3": top3 / n, "any_unit_top3": any_unit / n,
            "leader_top1": leader1 / n}


def cross_year(use_rules: bool = True) -> dict:
    """The 2023 and 2025 notices (PDF-extracted text) as history, suggesting the 2026 table's units."""
    from core.draft.history import load_history_file
    from core.draft.suggest import SuggestIndex, shipped_rules
    data = json.loads(EXPECTED.read_text(encoding="utf-8"))
    past = []
    for year in (2025, 2023):
        past += load_history_file(DATA / f"{year}-督查立项通知-pdf提取.txt")
    directory = sorted({u["name"] for t in data["tasks"] + data["projects"] for u in t["units"]})
    index = SuggestIndex(past, shipped_rules() if use_rules else [], directory)
    tasks = data["tasks"]
    top1 = top3 = leader1 = 0
    for task in tasks:
        s = index.suggest(task["text"])
        leads = {u["name"] for u in task["units"] if u["lead"]}
        names = s.lead_names(3)
        top1 += bool(names) and names[0] in leads
        top3 += bool(leads & set(names))
        leader1 += bool(s.leaders) and s.leaders[0][0] in task["leaders"]
    n = len(tasks)
    return {"history": len(past), "lead_top1": top1 / n, "lead_top3": top3 / n, "leader_top1": leader1 / n}


YEARS = (2023, 2025, 2026)


def year_table(year: int) -> list:
    """A year's published table (key tasks and projects) as PastTasks, from tests/data/<year>-立项表-expected.json."""
    from core.draft.suggest import PastTask
    data = json.loads((DATA / f"{year}-立项表-expected.json").read_text(encoding="utf-8"))
    out = []
    for kind, key in (("key", "tasks"), ("livelihood", "projects")):
        for t in data[key]:
            area = "".join(x for x in (t.get("area", ""), t.get("category", "")) if x and x != "--")
            out.append(PastTask(year, t["text"], list(t["leaders"]), [dict(u) for u in t["units"]],
                                kind=kind, seq=t["seq"], area=area))
    return out


def held_out(target: int, old: bool = False, history: tuple[int, ...] | None = None) -> dict:
    """Train on the other years' tables, suggest the target year's lead units (scored as the same unit under
    today's name). `old` is the suggester as it was before cross-year learning (texts + rules, names as written)."""
    from core.draft.suggest import SuggestIndex, canonical_name, shipped_rules
    tables = {y: year_table(y) for y in YEARS}
    past = [p for y in (history or YEARS) if y != target for p in tables[y]]
    directory = sorted({canonical_name(u["name"]) for y in YEARS for p in tables[y] for u in p.units})
    if old:
        index = SuggestIndex(past, shipped_rules(), directory, cross_year=False)
    else:
        index = SuggestIndex(past, shipped_rules(), directory, target_year=target)
    top1 = top3 = 0
    for task in tables[target]:
        leads = {canonical_name(u["name"]) for u in task.units if u["lead"]}
        s = index.suggest(task.text, area=task.area)
        names = [canonical_name(n) for n in s.lead_names(3)]
        top1 += bool(names) and names[0] in leads
        top3 += bool(leads & set(names))
    n = len(tables[target])
    return {"tasks": n, "history": len(past), "top1": top1 / n, "top3": top3 / n}


def main() -> int:
    from core.draft.measure import COVERAGE_DEFINITION
    t0 = time.perf_counter()
    cov = coverage_figures()
    t1 = time.perf_counter()
    print("== 立项助手：2026年政府工作报告 vs 发布的立项表 ==")
    print(COVERAGE_DEFINITION)
    print(f"候选任务 {cov['candidates']} 条；发布的重点任务 {cov['published']} 项（切分用时 {t1 - t0:.2f}s）")
    print(f"覆盖（一条或相邻两条候选，覆盖≥80%）：{cov['covered']}/{cov['published']} = {cov['covered_share']:.1%}"
          f"（其中一条候选即覆盖 {cov['single']} 项）  目标 ≥90%")
    print(f"覆盖且紧致度≥80%（候选不含大量别的内容）：{cov['tight']}/{cov['published']} = {cov['tight_share']:.1%}")
    print(f"  紧致度不足的（发布表在逗号处再拆的长句）：{cov['loose']}")
    print(f"  未覆盖：{cov['missed']}")
    print(f"重点领域正确（在已覆盖任务中）：{cov['area_ok']}/{cov['covered']} = {cov['area_share']:.1%}  目标 ≥95%")
    print(f"类别正确（在已覆盖任务中）：{cov['category_ok']}/{cov['covered']} = {cov['category_share']:.1%}")
    print()
    print("== 单位建议：留一法（每项任务用其余97项作往年台账 + 随程序的一般职责规则） ==")
    variants = (("往年任务 + 规则", {}), ("仅往年任务", {"use_rules": False}), ("仅规则（无往年台账）", {"use_past": False}))
    for label, kw in variants:
        t0 = time.perf_counter()
        r = leave_one_out(**kw)
        print(f"{label}：牵头单位在前3建议中 {r['lead_top3']:.1%}（目标 ≥75%），第1建议即牵头单位 {r['lead_top1']:.1%}，"
              f"前3建议含任一责任单位 {r['any_unit_top3']:.1%}，第1建议领导正确 {r['leader_top1']:.1%}"
              f"（{time.perf_counter() - t0:.1f}s）")
    print()
    print("== 跨年度：2023、2025年立项通知（PDF 提取文本，加黑丢失，按首位单位为牵头）作往年台账 → 建议2026年 ==")
    for label, kw in (("往年任务 + 规则", {}), ("仅往年任务", {"use_rules": False})):
        r = cross_year(**kw)
        print(f"{label}（往年任务 {r['history']} 项）：牵头单位在前3建议中 {r['lead_top3']:.1%}，"
              f"第1建议即牵头单位 {r['lead_top1']:.1%}，第1建议领导正确 {r['leader_top1']:.1%}")
    print()
    print("== 跨年度（留出一年）：用另外两年的立项表作往年台账，建议留出年份的牵头单位（重点任务+民生实事；"
          "单位按今天的名称认同一单位）==")
    print("留出年份 | 任务数 | 之前：前3 / 第1 | 之后：前3 / 第1（目标 ≥75% / ≥60%）")
    for target in YEARS:
        before, after = held_out(target, old=True), held_out(target)
        print(f"{target}（往年 {after['history']} 项） | {after['tasks']} | {before['top3']:.1%} / {before['top1']:.1%} | "
              f"{after['top3']:.1%} / {after['top1']:.1%}")
    print("只用2026年立项表作往年台账（议题中的情形）：")
    for target in (2023, 2025):
        before, after = held_out(target, old=True, history=(2026,)), held_out(target, history=(2026,))
        print(f"{target}（往年 {after['history']} 项） | {after['tasks']} | {before['top3']:.1%} / {before['top1']:.1%} | "
              f"{after['top3']:.1%} / {after['top1']:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
