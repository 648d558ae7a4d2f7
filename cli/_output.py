"""Printing results for the CLI: one JSON document on stdout, or short Chinese lines for people."""
from __future__ import annotations

import json
import sys
from datetime import date, datetime
from typing import Any


def _default(value: Any):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, set):
        return sorted(value)
    raise TypeError(type(value).__name__)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1, default=_default))
    sys.stdout.write("\n")


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
