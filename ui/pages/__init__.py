"""The window's pages, one module each, found at start-up and listed in the left navigation.

A page module defines:
    PAGE_ORDER: int            position in the navigation
    PAGE_TITLE: str            Chinese title shown in the navigation
    PAGE_KEY: str              short id ("tasks", "dispatch", …) used by help and tests
    create(ctx) -> QWidget     ctx is ui.context.AppContext (ledger, window, jobs, signals); called when the
                               page is first shown (or asked for by key), not at start-up
The widget may define refresh() (called when shown and after the ledger changed),
handles_drop(paths) -> bool and drop(paths) for files dropped on the window,
and HELP_TOPIC for F1.
"""
from __future__ import annotations

from types import ModuleType

from core.common.plugin_modules import discover_modules


def discover() -> list[ModuleType]:
    return discover_modules(__name__, __path__, ("create", "PAGE_TITLE"), order=lambda m: m.PAGE_ORDER)
