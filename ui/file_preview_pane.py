"""打印预览 pane: the generated file laid out by LibreOffice, page by page (background, cached), or a labelled fallback;
打印… prints those same laid-out pages."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QProgressBar, QPushButton, QScrollArea, QSpinBox, QStackedWidget, QTextBrowser,
    QVBoxLayout, QWidget,
)


class FilePreviewPane(QWidget):
    """show_file(path) renders in a job; `rendered(path, count)` when the pages are there."""

    rendered = Signal(str, int)

    def __init__(self, ctx, fallback_html=None, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.fallback_html = fallback_html or (lambda: "")
        self.path: Path | None = None
        self.pages: list[Path] = []
        self.job = None
        self.error = ""
        self._token = 0
        self.title = QLabel("生成文件后，在左侧选中它即可预览打印效果。")
        self.title.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #a61b1b;")
        self.notice.setVisible(False)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.prev_button = QPushButton("上一页")
        self.next_button = QPushButton("下一页")
        self.page_spin = QSpinBox()
        self.page_spin.setPrefix("第 ")
        self.page_spin.setSuffix(" 页")
        self.page_spin.setMinimum(1)
        self.count_label = QLabel()
        self.print_button = QPushButton("打印…")
        self.print_button.setToolTip("打印本预览中的页面（与文件本身排版相同）")
        self.print_button.clicked.connect(self.print_dialog)
        self.pdf: Path | None = None
        self.prev_button.clicked.connect(lambda: self.page_spin.setValue(self.page_spin.value() - 1))
        self.next_button.clicked.connect(lambda: self.page_spin.setValue(self.page_spin.value() + 1))
        self.page_spin.valueChanged.connect(lambda _v: self._show_page())
        nav = QHBoxLayout()
        for w in (self.prev_button, self.page_spin, self.count_label, self.next_button):
            nav.addWidget(w)
        nav.addStretch(1)
        nav.addWidget(self.print_button)
        self.page_label = QLabel()
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.page_label.setStyleSheet("background: #808080;")
        self.page_scroll = QScrollArea()
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setWidget(self.page_label)
        self.fallback = QTextBrowser()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.page_scroll)
        self.stack.addWidget(self.fallback)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.notice)
        layout.addWidget(self.progress)
        layout.addLayout(nav)
        layout.addWidget(self.stack, 1)
        self._set_pages([])

    # -- rendering ---------------------------------------------------------------------------
    def show_file(self, path: Path | str):
        from core.office.pdf_pages import missing_tools
        path = Path(path)
        if self.job is not None:
            self.job.cancel()
        self.path, self.error = path, ""
        self._token += 1          # a file generated again under the same name is a new request
        token = self._token
        self._set_pages([])
        reason = missing_tools()
        if reason:
            self._fall_back(reason)
            return None
        self.notice.setVisible(False)
        self.stack.setCurrentWidget(self.page_scroll)
        self.title.setText(f"打印预览：{path.name}（正在用 LibreOffice 排版…）")
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)

        def render(work):
            from core.common.paths import cache_dir
            from core.office.pdf_pages import render_pages
            return render_pages(path, cache_dir() / "print-preview", work)

        from .jobs import message_of
        from .operations import LedgerQuery
        job = (LedgerQuery(self.ctx, render).success(lambda r: self._done(token, r))
               .failure(lambda exc: self._failed(token, message_of(exc)))
               .progress(lambda d, t, label: self._progress(token, d, t, label))
               .cancelled(lambda: self._cancelled(token)).run())
        self.job = job
        return job

    def _current(self, token: int) -> bool:
        return token == self._token

    def _progress(self, token: int, done: int, total: int, label: str) -> None:
        if not self._current(token):
            return
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(label or "%v/%m")

    def _done(self, token: int, result: dict) -> None:
        if not self._current(token) or self.path is None:
            return
        path = self.path
        self.job = None
        self.progress.setVisible(False)
        self.pdf = Path(result["pdf"])
        self._set_pages(list(result["pages"]))
        self.title.setText(f"打印预览：{path.name}，共 {result['count']} 页 —— 由 LibreOffice 按文件本身排版，"
                           "分页、表头、页脚与打印件相同。")
        self.rendered.emit(str(path), int(result["count"]))

    def _failed(self, token: int, message: str) -> None:
        if not self._current(token):
            return
        self.job = None
        self.progress.setVisible(False)
        self._fall_back(message)

    def _cancelled(self, token: int) -> None:
        if self._current(token):
            self.job = None
            self.progress.setVisible(False)

    def _fall_back(self, reason: str) -> None:
        self.error = reason
        self.notice.setText(reason)
        self.notice.setVisible(True)
        self.title.setText(f"简易预览（不是打印件的排版）：{self.path.name if self.path else ''}")
        self.fallback.setHtml(self.fallback_html())
        self.stack.setCurrentWidget(self.fallback)

    # -- pages ---------------------------------------------------------------------------------
    def _set_pages(self, pages: list[Path]) -> None:
        self.pages = pages
        self.page_spin.blockSignals(True)
        self.page_spin.setMaximum(max(1, len(pages)))
        self.page_spin.setValue(1)
        self.page_spin.blockSignals(False)
        self.count_label.setText(f"共 {len(pages)} 页" if pages else "")
        self.print_button.setEnabled(bool(pages))
        for w in (self.prev_button, self.next_button, self.page_spin):
            w.setEnabled(len(pages) > 1)
        self._show_page()

    def _show_page(self) -> None:
        if not self.pages:
            self.page_label.clear()
            return
        pix = QPixmap(str(self.pages[self.page_spin.value() - 1]))
        width = max(200, self.page_scroll.viewport().width() - 24)
        if pix.width() > width:
            pix = pix.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        self.page_label.setPixmap(pix)
        self.prev_button.setEnabled(self.page_spin.value() > 1)
        self.next_button.setEnabled(self.page_spin.value() < len(self.pages))

    # -- printing the laid-out pages -----------------------------------------------------------
    def print_dialog(self):
        """Ask for the printer, then draw the pages at printer resolution in the background and print them."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter
        if not self.pages or self.pdf is None:
            return None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() != QPrintDialog.DialogCode.Accepted:
            return None
        return self.print_to(printer)

    def print_to(self, printer):
        """The same pages as the preview, drawn for `printer` in a job, then painted on it (one sheet a page)."""
        from .jobs import message_of
        from .operations import LedgerQuery
        pdf = self.pdf
        if pdf is None:   # the button is enabled only once a file's pages are shown
            return None

        def draw(work):
            from core.office.pdf_pages import print_images
            return print_images(pdf, work)

        self.print_button.setEnabled(False)
        self.title.setText("正在准备打印…")

        def done(images):
            self.print_button.setEnabled(True)
            self.paint_pages(printer, images)
            self.title.setText(f"已送打印：{len(images)} 页")

        def failed(exc: BaseException):
            self.print_button.setEnabled(True)
            self.title.setText(message_of(exc))
        self._print_keep = printer
        return LedgerQuery(self.ctx, draw).success(done).failure(failed).run()

    @staticmethod
    def paint_pages(printer, images: list[Path]) -> None:
        """Each page image on a sheet of its own orientation, filling the paper as LibreOffice laid it out."""
        from PySide6.QtCore import QRectF
        from PySide6.QtGui import QImage, QPageLayout, QPainter
        printer.setFullPage(True)
        painter = None
        for i, path in enumerate(images):
            img = QImage(str(path))
            landscape = img.width() > img.height()
            printer.setPageOrientation(QPageLayout.Orientation.Landscape if landscape
                                       else QPageLayout.Orientation.Portrait)
            if painter is None:
                painter = QPainter(printer)
            elif i:
                printer.newPage()
            paper = printer.pageLayout().fullRectPixels(printer.resolution())
            painter.drawImage(QRectF(0, 0, paper.width(), paper.height()), img)
        if painter is not None:
            painter.end()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._show_page()
