"""The window's pages, one module each, found at start-up and listed in the left navigation.

A page module defines:
    PAGE_ORDER: int            position in the navigation
    PAGE_TITLE: str            Chinese title shown in the navigation
    PAGE_KEY: str              short id ("tasks", "dispatch", …) used by help and tests
    create(ctx) -> QWidget     ctx is ui.context.AppContext (ledger, window, jobs, signals)
The widget may define refresh() (called when shown and after the ledger changed),
handles_drop(paths) -> bool and drop(paths) for files dropped on the window,
and HELP_TOPIC for F1.
"""
from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def discover() -> list[ModuleType]:
    modules = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "create") and hasattr(module, "PAGE_TITLE"):
            modules.append(module)
    return sorted(modules, key=lambda m: m.PAGE_ORDER)
