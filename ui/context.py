"""What a page is given: the open ledger, the job runner, the change event that tells pages what a write changed, and the
window's 工作月份."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, Signal

from core.ledger.changes import LedgerChange


class AppContext(QObject):
    changed = Signal(object)           # a LedgerChange after a write: pages showing what changed refresh
    status_message = Signal(str)       # a line for the status bar
    work_month_changed = Signal(str)   # the window's 工作月份 ("2026-04") changed; pages follow it

    def __init__(self, ledger, jobs, window=None):
        super().__init__()
        self.ledger = ledger
        self.jobs = jobs
        self.window = window
        self.work_month = default_work_month(ledger)
        self._following = False   # the pages are being told of a new 工作月份

    def notify(self, change: LedgerChange) -> None:
        """Announce what a write changed (LedgerOp does this on success)."""
        self.changed.emit(change)

    def swap_ledger(self, ledger) -> None:
        """Another (or a reopened) ledger, e.g. after 恢复备份: not a write, but every page reads the other ledger."""
        self.ledger = ledger
        self.notify(LedgerChange.everything())

    def set_work_month(self, period: str) -> None:
        if period and period != self.work_month:
            self.work_month = period
            self._following = True
            try:
                self.work_month_changed.emit(period)
            finally:
                self._following = False

    def read_when_shown(self, page, read) -> bool:
        """While the pages follow a new 工作月份: True when `page` is out of view in the shown window, which runs
        `read` when the clerk shows the page. A month switch reads the page in view, not every page built (at 630
        units their reads landing together held the window up to 0.4 s); the pages' choices follow at once."""
        return self._following and self.window is not None and hasattr(self.window, "read_when_shown") \
            and self.window.read_when_shown(page, read)


def default_work_month(ledger, today: date | None = None) -> str:
    """The month being reported now (last month), kept inside the ledger's campaign years when there are any."""
    from core.tracking.states import default_period
    wanted = default_period(today or date.today())
    try:
        from core.ledger.queries import campaign_years
        years = sorted(campaign_years(ledger)) if ledger is not None else []
    except Exception:   # a wizard's half-made ledger: last month will do
        years = []
    if years and int(wanted[:4]) not in years:
        year = max((y for y in years if y < int(wanted[:4])), default=None)
        wanted = f"{year:04d}-12" if year is not None else f"{years[0]:04d}-01"
    return wanted
