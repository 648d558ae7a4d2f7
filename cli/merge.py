"""`merge`: apply the staged changes the clerk accepted (or, with --all, every staged change)."""
from __future__ import annotations

from ._output import print_json, say

NAME = "merge"
ORDER = 61
HELP = "合并：把已接受的差异写入台账（--all：全部接受后合并），合并前自动备份"


def add_arguments(parser) -> None:
    parser.add_argument("--all", action="store_true", help="接受全部待审核的差异后合并")
    parser.add_argument("--submission", type=int, action="append", help="只合并这份收文（编号，可多次）")
    parser.add_argument("--json", action="store_true", help="输出 JSON")


def run(args, ledger) -> int:
    from core.returns.merge import merge
    summary = merge(ledger, submission_ids=args.submission, accept_all=args.all).value
    if args.json:
        print_json(summary)
    else:
        say(f"合并 {summary['files']} 份文件，写入 {summary['fields']} 处；尚待审核 {summary['pending']} 处。"
            + (f"今日备份：{summary['backup']}" if summary["backup"] else ""))
        for item in summary["skipped"]:
            say(f"未合并第 {item['id']} 号：{item['reason']}")
    return 0
