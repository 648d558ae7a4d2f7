"""One way for a page to run ledger work (like Anki's CollectionOp): background job, progress, 取消, and what changed.

    LedgerOp(ctx, "dashboard", lambda work: close_task(ledger, tid, day, note, evidence),
             change=LedgerChange.of(Area.CLOSURE, tasks=[tid])).success(done).run()

The function gets a `Work` (progress, cancel). Ledger-writing operations (the default) queue on the runner's one
writer thread. On success the success callback runs, then the context announces the change with the page that
started it, so the window refreshes only the pages that show what changed. A failure goes to the failure
callback, or by default to the same dialog the window's error hook shows (UserError/OSError in Chinese, our bugs
as 内部错误). A cancelled writing operation, or one that failed other than by a refusal (UserError: nothing written),
also announces its change: work done before may have stayed.
Pages never announce changes themselves (there is no `ctx.ledger_changed`): a write's change comes from here or
from `write_now`.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.common.work import Work
from core.ledger.changes import LedgerChange

from .jobs import Job


class LedgerOp:
    def __init__(self, ctx, source: str, fn: Callable[[Work], Any], *,
                 change: LedgerChange | Callable[[Any], LedgerChange] | None = None, writes: bool = True):
        self.ctx = ctx
        self.source = source
        self.fn = fn
        self.change = change
        self.writes = writes
        self._success: Callable[[Any], object] | None = None
        self._failure: Callable[[BaseException], object] | None = None
        self._progress: Callable[[int, int, str], object] | None = None
        self._cancelled: Callable[[], object] | None = None
        self.job: Job | None = None

    def success(self, fn: Callable[[Any], object]) -> LedgerOp:
        self._success = fn
        return self

    def failure(self, fn: Callable[[BaseException], object]) -> LedgerOp:
        self._failure = fn
        return self

    def progress(self, fn: Callable[[int, int, str], object]) -> LedgerOp:
        self._progress = fn
        return self

    def cancelled(self, fn: Callable[[], object]) -> LedgerOp:
        self._cancelled = fn
        return self

    def run(self) -> Job:
        self.job = self.ctx.jobs.start(self.fn, on_done=self._done, on_error=self._failed,
                                       on_progress=self._progress, on_cancelled=self._was_cancelled,
                                       writes=self.writes)
        return self.job

    # -- ends ---------------------------------------------------------------------------------------
    def _what_changed(self, result: Any) -> LedgerChange | None:
        if not self.writes and self.change is None:
            return None
        change = self.change(result) if callable(self.change) else self.change
        if change is None:
            change = LedgerChange.everything()
        if not change.source:
            change = LedgerChange(change.areas, change.tasks, change.units, change.periods, self.source)
        return change

    def _done(self, result: Any) -> None:
        if self._success is not None:
            self._success(result)
        change = self._what_changed(result)
        if change is not None:
            self.ctx.notify(change)

    def _failed(self, _message: str) -> None:
        exc = self.job.error if self.job is not None else None
        assert exc is not None
        if self._failure is not None:
            self._failure(exc)
        else:
            from .error_hook import show_error
            show_error(exc)
        from core.common.errors import UserError
        if not isinstance(exc, UserError):   # refused: nothing written; any other failure may follow work that stayed
            self._announce_partial()

    def _was_cancelled(self) -> None:
        if self._cancelled is not None:
            self._cancelled()
        self._announce_partial()

    def _announce_partial(self) -> None:
        """A writing operation that failed or was cancelled announces its change too: work done before may have stayed."""
        if self.writes:
            change = self._what_changed(None) if not callable(self.change) else LedgerChange.everything(self.source)
            if change is not None:
                self.ctx.notify(change)


BUSY_MESSAGE = "后台正在写入台账（{what}），请等它完成后再做这一步。"


def refuse_while_writing(ctx, what: str = "合并、下发或导入") -> None:
    """Raise a Chinese UserError while a background job writes the ledger, so window-thread writes wait their turn."""
    if ctx.jobs.writing():
        from core.common.errors import UserError
        raise UserError(BUSY_MESSAGE.format(what=what))


def write_now(ctx, source: str, fn: Callable[[], Any], change: LedgerChange, what: str = "合并、下发或导入") -> Any:
    """A small ledger write done at once on the window's thread (an alias, a confirmation): refused with a Chinese
    message while a background write runs, so writes still happen one at a time; on success the change is announced."""
    refuse_while_writing(ctx, what)
    result = fn()
    if not change.source:
        change = LedgerChange(change.areas, change.tasks, change.units, change.periods, source)
    ctx.notify(change)
    return result
