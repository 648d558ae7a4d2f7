"""XlsxWriter cell formats built once per process: later workbooks get a copy of the finished Format, not a new build.

Building a Format runs one setter per property and then works out its style key (the two cost as much as writing
a small sheet's cells); a run of 63 workbooks needs the same 15–20 formats in each. A Format belongs to its
workbook, so each workbook still gets its own object, appended to its format list exactly as add_format does.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

_SHARED = ("xf_format_indices", "dxf_format_indices")   # the workbook's own index tables, never copied
_PLAIN = (str, int, float, bool, type(None))
_VALUE_MODULES = ("xlsxwriter.color",)   # XlsxWriter 3.3 Color: set once when built, read only after
_finished: dict[tuple, tuple[Any, dict[str, Any]]] = {}   # key → (Format class, its state)


class FormatCopies:
    """One workbook's source of formats: wb.add_format(properties()) for a key first met in this process, a copy of
    that finished Format for a key met before."""

    def __init__(self, wb):
        self.wb = wb
        defaults = getattr(wb, "default_format_properties", None) or {}
        try:
            self.defaults: tuple | None = tuple(sorted(defaults.items()))
            hash(self.defaults)
        except TypeError:   # a default property that is not hashable: no copies
            self.defaults = None
        if not (isinstance(getattr(wb, "formats", None), list) and all(hasattr(wb, name) for name in _SHARED)):
            self.defaults = None

    def add(self, key: tuple, properties: Callable[[], dict]):
        if self.defaults is None:
            return self.wb.add_format(properties())
        full_key = (key, self.defaults)
        done = _finished.get(full_key)
        if done is None:
            fmt = self.wb.add_format(properties())
            _remember(full_key, fmt)
            return fmt
        cls, state = done
        fmt = cls.__new__(cls)
        fmt.__dict__.update(state)
        fmt.xf_format_indices = self.wb.xf_format_indices
        fmt.dxf_format_indices = self.wb.dxf_format_indices
        self.wb.formats.append(fmt)
        return fmt


def _remember(full_key: tuple, fmt) -> None:
    """Keep a fresh Format's state (style key worked out) when it holds only values no one changes later."""
    state = dict(getattr(fmt, "__dict__", {}))
    if not all(name in state for name in _SHARED) or state.get("xf_index") is not None \
            or state.get("dxf_index") is not None or not hasattr(fmt, "_get_format_key"):
        return
    fmt._get_format_key()   # cached on the Format (XlsxWriter reads it at the first cell written)
    state = {k: v for k, v in fmt.__dict__.items() if k not in _SHARED}
    if all(isinstance(v, _PLAIN) or type(v).__module__ in _VALUE_MODULES for v in state.values()):
        _finished[full_key] = (type(fmt), state)


def forget() -> None:
    """Drop the finished formats (tests compare the copies with freshly built ones)."""
    _finished.clear()
