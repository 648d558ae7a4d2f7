"""`import-ledger FILE.xlsx`: fill an EMPTY ledger from a whole-ledger export workbook, nothing lost."""
from __future__ import annotations

from pathlib import Path

from ._output import print_json, say

NAME = "import-ledger"
ORDER = 93
HELP = "把 export 导出的整本台账工作簿导入到空台账（编号与任务标识保持不变）"


def add_arguments(parser) -> None:
    parser.add_argument("file", help="export 生成的 .xlsx 文件")
    parser.add_argument("--json", action="store_true", help="输出 JSON")


def run(args, ledger) -> int:
    from core.ledger.import_xlsx import import_ledger
    counts = import_ledger(ledger, Path(args.file)).value
    if args.json:
        print_json({"rows": counts})
    else:
        say(f"已导入：任务 {counts.get('task', 0)} 项，单位 {counts.get('unit', 0)} 个，"
            f"进展 {counts.get('progress_row', 0)} 行，痕迹 {counts.get('audit', 0)} 条。")
    return 0
