"""The command-line interface of docs/CLI.md: one module per subcommand, found here at start-up.

Each module defines NAME, HELP, add_arguments(parser) and run(args, ledger) -> int.
Modules whose names start with an underscore are helpers, not commands.
"""
from __future__ import annotations

from types import ModuleType

from core.common.plugin_modules import discover_modules


def discover() -> list[ModuleType]:
    return discover_modules(__name__, __path__, ("NAME", "run"), order=lambda m: getattr(m, "ORDER", 100))
