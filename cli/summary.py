"""`summary`: the printable monthly summary (.xlsx), or the 民生实事 table, the leader pages or the 区长 brief, for one month."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ._output import print_json, say

NAME = "summary"
ORDER = 80
HELP = "月度汇总表（A4横向打印）：重点任务落实情况汇总表；--livelihood 民生实事进展表；--leaders 领导页；--brief 区长简报"


def add_arguments(parser) -> None:
    parser.add_argument("--period", required=True, help="月份 YYYY-MM，如 2026-03")
    parser.add_argument("--out", required=True, help="输出文件（汇总表 .xlsx；--leaders、--brief 时为 .docx）")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--livelihood", action="store_true", help="生成民生实事项目进展情况表（.xlsx）")
    group.add_argument("--leaders", action="store_true", help="生成每位牵头领导一页的任务亮灯页（.docx）")
    group.add_argument("--brief", action="store_true",
                       help="生成区长简报（.docx，不超过8页）：当月总体情况、红黄灯任务、迟报未报单位")
    parser.add_argument("--today", help="按哪一天判断亮灯和逾期 YYYY-MM-DD（默认今天）")
    parser.add_argument("--no-charts", action="store_true", help="不附图表页")
    parser.add_argument("--json", action="store_true", help="输出 JSON")


def parse_today(text: str | None) -> date:
    from core.common.errors import UserError
    try:
        return date.fromisoformat(text) if text else date.today()
    except ValueError:
        raise UserError(f"日期“{text}”格式不对，请写成 2026-04-13。") from None


def run(args, ledger) -> int:
    today = parse_today(args.today)
    result: Mapping[str, Any]
    if args.brief:
        from core.reports.brief import write_brief
        result = write_brief(ledger, args.period, args.out, today)
        result = {k: v for k, v in result.items() if k != "items"}
    elif args.leaders:
        from core.reports.leader_pages import write_leader_pages
        result = write_leader_pages(ledger, args.period, args.out, today)
    elif args.livelihood:
        from core.reports.livelihood_xlsx import write_livelihood
        result = write_livelihood(ledger, args.period, args.out, today, charts=not args.no_charts)
    else:
        from core.reports.summary_xlsx import write_summary
        result = write_summary(ledger, args.period, args.out, today=today, charts=not args.no_charts)
    if args.json:
        print_json(result)
    else:
        from ._pages import made_line
        say(made_line(result))
    return 0
