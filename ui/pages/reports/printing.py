"""The 通报打印 page's 数据预览: the month's figures as HTML tables on screen (printing is the generated file's, in the
打印预览 tab: the data preview printed a different document from the file, issue 28.6).

The figures are read off the window's thread (`LedgerQuery`), a newer read superseding an older one; the HTML goes
into the browser only while the 数据预览 tab is in view; the HTML is read into a text document on the reading
thread (preview_document), the browser lays out what is in view first."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date

    from PySide6.QtGui import QFont, QTextDocument
    from PySide6.QtWidgets import QComboBox, QTabWidget, QTextBrowser, QWidget

    from ...context import AppContext
    _Base = QWidget
else:
    _Base = object


def preview_html(ledger, index: int, period: str, quarter: str, today: date) -> str:
    """The 数据预览's HTML: 0 the month's 汇总表, 1 the 民生实事表, 2 the quarter's bulletin figures; a UserError (nothing
    to show yet) is said in the preview itself, our bugs go on to the window's hook."""
    from core.common.errors import UserError
    from core.reports.data import bulletin_data, summary_data
    from core.reports.html import bulletin_html, summary_html
    try:
        if index == 2:
            return bulletin_html(bulletin_data(ledger, quarter, today))
        kind = "key" if index == 0 else "livelihood"
        data = summary_data(ledger, period, kind, today)
        y, m = data["year"], data["month"]
        title = (f"{y}年{m}月《政府工作报告》重点任务落实情况汇总表" if kind == "key"
                 else f"{y}年{m}月民生实事项目进展情况表")
        return summary_html(data, title)
    except UserError as exc:
        return f"<p>{exc.message}</p>"


def preview_document(html: str, font: QFont) -> QTextDocument:
    """The HTML read into a text document on the reading thread (a 630-unit month's import took the window's thread
    0.3–0.5 s), then handed to the window's thread; the browser lays out what is in view first."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QTextDocument
    doc = QTextDocument()
    doc.setDefaultFont(font)
    doc.setHtml(html)
    app = QCoreApplication.instance()
    if app is not None:
        doc.moveToThread(app.thread())
    return doc


class PrintingMixin(_Base):
    """Part of ReportsPage: what the 数据预览 tab shows, read in the background."""
    ctx: AppContext
    preview_html: str
    preview: QTextBrowser
    preview_tab: QWidget
    preview_combo: QComboBox
    tabs: QTabWidget
    out_dir: Path | None
    _preview_runs: int
    _preview_shown: bool          # the browser holds preview_html
    _preview_doc: QTextDocument | None   # preview_html read into a document off the window's thread
    _shown_doc: QTextDocument | None     # the document in the browser now (kept alive while it is shown)
    preview_reading: bool         # a preview read is in flight

    if TYPE_CHECKING:
        @property
        def period(self) -> str: ...
        @property
        def quarter(self) -> str: ...
        @property
        def today(self) -> date: ...
        def _reading_changed(self) -> None: ...

    def _fallback_html(self) -> str:
        """The file preview's fallback (no LibreOffice): the figures, read now if none were read yet."""
        if not self.preview_html and self.period:
            self.preview_html = preview_html(self.ctx.ledger, self.preview_combo.currentIndex(), self.period,
                                             self.quarter, self.today)
        return self.preview_html

    def load_preview(self) -> None:
        """Read the figures of the month (or quarter) chosen in the background; only the latest read lands."""
        if not self.period:
            return
        from ...jobs import message_of
        from ...operations import LedgerQuery
        self._preview_runs += 1
        run, ledger, index = self._preview_runs, self.ctx.ledger, self.preview_combo.currentIndex()
        period, quarter, today, font = self.period, self.quarter, self.today, self.preview.font()

        def read(_work):
            html = preview_html(ledger, index, period, quarter, today)
            return html, preview_document(html, font)
        self.preview_reading = True
        self._reading_changed()
        (LedgerQuery(self.ctx, read)
         .success(lambda result: self._preview_done(run, *result))
         .failure(lambda exc: self._preview_failed(run, exc, message_of(exc))).run())

    def _preview_done(self, run: int, html: str, doc: QTextDocument) -> None:
        if run != self._preview_runs:   # a newer month or table was asked for meanwhile
            return
        self.preview_reading = False
        self.preview_html, self._preview_doc = html, doc
        self._preview_shown = False
        self.show_preview_if_seen()
        self._reading_changed()

    def _preview_failed(self, run: int, exc: BaseException, message: str) -> None:
        if run != self._preview_runs:
            return
        self.preview_reading = False
        self.preview_html, self._preview_doc = f"<p>数据预览未完成：{message}</p>", None
        self._preview_shown = False
        self.show_preview_if_seen()
        self._reading_changed()
        from ...error_hook import show_error
        show_error(exc)

    def show_preview_if_seen(self) -> None:
        """Put the figures read into the browser when the 数据预览 tab is in view (and they are not there yet)."""
        if not self._preview_shown and self.tabs.currentWidget() is self.preview_tab:
            if self._preview_doc is not None:
                self.preview.setDocument(self._preview_doc)
                self._shown_doc = self._preview_doc   # the browser does not own it: kept while shown
            else:
                self.preview.setHtml(self.preview_html)
            self._preview_shown = True
