"""Automatic and manual backups of the ledger: take, list, preview, prune by a retention rule, restore.

A SQLite ledger is copied whole (.sqlite3); a server ledger is copied into a SQLite ledger file
(core/ledger/server_copy.py: every table in one snapshot, 2 s at ten years where its whole-ledger .xlsx export took
21 s) kept in this PC's folder for that ledger, and restored from it; its older .xlsx backups still restore.
The received files of a server ledger stay in its database: a restore keeps them.

Disk at ten years (issue 31): the daily copy is skipped when the ledger has not changed since the last full copy
(its file, WAL and newest rows as they were when that copy was taken), and retention thins older copies to one a
week (`WEEKLY_WEEKS`) beyond the daily window; the newest copy, and the newest taken before an import, a migration
or a restore, are never pruned; every SQLite copy but the newest is kept gzip-compressed (`.sqlite3.gz`: a ten-year
ledger's 114 MB copy is 18 MB), unpacked to a temporary file when previewed or restored. Retention touches only the
backup folder, never the stored files.
"""
from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from core.ledger import migrations
from core.common import paths
from core.common.errors import UserError
from core.ledger.changes import Area, Changed, LedgerChange

BACKUPS = LedgerChange.of(Area.BACKUPS)   # what a backup or a new retention rule changes: the list of backups

RETENTION_KEY = "backup_retention"

REASONS = {  # reason code → what the clerk sees
    "manual": "手动", "merge": "合并前", "daily": "每日", "restore": "恢复前", "undo": "撤销前",
    "import": "导入前", "migration": "迁移前",
}
_STAMP = re.compile(r"-(\d{8}-\d{6})(?:-(\d+))?\.(?:sqlite3|xlsx)(?:\.gz)?$")
SUFFIXES = (".sqlite3", ".xlsx")
PACKED = ".sqlite3.gz"   # an older SQLite copy, compressed (pack_older_copies)


def _suffix(_ledger) -> str:
    return ".sqlite3"   # a server ledger's too (server_copy); .xlsx: its backups before issue 31's copy


@dataclass
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str          # Chinese label (合并前, 每日, …)
    size: int
    order: int = 1       # several backups in one second: -2, -3, …

    def as_json(self) -> dict:
        return {"path": str(self.path), "taken_at": self.taken_at.isoformat(timespec="seconds"),
                "reason": self.reason, "size": self.size}


@dataclass
class BackupPreview:
    path: Path
    schema_version: int
    tasks: int = 0
    units: int = 0
    plan_rows: int = 0
    progress_rows: int = 0
    submissions: int = 0
    audit_rows: int = 0
    latest_audit: str | None = None
    campaigns: list[dict] = field(default_factory=list)  # {year, title, tasks, progress_rows, periods}

    def as_json(self) -> dict:
        d = dict(self.__dict__)
        d["path"] = str(self.path)
        return d

    def summary(self) -> str:
        lines = [f"任务 {self.tasks} 项，单位 {self.units} 个，计划 {self.plan_rows} 行，进展 {self.progress_rows} 行，"
                 f"报送 {self.submissions} 份，痕迹 {self.audit_rows} 条；最后一次修改：{self.latest_audit or '无'}"]
        for c in self.campaigns:
            periods = "、".join(c["periods"]) if c["periods"] else "尚无进展"
            lines.append(f"{c['year']}年：任务 {c['tasks']} 项，进展 {c['progress_rows']} 行（{periods}）")
        return "\n".join(lines)


# -- settings (stored by core/settings.py under "backup_retention") -------------------------
def get_retention(ledger) -> dict:
    from core.ledger.settings import backup_retention
    rule = backup_retention(ledger)
    return {"keep_last": int(rule["keep_last"]), "keep_daily_days": int(rule["keep_daily_days"])}


def set_retention(ledger, keep_last: int, keep_daily_days: int) -> Changed[dict]:
    from core.ledger.settings import save_settings
    save_settings(ledger, settings={RETENTION_KEY: {"keep_last": keep_last, "keep_daily_days": keep_daily_days}})
    return Changed(get_retention(ledger), change=BACKUPS)


WEEKLY_WEEKS = 4   # beyond the daily window: the newest copy of each week, for this many weeks
PROTECTED = ("导入前", "迁移前", "恢复前")   # the newest of each is the state before a change no merge undo reverts


def describe_retention(rule: dict) -> str:
    return (f"保留最近 {rule['keep_last']} 份，另外 {rule['keep_daily_days']} 天内每天保留 1 份，"
            f"再往前 {WEEKLY_WEEKS} 周每周保留 1 份；最近一次导入前、迁移前、恢复前的备份始终保留；"
            "台账没有改动的日子不另存每日备份")


# -- taking backups --------------------------------------------------------------------
def backup_name(ledger_path: Path, reason: str, when: datetime | None = None, suffix: str = ".sqlite3") -> str:
    when = when or datetime.now()
    label = REASONS.get(reason, reason)
    return f"{Path(ledger_path).stem}-{label}-{when.strftime('%Y%m%d-%H%M%S')}{suffix}"


def _free_target(directory: Path, name: str) -> Path:
    """The name, or name-N with N above any taken in the same second (so names sort by age)."""
    suffix = Path(name).suffix
    stem = name.removesuffix(suffix)
    taken = [1] if (directory / name).exists() else []
    for p in directory.glob(stem + "-*" + suffix):
        tail = p.name[len(stem) + 1:].removesuffix(suffix)
        if tail.isdigit():
            taken.append(int(tail))
    return directory / name if not taken else directory / f"{stem}-{max(taken) + 1}{suffix}"


def _take(ledger, target: Path) -> Path:
    if not getattr(ledger, "is_server", False):
        return ledger.backup_to(target)
    from core.ledger.server_copy import copy_to_sqlite
    return copy_to_sqlite(ledger, target)


def take_backup(ledger) -> Changed[Path]:
    """备份 (the window's button): a manual backup now, and the change (the list of backups)."""
    return Changed(backup_now(ledger, "manual"), change=BACKUPS)


def backup_now(ledger, reason: str = "manual", out: Path | None = None, prune: bool = True) -> Path:
    """A consistent copy (SQLite backup API) into the backup folder, or to `out`; then apply retention."""
    if out is not None:
        out = Path(out)
        if out.is_dir():
            out = out / backup_name(ledger.path, reason, suffix=_suffix(ledger))
        return _take(ledger, out)
    directory = ledger.backup_dir
    directory.mkdir(parents=True, exist_ok=True)
    _clean_parts(directory)
    name = backup_name(ledger.path, reason, suffix=_suffix(ledger))
    _fold_wal(ledger)   # the WAL's frames into the file, so tomorrow's fresh session can be compared with today's
    state = fingerprint(ledger)   # read before copying: a write during the copy makes the next day's copy happen
    target = _settle(_take(ledger, directory / f".{name}.{os.getpid()}.part"), directory, name)
    _remember_copy(ledger, target, state)
    if prune:
        prune_backups(ledger, keep={target})
        pack_older_copies(ledger)
    return target


def backup_before(ledger, reason: str) -> Path:
    """What a writer calls just before a risky change (merge, undo, import): a backup kept by the rule."""
    return backup_now(ledger, reason)


def daily_backup(ledger, today: date | None = None) -> Path | None:
    """On first start of a day: back up unless a backup was already taken today, or the ledger is unchanged since
    the last full copy (that copy still in the folder). Cheap when skipped."""
    today = today or date.today()
    backups = list_backups(ledger.path)
    if any(b.taken_at.date() == today for b in backups):
        return None
    if unchanged_since_copy(ledger, backups):
        return None
    with ledger.read() as conn:  # an empty ledger needs no copy
        has_data = conn.exec_driver_sql("SELECT EXISTS(SELECT 1 FROM task) OR EXISTS(SELECT 1 FROM unit)").scalar()
    if not has_data:
        return None
    try:
        return backup_now(ledger, "daily")
    except OSError as exc:  # a full disk must not stop the app from starting; the log says why
        import logging
        logging.getLogger("ducha").warning("daily backup skipped: %s", type(exc).__name__)
        return None


# -- unchanged since the last copy ---------------------------------------------------------
def daily_copy(ledger) -> Changed[Path | None]:
    """daily_backup as a window operation: the copy taken (or None) with what it changed (the backups list)."""
    return Changed(daily_backup(ledger), change=BACKUPS)


def _copied_note(ledger) -> Path:
    return ledger.backup_dir / f".{ledger.path.stem}-last-copy.json"


def fingerprint(ledger) -> list | None:
    """What changes whenever a SQLite ledger's content does: its file and WAL (inode, size, mtime in ns; a WAL that
    holds no frames counts as none) and its newest audit, submission and change ids. None for a server ledger."""
    if getattr(ledger, "is_server", False):
        return None
    files: list = []
    for p in (Path(ledger.path), Path(f"{ledger.path}-wal")):
        try:
            st = p.stat()
        except FileNotFoundError:
            files.append(None)
            continue
        files.append(None if p.name.endswith("-wal") and st.st_size == 0 else [st.st_ino, st.st_size, st.st_mtime_ns])
    with ledger.read() as conn:
        newest = [conn.exec_driver_sql(f"SELECT max(id) FROM {table}").scalar()
                  for table in ("audit", "submission", "change")]
    return files + newest


def _fold_wal(ledger) -> None:
    """Checkpoint a SQLite ledger's WAL and truncate it, waiting at most 0.2 s for readers; when it cannot, the WAL
    stays part of the fingerprint (the next day copies again: safe, only less thrifty)."""
    if getattr(ledger, "is_server", False):
        return
    try:
        con = sqlite3.connect(ledger.path, timeout=0.2)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        pass


def _remember_copy(ledger, target: Path, state: list | None) -> None:
    if state is None:
        return
    import json
    note = _copied_note(ledger)
    try:
        tmp = note.with_name(note.name + f".{os.getpid()}.part")
        tmp.write_text(json.dumps({"copy": target.name, "state": state}), encoding="utf-8")
        os.replace(tmp, note)
    except OSError:   # no note: the next day simply copies again
        pass


def unchanged_since_copy(ledger, backups: list[BackupInfo] | None = None) -> bool:
    """True when the ledger is exactly as it was when its last full copy was taken, and that copy is still kept."""
    import json
    if getattr(ledger, "is_server", False):
        return False
    try:
        note = json.loads(_copied_note(ledger).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    backups = list_backups(ledger.path) if backups is None else backups
    if not any(b.path.name in (note.get("copy"), f"{note.get('copy')}.gz") for b in backups):
        return False
    return note.get("state") == fingerprint(ledger)


def _settle(tmp: Path, directory: Path, name: str) -> Path:
    """Give the finished copy its name without ever replacing another's: two processes backing up in the same
    second (two clerks, or the window and a command) get name and name-2."""
    while True:
        target = _free_target(directory, name)
        try:
            os.link(tmp, target)   # atomic, and fails rather than replace an existing name
        except FileExistsError:
            continue
        except OSError:   # a file system without hard links
            os.replace(tmp, target)
            return target
        tmp.unlink()
        return target


STALE_PART_S = 3600   # a .part this old is left by a killed process; a younger one may be another process's work


def _clean_parts(directory: Path) -> None:
    import time
    for part in directory.glob("*.part"):
        try:
            if time.time() - part.stat().st_mtime > STALE_PART_S:
                part.unlink()
        except OSError:
            pass


# -- listing and retention -------------------------------------------------------------
def list_backups(ledger_path: Path) -> list[BackupInfo]:
    """The backups beside a ledger, newest first."""
    directory = paths.backup_dir(Path(ledger_path))
    if not directory.is_dir():
        return []
    prefix = Path(ledger_path).stem + "-"
    found = []
    for p in directory.iterdir():
        if not p.name.endswith((*SUFFIXES, PACKED)) or not p.name.startswith(prefix):
            continue
        st = p.stat()
        m = _STAMP.search(p.name)
        try:
            taken = datetime.strptime(m.group(1), "%Y%m%d-%H%M%S") if m else datetime.fromtimestamp(st.st_mtime)
        except ValueError:
            taken = datetime.fromtimestamp(st.st_mtime)
        middle = p.name[len(prefix):m.start()] if m else p.name.split(".")[0][len(prefix):]
        reason = middle.split("-")[0] if middle else "手动"
        info = BackupInfo(p, taken, reason, st.st_size)
        info.order = int(m.group(2)) if m and m.group(2) else 1
        found.append(info)
    found.sort(key=lambda b: (b.taken_at, b.order), reverse=True)
    return found


def backups_to_prune(backups: list[BackupInfo], rule: dict, now: datetime | None = None) -> list[BackupInfo]:
    """Keep the newest `keep_last` (at least the newest one), the newest of each day within `keep_daily_days`, the
    newest of each week for `WEEKLY_WEEKS` weeks before that, and the newest copy of each PROTECTED reason (taken
    before an import, a migration, a restore); the rest go."""
    now = now or datetime.now()
    ordered = sorted(backups, key=lambda b: (b.taken_at, b.order), reverse=True)
    keep = {id(b) for b in ordered[: max(1, rule["keep_last"])]}
    seen_days, seen_weeks, seen_reasons = set(), set(), set()
    horizon = now.date() - timedelta(days=rule["keep_daily_days"])
    weekly_horizon = horizon - timedelta(weeks=WEEKLY_WEEKS)
    for b in ordered:
        d = b.taken_at.date()
        if d > horizon:
            if d not in seen_days:
                seen_days.add(d)
                keep.add(id(b))
        elif d > weekly_horizon and d.isocalendar()[:2] not in seen_weeks:
            seen_weeks.add(d.isocalendar()[:2])
            keep.add(id(b))
        if b.reason in PROTECTED and b.reason not in seen_reasons:
            seen_reasons.add(b.reason)
            keep.add(id(b))
    return [b for b in ordered if id(b) not in keep]


def prune_backups(ledger, keep: AbstractSet[Path] = frozenset(), now: datetime | None = None) -> list[Path]:
    removed = []
    for b in backups_to_prune(list_backups(ledger.path), get_retention(ledger), now):
        if b.path in keep:
            continue
        try:
            b.path.unlink()
            removed.append(b.path)
        except OSError:
            pass
    return removed


# -- older copies compressed -----------------------------------------------------------------
def pack_older_copies(ledger) -> list[Path]:
    """Every SQLite copy in the folder but the newest gzip-compressed (written beside under a .part name, synced,
    renamed, then the plain copy removed). Copies taken before a merge by an older version stay as they are: an undo of
    such a run reads them directly (core.returns.merge_undo)."""
    packed = []
    for b in list_backups(ledger.path)[1:]:
        if b.path.name.endswith(".sqlite3") and b.reason != REASONS["merge"]:
            try:
                packed.append(_pack(b.path))
            except OSError as exc:   # a full disk, a copy open elsewhere (Windows): it stays as it is
                import logging
                logging.getLogger("ducha").warning("backup not compressed: %s", type(exc).__name__)
    return packed


def _pack(path: Path) -> Path:
    import gzip
    import shutil
    target = path.with_name(path.name + ".gz")
    tmp = path.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        with open(path, "rb") as src, open(tmp, "wb") as raw:
            with gzip.GzipFile(filename=path.name, mode="wb", compresslevel=1, fileobj=raw, mtime=0) as gz:
                shutil.copyfileobj(src, gz, 1 << 20)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    try:
        path.unlink()
    except OSError:   # the plain copy cannot go (open elsewhere): keep it, drop the packed one
        target.unlink(missing_ok=True)
        raise
    return target


@contextmanager
def unpacked(path: Path) -> Iterator[Path]:
    """A SQLite copy to read: itself, or a compressed one unpacked into a temporary folder for the while."""
    path = Path(path)
    if not path.name.endswith(".gz"):
        yield path
        return
    import gzip
    import shutil
    import tempfile
    import zlib
    if not path.is_file():
        raise UserError(f"备份文件“{path.name}”不存在。")
    folder = Path(tempfile.mkdtemp(prefix="ducha-backup-"))
    try:
        plain = folder / path.name[:-3]
        try:
            with gzip.open(path, "rb") as src, open(plain, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        except (OSError, EOFError, zlib.error) as exc:
            if isinstance(exc, OSError) and not isinstance(exc, gzip.BadGzipFile) and exc.errno is not None:
                raise   # the disk, not the copy: told as any OS error
            raise UserError(f"备份文件“{path.name}”已损坏（压缩数据不完整），无法读取。请选择另一份备份。") from None
        yield plain
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- preview ---------------------------------------------------------------------------
def _open_readonly(path: Path) -> sqlite3.Connection:
    path = Path(path)
    if not path.is_file():
        raise UserError(f"备份文件“{path.name}”不存在。")
    with open(path, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise UserError(f"“{path.name}”不是台账备份文件（不是 SQLite 数据库）。请选择 .sqlite3 备份文件。")
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def _preview_export(path: Path) -> BackupPreview:
    """What a whole-ledger export (a server ledger's backup) holds."""
    from core.ledger.import_xlsx import read_export
    data, version = read_export(path), 0
    for row in data.get("meta", []):
        if row.get("key") == "schema_version":
            version = int(row["value"])
    prev = BackupPreview(Path(path), version)
    prev.tasks, prev.units = len(data["task"]), len(data["unit"])
    prev.plan_rows, prev.progress_rows = len(data["plan_row"]), len(data["progress_row"])
    prev.submissions, prev.audit_rows = len(data["submission"]), len(data["audit"])
    latest = max((r["at"] for r in data["audit"] if r.get("at")), default=None)
    prev.latest_audit = str(latest)[:19] if latest else None
    task_campaign = {t["id"]: t["campaign_id"] for t in data["task"]}
    for c in sorted(data["campaign"], key=lambda c: c["year"]):
        rows = [p for p in data["progress_row"] if task_campaign.get(p["task_id"]) == c["id"]]
        prev.campaigns.append({"year": c["year"], "title": c["title"],
                               "tasks": sum(1 for t in data["task"] if t["campaign_id"] == c["id"]),
                               "progress_rows": len(rows), "periods": sorted({p["period"] for p in rows})})
    return prev


def preview_backup(path: Path) -> BackupPreview:
    """What a backup holds, read without changing it."""
    if Path(path).suffix.lower() == ".xlsx":
        return _preview_export(path)
    with unpacked(path) as plain:
        prev = _preview_sqlite(plain)
    prev.path = Path(path)
    return prev


def _preview_sqlite(path: Path) -> BackupPreview:
    conn = _open_readonly(path)
    try:
        def one(sql, *params):
            try:
                return conn.execute(sql, params).fetchone()[0]
            except sqlite3.OperationalError:
                return 0
        try:
            version = int(one("SELECT value FROM meta WHERE key='schema_version'") or 0)
        except sqlite3.DatabaseError as exc:
            raise UserError(f"备份文件“{Path(path).name}”已损坏，无法读取：{exc}") from exc
        prev = BackupPreview(Path(path), version)
        prev.tasks = one("SELECT count(*) FROM task")
        prev.units = one("SELECT count(*) FROM unit")
        prev.plan_rows = one("SELECT count(*) FROM plan_row")
        prev.progress_rows = one("SELECT count(*) FROM progress_row")
        prev.submissions = one("SELECT count(*) FROM submission")
        prev.audit_rows = one("SELECT count(*) FROM audit")
        latest = one("SELECT max(at) FROM audit")
        prev.latest_audit = str(latest)[:19] if latest else None
        try:
            for cid, year, title in conn.execute("SELECT id, year, title FROM campaign ORDER BY year"):
                periods = [r[0] for r in conn.execute(
                    "SELECT DISTINCT p.period FROM progress_row p JOIN task t ON t.id = p.task_id "
                    "WHERE t.campaign_id = ? ORDER BY p.period", (cid,))]
                prev.campaigns.append({
                    "year": year, "title": title,
                    "tasks": one("SELECT count(*) FROM task WHERE campaign_id = ?", cid),
                    "progress_rows": one("SELECT count(*) FROM progress_row p JOIN task t ON t.id = p.task_id "
                                         "WHERE t.campaign_id = ?", cid),
                    "periods": periods})
        except sqlite3.OperationalError:
            pass
        return prev
    finally:
        conn.close()


# -- restore ---------------------------------------------------------------------------
def restore_backup(ledger_path: Path | str, backup_path: Path, password: str | None = None) -> Path | None:
    """Replace the ledger's content by the backup's, atomically; returns the safety copy of the current ledger
    (None when the ledger file was missing or empty: nothing to keep).

    The caller closes its Ledger first and opens a new one afterwards (the UI swaps it in).
    The copy goes through SQLite's backup API into the ledger file itself, so SQLite's own
    journal makes it all-or-nothing even if the power fails half-way.
    """
    from core.ledger.location import is_server
    if is_server(ledger_path):
        return _restore_server(str(ledger_path), Path(backup_path), password)
    ledger_path, backup_path = Path(ledger_path), Path(backup_path)
    if ledger_path.resolve() == backup_path.resolve():
        raise UserError("不能用台账文件本身作为备份来恢复。")
    with unpacked(backup_path) as plain:   # a compressed older copy: unpacked for the while
        return _restore_file(ledger_path, plain, backup_path.name)


def _restore_file(ledger_path: Path, backup_path: Path, shown_name: str) -> Path | None:
    prev = preview_backup(backup_path)
    if prev.schema_version > migrations.SCHEMA_VERSION:
        raise UserError(f"备份“{shown_name}”由更新版本的督查台账创建，请升级本软件后再恢复。")
    src = _open_readonly(backup_path)
    try:
        status = src.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        status = str(exc)
    if status != "ok":
        src.close()
        raise UserError(f"备份“{shown_name}”已损坏（{status}），不能用于恢复。请选择另一份备份。")
    safety = None
    try:
        if ledger_path.exists() and ledger_path.stat().st_size > 0:
            directory = paths.backup_dir(ledger_path)
            directory.mkdir(parents=True, exist_ok=True)
            safety = _free_target(directory, backup_name(ledger_path, "restore"))
            cur = sqlite3.connect(ledger_path)
            try:
                tmp = safety.with_name(safety.name + ".part")
                dst = sqlite3.connect(tmp)
                try:
                    cur.backup(dst)
                    dst.execute("PRAGMA journal_mode=DELETE")
                finally:
                    dst.close()
                os.replace(tmp, safety)
            finally:
                cur.close()
        dst = sqlite3.connect(ledger_path)
        try:
            dst.execute("PRAGMA busy_timeout=10000")
            src.backup(dst)
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()
    finally:
        src.close()
    _record_restore(ledger_path, shown_name)
    return safety


def _restore_server(url: str, backup_path: Path, password: str | None = None) -> Path:
    """A server ledger's content replaced by a backup's (its SQLite copy, or an older whole-ledger export), in one
    transaction under the write lock; returns the safety copy."""
    from core.ledger.import_xlsx import fill_tables, read_export
    from core.ledger.store import Ledger, new_batch, record_audit
    prev = preview_backup(backup_path)
    if prev.schema_version > migrations.SCHEMA_VERSION:
        raise UserError(f"备份“{backup_path.name}”由更新版本的督查台账创建，请升级本软件后再恢复。")
    data = read_export(backup_path) if backup_path.suffix.lower() == ".xlsx" else _server_copy_rows(backup_path)
    led = Ledger(url, password=password)
    try:
        safety = backup_now(led, "restore", prune=False)
        with led.begin() as conn:
            fill_tables(conn, data, replace=True)
            record_audit(conn, new_batch(), "meta", "restore", "from", None, backup_path.name, "system",
                         backup_path.name)
    finally:
        led.close()
    return safety


def _server_copy_rows(backup_path: Path) -> dict[str, list[dict]]:
    """The rows of a shared ledger's SQLite copy (read from a temporary copy: an older one is migrated there)."""
    import shutil
    import tempfile

    from core.ledger.server_copy import is_server_copy, read_copy
    with unpacked(backup_path) as plain:
        folder = Path(tempfile.mkdtemp(prefix="ducha-restore-"))
        try:
            work = plain   # a compressed copy is unpacked into a temporary file already
            if plain == Path(backup_path):   # a plain one is copied: reading may migrate it, the backup stays as taken
                work = folder / "copy.sqlite3"
                shutil.copyfile(plain, work)
            if not is_server_copy(work):
                raise UserError(f"“{backup_path.name}”不是共享台账的备份，而是单机台账文件，不能直接恢复到共享台账"
                                "（单机台账收到的原始文件不在数据库里）。要把单机台账搬到共享台账，请先在单机台账上"
                                "“导出整个台账”，再在空的共享台账上导入。")
            return read_copy(work)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def _record_restore(ledger_path: Path, backup_name: str) -> None:
    from core.ledger.store import Ledger, new_batch, record_audit
    led = Ledger(ledger_path)  # also migrates an older backup forward
    try:
        with led.begin() as conn:
            record_audit(conn, new_batch(), "meta", "restore", "from", None, backup_name, "system", backup_name)
    finally:
        led.close()
