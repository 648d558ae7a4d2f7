"""Disk kept by the backup folder over a simulated year of a ten-year ledger: the rule before issue 31 and now.

Run:  .venv/bin/python bench/retention.py [--ledger /tmp/y10.sqlite3] [--changed 0.6] [--seed 1]

A year (2026) of working days (the Chinese calendar the app uses; the clerk opens the app on each): on a share
`--changed` of them the ledger changes (收文, 合并, 催报, …), the rest it is only read. Each opened day takes the
daily copy the rule asks for, then the rule prunes (core.ledger.backup.backups_to_prune, the same code the app runs).
Before: a copy on every opened day, keep the newest 10 and one a day for 30 days. Now: no copy on a day the ledger is
unchanged since the last copy (core.ledger.backup.unchanged_since_copy), keep the newest 3, one a day for 7 days,
one a week for 4 weeks before that, and always the newest copy taken before an import (one in February) or a
migration (one in July); every copy but the newest kept gzip-compressed. Each copy is the size of the ledger file
(--ledger, else 113.5 MB, make_years' ten years × 63 units), a compressed one what gzip level 1 makes of that file
(core.ledger.backup._pack; else 17.8 MB). Prints the copies and bytes kept: the year's maximum and at its end.
"""
from __future__ import annotations

import argparse
import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.ledger.backup import BackupInfo, backups_to_prune  # noqa: E402


def before_rule(backups: list[BackupInfo], now: datetime) -> list[BackupInfo]:
    """The rule as it was: the newest 10 and the newest of each day within 30 days."""
    ordered = sorted(backups, key=lambda b: b.taken_at, reverse=True)
    keep = {id(b) for b in ordered[:10]}
    seen = set()
    for b in ordered:
        d = b.taken_at.date()
        if d > now.date() - timedelta(days=30) and d not in seen:
            seen.add(d)
            keep.add(id(b))
    return [b for b in ordered if id(b) not in keep]


def simulate(size: int, packed: int, share_changed: float, seed: int, now_rule: bool) -> tuple[int, int, int]:
    from core.tracking.workdays import WorkCalendar
    cal = WorkCalendar()
    rng = random.Random(seed)
    backups: list[BackupInfo] = []
    peak, copies_taken = 0, 0
    changed_since_copy = True
    day = date(2026, 1, 1)
    while day.year == 2026:
        if cal.is_workday(day):
            now = datetime(day.year, day.month, day.day, 8, 30)
            if day in (date(2026, 2, 24), date(2026, 7, 6)):   # an import, a migration: a copy first, always
                backups.append(BackupInfo(Path(f"{day}-i.sqlite3"), now, "导入前" if day.month == 2 else "迁移前", size))
                copies_taken += 1
            if not now_rule or changed_since_copy:
                backups.append(BackupInfo(Path(f"{day}.sqlite3"), now, "每日", size))
                copies_taken += 1
                changed_since_copy = False
            rule = {"keep_last": 3, "keep_daily_days": 7}
            gone = backups_to_prune(backups, rule, now) if now_rule else before_rule(backups, now)
            backups = [b for b in backups if b not in gone]
            if now_rule:   # all but the newest compressed
                newest = max(backups, key=lambda b: b.taken_at)
                for b in backups:
                    b.size = size if b is newest else packed
            peak = max(peak, sum(b.size for b in backups))
            if rng.random() < share_changed:
                changed_since_copy = True
        day += timedelta(days=1)
    return peak, sum(b.size for b in backups), copies_taken


def _packed_size(ledger: Path) -> int:
    import shutil
    import tempfile
    from core.ledger.backup import _pack
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "copy.sqlite3"
        shutil.copyfile(ledger, copy)
        return _pack(copy).stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ledger", type=Path)
    parser.add_argument("--changed", type=float, default=0.6, help="share of opened days the ledger changes")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    size = args.ledger.stat().st_size if args.ledger else 113_500_000
    packed = _packed_size(args.ledger) if args.ledger else 17_765_884
    print(f"copy size {size / 1e6:.1f} MB, compressed {packed / 1e6:.1f} MB; ledger changed on {args.changed:.0%} of "
          "working days")
    print("| rule | copies taken in the year | most kept at once | kept at year end |")
    print("|---|---|---|---|")
    for label, now_rule in (("before (10 newest + 30 days, a copy every day)", False),
                            ("now (3 newest + 7 days + 4 weeks, no copy of an unchanged ledger, older ones compressed)",
                             True)):
        peak, end, taken = simulate(size, packed, args.changed, args.seed, now_rule)
        print(f"| {label} | {taken} | {peak / 1e9:.2f} GB | {end / 1e9:.2f} GB |")


if __name__ == "__main__":
    main()
