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
    if isinstance(value, str):   # one path: some QSettings backends give a str, not a one-item list
        value = [value]
    elif not isinstance(value, list):
        value = []
    return [Path(v) for v in value if v and Path(v).exists()]


SERVERS_KEY = "recent/servers"


def recent_servers() -> list[str]:
    """Shared ledgers (connection strings, never a password) opened lately, newest first."""
    value = app_settings().value(SERVERS_KEY, [])
    items: list = [value] if isinstance(value, str) else list(value or []) if isinstance(value, list) else []
    return [str(v) for v in items if v]


def remember_ledger(path: Path | str) -> None:
    from core.ledger.location import canonical, is_server
    if is_server(path):
        url = canonical(str(path))   # the checked form: holds no password
        servers = [u for u in recent_servers() if u != url]
        app_settings().setValue(SERVERS_KEY, ([url] + servers)[:RECENT_MAX])
        return
    chosen = Path(path).resolve()
    items = [p for p in recent_ledgers() if p.resolve() != chosen]
    app_settings().setValue(RECENT_KEY, [str(p) for p in ([chosen] + items)[:RECENT_MAX]])
