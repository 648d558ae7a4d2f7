"""The command-line interface of docs/CLI.md: one module per subcommand, found here at start-up.

Each module defines NAME, HELP, add_arguments(parser) and run(args, ledger) -> int.
Modules whose names start with an underscore are helpers, not commands.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path
from types import ModuleType

from core.common.plugin_modules import discover_modules

_NAME_LINE = re.compile(r'^NAME = "([^"]+)"$', re.MULTILINE)


def discover() -> list[ModuleType]:
    return discover_modules(__name__, __path__, ("NAME", "run"), order=lambda m: getattr(m, "ORDER", 100))


def find(name: str) -> ModuleType | None:
    """The one subcommand module whose NAME is `name`, importing no other (a command's start pays only for itself)."""
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        source = Path(__path__[0], info.name + ".py")
        try:
            match = _NAME_LINE.search(source.read_text(encoding="utf-8"))
        except OSError:
            match = None
        if match and match.group(1) == name:
            module = importlib.import_module(f"{__name__}.{info.name}")
            return module if getattr(module, "NAME", None) == name and hasattr(module, "run") else None
    return None
