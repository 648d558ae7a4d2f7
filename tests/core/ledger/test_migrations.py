"""Schema steps: an older ledger is backed up, then stepped forward, and keeps its rows."""
from __future__ import annotations

import sqlite3

from core.ledger import migrations
from core.ledger.store import Ledger


def test_v1_ledger_gains_submission_sheet_after_a_backup(tmp_path):
    path = tmp_path / "v1.sqlite3"
    Ledger(path).close()
    db = sqlite3.connect(path)   # make it a version-1 ledger: no submission.sheet
    db.execute("ALTER TABLE submission DROP COLUMN sheet")
    db.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    led = Ledger(path)
    try:
        assert led.schema_version() == migrations.SCHEMA_VERSION >= 2
        assert list(led.backup_dir.glob("*迁移前-v1*"))
        with led.read() as conn:
            cols = {r[1]: r for r in conn.exec_driver_sql("PRAGMA table_info(submission)")}
        assert "sheet" in cols and cols["sheet"][3] == 1   # NOT NULL, default ''
    finally:
        led.close()


def test_a_real_version_1_ledger_opens_migrated_with_everything_kept(tmp_path):
    """tests/data/ledger-v1: written by the version-1 code itself (see its PROVENANCE.md)."""
    import shutil

    from core.ledger.integrity import check_ledger
    from core.ledger.queries import list_tasks
    from core.tracking.closure import closure_of
    from core.tracking.states import submission_matrix
    from tests.conftest import DATA, data_file
    source = data_file(DATA / "ledger-v1" / "ledger-v1.sqlite3")
    path = tmp_path / "ledger-v1.sqlite3"
    shutil.copyfile(source, path)
    shutil.copytree(DATA / "ledger-v1" / "ledger-v1-files", tmp_path / "ledger-v1-files")
    before = sqlite3.connect(path)
    counts = {t: before.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("task", "unit", "submission", "progress_row", "audit")}
    assert before.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("1",)
    assert "sheet" not in {r[1] for r in before.execute("PRAGMA table_info(submission)")}
    before.close()

    led = Ledger(path)
    try:
        assert led.schema_version() == migrations.SCHEMA_VERSION
        assert list(led.backup_dir.glob("*迁移前-v1*"))               # the old file is kept before stepping
        with led.read() as conn:
            for table, n in counts.items():
                assert conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() >= n, table
            sheets = conn.exec_driver_sql("SELECT sheet, status FROM submission ORDER BY id").all()
        assert [s for s, _ in sheets] == ["", "", ""] and sorted(st for _, st in sheets) == ["merged", "merged", "returned"]
        tasks = list_tasks(led)
        assert len(tasks) == 118
        closed = next(t for t in tasks if t["kind"] == "livelihood" and t["seq"] == 1)
        assert closure_of(led, closed["id"])["day"].isoformat() == "2026-04-10"
        from datetime import date

        from core.ledger.queries import campaign_id
        with led.read() as conn:
            cid = campaign_id(conn, 2026)
        states = {r["unit"]: r["code"] for r in submission_matrix(led, cid, "2026-03", date(2026, 12, 31), forms=("report",))
                  if r["unit"] in ("区发展改革局", "区民政局", "区财政局")}
        # received when the file was built (December 2026: after March's deadline); 区民政局's file was sent back
        assert states == {"区发展改革局": "reported_late", "区民政局": "returned", "区财政局": "reported_late"}
        assert check_ledger(led).ok, check_ledger(led).summary()   # the migrated file is whole, its stored files too
    finally:
        led.close()


def test_v5_ledger_gains_the_statistics_indexes_and_statistics_read_them(tmp_path):
    """v5 → v6: a ledger written before the 统计 indexes gets them (after a backup), and the year-over-year count of
    是/否 answers and a campaign's files are then read from the indexes, not from whole tables."""
    path = tmp_path / "v5.sqlite3"
    Ledger(path).close()
    db = sqlite3.connect(path)   # make it a version-5 ledger: none of the three indexes
    for name in migrations.STATS_INDEXES:
        db.execute(f"DROP INDEX {name}")
    db.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    db.commit()
    plan = "EXPLAIN QUERY PLAN SELECT task_id, on_track, count(*) FROM progress_row GROUP BY task_id, on_track"
    assert "COVERING INDEX" not in " ".join(r[3] for r in db.execute(plan))
    db.close()
    led = Ledger(path)
    try:
        assert led.schema_version() == migrations.SCHEMA_VERSION >= 6
        assert list(led.backup_dir.glob("*迁移前-v5*"))
        with led.read() as conn:
            names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")}
            assert set(migrations.STATS_INDEXES) <= names
            assert "COVERING INDEX ix_progress_task_on_track" in " ".join(r[3] for r in conn.exec_driver_sql(plan))
            files = ("EXPLAIN QUERY PLAN SELECT unit_id, form, period, status, received_at FROM submission "
                     "WHERE campaign_id = 1 AND period IN ('2026-04', '2026-05')")
            assert "ix_submission_campaign" in " ".join(r[3] for r in conn.exec_driver_sql(files))
    finally:
        led.close()
