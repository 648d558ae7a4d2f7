"""Running core work off the GUI thread: a Work handle (progress, 取消) in, the result or the error out.

Ledger-writing jobs queue on one worker thread, so two writes never run at once; reading jobs share a small pool.
`shutdown()` cancels every running or queued job and waits for them to stop (the window calls it on close).
"""
from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from core.common.errors import Cancelled, UserError
from core.common.work import Work

log = logging.getLogger("ducha")


class _Signals(QObject):
    progress = Signal(int, int, str)   # done, total, label
    finished = Signal(object)
    failed = Signal(str)               # the Chinese message; the exception itself is job.error
    cancelled = Signal()


def message_of(exc: BaseException) -> str:
    """The Chinese sentence a clerk sees for an exception a job raised."""
    if isinstance(exc, UserError):
        return exc.message
    if isinstance(exc, OSError):
        from core.common.os_errors import describe_os_error
        return describe_os_error(exc)
    return f"内部错误：{type(exc).__name__}: {exc}。详情已写入日志。"


class Job(QRunnable):
    """Calls fn(work) on a pool; cancel() sets the flag that work.check() raises on."""

    def __init__(self, fn: Callable[[Work], Any], writes: bool = False):
        super().__init__()
        self.fn = fn
        self.writes = writes
        self.signals = _Signals()
        self.work = Work(self._report)
        self.error: BaseException | None = None
        self.running = False

    def _report(self, done: int, total: int, label: str = "") -> None:
        self.signals.progress.emit(done, total, label)

    def cancel(self) -> None:
        self.work.cancel()

    def is_cancelled(self) -> bool:
        return self.work.cancelled

    @Slot()
    def run(self) -> None:
        self.running = True
        try:
            self.work.check()                  # cancelled while it waited in the queue: never starts
            result = self.fn(self.work)
        except Cancelled as exc:
            self.error = exc
            self.signals.cancelled.emit()
        except Exception as exc:
            self.error = exc
            if not isinstance(exc, (UserError, OSError)):   # our bug
                log.error("job failed\n%s", traceback.format_exc())
            self.signals.failed.emit(message_of(exc))
        else:
            self.signals.finished.emit(result)
        finally:
            self.running = False


class JobRunner:
    """One helper for all background work (as in Anki's taskman): start(fn, on_done, on_error, on_progress, on_cancelled)."""

    def __init__(self) -> None:
        self.pool = QThreadPool()              # reading work (reports, previews, checks)
        self.pool.setMaxThreadCount(max(1, min(2, QThreadPool.globalInstance().maxThreadCount())))
        self.writer = QThreadPool()            # ledger-writing work: one at a time, in the order started
        self.writer.setMaxThreadCount(1)
        self.active: set[Job] = set()

    def start(self, fn: Callable[[Work], Any], on_done=None, on_error=None, on_progress=None, on_cancelled=None,
              writes: bool = False) -> Job:
        job = Job(fn, writes)
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
        (self.writer if writes else self.pool).start(job)
        return job

    def writing(self) -> bool:
        """True while a ledger-writing job runs or waits."""
        return any(job.writes for job in self.active)

    def wait(self, msecs: int = 30000) -> bool:
        return self.writer.waitForDone(msecs) and self.pool.waitForDone(msecs)

    def shutdown(self, msecs: int = 60000) -> bool:
        """Cancel every job (queued ones never start) and wait for the running ones to stop; False on time-out."""
        for job in list(self.active):
            job.cancel()
        done = self.wait(msecs)
        if not done:
            log.warning("window closed while %d job(s) still ran", sum(1 for j in self.active if j.running))
        return done
