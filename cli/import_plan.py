"""`import-plan FILE`: read a 立项表 and apply it to the ledger (a revised table updates, never duplicates)."""
from __future__ import annotations

from pathlib import Path

from core.campaign.importing import apply_import, file_ref, preview_import
from core.campaign.read import read_plan_file
from ._output import print_json, say

NAME = "import-plan"
ORDER = 10
HELP = "导入立项表（.docx/.xlsx/.xls/.txt）；再次导入修订版只更新差异，不会重复"


def add_arguments(parser) -> None:
    parser.add_argument("file", help="立项表文件")
    parser.add_argument("--year", type=int, help="年度（默认取自文件标题）")
    parser.add_argument("--dry-run", action="store_true", help="只预览差异，不写入台账")
    parser.add_argument("--accept-unit-merges", action="store_true",
                        help="接受所有相近单位名称的合并建议（作为别名并入已有单位）")
    parser.add_argument("--swap-tables", action="store_true",
                        help="把文件中的两张表对调读取（重点任务表当作民生实事表，反之亦然）")
    parser.add_argument("--json", action="store_true", help="输出 JSON")


def run(args, ledger) -> int:
    path = Path(args.file)
    plan = read_plan_file(path, swap=args.swap_tables)
    preview = preview_import(ledger, plan, args.year, file_ref(path))
    result = preview.as_json()
    if not args.dry_run:
        merges = {p.name: p.canonical for p in preview.unit_proposals} if args.accept_unit_merges else {}
        result["applied"] = apply_import(ledger, preview, merges).value
    if args.json:
        print_json(result)
    else:
        say(f"{preview.year}年立项表：共 {len(plan.tasks)} 项；新增 {len(preview.added)}，修改 {len(preview.changed)}，"
            f"删除 {len(preview.removed)}，未变 {len(preview.unchanged) + len(preview.renumbered)}。"
            + ("（预览，未写入）" if args.dry_run else ""))
        for line in preview.table_lines:
            say(f"  表格：{line}".replace("请点“对调两表”", "请加 --swap-tables 重新导入"))
        for p in preview.unit_proposals:
            say(f"  单位名称相近：“{p.name}” 可能是 “{p.canonical}”（{p.reason}）")
        for w in preview.warnings:
            if w not in preview.table_lines:   # already printed as 表格
                say(f"  提示：{w}")
    return 0
