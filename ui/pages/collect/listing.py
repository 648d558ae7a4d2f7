"""The 收文 page's list of files: read off the window's thread (`list_read`), a newer read superseding an older one,
shown with the selection kept; one file read again after a decision; the filter's choices."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...jobs import message_of
from ...operations import LedgerQuery
from .list_read import ListRead, Wanted, read_list

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QLabel, QWidget

    from core.ledger.row_types import ListedSubmission

    from ...context import AppContext
    from .file_filter import FileFilterBar
    from .file_tree import FileTree

    _Base = QWidget
else:
    _Base = object


class ListingMixin(_Base):
    """Part of CollectPage: its list of files (state set in CollectPage.__init__)."""
    ctx: AppContext
    tree: FileTree
    file_filter: FileFilterBar
    reading_label: QLabel
    read_done: SignalInstance
    READING: str
    _subs: list[ListedSubmission]
    _filled: bool
    _read_year: int | None
    _generation: int
    _shown_generation: int
    _after_read: list[Callable[[], object]]
    _prefetched: ListRead | None

    if TYPE_CHECKING:
        def _show_current(self, item, _previous=None) -> None: ...

    def refresh(self, then: Callable[[], object] | None = None) -> None:
        """Read the list again off the window's thread (the filter's year of files, `list_read`); the list shown
        so far stays usable meanwhile, a newer read supersedes this one, and `then` runs once the list is shown."""
        self._filled = True
        self._read_year = self.file_filter.year()   # one year of files, not all the ledger's years
        self._start(then)

    def _start(self, then: Callable[[], object] | None, subs: list[ListedSubmission] | None = None) -> None:
        """The background job for refresh() (`subs` None) or a refill from the files read last (`subs`)."""
        if then is not None:
            self._after_read.append(then)
        self._generation += 1
        generation, ledger = self._generation, self.ctx.ledger
        wanted = Wanted(self.file_filter.year(), self.file_filter.chosen(), self.file_filter.status(),
                        self.ctx.work_month, self.tree.current_ref(), first_if_gone=subs is not None)
        self.reading_label.setText(self.READING)
        self.reading_label.setVisible(True)
        (LedgerQuery(self.ctx, lambda _work: read_list(ledger, wanted, subs))
         .success(lambda read: self._show_list(generation, read, wanted.first_if_gone))
         .failure(lambda exc: self._read_failed(generation, exc)).run())

    @property
    def reading(self) -> bool:
        """True while the newest read's list is not on screen yet."""
        return self._shown_generation != self._generation

    def _show_list(self, generation: int, read: ListRead, first_if_gone: bool = False) -> None:
        if generation != self._generation:   # a newer read was asked for: its list, not this one, is shown
            return
        current = self.tree.current_ref()   # where the clerk is now (they may have moved while it was read)
        self._subs = read.subs
        self.tree.blockSignals(True)
        # the chosen month and status, flagged files first
        self.tree.fill(self.file_filter.apply(self._subs, read.months, read), read.built)
        found = bool(current) and self.tree.select_ref(current)
        if not found and (first_if_gone or not current) and self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self.tree.blockSignals(False)
        self._prefetched = read
        try:
            self._show_current(self.tree.currentItem(), None)
        finally:
            self._prefetched = None
        self._finish_read(generation)

    def _read_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._finish_read(generation)
        self.reading_label.setText(f"收文列表未能读取：{message_of(exc)}")
        self.reading_label.setVisible(True)
        from ...error_hook import show_error
        show_error(exc)

    def _finish_read(self, generation: int) -> None:
        self._shown_generation = generation
        self.reading_label.setVisible(False)
        after, self._after_read = self._after_read, []
        for fn in after:
            fn()
        self.read_done.emit()

    def refresh_file(self, sid: int) -> None:
        """After a decision in the grid: read that one file again and rebuild its branch of the list (a month of
        files is not rebuilt on every key press); the grid shows the file again, keeping its current cell."""
        from core.returns.review import list_submissions
        at = self.tree.file_at(sid)
        fresh = list_submissions(self.ctx.ledger, ids=[sid])
        if at is None or not fresh:
            self.refresh()
            return
        current = self.tree.current_ref()
        self.tree.blockSignals(True)
        self.tree.replace_file(at, fresh[0])
        self._subs = [fresh[0] if sub["id"] == sid else sub for sub in self._subs]
        if not (current and self.tree.select_ref(current)):
            self.tree.setCurrentItem(self.tree.topLevelItem(at))
        self.tree.blockSignals(False)
        self._show_current(self.tree.currentItem(), None)

    def select_submission(self, sid: int) -> bool:
        """Select a file; one the filter hides is shown by widening the filter to its month (全部 status). A file of
        another year is selected once that year is read (True: it will be)."""
        from core.returns.review import list_submissions
        if self.tree.file_at(sid) is None:
            sub = next((s for s in self._subs if s["id"] == sid), None) or next(
                iter(list_submissions(self.ctx.ledger, ids=[sid])), None)   # a file of another year
            if sub is not None and self.file_filter.show_file(sub) and self._filter_changed(
                    then=lambda: self.tree.select_ref(("file", sid, None))):
                return True
            if sub is not None and self.reading:   # the list on its way shows it: selected once it is shown
                self._after_read.append(lambda: self.tree.select_ref(("file", sid, None)))
                return True
        return self.tree.select_ref(("file", sid, None))

    def _filter_changed(self, then: Callable[[], object] | None = None) -> bool:
        """The list as the filter now chooses, off the window's thread; True when it is on its way (`then` runs once
        it is shown), False before the page was first filled (nothing to show yet; `then` has run)."""
        if not self._filled:
            if then is not None:
                then()
            return False
        if then is None and self.ctx.read_when_shown(self, self._filter_changed):   # a new 工作月份, out of view
            return True
        if self.file_filter.year() != self._read_year or self.reading:
            self.refresh(then)   # a month of another year: that year read; a read on its way: read again, not refilled
        else:                    # from the files read last: their items and the current file's grid made off it
            self._start(then, list(self._subs))
        return True
