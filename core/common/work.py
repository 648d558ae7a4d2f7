"""Long work's one handle: where progress goes and whether the clerk pressed 取消 (`work.check()` raises Cancelled)."""
from __future__ import annotations

import threading
from collections.abc import Callable

from .errors import Cancelled

ProgressFn = Callable[[int, int, str], object]


class Work:
    """Handed to every long core function in place of loose `progress`/`cancel` arguments.

    `report(done, total, label)` tells the front end how far the work is; `check()` raises Cancelled once `cancel()`
    was called (from any thread), so a cancelled run always stops by raising, never by quietly returning early.
    """

    def __init__(self, progress: ProgressFn | None = None):
        self._progress = progress
        self._cancel = threading.Event()

    def report(self, done: int, total: int, label: str = "") -> None:
        if self._progress is not None:
            self._progress(done, total, label)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self, message: str = "已取消，没有改动。") -> None:
        """Raise Cancelled (with `message`, a Chinese sentence saying what was kept) if 取消 was pressed."""
        if self._cancel.is_set():
            raise Cancelled(message)

    def step(self, done: int, total: int, label: str = "") -> None:
        """check() then report(): the usual call between two items of a loop."""
        self.check()
        self.report(done, total, label)


def given(work: Work | None) -> Work:
    """`work`, or a quiet one that is never cancelled (the CLI and tests call core functions without one)."""
    return work if work is not None else Work()
