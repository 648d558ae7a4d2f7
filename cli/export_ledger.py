"""`export --out FILE.xlsx`: the whole ledger as one workbook (every table; text kept exactly, never as formulas)."""
from __future__ import annotations

from pathlib import Path

from ._output import print_json, say

NAME = "export"
ORDER = 92
HELP = "把整个台账导出为一个 .xlsx 工作簿（可拷到另一台电脑用 import-ledger 导入）"


def add_arguments(parser) -> None:
    parser.add_argument("--out", required=True, help="导出的 .xlsx 文件")
    parser.add_argument("--json", action="store_true", help="输出 JSON")


def run(args, ledger) -> int:
    from core.common.errors import UserError
    from core.ledger.export_xlsx import export_ledger, files_folder
    from core.ledger.file_store import copy_out
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise UserError(f"导出文件名“{out.name}”应以 .xlsx 结尾。")
    counts = export_ledger(ledger, out)
    files = copy_out(ledger, files_folder(out))   # the received files travel beside the workbook (import-ledger reads them)
    if args.json:
        print_json({"path": str(out), "rows": counts, "files_dir": str(files_folder(out)), "files_copied": files})
    else:
        say(f"已导出到：{out}（任务 {counts.get('task', 0)} 项，进展 {counts.get('progress_row', 0)} 行，"
            f"痕迹 {counts.get('audit', 0)} 条）；"
            f"收到的原始文件在“{files_folder(out).name}”文件夹中，拷贝时请一并带上。")
    return 0
