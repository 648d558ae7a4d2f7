"""`stats`: the year in figures per unit, task, leader and month (统计表), and the 考评表 (--kaoping)."""
from __future__ import annotations

import sys

from ._output import print_json, say

NAME = "stats"
ORDER = 82
HELP = "统计与考评：各单位、任务、领导、领域逐月统计（统计表）；--kaoping 考评表（得分、扣分明细、排名）"


def add_arguments(parser) -> None:
    parser.add_argument("--year", type=int, help="立项年度（默认最近一年）")
    parser.add_argument("--from", dest="first", metavar="YYYY-MM", help="从哪个月起（默认1月）")
    parser.add_argument("--to", dest="last", metavar="YYYY-MM", help="到哪个月止（默认上个月）")
    parser.add_argument("--unit", help="只看一个单位（单位全称）")
    parser.add_argument("--kaoping", action="store_true", help="考评表：按“设置”中的考评规则计分、排名，逐条列出扣分")
    parser.add_argument("--today", help="按哪一天计算逾期 YYYY-MM-DD（默认今天）")
    parser.add_argument("--out", help="写出 .xlsx（统计表，或 --kaoping 时的考评表），A4 打印")
    parser.add_argument("--json", action="store_true", help="输出 JSON")


def run(args, ledger) -> int:
    from cli.summary import parse_today
    from core.common.errors import UserError
    from core.ledger.settings import office_name

    today = parse_today(args.today)
    years = None
    if not args.kaoping and (args.json or args.out):   # year over year's read runs on its own thread while pandas is imported
        from core.stats.years_read import Prefetch
        years = Prefetch(ledger, today)
    from core.stats.report import as_json, year_stats
    s = year_stats(ledger, args.year, today, args.first, args.last, with_years=not args.kaoping, years=years)
    if s.data.warning:
        sys.stderr.write(f"注意：{s.data.warning}\n")
    if args.unit is not None and args.unit not in set(s.units["unit"]):
        raise UserError(f"单位“{args.unit}”不在 {s.data.year} 年的报送名单中。请写单位全称（units 命令可列出全部单位）。")
    if args.out:
        from pathlib import Path

        from core.stats.workbook import write_kaoping, write_stats
        write = write_kaoping if args.kaoping else write_stats
        path = write(s, Path(args.out), office_name(ledger), today)
        sys.stderr.write(f"已写出{'考评表' if args.kaoping else '统计表'} {path}\n")
    if args.json:
        doc = as_json(s, args.unit)
        print_json(doc["kaoping"] | {"year": doc["year"]} if args.kaoping else doc)
    elif not args.out:
        _print(s, args)
    return 0


def _print(s, args) -> None:
    from core.stats.kaoping import rules_text
    if args.kaoping:
        for row in s.scores.itertuples(index=False):
            if args.unit in (None, row.unit):
                say(f"{row.rank:>3}  {row.unit}  {row.score:g} 分")
        if args.unit is not None:
            for line in s.deductions[s.deductions["unit"] == args.unit].itertuples(index=False):
                say(f"     {line.points:+g}  {line.detail}" + (f"（{line.task}）" if line.task else ""))
        say(rules_text(s.rules))
        return
    for row in s.units.itertuples(index=False):
        if args.unit in (None, row.unit):
            say(f"{row.unit}  应报 {row.forms_due}  按时 {row.on_time}  逾期 {row.late}（{row.late_workdays} 个工作日）"
                f"  未报 {row.missing}  退回 {row.returned_files}  照抄 {row.copied_rows}  填是滞后 {row.contradicted_rows}"
                f"  牵头 {row.tasks_lead}  配合 {row.tasks_co}  滞后月次 {row.task_months_behind}  办结 {row.tasks_closed}")
