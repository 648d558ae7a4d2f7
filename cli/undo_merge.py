"""`undo-merge`: revert the last merge (fields back to their audited old values, created rows removed), itself audited."""
from __future__ import annotations

from ._output import print_json, say

NAME = "undo-merge"
ORDER = 61.5
HELP = "撤销上次合并（恢复合并前的值，报送回到待审核；之后若有修改涉及同一行则拒绝）"


def add_arguments(parser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="只显示将撤销什么")
    parser.add_argument("--json", action="store_true", help="输出 JSON")


def run(args, ledger) -> int:
    from core.common.errors import UserError
    from core.returns.merge_undo import find_last_merge, undo_last_merge
    if args.dry_run:
        found = find_last_merge(ledger)
        if found is None:
            raise UserError("没有可以撤销的合并：台账中找不到尚未撤销的合并记录。")
        result = {"files": len(found["submissions"]), "fields": found["fields"], "batches": len(found["batches"])}
    else:
        result = dict(undo_last_merge(ledger).value)
    if args.json:
        print_json(result)
    else:
        say(f"{'将撤销' if args.dry_run else '已撤销'}上次合并：{result['files']} 份报送，{result['fields']} 个字段"
            + (f"，删除合并新增的 {result['rows_deleted']} 行" if result.get("rows_deleted") else "")
            + (f"。今日备份：{result['backup']}" if result.get("backup") else "。"))
    return 0
