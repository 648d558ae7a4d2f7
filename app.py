"""督查台账 entry point: no subcommand opens the window; a subcommand runs the command-line interface."""
from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def window_parser(add_help: bool = True) -> argparse.ArgumentParser:
    """The options of the window itself (no subcommand)."""
    parser = argparse.ArgumentParser(
        prog="python app.py", add_help=add_help,
        description="督查台账：立项导入、表格下发、收文合并、督办与通报。不带子命令时打开窗口。")
    parser.add_argument("--ledger", help="台账文件路径（默认在用户数据目录），或共享台账的连接串 postgresql://用户名@服务器/数据库名")
    parser.add_argument("--demo", action="store_true", help="在演示台账（2026年任务和当年的报送记录）上打开")
    parser.add_argument("--smoke-test", action="store_true", help=argparse.SUPPRESS)  # the build test: show, print OK, quit
    return parser


def build_parser(command: str | None = None):
    """The whole command line; given the subcommand's name, only that subcommand (the others are not imported)."""
    import cli
    found = cli.find(command) if command else None
    parser = window_parser()
    sub = parser.add_subparsers(dest="command", metavar="子命令")
    for module in [found] if found else cli.discover():
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        p.add_argument("--ledger", dest="sub_ledger", help="台账文件路径，或共享台账的连接串 postgresql://用户名@服务器/数据库名")
        module.add_arguments(p)
        p.set_defaults(handler=module)
    return parser


def ledger_path(args) -> Path | str:
    from core.common import paths
    chosen = getattr(args, "sub_ledger", None) or args.ledger
    if chosen:
        from core.ledger.location import is_server
        return chosen if is_server(chosen) else Path(chosen)
    if args.demo:
        from core.demo import demo_ledger_path
        return demo_ledger_path()
    return paths.default_ledger_path()


@contextmanager
def imports_kept(whole_process: bool):
    """Imports that live until the command's process exits (SQLAlchemy: a few hundred thousand objects, none ever
    garbage) are made with the cycle collector paused and then set aside from it (gc.freeze), so the command's own
    work is not slowed by the collector walking them again and again (70 ms of a 63-unit generate). Collection
    resumes after, every YOUNG_OBJECTS new containers instead of 700 (most die young: each is walked less often).
    Only for a whole process: a caller running commands in its own process keeps its collector as is."""
    import gc
    if not whole_process:
        yield
        return
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])
        if was_enabled:
            gc.enable()


YOUNG_OBJECTS = 50_000   # a few MB at most before a collection; a 63-unit generate makes a handful of collections


def quiet_stdout() -> None:
    """Point standard output at the null device, so the interpreter's last flush does not fail on a closed pipe."""
    import os
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):   # no real stdout (a windowed build's None, a caller's stream)
        pass


def main(argv: list[str] | None = None, whole_process: bool = False) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # the window needs none of the subcommands: reading their modules would cost its start a third of a second
    window_args, rest = window_parser(add_help=False).parse_known_args(argv)
    if not rest and not {"-h", "--help"} & set(argv):
        from ui.app_main import run_window
        window_args.command = None
        return run_window(window_args)
    parser = build_parser(rest[0] if rest and not rest[0].startswith("-") else None)
    args = parser.parse_args(argv)
    if args.command is None:
        from ui.app_main import run_window
        return run_window(args)
    from core.common.errors import UserError
    with imports_kept(whole_process):
        from core.common.logs import setup_logging
        from core.ledger.store import Ledger
    log = setup_logging()
    try:
        path = ledger_path(args)
        if args.demo:
            from core.common.work import Work
            from core.demo import ensure_demo_ledger
            ensure_demo_ledger(Path(path), work=Work(lambda _d, _t, text: (sys.stderr.write(text + "\n"), sys.stderr.flush())))
        ledger = Ledger(path)
        try:
            return int(args.handler.run(args, ledger) or 0)
        finally:
            ledger.close()
    except UserError as exc:
        sys.stderr.write(f"错误：{exc.message}\n")
        return 2
    except BrokenPipeError:  # the reader of our output stopped early (`… --json | head`): quiet, as other commands are
        quiet_stdout()
        return 1
    except OSError as exc:  # locked file, read-only folder, full disk: the environment, not our bug
        from core.common.os_errors import describe_os_error
        log.warning("command %s: %s %s", args.command, type(exc).__name__, getattr(exc, "filename", ""))
        sys.stderr.write(f"错误：{describe_os_error(exc)}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("已取消。\n")
        return 130
    except Exception as exc:  # our bug: keep the trace in the log, tell the clerk plainly
        from sqlalchemy.exc import OperationalError
        if isinstance(exc, OperationalError) and getattr(args, "handler", None) is not None:
            from core.ledger.store import server_error_message   # a shared ledger's server went away mid-work
            log.warning("command %s: database %s", args.command, type(getattr(exc, "orig", exc)).__name__)
            sys.stderr.write(f"错误：{server_error_message(str(ledger_path(args)), exc)}\n")
            return 2
        log.exception("command %s failed", args.command)
        sys.stderr.write(f"内部错误：{type(exc).__name__}: {exc}。详情已写入日志，请联系技术支持。\n")
        return 1


if __name__ == "__main__":
    sys.exit(main(whole_process=True))
