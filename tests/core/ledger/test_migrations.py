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
