"""`holidays`: the holiday override table — enter a year's 放假/调休 the calendar package does not know yet."""
from __future__ import annotations

from ._output import print_json, say

NAME = "holidays"
ORDER = 77
HELP = "节假日调整：为内置日历未覆盖的年份录入放假日（--off）和调休上班日（--work），或删除（--remove）"


def add_arguments(parser) -> None:
    parser.add_argument("--year", type=int, help="查看哪一年（默认今年）")
    parser.add_argument("--off", action="append", default=[], metavar="DATE[..DATE]",
                        help="放假日，可写区间 2027-02-06..2027-02-12")
    parser.add_argument("--work", action="append", default=[], metavar="DATE", help="调休上班日（周末上班）")
    parser.add_argument("--remove", action="append", default=[], metavar="DATE[..DATE]", help="删除调整")
    parser.add_argument("--note", default="", help="说明，如“春节”")
    parser.add_argument("--json", action="store_true", help="输出 JSON")


def _days(text: str) -> list:
    from datetime import date, timedelta

    from core.common.errors import UserError
    try:
        first, _, last = text.partition("..")
        a = date.fromisoformat(first.strip())
        b = date.fromisoformat(last.strip()) if last else a
    except ValueError:
        raise UserError(f"日期“{text}”格式不对，请写成 2027-02-06 或 2027-02-06..2027-02-12。") from None
    if b < a or (b - a).days > 60:
        raise UserError(f"日期区间“{text}”不对：结束日应不早于开始日，且不超过 60 天。")
    return [a + timedelta(days=i) for i in range((b - a).days + 1)]


def run(args, ledger) -> int:
    from datetime import date

    from core.tracking.workdays import covered_by_package, list_overrides, remove_overrides, set_overrides

    changes = {d: False for text in args.off for d in _days(text)}
    changes.update({d: True for text in args.work for d in _days(text)})
    removed = [d for text in args.remove for d in _days(text)]
    if changes:
        set_overrides(ledger, changes, args.note)
    if removed:
        remove_overrides(ledger, removed)
    year = args.year or (min(changes or removed).year if (changes or removed) else date.today().year)
    rows = list_overrides(ledger, year)
    covered = covered_by_package(year)
    if args.json:
        print_json({"year": year, "covered_by_calendar": covered,
                    "overrides": [{"day": r["day"], "workday": r["workday"], "note": r["note"]} for r in rows]})
        return 0
    say(f"{year}年：" + ("内置日历已包含法定节假日和调休。" if covered else
                         ("按录入的调整计算。" if rows else "内置日历未覆盖，且尚未录入，按周一至周五估算。")))
    for r in rows:
        say(f"{r['day'].isoformat()}  {'调休上班' if r['workday'] else '放假'}  {r['note']}")
    return 0
