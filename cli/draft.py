"""`draft`: cut a 政府工作报告 into a draft 立项表 with suggested units; export it to Word or accept it as a campaign."""
from __future__ import annotations

from ._output import print_json, say

NAME = "draft"
ORDER = 15
HELP = "立项助手：从政府工作报告生成立项表草稿（建议责任单位），可导出 Word 或接受为新立项"


def add_arguments(parser) -> None:
    parser.add_argument("report", help="政府工作报告（.docx 或 .txt）")
    parser.add_argument("--year", type=int, help="立项年度（默认取报告中的年度）")
    parser.add_argument("--out", help="导出附件1/附件2 Word 表格到此文件")
    parser.add_argument("--accept", action="store_true", help="把草稿作为该年度的新立项写入台账")
    parser.add_argument("--json", action="store_true", help="输出 JSON")


def run(args, ledger) -> int:
    from pathlib import Path

    from core.draft.model import DraftTable, accept_as_campaign
    from core.draft.report import load_report
    from core.draft.suggest import apply_suggestions, index_for
    from core.draft.targets import find_targets
    from core.campaign.importing import file_ref

    report = load_report(args.report)
    year = args.year or report.year
    if args.accept and year is None:
        from core.common.errors import UserError
        raise UserError("报告里没有写明年度（如“2027年工作安排”），无法确定立项年度。"
                        "请加上 --year 指明年度后再接受为新立项；台账未作改动。")
    table = DraftTable.from_report(report)
    apply_suggestions(index_for(ledger, year), table.candidates)
    result: dict = {"year": year, "candidates": [
        {"kind": c.kind, "area": c.area, "category": c.category, "text": c.text, "start": c.start, "end": c.end,
         "targets": [t.text for t in find_targets(c.text)], "leaders": c.leaders, "units": c.units,
         "reasons": c.reasons} for c in table.candidates]}
    if args.out:
        from core.campaign.export_docx import export_plan_docx
        result["out"] = str(export_plan_docx(table.to_plan(year), Path(args.out), year))
    if args.accept and year is not None:
        result["accepted"] = accept_as_campaign(ledger, table, year, source_ref=file_ref(Path(args.report))).value
    if args.json:
        print_json(result)
        return 0
    for i, c in enumerate(result["candidates"], 1):
        units = "、".join(u["name"] + ("*" if u["lead"] else "") for u in c["units"]) or "（未定）"
        say(f"{i:>3}  [{c['area'][:10]}|{c['category'][:10]}] {c['text'][:40]}  → {units}")
    say(f"共 {len(result['candidates'])} 条候选任务（{year}年）。")
    if args.out:
        say(f"已导出：{result['out']}")
    if args.accept:
        say(f"已建立 {year} 年立项：{result['accepted']['added']} 项任务。")
    return 0
