"""Finding the modules of a plugin package (CLI subcommands, window pages) by the attributes they define."""
from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from collections.abc import Callable, Iterable


def discover_modules(package: str, search_path: Iterable[str], required: tuple[str, ...],
                     order: Callable[[ModuleType], float]) -> list[ModuleType]:
    """Import every module of `package` not starting with "_" that defines all `required` names, sorted by `order`."""
    modules = []
    for info in pkgutil.iter_modules(search_path):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        if all(hasattr(module, name) for name in required):
            modules.append(module)
    return sorted(modules, key=order)
