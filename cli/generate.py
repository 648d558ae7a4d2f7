"""`generate`: each unit's pre-filled 附件3 (plan) or 附件4 (report) workbook and .eml draft, in a new outbox folder."""
from __future__ import annotations

from pathlib import Path

from ._output import print_json, say

NAME = "generate"
ORDER = 40
HELP = "下发：为各单位生成预填的落实计划表（附件3）或落实情况表（附件4）及邮件草稿"


def add_arguments(parser) -> None:
    parser.add_argument("--form", required=True, choices=["plan", "report"],
                        help="plan = 落实计划表（附件3）；report = 落实情况表（附件4）")
    parser.add_argument("--period", help="report 必填，如 2026-03；plan 为年度（默认立项年度）")
    parser.add_argument("--out", required=True, help="发件箱文件夹（其下新建本次下发的文件夹）")
    parser.add_argument("--unit", action="append", dest="units", metavar="NAME",
                        help="只为该单位生成（可重复；默认全部有任务的单位）")
    parser.add_argument("--templates", help="模板文件夹（默认 templates_xlsx）")
    parser.add_argument("--no-eml", action="store_true", help="不生成 .eml 邮件草稿")
    parser.add_argument("--json", action="store_true", help="输出 JSON")


def run(args, ledger) -> int:
    from core.forms.generate import generate
    from core.tracking.deadlines import form_due
    due = form_due(ledger, args.form, args.period)
    results = generate(ledger, args.form, args.period, Path(args.out), unit_names=args.units,
                       with_eml=not args.no_eml, templates_dir=Path(args.templates) if args.templates else None,
                       due=due)
    if args.json:
        print_json([{"unit": r["unit"], "form": r["form"], "period": r["period"], "path": r["path"],
                     "tasks": r["tasks"], "eml": r["eml"], "email": r["email"]} for r in results])
        return 0
    folder = Path(results[0]["path"]).parent
    say(f"已生成 {len(results)} 份，保存在：{folder}")
    missing = [r["unit"] for r in results if not r["email"]]
    if missing:
        say(f"以下单位没有邮箱地址，邮件草稿未填收件人：{'、'.join(missing)}")
    return 0
