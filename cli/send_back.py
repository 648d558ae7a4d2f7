"""`send-back`: 退回 — the rows not accepted, with the clerk's comment, into a 退回 workbook and an .eml draft."""
from __future__ import annotations

from pathlib import Path

from ._output import print_json, say

NAME = "send-back"
ORDER = 60.5
HELP = "退回：把一份收文中不接受的行连同意见写进退回表，并生成发给该单位的邮件草稿"


def add_arguments(parser) -> None:
    parser.add_argument("--submission", type=int, required=True, help="收文编号（collect --json 的 submission_id）")
    parser.add_argument("--row", action="append", default=[], metavar="序号",
                        help="先把这一行标为不接受（任务序号，如 13 或 实事3；可多次）；不写则退回已标为不接受的行")
    parser.add_argument("--comment", default="", help="退回意见，写在这些行旁边")
    parser.add_argument("--out", help="保存到的文件夹（默认：发件箱下的“退回”）")
    parser.add_argument("--json", action="store_true", help="输出 JSON")


def run(args, ledger) -> int:
    from core.ledger.settings import outbox_dir
    from core.returns.send_back import reject_rows, send_back
    if args.row:
        reject_rows(ledger, args.submission, args.row, args.comment)
    out = send_back(ledger, args.submission, Path(args.out) if args.out else outbox_dir(ledger) / "退回").value
    if args.json:
        print_json({k: str(v) if isinstance(v, Path) else v for k, v in out.items()})
    else:
        say(f"已退回{out['unit']} {out['rows']} 行：{out['workbook']}；邮件草稿 {out['eml']}"
            + ("（该单位没有邮箱，请补充后再发）" if not out["email"] else f"（发往 {out['email']}）"))
    return 0
