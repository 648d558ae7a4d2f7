"""`units`: the unit directory with aliases and task counts."""
from __future__ import annotations

from core.ledger.queries import list_units
from ._output import print_json, say

NAME = "units"
ORDER = 30
HELP = "列出责任单位（别名、牵头/配合任务数）"


def add_arguments(parser) -> None:
    parser.add_argument("--year", type=int, help="年度（默认最近一年）")
    parser.add_argument("--json", action="store_true", help="输出 JSON")


def run(args, ledger) -> int:
    units = list_units(ledger, args.year)
    if args.json:
        print_json([{"name": u["name"], "aliases": u["aliases"], "tasks_lead": u["tasks_lead"],
                     "tasks_co": u["tasks_co"], "contact": u["contact"], "phone": u["phone"],
                     "email": u["email"], "collective": u["collective"]} for u in units])
    else:
        for u in units:
            aliases = f"  别名：{'、'.join(u['aliases'])}" if u["aliases"] else ""
            say(f"{u['name']}  牵头 {u['tasks_lead']}  配合 {u['tasks_co']}{aliases}")
    return 0
