"""The ledgers opened lately (QSettings), newest first, and the file filter every ledger picker uses."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

RECENT_KEY = "recent/ledgers"
RECENT_MAX = 8
LEDGER_FILTER = "台账文件 (*.sqlite3 *.sqlite *.db);;所有文件 (*)"


def app_settings() -> QSettings:
    return QSettings("DuchaShi", "DuchaTaizhang")


# -- recent ledgers ----------------------------------------------------------------------
def recent_ledgers() -> list[Path]:
    value = app_settings().value(RECENT_KEY, [])
    if isinstance(value, str):
        value = [value]
    return [Path(v) for v in (value or []) if v and Path(v).exists()]


def remember_ledger(path: Path) -> None:
    path = Path(path).resolve()
    items = [p for p in recent_ledgers() if p.resolve() != path]
    app_settings().setValue(RECENT_KEY, [str(p) for p in ([path] + items)[:RECENT_MAX]])
