"""PySide6 reads the source of every module imported after it (to honour `from __feature__ import …`); the app
selects no such feature, so that scan is skipped: the imports after it no longer read their source files.

PySide6 asks `shibokensupport.feature._mod_uses_pyside(module)` once per imported module and files the module as
"uses PySide, no feature" (0) or "ignore" (-1); with no feature selected anywhere both mean the same Qt attributes.
A module that does select a feature is filed by PySide's own `from __feature__ import` hook, not by this check.
When PySide changes this private detail, nothing is patched and start-up is only slower.
"""
from __future__ import annotations

import sys


def skip_feature_scan() -> bool:
    """Answer PySide's per-import scan without reading the module's source; True when patched."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    setattr(feature, "_mod_uses_pyside", _uses_no_feature)  # noqa: B010 - a module attribute mypy cannot see
    return True


def _uses_no_feature(module) -> bool:
    return False
