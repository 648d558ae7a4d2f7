"""Running core work off the GUI thread: progress and cancel in, success or a Chinese error message out."""
from __future__ import annotations

import threading
import traceback
from typing import Any
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from core.common.errors import Cancelled, UserError


class _Signals(QObject):
    progress = Signal(int, int, str)   # done, total, label
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class Job(QRunnable):
    """Calls fn(progress=…, cancel=…) on the pool; cancel() sets the flag the core function polls."""

    def __init__(self, fn: Callable[..., Any]):
        super().__init__()
        self.fn = fn
        self.signals = _Signals()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn(progress=lambda d, t, label="": self.signals.progress.emit(d, t, label),
                             cancel=self._cancel.is_set)
        except Cancelled:
            self.signals.cancelled.emit()
        except UserError as exc:
            self.signals.failed.emit(exc.message)
        except OSError as exc:
            from core.common.os_errors import describe_os_error
            self.signals.failed.emit(describe_os_error(exc))
        except Exception as exc:  # our bug
            import logging
            logging.getLogger("ducha").error("job failed\n%s", traceback.format_exc())
            self.signals.failed.emit(f"内部错误：{type(exc).__name__}: {exc}。详情已写入日志。")
        else:
            self.signals.finished.emit(result)


class JobRunner:
    """One small helper for all background work (as in Anki): start(fn, on_done, on_error, on_progress)."""

    def __init__(self):
        self.pool = QThreadPool.globalInstance()
        self.active: set[Job] = set()

    def start(self, fn, on_done=None, on_error=None, on_progress=None, on_cancelled=None) -> Job:
        job = Job(fn)
        job.setAutoDelete(False)
        self.active.add(job)
        if on_progress:
            job.signals.progress.connect(on_progress)
        def finish(result, job=job):
            self.active.discard(job)
            if on_done:
                on_done(result)
        def fail(message, job=job):
            self.active.discard(job)
            if on_error:
                on_error(message)
        def cancelled(job=job):
            self.active.discard(job)
            if on_cancelled:
                on_cancelled()
        job.signals.finished.connect(finish)
        job.signals.failed.connect(fail)
        job.signals.cancelled.connect(cancelled)
        self.pool.start(job)
        return job

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)
