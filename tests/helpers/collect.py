"""Waiting for the 收文 page's list: it is read off the window's thread (`CollectPage.refresh`)."""
from __future__ import annotations

WAIT_MS = 60000


def wait_list(qtbot, page, timeout: int = WAIT_MS) -> None:
    """Until the list the page's newest read brought is on screen (`read_done` emitted, nothing left to read)."""
    qtbot.waitUntil(lambda: not page.reading, timeout=timeout)
