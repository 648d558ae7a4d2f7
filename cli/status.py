"""`status`: the submission matrix — who has reported the 计划表 and a month's 落实情况表, who is late by working days."""
from __future__ import annotations

import sys
from datetime import date

from ._output import print_json, say

NAME = "status"
ORDER = 75
HELP = "报送情况：各单位计划表和某月落实情况表的已报/未报/逾期（按工作日计）"


def add_arguments(parser) -> None:
    parser.add_argument("--period", help="落实情况表月份 YYYY-MM（默认上个月）")
    parser.add_argument("--today", help="按哪一天计算逾期 YYYY-MM-DD（默认今天）")
    parser.add_argument("--year", type=int, help="立项年度（默认与月份同年，或最近一年）")
    parser.add_argument("--form", choices=("plan", "report"), action="append",
                        help="只看计划表（plan）或落实情况表（report），可重复；默认两者")
    parser.add_argument("--late-count", action="store_true",
                        help="只列各单位逾期次数（当年1月至该月逾期已报或未报逾期的表数，与督办页“逾期次数”一栏相同）")
    parser.add_argument("--remind", metavar="DIR",
                        help="同时在该文件夹写出催报单（.xlsx）和催报邮件草稿（.eml）：截至 --today 仍欠报的全部表格"
                             "（计划表和各月落实情况表），每个单位一行、一封邮件")
    parser.add_argument("--tasks", action="store_true",
                        help="只列该月任务结论（完成/未完成/未报/办结）和红黄绿蓝灯数，与简报、通报、汇总表、领导页相同")
    parser.add_argument("--json", action="store_true", help="输出 JSON")


def run(args, ledger) -> int:
    from core.tracking.deadlines import format_cn, parse_period
    from core.common.errors import UserError
    from core.tracking.states import default_period, submission_matrix
    from core.tracking.status_view import status_campaign, status_rows, unit_late_counts

    try:
        today = date.fromisoformat(args.today) if args.today else date.today()
    except ValueError:
        raise UserError(f"日期“{args.today}”格式不对，请写成 2026-04-13。") from None
    period = args.period or default_period(today)
    parse_period(period)   # a malformed month is refused before anything is read
    cid = status_campaign(ledger, period, args.year)
    forms = tuple(args.form or ("plan", "report"))
    matrix = submission_matrix(ledger, cid, period, today, forms=forms)
    if matrix.warning:
        sys.stderr.write(f"注意：{matrix.warning}\n")
    if args.tasks:   # the one definition the documents use (core.tracking.verdict)
        from core.tracking.verdict import task_verdicts, task_counts_line, verdict_counts
        figures = verdict_counts(task_verdicts(ledger, cid, period, today))
        if args.json:
            print_json({"period": period, "as_of": today, **figures})
        else:
            say(task_counts_line(period, today, figures))
    elif args.late_count:   # over the year's months through --period, as the 督办 page counts them
        unit_names, counts = unit_late_counts(ledger, cid, period, today, forms)
        if args.json:
            print_json([{"unit": unit_names[u], "late_count": n} for u, n in counts.items()])
        else:
            for u, n in counts.items():
                say(f"{unit_names[u]}  逾期 {n} 次")
    elif args.json:
        print_json(status_rows(matrix))
    else:
        names = {"plan": "计划表", "report": "落实情况表"}
        for r in matrix:
            received = r["received"].strftime("%Y-%m-%d %H:%M") if r["received"] else ""
            say(f"{r['unit']}  {names[r['form']]} {r['period']}  {r['state']}  截止 {format_cn(r['due'])}"
                + (f"  收到 {received}" if received else ""))
    if args.remind:
        from pathlib import Path

        from core.ledger.settings import mail_from
        from core.tracking.reminders import (
            outstanding_rows, outstanding_title, write_reminder_emls, write_reminder_sheet,
        )
        rows = outstanding_rows(ledger, cid, today, forms=forms)   # the same rule as 督办's 催报 buttons
        out = Path(args.remind)
        sheet = write_reminder_sheet(rows, out / f"催报单-{today.isoformat()}.xlsx", today, outstanding_title(today),
                                     per_unit=True)
        drafts = write_reminder_emls(rows, out, today, sender=mail_from(ledger), per_unit=True)
        sys.stderr.write(f"已写出催报单 {sheet} 和 {len(drafts)} 封催报邮件草稿（{len(drafts)} 个单位、"
                         f"{len(rows)} 份表格）。\n")
    return 0
