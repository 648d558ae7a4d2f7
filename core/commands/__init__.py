"""The command-line interface of ../shared/CLI.md: one module per subcommand, found here at start-up.

Each module defines NAME, HELP, add_arguments(parser) and run(args, ledger) -> int.
Modules whose names start with an underscore are helpers, not commands.
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
        if hasattr(module, "NAME") and hasattr(module, "run"):
            modules.append(module)
    return sorted(modules, key=lambda m: getattr(m, "ORDER", 100))
