"""What a page is given: the open ledger, the job runner, and a signal to tell others the ledger changed."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class AppContext(QObject):
    ledger_changed = Signal()          # emit after any write so pages refresh
    status_message = Signal(str)       # a line for the status bar

    def __init__(self, ledger, jobs, window=None):
        super().__init__()
        self.ledger = ledger
        self.jobs = jobs
        self.window = window
