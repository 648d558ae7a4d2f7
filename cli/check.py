"""`check [--json]`: SQLite integrity, foreign keys, every referenced file present in the store with its hash."""
from __future__ import annotations

import sys

from ._output import print_json, say

NAME = "check"
ORDER = 91
HELP = "检查台账完整性（数据库结构、外键、收存文件及其校验值）；有问题时返回非零"


def add_arguments(parser) -> None:
    parser.add_argument("--json", action="store_true", help="输出 JSON")
    parser.add_argument("--quick", action="store_true", help="不重新计算收存文件的校验值")


def run(args, ledger) -> int:
    from core.ledger.integrity import check_ledger
    result = check_ledger(ledger, verify_files=not args.quick)
    if args.json:
        print_json(result.as_json())
    elif result.ok:
        say(result.summary())
    if not result.ok:
        sys.stderr.write("错误：" + result.summary() + "\n")
        return 3
    return 0
