"""Retention at ten years: no daily copy of an unchanged ledger, older copies thinned, never the only copy pruned."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from core.ledger import backup
from core.ledger.integrity import check_ledger
from core.ledger.settings import DEFAULT_RETENTION

REASONS = list(backup.REASONS.values())
TOMORROW = date.today() + timedelta(days=1)


def _infos(rng: random.Random, now: datetime, n: int) -> list[backup.BackupInfo]:
    out = []
    for i in range(n):
        taken = now - timedelta(minutes=rng.randrange(0, 60 * 24 * 400))
        out.append(backup.BackupInfo(Path(f"b{i}.sqlite3"), taken, rng.choice(REASONS), 1, order=1 + i % 3))
    return out


@pytest.mark.parametrize("seed", range(40))
def test_retention_never_prunes_the_only_copy_nor_the_last_before_an_import_migration_or_restore(seed):
    rng = random.Random(seed)
    now = datetime(2026, 11, 21, 10, 0)
    infos = _infos(rng, now, rng.choice([1, 2, 5, 40, 300]))
    rule = {"keep_last": rng.choice([1, 2, 3, 10]), "keep_daily_days": rng.choice([0, 1, 7, 30])}
    gone = {id(b) for b in backup.backups_to_prune(infos, rule, now)}
    kept = [b for b in infos if id(b) not in gone]
    newest = max(infos, key=lambda b: (b.taken_at, b.order))
    assert kept and newest in kept   # the only copy, and the copy of the ledger as it is now, stay
    for reason in backup.PROTECTED:
        of_reason = [b for b in infos if b.reason == reason]
        if of_reason:
            assert max(of_reason, key=lambda b: (b.taken_at, b.order)) in kept, reason


def test_retention_thins_older_copies_to_one_a_week():
    now = datetime(2026, 11, 21, 10, 0)
    infos = [backup.BackupInfo(Path(f"d{i}.sqlite3"), now - timedelta(days=i), "每日", 1) for i in range(120)]
    gone = backup.backups_to_prune(infos, DEFAULT_RETENTION, now)
    kept = sorted((b.taken_at.date() for b in infos if b not in gone), reverse=True)
    daily = [d for d in kept if d > now.date() - timedelta(days=DEFAULT_RETENTION["keep_daily_days"])]
    older = [d for d in kept if d not in daily]
    assert len(daily) == DEFAULT_RETENTION["keep_daily_days"]
    assert len({d.isocalendar()[:2] for d in older}) == len(older) <= backup.WEEKLY_WEEKS + 1
    assert len(kept) <= DEFAULT_RETENTION["keep_daily_days"] + backup.WEEKLY_WEEKS + 1 < 30   # was 30 a month


def test_daily_copy_skipped_while_the_ledger_is_unchanged(ledger_2026):
    if ledger_2026.is_server:
        pytest.skip("a shared ledger is copied whenever the day's copy is due; the unchanged check reads its files")
    ledger_2026.set_setting("no_ranking", False)   # a write just before: the copy is taken with frames in the WAL
    first = backup.daily_backup(ledger_2026)
    assert first is not None
    assert backup.unchanged_since_copy(ledger_2026)
    assert backup.daily_backup(ledger_2026, today=TOMORROW) is None   # nothing changed since: no second copy
    # closed and reopened (the next day's first start) it is read, never written: still unchanged
    ledger_2026.close()
    again = ledger_2026.reopen()
    try:
        assert backup.daily_backup(again, today=TOMORROW) is None
        again.set_setting("no_ranking", True)   # any write: the next start copies
        assert not backup.unchanged_since_copy(again)
        taken = backup.daily_backup(again, today=TOMORROW)
        assert taken is not None and taken.exists()
        assert backup.unchanged_since_copy(again)
    finally:
        again.close()


def test_daily_copy_taken_again_when_the_last_copy_is_gone(ledger_2026):
    if ledger_2026.is_server:
        pytest.skip("file ledgers only")
    taken = backup.daily_backup(ledger_2026)
    assert taken is not None
    taken.unlink()   # the clerk deleted it (or moved the folder): the unchanged ledger is copied again
    assert not backup.unchanged_since_copy(ledger_2026)
    assert backup.daily_backup(ledger_2026, today=TOMORROW) is not None


def test_pruning_leaves_every_stored_file(ledger_2026):
    """Retention touches the backup folder only: every received file stays in the store (its only copy)."""
    from tests.helpers.backup import fill_quarter
    fill_quarter(ledger_2026)
    backup.set_retention(ledger_2026, 1, 0)
    for _ in range(3):
        backup.backup_now(ledger_2026, "manual")
    assert len(backup.list_backups(ledger_2026.path)) == 1
    assert check_ledger(ledger_2026).ok   # names any stored file missing or changed


def test_older_copies_are_kept_compressed_and_restore_as_they_were(ledger_2026, tmp_path):
    # a shared ledger's copies too: SQLite files since issue 31 (core.ledger.server_copy)
    from core.common.errors import UserError
    from tests.helpers.backup import dump, fill_quarter
    fill_quarter(ledger_2026)
    first = backup.backup_now(ledger_2026, "manual")
    before = dump(ledger_2026)
    plain_size = first.stat().st_size
    with ledger_2026.begin() as conn:
        conn.exec_driver_sql("DELETE FROM progress_row")
    second = backup.backup_now(ledger_2026, "manual")
    listed = backup.list_backups(ledger_2026.path)
    assert [b.path.name for b in listed] == [second.name, first.name + ".gz"]   # the newest stays plain
    assert listed[1].reason == "手动" and listed[1].size * 3 < plain_size
    assert backup.preview_backup(listed[1].path).progress_rows == len(before["progress_row"]) > 0
    path = ledger_2026.location
    ledger_2026.close()
    backup.restore_backup(path, listed[1].path)
    from core.ledger.store import Ledger
    again = Ledger(path)
    try:
        after = dump(again)
        restores = {r[2] for r in after["audit"] if r[3] == "meta" and r[4] == "restore"}
        assert dump(again, restores) == before
        assert any(first.name + ".gz" in str(r) for r in after["audit"] if r[3] == "meta")
    finally:
        again.close()
    torn = tmp_path / listed[1].path.name
    torn.write_bytes(listed[1].path.read_bytes()[:2000])
    with pytest.raises(UserError, match="已损坏"):
        backup.preview_backup(torn)
