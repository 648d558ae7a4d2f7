"""Prints how long backup, preview, restore, check, whole-ledger export and import take on a ledger with a quarter of data."""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from core.ledger.backup import backup_now, preview_backup, restore_backup
    from core.units.contacts_import import apply_contacts, read_contacts
    from core.ledger.integrity import check_ledger
    from core.ledger.store import Ledger
    from core.ledger.export_xlsx import export_ledger
    from core.ledger.import_xlsx import import_ledger
    from core.campaign.importing import apply_import, file_ref, preview_import
    from core.campaign.read import read_plan_file
    from tests.helpers.backup import fill_quarter
    from tests.conftest import CONTACTS_XLSX, FIXTURE_DOCX

    work = Path(tempfile.mkdtemp(prefix="bench-backup-"))
    led = Ledger(work / "ledger.sqlite3")
    apply_import(led, preview_import(led, read_plan_file(FIXTURE_DOCX), None, file_ref(FIXTURE_DOCX)))
    apply_contacts(led, read_contacts(CONTACTS_XLSX), "contacts")
    counts = fill_quarter(led)
    size = led.path.stat().st_size

    def timed(label, fn):
        t = time.perf_counter()
        out = fn()
        print(f"{label:28} {1000 * (time.perf_counter() - t):8.1f} ms")
        return out
    print(f"ledger: {size // 1024} KB, plan rows {counts['plan']}, progress rows {counts['progress']}, "
          f"submissions {counts['submissions']}")
    b = timed("backup (SQLite backup API)", lambda: backup_now(led, "manual"))
    timed("preview_backup", lambda: preview_backup(b))
    timed("check (with file hashes)", lambda: check_ledger(led))
    out = work / "export.xlsx"
    timed("export whole ledger (.xlsx)", lambda: export_ledger(led, out))
    print(f"{'export size':28} {out.stat().st_size // 1024:8d} KB")
    other = Ledger(work / "other" / "ledger.sqlite3")
    timed("import into empty ledger", lambda: import_ledger(other, out))
    other.close()
    led.close()
    timed("restore", lambda: restore_backup(work / "ledger.sqlite3", b))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
