"""`bulletin`: the quarterly bulletin draft (.docx, GB/T 9704 layout), or 一事一通报 for one task with --task."""
from __future__ import annotations

from ._output import print_json, say

NAME = "bulletin"
ORDER = 81
HELP = "季度通报稿（Word）；--task key:12 生成一事一通报"


def add_arguments(parser) -> None:
    parser.add_argument("--quarter", required=True, help="季度 YYYYQn，如 2026Q1")
    parser.add_argument("--out", required=True, help="输出文件 .docx")
    parser.add_argument("--task", help="一事一通报：key:12（重点任务第12项）或 livelihood:3（民生实事第3项）")
    parser.add_argument("--today", help="通报日期及逾期判断日 YYYY-MM-DD（默认今天）")
    parser.add_argument("--no-charts", action="store_true", help="不插入图表")
    parser.add_argument("--json", action="store_true", help="输出 JSON")


def run(args, ledger) -> int:
    from .summary import parse_today
    today = parse_today(args.today)
    if args.task:
        from core.reports.bulletin_single import write_single
        result = write_single(ledger, args.quarter, args.task, args.out, today)
    else:
        from core.reports.bulletin_docx import write_bulletin
        result = write_bulletin(ledger, args.quarter, args.out, today, charts=not args.no_charts)
    if args.json:
        print_json(result)
    else:
        say(f"已生成：{result['path']}")
    return 0
