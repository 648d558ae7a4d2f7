"""Printing results for the CLI: one JSON document on stdout, or short Chinese lines for people."""
from __future__ import annotations

import sys
from datetime import date, datetime
from typing import Any

from ._json import dumps_indented


def _default(value: Any):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, set):
        return sorted(value)
    raise TypeError(type(value).__name__)


def print_json(data: Any) -> None:
    sys.stdout.write(dumps_indented(data, _default))   # json.dumps(…, ensure_ascii=False, indent=1), only faster
    sys.stdout.write("\n")


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
