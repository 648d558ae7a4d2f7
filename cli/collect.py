"""`collect`: read returned files, folders, .zip, .eml; identify, diff and stage them for review."""
from __future__ import annotations

from ._output import print_json, say

NAME = "collect"
ORDER = 60
HELP = "收文：读取单位报回的表格（文件、文件夹、.zip、.eml），识别并列出差异，暂存待审核"


def add_arguments(parser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="报回的文件、文件夹、压缩包或邮件")
    parser.add_argument("--json", action="store_true", help="输出 JSON")


def run(args, ledger) -> int:
    from core.common.vocabulary import SUBMISSION_STATUS_NAMES as STATUS_NAMES
    from core.returns.collect import collect
    results = collect(ledger, args.paths)
    if args.json:
        keys = ("path", "status", "unit", "form", "period", "changes", "message", "submission_id")
        print_json([{k: v for k, v in r.items() if k in keys} for r in results])
    else:
        for r in results:
            say(f"{STATUS_NAMES.get(r['status'], r['status'])}\t{r['unit'] or '？'}\t{r['period'] or ''}\t"
                f"{r['changes']} 处变化\t{r['path']}" + (f"\n\t{r['message']}" if r["message"] else ""))
    return 0
