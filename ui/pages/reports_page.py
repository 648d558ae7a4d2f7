"""通报打印 page: pick a month or quarter, generate the summary, 民生实事 table, bulletin, 一事一通报 and leader pages, see the charts, preview, print, export PDF."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QMarginsF, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPixmap, QTextDocument
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QFileDialog, QGroupBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMessageBox,
    QProgressBar, QPushButton, QScrollArea, QSplitter, QTabWidget, QTextBrowser, QVBoxLayout, QWidget,
)

from ..month_picker import MonthPicker, quarter_label, quarter_of

PAGE_ORDER = 70
PAGE_TITLE = "通报打印"
PAGE_KEY = "reports"
CHARTS = {"按重点领域": "area", "逐月": "month", "按单位": "unit"}


def create(ctx):
    return ReportsPage(ctx)


def progress_text(done: int, total: int, label: str) -> str:
    """“98/98”, or “3/7：张三” when the label says more than a number (a task's 序号 says nothing new)."""
    label = (label or "").strip()
    return f"{done}/{total}" + (f"：{label}" if label and not label.isdigit() else "")


class ReportsPage(QWidget):
    HELP_TOPIC = "reports"

    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        self.year: int | None = None
        self.job = None
        self.last_outputs: list[Path] = []
        self.chart_png: bytes | None = None
        self.preview_html = ""
        self.preview_kind = "summary"

        self.period_combo = MonthPicker(tooltip="月度汇总表、民生实事表、领导页、区长简报按此月份；随窗口右上角的工作月份")
        self.period_combo.set_reference(ctx.work_month)
        ctx.work_month_changed.connect(self._follow_work_month)
        self.quarter_label = QLabel()
        self.quarter_label.setToolTip("季度通报、一事一通报按此季度：随月份（1–3月第一季度，4–6月第二季度……）")
        self.today_edit = QDateEdit(QDate.currentDate())
        self.today_edit.setCalendarPopup(True)
        self.today_edit.setDisplayFormat("截至 yyyy年M月d日")
        self.today_edit.setToolTip("亮灯、逾期按哪一天判断；也是通报落款日期")
        self.task_combo = QComboBox()
        self.task_combo.setToolTip("一事一通报的任务")
        self.task_combo.setMinimumWidth(260)
        self.out_label = QLabel()
        self.out_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        choose_out = QPushButton("更改…")
        choose_out.clicked.connect(self._choose_out_dir)
        self.out_dir: Path | None = None
        self._out_dir_chosen = False   # 更改… on this page overrides the output folder until the window closes

        self.summary_button = QPushButton("生成月度汇总表")
        self.livelihood_button = QPushButton("生成民生实事表")
        self.leaders_button = QPushButton("生成领导页")
        self.bulletin_button = QPushButton("生成季度通报稿")
        self.single_button = QPushButton("生成一事一通报")
        self.brief_button = QPushButton("生成区长简报")
        self.brief_button.setToolTip("当月总体情况、红黄灯任务（每项一两行）、迟报未报单位，Word 文档，不超过8页")
        self.summary_button.clicked.connect(lambda: self.generate("summary"))
        self.livelihood_button.clicked.connect(lambda: self.generate("livelihood"))
        self.leaders_button.clicked.connect(lambda: self.generate("leaders"))
        self.bulletin_button.clicked.connect(lambda: self.generate("bulletin"))
        self.single_button.clicked.connect(lambda: self.generate("single"))
        self.brief_button.clicked.connect(lambda: self.generate("brief"))
        self.generate_buttons = [self.summary_button, self.livelihood_button, self.leaders_button,
                                 self.brief_button, self.bulletin_button, self.single_button]
        self.progress_bar = QProgressBar()
        self.progress_bar.setVisible(False)
        self.progress_label = QLabel()
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)

        self.outputs = QListWidget()
        self.outputs.setToolTip("双击打开文件")
        self.outputs.itemDoubleClicked.connect(lambda item: self._open(Path(item.data(Qt.ItemDataRole.UserRole))))
        self.outputs.currentItemChanged.connect(lambda item, _old: self.preview_selected(item))
        from ..file_preview_pane import FilePreviewPane
        self.file_preview = FilePreviewPane(ctx, fallback_html=self._fallback_html)
        self.file_preview.rendered.connect(self._pages_known)
        self.open_folder_button = QPushButton("打开输出文件夹")
        self.open_folder_button.clicked.connect(self.open_folder)
        self.pdf_file_button = QPushButton("所选文件转 PDF（LibreOffice）")
        self.pdf_file_button.setToolTip("与打印件版式一致（分页、重复表头、页码）；需要安装 LibreOffice")
        self.pdf_file_button.clicked.connect(self.convert_selected)

        self.chart_combo = QComboBox()
        self.chart_combo.addItems(list(CHARTS))
        self.chart_combo.currentTextChanged.connect(lambda _t: self.show_chart())
        self.chart_label = QLabel("选择季度后显示图表")
        self.chart_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        chart_scroll = QScrollArea()
        chart_scroll.setWidgetResizable(True)
        chart_scroll.setWidget(self.chart_label)
        self.preview = QTextBrowser()
        self.preview_combo = QComboBox()
        self.preview_combo.addItems(["月度汇总表", "民生实事表", "季度通报数据"])
        self.preview_combo.currentIndexChanged.connect(lambda _i: self.load_preview())
        self.print_preview_button = QPushButton("打印预览…")
        self.print_preview_button.clicked.connect(self.print_preview)
        self.print_button = QPushButton("打印…")
        self.print_button.clicked.connect(self.print_dialog)
        self.pdf_button = QPushButton("导出 PDF…")
        self.pdf_button.setToolTip("把预览内容（A4 横向）直接导出为 PDF")
        self.pdf_button.clicked.connect(self._ask_pdf)

        top = QHBoxLayout()
        for w in (QLabel("月份"), self.period_combo, self.quarter_label, self.today_edit):
            top.addWidget(w)
        top.addStretch(1)
        gen = QGroupBox("生成")
        g = QVBoxLayout(gen)
        row1 = QHBoxLayout()
        for b in (self.summary_button, self.livelihood_button, self.leaders_button, self.brief_button,
                  self.bulletin_button):
            row1.addWidget(b)
        row1.addStretch(1)
        row2 = QHBoxLayout()
        row2.addWidget(QLabel("任务"))
        row2.addWidget(self.task_combo, 1)
        row2.addWidget(self.single_button)
        row3 = QHBoxLayout()
        row3.addWidget(QLabel("输出到"))
        row3.addWidget(self.out_label, 1)
        row3.addWidget(choose_out)
        row4 = QHBoxLayout()
        row4.addWidget(self.progress_bar, 1)
        row4.addWidget(self.progress_label)
        row4.addWidget(self.cancel_button)
        for r in (row1, row2, row3, row4):
            g.addLayout(r)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(QLabel("已生成的文件"))
        lv.addWidget(self.outputs, 1)
        lv.addWidget(self.pdf_file_button)
        lv.addWidget(self.open_folder_button)
        tabs = QTabWidget()
        chart_tab = QWidget()
        cv = QVBoxLayout(chart_tab)
        cv.addWidget(self.chart_combo)
        cv.addWidget(chart_scroll, 1)
        preview_tab = QWidget()
        pv = QVBoxLayout(preview_tab)
        prow = QHBoxLayout()
        prow.addWidget(self.preview_combo)
        prow.addStretch(1)
        for b in (self.print_preview_button, self.print_button, self.pdf_button):
            prow.addWidget(b)
        pv.addLayout(prow)
        pv.addWidget(self.preview, 1)
        tabs.addTab(self.file_preview, "打印预览（所选文件）")
        tabs.addTab(preview_tab, "数据预览")
        tabs.addTab(chart_tab, "图表")
        self.tabs = tabs
        self.chart_tab = chart_tab
        tabs.currentChanged.connect(lambda _i: self.load_chart() if tabs.currentWidget() is chart_tab else None)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(tabs)
        split.setStretchFactor(1, 3)
        split.setSizes([300, 900])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(gen)
        layout.addWidget(split, 1)
        self.period_combo.currentIndexChanged.connect(lambda _i: self._period_changed())

    # -- state -------------------------------------------------------------------------
    @property
    def period(self) -> str:
        return self.period_combo.currentData() or ""

    @property
    def quarter(self) -> str:
        """The quarter follows the month: 2026-04 → 2026Q2."""
        return quarter_of(self.period) if self.period else ""

    def _period_changed(self) -> None:
        quarter = self.quarter
        self.quarter_label.setText(f"季度：{quarter_label(quarter)[5:]}" if quarter else "")
        self.load_preview()
        if quarter != getattr(self, "_chart_quarter", None) and self.tabs.currentWidget() is self.chart_tab:
            self.load_chart()
        self._chart_quarter = quarter

    @property
    def today(self) -> date:
        d = self.today_edit.date()
        return date(d.year(), d.month(), d.day())

    def set_today(self, day: date) -> None:
        self.today_edit.setDate(QDate(day.year, day.month, day.day))

    def set_period(self, period: str) -> None:
        i = self.period_combo.findData(period)
        if i >= 0:
            self.period_combo.setCurrentIndex(i)

    def _follow_work_month(self, period: str) -> None:
        self.period_combo.set_reference(period)
        self.set_period(period)

    def refresh(self) -> None:
        from core.ledger.page_reads import latest_year_and_tasks
        year, tasks = latest_year_and_tasks(self.ctx.ledger)
        enabled = year is not None
        for b in self.generate_buttons:
            b.setEnabled(enabled and self.job is None)
        changed = year != self.year
        if changed:
            self.year = year
            self.period_combo.blockSignals(True)
            self.period_combo.set_years([year] if year else [])
            self.period_combo.set_month(self.ctx.work_month)   # opens on the window's 工作月份
            self.period_combo.blockSignals(False)
            self.period_combo.set_reference(self.ctx.work_month)
            quarter = self.quarter
            self.quarter_label.setText(f"季度：{quarter_label(quarter)[5:]}" if quarter else "")
        current = self.task_combo.currentData()
        self.task_combo.clear()
        for t in tasks:
            label = ("重点" if t["kind"] == "key" else "民生") + f"{t['seq']}  {t['text'][:28]}"
            self.task_combo.addItem(label, f"{t['kind']}:{t['seq']}")
        if current:
            i = self.task_combo.findData(current)
            if i >= 0:
                self.task_combo.setCurrentIndex(i)
        if self.out_dir is None or not self._out_dir_chosen:
            from core.ledger.settings import output_folder
            self.out_dir = output_folder(self.ctx.ledger, "reports")   # the ledger's output folder, 通报 subfolder
        self.out_label.setText(str(self.out_dir))
        if year is not None:
            self.load_preview()
            if changed and self.tabs.currentWidget() is self.chart_tab:
                self.load_chart()

    def select_task(self, ref: str) -> None:
        """For 一事一通报 from a task's page: preselect `key:12`."""
        i = self.task_combo.findData(ref)
        if i >= 0:
            self.task_combo.setCurrentIndex(i)

    # -- generating ---------------------------------------------------------------------
    def output_path(self, what: str) -> Path:
        names = {
            "summary": f"{self.period}-重点任务落实情况汇总表.xlsx",
            "livelihood": f"{self.period}-民生实事项目进展情况表.xlsx",
            "leaders": f"{self.period}-牵头领导任务页.docx",
            "brief": f"{self.period}-区长简报.docx",
            "bulletin": f"{self.quarter}-季度通报稿.docx",
            "single": f"{self.quarter}-一事一通报-{(self.task_combo.currentData() or '').replace(':', '')}.docx",
        }
        return Path(self.out_dir) / names[what]

    def generate(self, what: str):
        if self.job is not None or not self.period:
            return None
        ledger, today, period, quarter = self.ctx.ledger, self.today, self.period, self.quarter
        task_ref = self.task_combo.currentData()
        out = self.output_path(what)

        def job(work):
            if what == "summary":
                from core.reports.summary_xlsx import write_summary
                return write_summary(ledger, period, out, today=today, work=work)
            if what == "livelihood":
                from core.reports.livelihood_xlsx import write_livelihood
                return write_livelihood(ledger, period, out, today=today, work=work)
            if what == "leaders":
                from core.reports.leader_pages import write_leader_pages
                return write_leader_pages(ledger, period, out, today=today, work=work)
            if what == "brief":
                from core.reports.brief import write_brief
                return write_brief(ledger, period, out, today=today, work=work)
            if what == "bulletin":
                from core.reports.bulletin_docx import write_bulletin
                return write_bulletin(ledger, quarter, out, today=today, work=work)
            from core.reports.bulletin_single import write_single
            return write_single(ledger, quarter, task_ref, out, today=today, work=work)

        self._busy(True, "正在生成…")
        self.job = self.ctx.jobs.start(job, on_done=self._done, on_error=self._failed, on_progress=self._progress,
                                       on_cancelled=self._cancelled)
        return self.job

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _busy(self, busy: bool, text: str = "") -> None:
        for b in self.generate_buttons:
            b.setEnabled(not busy)
        self.progress_bar.setVisible(busy)
        self.progress_bar.setRange(0, 0)
        self.cancel_button.setVisible(busy)
        self.progress_label.setText(text)

    def _progress(self, done: int, total: int, label: str) -> None:
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)
        self.progress_label.setText(progress_text(done, total, label))

    def _done(self, result) -> None:
        self.job = None
        self._busy(False)
        path = Path(result["path"])
        self.last_outputs.append(path)
        item = QListWidgetItem(path.name)   # the page count is added when the print preview has laid it out
        item.setData(Qt.ItemDataRole.UserRole, str(path))
        item.setData(Qt.ItemDataRole.UserRole + 1, result.get("pages"))
        item.setToolTip(str(path))
        self.outputs.addItem(item)
        self.outputs.setCurrentItem(item)
        self.progress_label.setText(f"已生成：{path.name}")
        self.ctx.status_message.emit(f"已生成 {path}")

    def _failed(self, message: str) -> None:
        self.job = None
        self._busy(False)
        self.progress_label.setText("生成失败")
        QMessageBox.warning(self, "生成失败", message)

    def _cancelled(self) -> None:
        self.job = None
        self._busy(False)
        self.progress_label.setText("已取消")

    # -- the print preview of a generated file ----------------------------------------------------
    def preview_selected(self, item: QListWidgetItem | None):
        """Lay out the selected file as it will print (LibreOffice), in the 打印预览 tab."""
        if item is None:
            return None
        path = Path(item.data(Qt.ItemDataRole.UserRole))
        if path.suffix.lower() not in (".xlsx", ".docx", ".xls", ".doc"):
            return None
        self.tabs.setCurrentWidget(self.file_preview)
        job = self.file_preview.show_file(path)
        if job is None and item.data(Qt.ItemDataRole.UserRole + 1):
            item.setText(f"{path.name}（约 {item.data(Qt.ItemDataRole.UserRole + 1)} 页）")
        return job

    def _pages_known(self, path: str, count: int) -> None:
        """The file list shows the page count of the laid-out file: the same number the preview shows."""
        for i in range(self.outputs.count()):
            item = self.outputs.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == path:
                item.setText(f"{Path(path).name}（{count} 页）")

    def _fallback_html(self) -> str:
        if not self.preview_html:
            self.load_preview()
        return self.preview_html

    # -- charts ---------------------------------------------------------------------------
    def load_chart(self) -> None:
        if not self.quarter:
            return
        ledger, quarter, today, kind = self.ctx.ledger, self.quarter, self.today, CHARTS[self.chart_combo.currentText()]

        def job(work):
            from core.office import charts
            from core.reports.data import bulletin_data
            d = bulletin_data(ledger, quarter, today)
            if kind == "area":
                return charts.by_area(d["by_area"]) if d["by_area"] else None
            if kind == "unit":
                return charts.by_unit(d["by_unit"]) if d["by_unit"] else None
            return charts.by_month(d["by_month"]) if d["by_month"] else None

        self.chart_label.setText("正在绘制…")
        self.ctx.jobs.start(job, on_done=self._chart_done, on_error=lambda m: self.chart_label.setText(m))

    def show_chart(self) -> None:
        self.load_chart()

    def _chart_done(self, png) -> None:
        self.chart_png = png
        if not png:
            self.chart_label.setText("该季度还没有落实情况数据。")
            return
        pix = QPixmap()
        pix.loadFromData(png, "PNG")
        self.chart_label.setPixmap(pix.scaledToWidth(min(pix.width(), 900), Qt.TransformationMode.SmoothTransformation))

    # -- preview, print, PDF ----------------------------------------------------------------
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
        dialog.paintRequested.connect(lambda p: doc.print_(p))
        dialog._keep = (printer, doc)  # the dialog does not own them: keep both alive as long as it lives
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
        path, _ = QFileDialog.getSaveFileName(self, "导出 PDF", str(Path(self.out_dir) / name), "PDF (*.pdf)")
        if path:
            self.export_pdf(Path(path))

    def convert_selected(self):
        item = self.outputs.currentItem()
        if item is None or self.job is not None:
            return None
        src = Path(item.data(Qt.ItemDataRole.UserRole))

        def job(work):
            from core.office.pdf_export import convert_to_pdf
            return {"path": str(convert_to_pdf(src))}

        self._busy(True, "正在用 LibreOffice 转换…")
        self.job = self.ctx.jobs.start(job, on_done=self._done, on_error=self._failed, on_cancelled=self._cancelled)
        return self.job

    def open_folder(self) -> bool:
        """The 通报 folder; says in Chinese when it does not exist yet or the system cannot open it."""
        from ..open_folder import open_in_file_manager
        return open_in_file_manager(self, Path(self.out_dir) if self.out_dir else None, "打开输出文件夹")

    def _open(self, path: Path) -> bool:
        from ..open_folder import open_in_file_manager
        return open_in_file_manager(self, path, "打开文件")

    def _choose_out_dir(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "选择输出文件夹", str(self.out_dir or ""))
        if chosen:
            self.out_dir = Path(chosen)
            self._out_dir_chosen = True
            self.out_label.setText(chosen)
