"""`progress`: what the ledger holds — monthly progress rows, or (with --form plan) the quarterly plan rows."""
from __future__ import annotations

from ._output import print_json, say

NAME = "progress"
ORDER = 62
HELP = "列出台账中的月度落实情况（--form plan：季度计划）"


def add_arguments(parser) -> None:
    parser.add_argument("--period", help="月份 YYYY-MM（计划表：年度 YYYY）")
    parser.add_argument("--form", choices=("report", "plan"), default="report", help="report（默认）或 plan")
    parser.add_argument("--json", action="store_true", help="输出 JSON")


def run(args, ledger) -> int:
    from core.ledger.progress_view import plan_rows, progress_rows
    rows = plan_rows(ledger, args.period) if args.form == "plan" else progress_rows(ledger, args.period)
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            if args.form == "plan":
                say(f"{r['seq']}\t{r['unit']}\tQ{r['quarter']}\t{r['target']}")
            else:
                yes = {True: "是", False: "否", None: ""}[r["on_track"]]
                say(f"{r['seq']}\t{r['unit']}\t{r['period']}\t{yes}\t{r['done'][:40]}")
    return 0
