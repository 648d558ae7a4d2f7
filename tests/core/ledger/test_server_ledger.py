"""A ledger on a PostgreSQL server: the connection string's rules, moving a ledger between SQLite and PostgreSQL both
ways with identical content, and two clerks starting a new version at once (one migration, under the lock)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.common.errors import UserError
from core.ledger import location, schema
from core.ledger.store import Ledger
from tests.helpers.backup import dump, fill_quarter

ROOT = Path(__file__).resolve().parents[3]


def app(*args: str, clerk: str = "测试") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "app.py"), *args], capture_output=True, text=True, timeout=300,
                          cwd=ROOT, env=dict(os.environ, DUCHA_CLERK=clerk))


def test_connection_strings_keep_passwords_out():
    with pytest.raises(UserError, match="连接串中不能写密码.*pgpass"):
        Ledger("postgresql://clerk:secret@db.example/ducha")
    with pytest.raises(UserError, match="缺少数据库名"):
        location.server_url("postgresql://clerk@db.example")
    assert location.mask("postgresql://clerk:secret@db/x?sslmode=require") == "postgresql://clerk:***@db/x?sslmode=require"
    url = location.server_url("postgres://clerk@db.example:6432/ducha?sslmode=verify-full&sslrootcert=/etc/ca.pem")
    assert url.drivername == "postgresql+psycopg" and url.port == 6432
    assert dict(url.query) == {"sslmode": "verify-full", "sslrootcert": "/etc/ca.pem"}   # libpq options pass through
    assert location.display_name("postgresql://clerk@db.example/ducha") == "ducha（db.example）"
    assert location.is_server("postgresql://x@y/z") and not location.is_server("/home/a/台账.sqlite3")


def test_a_server_that_cannot_be_reached_is_told_in_chinese(pg_cluster, tmp_path):
    r = app("--ledger", pg_cluster.url("no_such_db"), "check")
    assert r.returncode == 2 and r.stderr.startswith("错误：无法连接共享台账") and "数据库或用户不存在" in r.stderr, r.stderr
    r = app("--ledger", "postgresql://clerk:hunter2@localhost/x", "check")
    assert r.returncode == 2 and "hunter2" not in r.stderr + r.stdout and "pgpass" in r.stderr
    logs = list(Path(os.environ["XDG_DATA_HOME"]).rglob("*.log"))
    assert all("hunter2" not in p.read_text(encoding="utf-8", errors="replace") for p in logs)


def _sheets(path: Path) -> dict[str, list]:
    """An export's content: every table's sheet, and 说明 without the export time and the ledger's name."""
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(str(path))
    out = {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}
    out["说明"] = [r for r in out["说明"] if r[0] not in ("导出时间", "台账", "痕迹（行数）")]
    out["痕迹"] = [r for r in out["痕迹"] if "import-ledger" not in r]   # each import adds its own audit row
    return out


def test_export_and_import_between_sqlite_and_postgresql_both_ways(pg_cluster, ledger_2026_template, tmp_path):
    src = tmp_path / "单机.sqlite3"
    shutil.copyfile(ledger_2026_template, src)
    led = Ledger(src)
    fill_quarter(led)
    before = dump(led)
    led.close()
    # SQLite → export → PostgreSQL
    first = tmp_path / "一" / "整本.xlsx"
    first.parent.mkdir()
    r = app("--ledger", str(src), "export", "--out", str(first))
    assert r.returncode == 0 and "-files" in r.stdout, r.stderr
    url = pg_cluster.create()
    r = app("--ledger", url, "import-ledger", str(first))
    assert r.returncode == 0, r.stderr
    assert app("--ledger", url, "check").returncode == 0   # the received files came along into the database
    # PostgreSQL → export → a new SQLite file
    second = tmp_path / "二" / "整本.xlsx"
    second.parent.mkdir()
    assert app("--ledger", url, "export", "--out", str(second)).returncode == 0
    back = tmp_path / "回到单机.sqlite3"
    assert app("--ledger", str(back), "import-ledger", str(second)).returncode == 0
    r = app("--ledger", str(back), "check")
    assert r.returncode == 0, r.stderr
    third = tmp_path / "三" / "整本.xlsx"
    third.parent.mkdir()
    assert app("--ledger", str(back), "export", "--out", str(third)).returncode == 0
    # identical content: the tables, cell for cell (the import's own audit row apart), and the same files
    a, b, c = _sheets(first), _sheets(second), _sheets(third)
    assert set(a) == set(b) == set(c) and len(a["痕迹"]) > 1000
    for name in a:
        assert a[name] == b[name] == c[name], name
    files = sorted(p.relative_to(first.with_name("整本-files")) for p in first.with_name("整本-files").rglob("*") if p.is_file())
    assert files and files == sorted(p.relative_to(third.with_name("整本-files"))
                                     for p in third.with_name("整本-files").rglob("*") if p.is_file())
    server = Ledger(url)
    try:
        after = dump(server)
        skip = {r[2] for r in after["audit"] if r[4] == "import-ledger"}
        assert dump(server, skip) == before   # typed values equal: dates, times, booleans, every text byte
    finally:
        server.close()


def test_two_clerks_starting_a_new_version_migrate_once(pg_cluster):
    url = pg_cluster.create()
    Ledger(url).close()
    import psycopg
    name = url.split("?")[0].rsplit("/", 1)[-1]
    with psycopg.connect(host=str(pg_cluster.socket), port=pg_cluster_port(), user="postgres", dbname=name,
                         autocommit=True) as c:   # make it a version-2 ledger: no audit.clerk yet
        c.execute("ALTER TABLE audit DROP COLUMN clerk")
        c.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    start_at = time.time() + 3
    code = (f"import os, sys, time; sys.path.insert(0, {str(ROOT)!r}); import app, core.ledger.store; "
            "time.sleep(max(0, float(os.environ['START_AT']) - time.time())); sys.exit(app.main(sys.argv[1:]))")
    procs = [subprocess.Popen([sys.executable, "-c", code, "--ledger", url, "check"], cwd=ROOT, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=dict(os.environ, START_AT=str(start_at), DUCHA_CLERK=clerk)) for clerk in ("甲", "乙")]
    errors = [p.communicate(timeout=120)[1] for p in procs]   # both finish before anything is asserted
    assert [p.returncode for p in procs] == [0, 0], errors
    led = Ledger(url)
    try:
        a = schema.audit
        with led.read() as conn:
            steps = conn.execute(select(func.count()).select_from(a).where(
                a.c.row_key == "schema_version", a.c.old == "2")).scalar()
        from core.ledger.migrations import SCHEMA_VERSION
        assert steps == 1 and led.schema_version() == SCHEMA_VERSION   # stepped 2 → latest once
        assert len(list(led.backup_dir.glob("*迁移前-v2*.xlsx"))) == 1   # exported once, by the clerk who migrated
    finally:
        led.close()


def pg_cluster_port() -> int:
    from tests.pg_cluster import PORT
    return PORT


def test_a_writer_waits_for_another_then_gives_up_in_chinese(pg_cluster, monkeypatch):
    from core.ledger import store
    monkeypatch.setattr(store, "LOCK_WAIT_MS", 800)
    url = pg_cluster.create()
    first, second = Ledger(url), Ledger(url)
    try:
        with first.begin():   # another clerk's long write holds the ledger's write lock
            t0 = time.perf_counter()
            with pytest.raises(UserError, match="另一位同志正在写入共享台账.*没有改动任何内容"):
                second.set_setting("no_ranking", True)
            assert 0.7 < time.perf_counter() - t0 < 10
            t0 = time.perf_counter()
            with second.read() as conn:   # readers never wait for a writer
                assert conn.execute(select(func.count()).select_from(schema.meta)).scalar() > 0
            assert time.perf_counter() - t0 < 0.5
        second.set_setting("no_ranking", True)   # the lock is free again: the write lands
        assert first.get_setting("no_ranking") is True
    finally:
        first.close()
        second.close()
