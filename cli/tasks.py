"""`tasks`: the year's tasks in 序号 order, key tasks first."""
from __future__ import annotations

from core.ledger.queries import KIND_NAMES, list_tasks, public_task
from ._output import print_json, say

NAME = "tasks"
ORDER = 20
HELP = "列出任务（重点任务在前，按序号）"


def add_arguments(parser) -> None:
    parser.add_argument("--year", type=int, help="年度（默认最近一年）")
    parser.add_argument("--json", action="store_true", help="输出 JSON")


def run(args, ledger) -> int:
    tasks = list_tasks(ledger, args.year)
    if args.json:
        print_json([public_task(t) for t in tasks])
    else:
        for t in tasks:
            units = "、".join(u["name"] + ("*" if u["lead"] else "") for u in t["units"])
            say(f"{KIND_NAMES[t['kind']]}{t['seq']:>3}  {t['text'][:40]}  [{units}]")
    return 0
