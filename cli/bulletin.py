"""`bulletin`: the quarterly bulletin draft (.docx, GB/T 9704 layout), 一事一通报 (--task), 办结通报 (--closure) or the
民生实事 通报 at the ledger's cadence (--livelihood --period)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._output import print_json, say

NAME = "bulletin"
ORDER = 81
HELP = "季度通报稿（Word）；--task 一事一通报；--closure 办结通报；--livelihood --period 民生实事通报"


def add_arguments(parser) -> None:
    parser.add_argument("--quarter", help="季度 YYYYQn，如 2026Q1（季度通报、一事一通报）")
    parser.add_argument("--closure", metavar="TASK", help="办结通报：已办结的任务，如 key:12 或 livelihood:3")
    parser.add_argument("--livelihood", action="store_true",
                        help="民生实事通报（按设置每月或每季度一次），与 --period 同用")
    parser.add_argument("--period", help="民生实事通报的月份 YYYY-MM")
    parser.add_argument("--year", type=int, help="办结通报的年度（默认 --today 所在年）")
    parser.add_argument("--out", required=True, help="输出文件 .docx")
    parser.add_argument("--task", help="一事一通报：key:12（重点任务第12项）或 livelihood:3（民生实事第3项）")
    parser.add_argument("--today", help="通报日期及逾期判断日 YYYY-MM-DD（默认今天）")
    parser.add_argument("--no-charts", action="store_true", help="不插入图表")
    parser.add_argument("--json", action="store_true", help="输出 JSON")


def run(args, ledger) -> int:
    from .summary import parse_today
    from core.common.errors import UserError
    today = parse_today(args.today)
    result: Mapping[str, Any]
    if args.closure:
        from core.reports.notices import write_closure_notice
        result = write_closure_notice(ledger, args.closure, args.out, today, year=args.year)
    elif args.livelihood:
        if not args.period:
            raise UserError("民生实事通报请用 --period 指定月份，如 --period 2026-06。")
        from core.reports.notices import write_livelihood_notice
        result = write_livelihood_notice(ledger, args.period, args.out, today)
    elif not args.quarter:
        raise UserError("请用 --quarter 指定季度（如 2026Q2），或用 --closure / --livelihood 生成办结通报、民生实事通报。")
    elif args.task:
        from core.reports.bulletin_single import write_single
        result = write_single(ledger, args.quarter, args.task, args.out, today)
    else:
        from core.reports.bulletin_docx import write_bulletin
        result = write_bulletin(ledger, args.quarter, args.out, today, charts=not args.no_charts)
    if args.json:
        print_json(result)
    else:
        from ._pages import made_line
        say(made_line(result))
    return 0
