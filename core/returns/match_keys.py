"""The hidden row key "task_uid:unit_id" (plan rows layout: "…:Q1".."Q4"), read with core.forms.stamp's parser."""
from __future__ import annotations

from core.forms.stamp import parse_row_key_quarter


def parse_key(text: str) -> tuple[str, int, int | None] | None:
    """(task uid, unit id, quarter or None)."""
    return parse_row_key_quarter(text) if text else None
