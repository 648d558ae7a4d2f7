"""`close-task`: mark a task 办结 (date, note, evidence file) or undo it, from the command line."""
from __future__ import annotations

from ._output import print_json, say

NAME = "close-task"
ORDER = 76
HELP = "任务办结（销号）或撤销办结：--kind key|livelihood --seq N --date YYYY-MM-DD [--note] [--evidence FILE] [--undo]"


def add_arguments(parser) -> None:
    parser.add_argument("--year", type=int, help="立项年度（默认最近一年）")
    parser.add_argument("--kind", choices=("key", "livelihood"), default="key", help="重点任务 key / 民生实事 livelihood")
    parser.add_argument("--seq", type=int, required=True, help="序号")
    parser.add_argument("--date", help="办结日期 YYYY-MM-DD（默认今天）")
    parser.add_argument("--note", default="", help="办结说明")
    parser.add_argument("--evidence", help="佐证材料文件（存入台账文件库）")
    parser.add_argument("--undo", action="store_true", help="撤销办结")
    parser.add_argument("--json", action="store_true", help="输出 JSON")


def run(args, ledger) -> int:
    from datetime import date

    from core.tracking.closure import close_task, closure_of, reopen_task
    from core.common.errors import UserError
    from core.ledger.queries import KIND_NAMES, list_tasks

    tasks = [t for t in list_tasks(ledger, args.year) if t["kind"] == args.kind and t["seq"] == args.seq]
    if not tasks:
        raise UserError(f"找不到{KIND_NAMES[args.kind]}第 {args.seq} 项。请用 tasks 命令查看序号。")
    task = tasks[0]
    if args.undo:
        reopen_task(ledger, task["id"], args.note or "撤销办结")
    else:
        close_task(ledger, task["id"], args.date or date.today().isoformat(), args.note, args.evidence)
    info = closure_of(ledger, task["id"])
    result = {"kind": task["kind"], "seq": task["seq"], "closed_on": info["day"] if info else None,
              "note": info["note"] if info else "", "evidence": info["evidence_name"] if info else ""}
    if args.json:
        print_json(result)
    elif info:
        say(f"{KIND_NAMES[task['kind']]}第 {task['seq']} 项已于 {info['day'].isoformat()} 办结。")
    else:
        say(f"{KIND_NAMES[task['kind']]}第 {task['seq']} 项已撤销办结。")
    return 0
