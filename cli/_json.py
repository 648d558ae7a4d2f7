"""JSON text exactly as json.dumps(value, ensure_ascii=False, indent=1, default=…) writes it, but each flat object or
array (nothing but strings, numbers, true/false/null inside) encoded by json's C encoder in one call: the standard
library falls back to its pure-Python encoder whenever `indent` is given, and a 630-unit `stats` document is
megabytes of such records."""
from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

_SCALARS = frozenset({str, int, float, bool, type(None)})


def dumps_indented(value: Any, default: Callable[[Any], Any]) -> str:
    """json.dumps(value, ensure_ascii=False, indent=1, default=default), byte for byte (tests/cli/test_json.py)."""
    out: list[str] = []
    _Writer(default).write(value, 0, out)
    return "".join(out)


class _Writer:
    def __init__(self, default: Callable[[Any], Any]):
        self.default = default
        self.flat: dict[int, Callable[[Any], str]] = {}   # nesting level → a C encoder separating items by newline
        self.scalar = json.JSONEncoder(ensure_ascii=False, allow_nan=True).encode

    def flat_encoder(self, level: int) -> Callable[[Any], str]:
        enc = self.flat.get(level)
        if enc is None:
            separators = (",\n" + " " * level, ": ")
            if c_make_encoder is not None:   # what JSONEncoder.encode builds on each call, built once
                c_encode = c_make_encoder(None, self.default, encode_basestring, None, separators[1], separators[0],
                                          False, False, True)

                def enc(o: Any) -> str:
                    return "".join(c_encode(o, 0))
            else:
                enc = json.JSONEncoder(ensure_ascii=False, separators=separators, default=self.default).encode
            self.flat[level] = enc
        return enc

    def write(self, o: Any, level: int, out: list[str]) -> None:
        if type(o) in _SCALARS or isinstance(o, (str, int, float)):   # subclasses (StrEnum, IntEnum) as json does
            out.append(self.scalar(o))
        elif isinstance(o, dict):
            self.write_dict(o, level, out)
        elif isinstance(o, (list, tuple)):
            self.write_list(o, level, out)
        else:
            self.write(self.default(o), level, out)

    def write_list(self, items: list | tuple, level: int, out: list[str]) -> None:
        if not items:
            out.append("[]")
            return
        inner = "\n" + " " * (level + 1)
        if all(type(v) in _SCALARS for v in items):
            text = self.flat_encoder(level + 1)(list(items))
            out.append("[" + inner + text[1:-1] + "\n" + " " * level + "]")
            return
        out.append("[")
        first = True
        for v in items:
            out.append(inner if first else "," + inner)
            first = False
            self.write(v, level + 1, out)
        out.append("\n" + " " * level + "]")

    def write_dict(self, d: dict, level: int, out: list[str]) -> None:
        if not d:
            out.append("{}")
            return
        inner = "\n" + " " * (level + 1)
        if all(type(k) is str and type(v) in _SCALARS for k, v in d.items()):
            text = self.flat_encoder(level + 1)(d)
            out.append("{" + inner + text[1:-1] + "\n" + " " * level + "}")
            return
        out.append("{")
        first = True
        for k, v in d.items():
            out.append(inner if first else "," + inner)
            first = False
            out.append(self.scalar(_key(k)) + ": ")
            self.write(v, level + 1, out)
        out.append("\n" + " " * level + "}")


def _key(k: Any) -> str:
    """A dict key as json.dumps turns it into a string (json.encoder._make_iterencode's rule)."""
    if isinstance(k, str):
        return k
    if isinstance(k, float):
        return json.dumps(k)
    if k is True:
        return "true"
    if k is False:
        return "false"
    if k is None:
        return "null"
    if isinstance(k, int):
        return int.__repr__(k)
    raise TypeError(f"keys must be str, int, float, bool or None, not {k.__class__.__name__}")
