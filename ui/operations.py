"""One way for a page to run ledger work (like Anki's CollectionOp / QueryOp): background job, progress, 取消, and
what changed.

    LedgerOp(ctx, "dashboard", lambda work: close_task(ledger, tid, day, note, evidence)).success(done).run()
    LedgerQuery(ctx, lambda work: dashboard_data(ledger, cid, period)).success(show).run()

A `LedgerOp` runs a core write: the function gets a `Work` (progress, cancel) and returns what the core writer
returned, a `core.ledger.changes.Written` (its result and the `LedgerChange` it made); the operations queue on the
runner's one writer thread. On success the success callback gets that result, then the context announces its change
with the page that started it, so the window refreshes only the pages that show what changed. The page never says
what changed: a function that returns anything but a `Written` is our bug (TypeError). A failure goes to the failure
callback, or by default to the same dialog the window's error hook shows (UserError/OSError in Chinese, our bugs as
内部错误). A cancelled operation, or one that failed other than by a refusal (UserError: nothing written), announces
that anything may have changed: work done before may have stayed.

A `LedgerQuery` runs a read (a page's data, a preview, a document written from the ledger) the same way on the
reading pool: no writer queue, no busy check, nothing announced.
Pages never announce changes themselves (there is no `ctx.ledger_changed`): a write's change comes from here or
from `write_now`.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.common.work import Work
from core.ledger.changes import LedgerChange, Written

from .jobs import Job


class _Background:
    """The fluent part LedgerOp and LedgerQuery share: callbacks, then run() on the job runner."""
    writes = False

    def __init__(self, ctx, fn: Callable[[Work], Any]):
        self.ctx = ctx
        self.fn = fn
        self._success: Callable[[Any], object] | None = None
        self._failure: Callable[[BaseException], object] | None = None
        self._progress: Callable[[int, int, str], object] | None = None
        self._cancelled: Callable[[], object] | None = None
        self.job: Job | None = None

    def success(self, fn: Callable[[Any], object]):
        self._success = fn
        return self

    def failure(self, fn: Callable[[BaseException], object]):
        self._failure = fn
        return self

    def progress(self, fn: Callable[[int, int, str], object]):
        self._progress = fn
        return self

    def cancelled(self, fn: Callable[[], object]):
        self._cancelled = fn
        return self

    def run(self) -> Job:
        self.job = self.ctx.jobs.start(self.fn, on_done=self._done, on_error=self._failed,
                                       on_progress=self._progress, on_cancelled=self._was_cancelled,
                                       writes=self.writes)
        return self.job

    def _done(self, result: Any) -> None:
        if self._success is not None:
            self._success(result)

    def _failed(self, _message: str) -> None:
        exc = self.job.error if self.job is not None else None
        assert exc is not None
        if self._failure is not None:
            self._failure(exc)
        else:
            from .error_hook import show_error
            show_error(exc)

    def _was_cancelled(self) -> None:
        if self._cancelled is not None:
            self._cancelled()


class LedgerQuery(_Background):
    """A read off the window's thread: the reading pool, no writer lock, no busy check, no change announced."""

    def __init__(self, ctx, fn: Callable[[Work], Any]):
        super().__init__(ctx, fn)


class LedgerOp(_Background):
    """A core write off the window's thread, queued on the one writer; announces the change its result carries."""
    writes = True

    def __init__(self, ctx, source: str, fn: Callable[[Work], Written]):
        super().__init__(ctx, fn)
        self.source = source

    def _done(self, result: Any) -> None:
        change = change_of(result, self.source)
        super()._done(result)
        self.ctx.notify(change)

    def _failed(self, message: str) -> None:
        super()._failed(message)
        from core.common.errors import UserError
        exc = self.job.error if self.job is not None else None
        if not isinstance(exc, UserError):   # refused: nothing written; any other failure may follow work that stayed
            self.ctx.notify(LedgerChange.everything(self.source))

    def _was_cancelled(self) -> None:
        super()._was_cancelled()
        self.ctx.notify(LedgerChange.everything(self.source))   # work done before the cancel may have stayed


def change_of(result: Any, source: str) -> LedgerChange:
    """The change a core writer's result carries, marked with the page that started it."""
    if not isinstance(result, Written):
        raise TypeError(f"a ledger write must return core.ledger.changes.Written, got {type(result).__name__}")
    change = result.change
    return change if change.source else LedgerChange(change.areas, change.tasks, change.units, change.periods, source)


BUSY_MESSAGE = "后台正在写入台账（{what}），请等它完成后再做这一步。"


def refuse_while_writing(ctx, what: str = "合并、下发或导入") -> None:
    """Raise a Chinese UserError while a background job writes the ledger, so window-thread writes wait their turn."""
    if ctx.jobs.writing():
        from core.common.errors import UserError
        raise UserError(BUSY_MESSAGE.format(what=what))


def write_now(ctx, source: str, fn: Callable[[], Written], what: str = "合并、下发或导入") -> Any:
    """A small ledger write done at once on the window's thread (an alias, a confirmation): refused with a Chinese
    message while a background write runs, so writes still happen one at a time; returns the core writer's result
    and announces the change it carries."""
    refuse_while_writing(ctx, what)
    result = fn()
    ctx.notify(change_of(result, source))
    return result
