"""Settings that belong to one PC user, not to a shared ledger (folders on this PC), kept in the user data folder."""
from __future__ import annotations

import json
from typing import Any

from core.common import paths

FILE_NAME = "pc_settings.json"   # {ledger location: {key: value}}


def _load() -> dict:
    try:
        data = json.loads((paths.data_dir() / FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def read(location: str, key: str) -> Any:
    """This PC user's value of `key` for the ledger at `location`, or None."""
    entry = _load().get(location)
    return entry.get(key) if isinstance(entry, dict) else None


def write(location: str, key: str, value: Any) -> bool:
    """Save (atomically) and say whether it changed; "" or None removes the value."""
    data = _load()
    entry = data.setdefault(location, {})
    if not isinstance(entry, dict):
        entry = data[location] = {}
    if entry.get(key) == (value or None):
        return False
    if value in ("", None):
        entry.pop(key, None)
    else:
        entry[key] = value
    target = paths.data_dir() / FILE_NAME
    part = target.with_name(target.name + ".part")
    part.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    part.replace(target)
    return True
