"""Waiting for the 督办 page: it reads its month in the background (issue 31)."""
from __future__ import annotations

WAIT_MS = 30_000


def wait_read(qtbot, page, timeout: int = WAIT_MS) -> None:
    """Until the month asked for last is on screen (or its read failed): `page.reading` is False again."""
    qtbot.waitUntil(lambda: not page.reading, timeout=timeout)
