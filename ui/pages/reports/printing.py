"""The 通报打印 page's data preview, print preview, printing and PDF export (HTML tables through QTextDocument)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtWidgets import QFileDialog

if TYPE_CHECKING:
    from datetime import date

    from PySide6.QtWidgets import QComboBox, QTextBrowser, QWidget

    from ...context import AppContext
    _Base = QWidget
else:
    _Base = object


class PrintingMixin(_Base):
    """Part of ReportsPage: what the 数据预览 tab shows, and printing or exporting it."""
    ctx: AppContext
    preview_html: str
    preview: QTextBrowser
    preview_combo: QComboBox
    out_dir: Path | None

    if TYPE_CHECKING:
        @property
        def period(self) -> str: ...
        @property
        def quarter(self) -> str: ...
        @property
        def today(self) -> date: ...

    def _fallback_html(self) -> str:
        if not self.preview_html:
            self.load_preview()
        return self.preview_html

    def load_preview(self) -> None:
        if not self.period:
            return
        from core.common.errors import UserError
        from core.reports.data import bulletin_data, summary_data
        from core.reports.html import bulletin_html, summary_html
        index = self.preview_combo.currentIndex()
        try:
            if index == 2:
                self.preview_html = bulletin_html(bulletin_data(self.ctx.ledger, self.quarter, self.today))
            else:
                kind = "key" if index == 0 else "livelihood"
                data = summary_data(self.ctx.ledger, self.period, kind, self.today)
                y, m = data["year"], data["month"]
                title = (f"{y}年{m}月《政府工作报告》重点任务落实情况汇总表" if kind == "key"
                         else f"{y}年{m}月民生实事项目进展情况表")
                self.preview_html = summary_html(data, title)
        except UserError as exc:  # nothing to show yet: said in the preview itself; our bugs reach the window's hook
            self.preview_html = f"<p>{exc.message}</p>"
        self.preview.setHtml(self.preview_html)

    def document(self) -> QTextDocument:
        if not self.preview_html:
            self.load_preview()
        doc = QTextDocument()
        doc.setHtml(self.preview_html)
        return doc

    def _printer(self, pdf_path: Path | None = None):
        from PySide6.QtPrintSupport import QPrinter
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                                          QMarginsF(10, 12, 10, 12), QPageLayout.Unit.Millimeter))
        if pdf_path is not None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(pdf_path))
        return printer

    def preview_dialog(self):
        from PySide6.QtPrintSupport import QPrintPreviewDialog
        printer = self._printer()
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle("打印预览")
        doc = self.document()
        # the dialog owns neither the printer nor the document: its slot holds both for as long as it lives
        dialog.paintRequested.connect(lambda p, _printer=printer: doc.print_(p))
        return dialog

    def print_preview(self) -> None:
        self.preview_dialog().exec()

    def print_dialog(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog
        printer = self._printer()
        dialog = QPrintDialog(printer, self)
        if dialog.exec():
            self.document().print_(printer)

    def export_pdf(self, path: Path) -> Path:
        """The preview (HTML tables through QTextDocument) to PDF via QPrinter: A4 landscape."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.stem + ".part.pdf")
        self.document().print_(self._printer(tmp))
        tmp.replace(path)
        self.ctx.status_message.emit(f"已导出 {path}")
        return path

    def _ask_pdf(self) -> None:
        name = f"{self.period}-{self.preview_combo.currentText()}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, "导出 PDF", str(Path(self.out_dir or "") / name), "PDF (*.pdf)")
        if path:
            self.export_pdf(Path(path))
