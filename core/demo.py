"""The demo ledger: the 2026 tasks and unit contacts shipped under resources/demo, built on first use."""
from __future__ import annotations

from pathlib import Path

from core.common import paths

DEMO_DIR = paths.RESOURCES / "demo"
DEMO_PLAN = DEMO_DIR / "2026-立项表.docx"
DEMO_CONTACTS = DEMO_DIR / "2026-单位通讯录.xlsx"


def demo_ledger_path() -> Path:
    return paths.data_dir() / "demo" / "演示台账.sqlite3"


def ensure_demo_ledger(path: Path | None = None) -> Path:
    """Create the demo ledger when it holds no tasks yet; an existing one is left as the clerk left it."""
    from core.units.contacts_import import apply_contacts, read_contacts
    from core.ledger.store import Ledger
    from core.campaign.importing import apply_import, file_ref, preview_import
    from core.campaign.read import read_plan_file
    from core.ledger.queries import list_tasks

    path = Path(path or demo_ledger_path())
    ledger = Ledger(path)
    try:
        if not list_tasks(ledger):
            preview = preview_import(ledger, read_plan_file(DEMO_PLAN), None, file_ref(DEMO_PLAN))
            apply_import(ledger, preview)
            apply_contacts(ledger, read_contacts(DEMO_CONTACTS), file_ref(DEMO_CONTACTS))
    finally:
        ledger.close()
    return path
