"""Backups, retention, preview, restore, integrity check and the whole-ledger export/import on a quarter of data."""
from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from core.ledger import backup
from core.common.errors import UserError
from core.ledger.integrity import check_ledger, store_path
from core.ledger.store import Ledger
from tests.helpers.backup import NASTY, dump, fill_quarter

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def quarter(ledger_2026):
    fill_quarter(ledger_2026)
    return ledger_2026


def test_backup_preview_and_restore_bring_everything_back(quarter, tmp_path):
    before = dump(quarter)
    taken = backup.backup_now(quarter, "manual")
    assert taken.parent == quarter.backup_dir and "手动" in taken.name
    prev = backup.preview_backup(taken)
    assert (prev.tasks, prev.progress_rows, prev.plan_rows) == (118, len(before["progress_row"]), len(before["plan_row"]))
    assert prev.campaigns[0]["year"] == 2026 and prev.campaigns[0]["periods"] == ["2026-01", "2026-02", "2026-03"]
    assert "进展" in prev.summary() and prev.latest_audit

    # the clerk then damages the ledger: all progress gone, a task text changed
    with quarter.begin() as conn:
        conn.exec_driver_sql("DELETE FROM progress_row")
        conn.exec_driver_sql("UPDATE task SET text = '被改坏' WHERE id = 1")
    path = quarter.location
    quarter.close()
    safety = backup.restore_backup(path, taken)
    assert safety is not None and safety.exists() and "恢复前" in safety.name
    restored = Ledger(path)
    try:
        after = dump(restored)
        restore_batches = {r[2] for r in after["audit"] if r[3] == "meta" and r[4] == "restore"}
        assert len(restore_batches) == 1
        assert dump(restored, restore_batches) == before
        assert any(NASTY[12] in r for row in after["progress_row"] for r in row if isinstance(r, str))
        assert check_ledger(restored).ok
    finally:
        restored.close()
    # the safety copy holds the damaged state, so the restore itself can be undone
    assert backup.preview_backup(safety).progress_rows == 0


def test_restore_refuses_a_broken_or_foreign_file(quarter, tmp_path):
    suffix = ".sqlite3"   # a server ledger's backups are SQLite copies too (issue 31; its .xlsx exports: below)
    junk = tmp_path / f"junk{suffix}"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(UserError, match="不是台账备份文件|不是督查台账的导出工作簿"):
        backup.restore_backup(quarter.location, junk)
    good = backup.backup_now(quarter, "manual")
    torn = tmp_path / f"torn{suffix}"
    torn.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    with pytest.raises(UserError):
        backup.restore_backup(quarter.location, torn)
    assert check_ledger(quarter).ok and dump(quarter)["task"]


def test_retention_keeps_last_n_and_one_per_day(ledger_2026):
    now = datetime(2026, 6, 30, 12, 0)
    infos = [backup.BackupInfo(Path(f"b{i}.sqlite3"), now - timedelta(hours=6 * i), "每日", 1) for i in range(200)]
    gone = backup.backups_to_prune(infos, {"keep_last": 10, "keep_daily_days": 30}, now)
    kept = [b for b in infos if b not in gone]
    assert infos[:10] == kept[:10]
    days = {b.taken_at.date() for b in kept}
    daily = {d for d in days if d >= date(2026, 6, 1)}
    assert len(daily) == 30 and min(daily) == date(2026, 6, 1)
    older = days - daily   # before the 30 days: one a week, for backup.WEEKLY_WEEKS weeks
    assert len(older) == len({d.isocalendar()[:2] for d in older}) and min(older) > date(2026, 6, 1) - timedelta(weeks=5)
    # changing the rule is visible and takes effect on the next backup
    assert backup.get_retention(ledger_2026) == {"keep_last": 3, "keep_daily_days": 7}
    backup.set_retention(ledger_2026, 2, 0)
    assert "最近 2 份" in backup.describe_retention(backup.get_retention(ledger_2026))
    made = [backup.backup_now(ledger_2026, "merge") for _ in range(4)]
    left = backup.list_backups(ledger_2026.path)
    assert [b.path for b in left] == list(reversed(made))[:2]
    assert left[0].reason == "合并前"


def test_daily_backup_once_a_day(ledger_2026, ledger):
    first = backup.daily_backup(ledger_2026)
    assert first is not None and "每日" in first.name
    assert backup.daily_backup(ledger_2026) is None
    assert backup.daily_backup(ledger) is None  # an empty ledger is not copied


def test_backup_and_check_commands(quarter, tmp_path):
    out = tmp_path / "copy.sqlite3"
    path = quarter.location

    def run(*a: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(ROOT / "app.py"), "--ledger", path, *a],
                              capture_output=True, text=True, timeout=120)

    r = run("backup", "--out", str(out))
    assert r.returncode == 0 and out.exists(), r.stderr
    assert backup.preview_backup(out).progress_rows > 0
    r = run("check", "--json")
    assert r.returncode == 0, r.stderr
    assert '"ok": true' in r.stdout
    r = run("backup", "--preview", str(out))
    assert r.returncode == 0 and "进展" in r.stdout and "2026-01、2026-02、2026-03" in r.stdout
    with quarter.begin() as conn:
        conn.exec_driver_sql("DELETE FROM plan_row")
    r = run("backup", "--restore", str(out))
    assert r.returncode == 0 and "恢复前" in r.stdout, r.stderr
    assert dump(quarter)["plan_row"]  # the open Ledger sees the restored file
    # a stored file changed on disk, another deleted: check names both and fails
    with quarter.read() as conn:
        hashes = [h for h, in conn.exec_driver_sql("SELECT hash FROM stored_file ORDER BY hash LIMIT 2")]
    if quarter.is_server:   # the files live in the database: another tool changes one, deletes another
        with quarter.begin() as conn:
            conn.exec_driver_sql(f"UPDATE file_blob SET data = 'tampered'::bytea WHERE hash = '{hashes[0]}'")
            conn.exec_driver_sql(f"DELETE FROM file_blob WHERE hash = '{hashes[1]}'")
    else:
        store_path(quarter, hashes[0]).write_bytes(b"tampered")
        store_path(quarter, hashes[1]).unlink()
    r = run("check")
    assert r.returncode != 0
    assert "校验值不符" in r.stderr and "不在文件库中" in r.stderr and r.stderr.startswith("错误：")


def test_check_finds_a_dangling_foreign_key(quarter):
    # the app's connections refuse such a write; another tool with foreign keys off does not
    if quarter.is_server:
        with quarter.begin() as conn:
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")   # no foreign-key triggers
            conn.exec_driver_sql("UPDATE progress_row SET unit_id = 99999 WHERE id = 2")
    else:
        raw = sqlite3.connect(quarter.path)
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.execute("UPDATE progress_row SET unit_id = 99999 WHERE id = 2")
        raw.commit()
        raw.close()
    result = check_ledger(quarter)
    assert not result.ok and result.problems[0]["kind"] == "foreign_key"


def test_export_import_round_trip_byte_for_byte(quarter, tmp_path):
    from core.ledger.export_xlsx import export_ledger
    from core.ledger.import_xlsx import import_ledger
    before = dump(quarter)
    out = tmp_path / "整本台账.xlsx"
    counts = export_ledger(quarter, out)
    assert counts["progress_row"] == len(before["progress_row"]) and not list(tmp_path.glob("*.part"))
    fresh = Ledger(tmp_path / "other" / "ledger.sqlite3")
    try:
        import_ledger(fresh, out)
        after = dump(fresh)
        batches = {r[2] for r in after["audit"] if r[4] == "import-ledger"}
        assert len(batches) == 1
        assert dump(fresh, batches) == before  # every table, every text byte for byte, ids and uids kept
        with pytest.raises(UserError, match="只能导入到空台账"):
            import_ledger(fresh, out)
    finally:
        fresh.close()


def test_export_never_writes_formulas_and_keeps_long_text(quarter, tmp_path):
    import zipfile
    from core.ledger.export_xlsx import export_ledger
    out = tmp_path / "x.xlsx"
    export_ledger(quarter, out)
    with zipfile.ZipFile(out) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in zf.read(name), name
    from python_calamine import CalamineWorkbook
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("续写").to_python()
    assert any(r[3] == "续" for r in rows[1:])


def test_import_refuses_other_workbooks(ledger, tmp_path):
    import xlsxwriter
    from core.ledger.import_xlsx import import_ledger
    other = tmp_path / "other.xlsx"
    wb = xlsxwriter.Workbook(str(other))
    wb.add_worksheet("Sheet1").write_string(0, 0, "hello")
    wb.close()
    with pytest.raises(UserError, match="不是督查台账的导出工作簿"):
        import_ledger(ledger, other)
    with pytest.raises(UserError):
        import_ledger(ledger, ROOT / "app.py")


def test_os_errors_are_told_in_chinese(quarter, tmp_path, monkeypatch):
    from core.ledger import export_xlsx as ledger_export
    from core.common.os_errors import describe_os_error

    def locked(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))
    monkeypatch.setattr(ledger_export.os, "replace", locked)
    with pytest.raises(PermissionError) as info:
        ledger_export.export_ledger(quarter, tmp_path / "台账.xlsx")
    msg = describe_os_error(info.value)
    assert "台账.xlsx" in msg and "被其他程序（如 Excel/WPS）占用或文件夹只读" in msg
    full = OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "a.xlsx"))
    assert describe_os_error(full).startswith("磁盘空间不足") and "a.xlsx" in describe_os_error(full)
    assert not (tmp_path / "台账.xlsx").exists()


def test_cli_turns_a_full_disk_into_a_chinese_message(quarter, tmp_path, monkeypatch, capsys):
    import app
    from core.ledger import export_xlsx as ledger_export

    def full(src, dst):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))
    monkeypatch.setattr(ledger_export.os, "replace", full)
    path = quarter.location
    quarter.close()
    code = app.main(["--ledger", path, "export", "--out", str(tmp_path / "o.xlsx")])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("错误：磁盘空间不足") and "o.xlsx" in err


def test_a_shared_ledgers_backup_is_a_sqlite_copy_that_restores_it(quarter, tmp_path):
    """Issue 31: a server ledger is copied into a SQLite file (its whole-ledger export took 21 s at ten years); the copy
    is marked as the shared ledger's, compressed when older like any copy, restores the ledger exactly and keeps its
    received files in the database; its older .xlsx backups still restore; a single-PC ledger's copy is refused."""
    if not quarter.is_server:
        pytest.skip("a shared ledger's backup")
    from core.ledger.export_xlsx import export_ledger
    from core.ledger.server_copy import MARK, is_server_copy
    before = dump(quarter)
    taken = backup.backup_now(quarter, "manual")
    assert taken.suffix == ".sqlite3" and is_server_copy(taken)
    con = sqlite3.connect(taken)
    try:
        assert con.execute("SELECT count(*) FROM progress_row").fetchone()[0] == len(before["progress_row"])
        assert con.execute("SELECT value FROM meta WHERE key = ?", (MARK,)).fetchone()[0]
        assert "file_blob" not in {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    finally:
        con.close()
    odd = tmp_path / "备份#1 %20" / taken.name   # a folder name a file URI must escape
    odd.parent.mkdir()
    odd.write_bytes(taken.read_bytes())
    assert is_server_copy(odd) and backup.preview_backup(odd).progress_rows == len(before["progress_row"])
    plain_copy = odd.read_bytes()
    packed = backup._pack(taken)   # an older copy, gzip-compressed: restored the same
    legacy = tmp_path / "整本.xlsx"
    export_ledger(quarter, legacy)
    for source in (odd, packed, legacy):
        with quarter.begin() as conn:
            conn.exec_driver_sql("DELETE FROM progress_row")
            conn.exec_driver_sql("UPDATE task SET text = '被改坏' WHERE id = 1")
        backup.restore_backup(quarter.location, source)
        after = dump(quarter)
        restores = {r[2] for r in after["audit"] if r[3] == "meta" and r[4] == "restore"}
        assert dump(quarter, restores) == before, source.name
        assert check_ledger(quarter).ok   # every received file still in the database
    assert odd.read_bytes() == plain_copy   # restoring read the backup, never changed it
    single = tmp_path / "单机.sqlite3"
    other = Ledger(single)
    other.close()
    with pytest.raises(UserError, match="不是共享台账的备份"):
        backup.restore_backup(quarter.location, single)
