"""Benchmark: the monthly summary and the quarterly bulletin for the 2026 campaign with 12 months of reports (prints seconds)."""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(base: Path) -> Path:
    from core.units.contacts_import import apply_contacts, read_contacts
    from core.ledger.store import Ledger
    from core.campaign.importing import apply_import, file_ref, preview_import
    from core.campaign.read import read_plan_file
    from tests.conftest import CONTACTS_XLSX, FIXTURE_DOCX
    from tests.helpers.reports import drive
    path = base / "ledger.sqlite3"
    led = Ledger(path)
    apply_import(led, preview_import(led, read_plan_file(FIXTURE_DOCX), None, file_ref(FIXTURE_DOCX)))
    apply_contacts(led, read_contacts(CONTACTS_XLSX), "contacts")
    t = time.perf_counter()
    drive(led, months=tuple(range(1, 13)))  # bulk inserts: a file, a submission and progress rows per unit × month
    print(f"12 months of reports inserted in {time.perf_counter() - t:.2f} s")
    led.close()
    return path


def main() -> None:
    from core.ledger.store import Ledger
    base = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    try:
        path = build(base)
        led = Ledger(path)
        from sqlalchemy import text
        with led.read() as conn:
            n = conn.execute(text("SELECT COUNT(*) FROM progress_row")).scalar()
            s = conn.execute(text("SELECT COUNT(*) FROM submission")).scalar()
        print(f"ledger: {n} progress rows, {s} received files")
        today = date(2027, 1, 20)
        # the first round is the figure (imports included); the second is warm, which no clerk's command ever is.
        # The whole-process figures (interpreter start, SQLAlchemy, a fresh ledger connection) are in bench/all.py.
        for round_ in ("first (in-process, includes importing XlsxWriter/python-docx/Pillow)",
                       "second (warm, for comparison only)"):
            t = time.perf_counter()
            from core.reports.summary_xlsx import write_summary
            r = write_summary(led, "2026-12", base / f"summary-{round_[:5]}.xlsx", today=today)
            t_sum = time.perf_counter() - t
            t = time.perf_counter()
            from core.reports.bulletin_docx import write_bulletin
            b = write_bulletin(led, "2026Q4", base / f"bulletin-{round_[:5]}.docx", today=today)
            t_bul = time.perf_counter() - t
            print(f"{round_}: summary {t_sum:.2f} s ({r['tasks']} tasks, {r['pages']} pages); "
                  f"bulletin {t_bul:.2f} s ({b['files']} source files, {b['figures']} charts)")
        led.close()
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
