"""Who is working: the clerk's name every audit row carries (set once per PC user, defaulting to the OS user name)."""
from __future__ import annotations

import os

from core.common import paths

SETTING_FILE = "clerk_name.txt"   # in the user data folder: a person's name belongs to the PC user, not to a ledger
_cached: str | None = None


def clerk_name() -> str:
    """DUCHA_CLERK if set, else the name saved in settings, else the OS user name."""
    global _cached
    if os.environ.get("DUCHA_CLERK"):
        return os.environ["DUCHA_CLERK"].strip()[:100]
    if _cached is None:
        saved = paths.data_dir() / SETTING_FILE
        try:
            _cached = saved.read_text(encoding="utf-8").strip()[:100]
        except OSError:
            _cached = ""
        if not _cached:
            import getpass   # only when no name was saved (getpass reads the terminal module at import)
            try:
                _cached = getpass.getuser()
            except (OSError, KeyError):  # no user name in the environment (a service account)
                _cached = ""
    return _cached


def set_clerk_name(name: str) -> str:
    """Save the name shown in every later audit row; "" goes back to the OS user name."""
    global _cached
    name = " ".join(str(name or "").split())[:100]
    target = paths.data_dir() / SETTING_FILE
    tmp = target.with_name(target.name + ".part")
    tmp.write_text(name, encoding="utf-8")
    tmp.replace(target)
    _cached = None
    return clerk_name()
