"""`backup [--out FILE]`: a consistent copy of the ledger; `--list`, `--preview FILE`, `--restore FILE` for the rest."""
from __future__ import annotations

from pathlib import Path

from ._output import print_json, say

NAME = "backup"
ORDER = 90
HELP = "备份台账（一致性副本；默认存入台账旁的备份文件夹，并按保留规则清理旧备份）；也可列出、预览、恢复备份"


def add_arguments(parser) -> None:
    parser.add_argument("--out", help="备份到指定文件（或文件夹）")
    parser.add_argument("--list", action="store_true", help="列出已有备份和保留规则")
    parser.add_argument("--preview", metavar="FILE", help="查看一份备份中有什么（不改动任何东西）")
    parser.add_argument("--restore", metavar="FILE", help="用这份备份替换当前台账（先自动备份当前台账）")
    parser.add_argument("--json", action="store_true", help="输出 JSON")


def run(args, ledger) -> int:
    from core.ledger.backup import backup_now, describe_retention, get_retention, list_backups, preview_backup, restore_backup
    if args.list:
        backups = list_backups(ledger.path)
        if args.json:
            print_json([b.as_json() for b in backups])
        else:
            say(f"保留规则：{describe_retention(get_retention(ledger))}")
            for b in backups:
                say(f"{b.taken_at:%Y-%m-%d %H:%M:%S}  {b.reason}  {b.size // 1024} KB  {b.path}")
        return 0
    if args.preview:
        prev = preview_backup(Path(args.preview))
        print_json(prev.as_json()) if args.json else say(prev.summary())
        return 0
    if args.restore:
        path = ledger.location if ledger.is_server else Path(ledger.path)
        ledger.close()
        safety = restore_backup(path, Path(args.restore))
        if args.json:
            print_json({"restored_from": args.restore, "safety_copy": str(safety) if safety else None})
        else:
            say(f"已从“{Path(args.restore).name}”恢复。恢复前的台账已备份到：{safety}")
        return 0
    target = backup_now(ledger, "manual", Path(args.out) if args.out else None)
    if args.json:
        print_json({"path": str(target), "size": target.stat().st_size})
    else:
        say(f"已备份到：{target}")
    return 0
