"""`progress`: what the ledger holds — monthly progress rows, or (with --form plan) the quarterly plan rows."""
from __future__ import annotations

from ._output import print_json, say

NAME = "progress"
ORDER = 62
HELP = "列出台账中的月度落实情况（--form plan：季度计划）"


def add_arguments(parser) -> None:
    parser.add_argument("--period", help="月份 YYYY-MM（计划表：年度 YYYY）")
    parser.add_argument("--form", choices=("report", "plan"), default="report", help="report（默认）或 plan")
    parser.add_argument("--task", help="一项任务全年的报送：key:2（重点任务第2项）或 livelihood:3；每月每单位的"
                                       "完成情况、来源文件和合并痕迹，最近的月份在前")
    parser.add_argument("--year", type=int, help="与 --task 同用：立项年度（默认最近一年）")
    parser.add_argument("--json", action="store_true", help="输出 JSON")


def run(args, ledger) -> int:
    if args.task:
        return _task_year(args, ledger)
    from core.ledger.progress_view import plan_rows, progress_rows
    if args.form == "plan":
        plans = plan_rows(ledger, args.period)
        if args.json:
            print_json(plans)
        for p in [] if args.json else plans:
            say(f"{p['seq']}\t{p['unit']}\tQ{p['quarter']}\t{p['target']}")
        return 0
    rows = progress_rows(ledger, args.period)
    if args.json:
        print_json(rows)
    for r in [] if args.json else rows:
        yes = {True: "是", False: "否", None: ""}[r["on_track"]]
        say(f"{r['seq']}\t{r['unit']}\t{r['period']}\t{yes}\t{r['done'][:40]}")
    return 0


def _task_year(args, ledger) -> int:
    from core.ledger.task_year import task_months, task_uid
    rows = task_months(ledger, task_uid(ledger, args.task, args.year))
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        yes = {True: "是", False: "否", None: ""}[r["on_track"]]
        merged = r["merges"][0] if r["merges"] else None
        trace = f"\t{merged['at']} {merged['clerk']} 合并自 {merged['file_name']}" if merged else ""
        say(f"{r['period']}\t{r['unit']}\t{yes}\t{r['done'][:40]}{trace}")
    return 0
