"""The demo ledger: the 2026 tasks and contacts from resources/demo and a year of returns played through the real code."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from core.common import paths
from core.common.work import Work, given

DEMO_DIR = paths.RESOURCES / "demo"
DEMO_PLAN = DEMO_DIR / "2026-立项表.docx"
DEMO_CONTACTS = DEMO_DIR / "2026-单位通讯录.xlsx"
OUTBOX = "演示发件箱"       # beside the demo ledger: the forms the demo year sent out
BUILDING = ".demo-building-"   # prefix of the folder a first start builds in


def demo_ledger_path() -> Path:
    return paths.data_dir() / "demo" / "演示台账.sqlite3"


def ensure_demo_ledger(path: Path | None = None, history: bool = True,
                       work: Work | None = None) -> Path:
    """Create the demo ledger when it is not there yet; an existing one is left as the clerk left it.

    `history`: besides the tasks and contacts, a year of returns (see core/demo/year.py). The ledger is built
    in a folder beside it and renamed into place last, so a first start that is killed leaves no half demo.
    """
    path = Path(path or demo_ledger_path())
    if is_built(path):
        return path
    build(path, history, work)
    return path


def is_built(path: Path) -> bool:
    """True when `path` is a ledger holding tasks (a demo already built, or one the clerk changed since)."""
    if not path.is_file():
        return False
    try:   # read-only, with sqlite3 alone: the window opens (and if need be migrates) the ledger right after
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return bool(conn.execute("SELECT EXISTS(SELECT 1 FROM task WHERE active AND campaign_id = "
                                     "(SELECT id FROM campaign ORDER BY year DESC LIMIT 1))").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:   # not a ledger, damaged or locked: the ledger's own check says which, in Chinese
        from core.ledger.queries import list_tasks
        from core.ledger.store import Ledger
        ledger = Ledger(path)
        try:
            return bool(list_tasks(ledger))
        finally:
            ledger.close()


def build(path: Path, history: bool = True, work: Work | None = None) -> dict:
    """Build the demo ledger at `path` (replacing what is there); returns {period: counts} and the seconds taken."""
    from core.ledger.store import Ledger
    started = time.perf_counter()
    work = given(work)

    def say(text: str) -> None:
        work.report(0, 0, text)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _clean_leftovers(path)
    folder = Path(tempfile.mkdtemp(prefix=BUILDING, dir=path.parent))
    try:
        target = folder / path.name
        ledger = Ledger(target)
        _fast_writes(ledger)
        try:
            say("首次使用：正在生成演示台账，约需一两分钟……")
            say("导入2026年立项表和单位通讯录")
            _import_tasks(ledger)
            summary: dict = {}
            if history:
                from core.demo.year import build_year
                summary = build_year(ledger, folder, work=work)
                # new 下发 go to the ledger's visible output folder (设置); the year's own forms stay in 演示发件箱
                _keep_last_backup(folder / f"{path.stem}-backups")
                _repoint(ledger, folder, path.parent)
        finally:
            ledger.close()
        _checkpoint(target)
        for name, dest in ((f"{path.stem}-files", f"{path.stem}-files"),
                           (f"{path.stem}-backups", f"{path.stem}-backups"), ("发件箱", OUTBOX)):
            shutil.rmtree(path.parent / dest, ignore_errors=True)   # a ledger without tasks is being replaced
            if (folder / name).exists():
                (folder / name).replace(path.parent / dest)
        for suffix in ("-wal", "-shm", "-journal"):   # never let an old log meet the new file
            Path(str(path) + suffix).unlink(missing_ok=True)
        target.replace(path)   # last: the ledger appears only when everything beside it is in place
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    summary["seconds"] = round(time.perf_counter() - started, 1)
    say(f"演示台账已生成（用时 {summary['seconds']:.0f} 秒）。")
    return summary


def _fast_writes(ledger) -> None:
    """The build folder is thrown away if the build stops, so its writes need no sync per transaction;
    the finished file is checkpointed before it is renamed into place."""
    from sqlalchemy import event
    event.listen(ledger.engine, "connect", lambda dbapi_conn, _record: dbapi_conn.execute("PRAGMA synchronous=OFF"))
    ledger.engine.dispose()


def _import_tasks(ledger) -> None:
    from core.campaign.importing import apply_import, file_ref, preview_import
    from core.campaign.read import read_plan_file
    from core.units.contacts_import import apply_contacts, read_contacts
    preview = preview_import(ledger, read_plan_file(DEMO_PLAN), None, file_ref(DEMO_PLAN))
    apply_import(ledger, preview)
    apply_contacts(ledger, read_contacts(DEMO_CONTACTS), file_ref(DEMO_CONTACTS))


def _clean_leftovers(path: Path) -> None:
    """What a killed first start left: its build folder, and files, backups and outbox beside no ledger."""
    folder = path.parent
    for stale in folder.glob(BUILDING + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    if not path.exists():
        for name in (f"{path.stem}-files", f"{path.stem}-backups", OUTBOX):
            shutil.rmtree(folder / name, ignore_errors=True)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)


def _keep_last_backup(folder: Path) -> None:
    """The build's merges each took a backup; the demo keeps the last one (what 撤销上次合并 reads), not 30 MB."""
    backups = sorted(folder.glob("*.sqlite3"), key=lambda p: p.stat().st_mtime)
    for old in backups[:-1]:
        old.unlink(missing_ok=True)


def _repoint(ledger, work: Path, final: Path) -> None:
    """Paths the build recorded (the outbox of each dispatch, the pre-merge backups) name the build folder: point
    them at where the folder's contents are moved to. Plain text replacement in the demo's own rows."""
    from sqlalchemy import func, update

    from core.ledger import schema
    old_outbox, new_outbox = str(work / "发件箱"), str(final / OUTBOX)
    old, new = str(work), str(final)
    with ledger.begin() as conn:
        d, di, m = schema.dispatch, schema.dispatch_item, schema.meta
        conn.execute(update(d).values(out_dir=func.replace(d.c.out_dir, old_outbox, new_outbox)))
        conn.execute(update(di).values(path=func.replace(di.c.path, old_outbox, new_outbox)))
        for a, b in ((old, new), (json.dumps(old)[1:-1], json.dumps(new)[1:-1])):   # as written, and inside JSON
            conn.execute(update(m).where(m.c.key.like("setting:%")).values(value=func.replace(m.c.value, a, b)))


def _checkpoint(target: Path) -> None:
    """Fold the write-ahead log into the file before it is renamed (the -wal file would not follow)."""
    con = sqlite3.connect(str(target))
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    with open(target, "rb+") as fh:
        os.fsync(fh.fileno())
