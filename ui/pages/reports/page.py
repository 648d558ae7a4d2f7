"""The 通报打印 page's layout, state and generating: month and quarter, the report buttons, the files made, the tabs.

What it reads (the latest year, its tasks, the output folder, the 数据预览's figures) is read off the window's thread
(`LedgerQuery`), a newer read superseding an older one, “正在读取……” meanwhile; the window refreshes it only after a
change to what it shows (`SHOWS`), so coming back to it reads nothing."""
from __future__ import annotations

from typing import TYPE_CHECKING

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QFileDialog, QGroupBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMessageBox,
    QProgressBar, QPushButton, QScrollArea, QSplitter, QTabWidget, QTextBrowser, QVBoxLayout, QWidget,
)

from core.ledger.changes import Area

from ...jobs import message_of
from ...month_picker import MonthPicker, quarter_label, quarter_of
from ...operations import LedgerQuery
from .charts_tab import CHARTS, ChartMixin
from .kinds import KINDS, ReportJob
from .printing import PrintingMixin
from .reading import ReadingMixin

if TYPE_CHECKING:
    from ...context import AppContext

FIRST_ROW = ("summary", "livelihood", "leaders", "brief", "bulletin", "livelihood_notice")   # task buttons sit by the task


def progress_text(done: int, total: int, label: str) -> str:
    """“98/98”, or “3/7：张三” when the label says more than a number (a task's 序号 says nothing new)."""
    label = (label or "").strip()
    return f"{done}/{total}" + (f"：{label}" if label and not label.isdigit() else "")


def _row(*items) -> QHBoxLayout:
    """A row of widgets; a (widget, stretch) pair stretches that widget, None is a stretch."""
    row = QHBoxLayout()
    for item in items:
        if item is None:
            row.addStretch(1)
        else:
            widget, stretch = item if isinstance(item, tuple) else (item, 0)
            row.addWidget(widget, stretch)
    return row


class ReportsPage(ReadingMixin, ChartMixin, PrintingMixin, QWidget):
    HELP_TOPIC = "reports"
    SHOWS = tuple(a for a in Area if a is not Area.BACKUPS)   # the window refreshes it after changes to these
    read_done = Signal()   # no read in flight any more: what the page shows is the ledger's

    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        self.year: int | None = None
        self._meta_runs = 0                    # reads of year, tasks and output folder asked for so far
        self.meta_reading = False
        self._preview_runs = 0                 # 数据预览 reads asked for so far; only the latest one lands
        self.preview_reading = False
        self._preview_shown = False            # the browser holds preview_html
        self._preview_doc = self._shown_doc = None   # preview_html as a document made off the window's thread; the one shown
        self.job = None
        self.last_outputs: list[Path] = []
        self.chart_png: bytes | None = None
        self.chart_job = None                  # the latest chart job: an earlier one finishing later is dropped
        self._chart_runs = 0                   # charts asked for so far; only the latest one's result is shown
        self.chart_quarter = ""                # the quarter of the chart shown
        self._chart_quarter: str | None = None  # the quarter the month picker was on when last changed
        self.preview_html = ""
        self.preview_kind = "summary"
        self.out_dir: Path | None = None
        self._out_dir_chosen = False   # 更改… on this page overrides the output folder until the window closes
        self._build_controls()
        self._build_outputs()
        self._build_tabs()
        split = QSplitter()
        split.addWidget(self._left)
        split.addWidget(self.tabs)
        split.setStretchFactor(1, 3)
        split.setSizes([300, 900])
        layout = QVBoxLayout(self)
        layout.addLayout(_row(QLabel("月份"), self.period_combo, self.quarter_label, self.today_edit,
                              self.reading_label, None))
        layout.addWidget(self._generate_box())
        layout.addWidget(split, 1)
        self.period_combo.currentIndexChanged.connect(lambda _i: self._period_changed())

    def _build_controls(self) -> None:
        self.period_combo = MonthPicker(tooltip="月度汇总表、民生实事表、领导页、区长简报按此月份；随窗口右上角的工作月份")
        self.period_combo.set_reference(self.ctx.work_month)
        self.ctx.work_month_changed.connect(self._follow_work_month)
        self.quarter_label = QLabel()
        self.quarter_label.setToolTip("季度通报、一事一通报按此季度：随月份（1–3月第一季度，4–6月第二季度……）")
        self.today_edit = QDateEdit(QDate.currentDate())
        self.today_edit.setCalendarPopup(True)
        self.today_edit.setDisplayFormat("截至 yyyy年M月d日")
        self.today_edit.setToolTip("亮灯、逾期按哪一天判断；也是通报落款日期")
        self.reading_label = QLabel("正在读取……")
        self.reading_label.setVisible(False)
        self.task_combo = QComboBox()
        self.task_combo.setToolTip("一事一通报、办结通报的任务")
        self.task_combo.setMinimumWidth(260)
        self.out_label = QLabel()
        self.out_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons: dict[str, QPushButton] = {}
        for kind in KINDS.values():
            button = QPushButton(kind.button)
            if kind.tip:
                button.setToolTip(kind.tip)
            button.clicked.connect(lambda _c=False, key=kind.key: self.generate(key))
            self.buttons[kind.key] = button
        self.summary_button, self.livelihood_button = self.buttons["summary"], self.buttons["livelihood"]
        self.leaders_button, self.bulletin_button = self.buttons["leaders"], self.buttons["bulletin"]
        self.single_button, self.brief_button = self.buttons["single"], self.buttons["brief"]
        self.generate_buttons = list(self.buttons.values())
        self.progress_bar = QProgressBar()
        self.progress_bar.setVisible(False)
        self.progress_label = QLabel()
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)

    def _generate_box(self) -> QGroupBox:
        choose_out = QPushButton("更改…")
        choose_out.clicked.connect(self._choose_out_dir)
        gen = QGroupBox("生成")
        g = QVBoxLayout(gen)
        g.addLayout(_row(*(self.buttons[k] for k in FIRST_ROW), None))
        g.addLayout(_row(QLabel("任务"), (self.task_combo, 1), self.single_button, self.buttons["closure"]))
        g.addLayout(_row(QLabel("输出到"), (self.out_label, 1), choose_out))
        g.addLayout(_row((self.progress_bar, 1), self.progress_label, self.cancel_button))
        return gen

    def _build_outputs(self) -> None:
        self.outputs = QListWidget()
        self.outputs.setToolTip("双击打开文件")
        self.outputs.itemDoubleClicked.connect(lambda item: self._open(Path(item.data(Qt.ItemDataRole.UserRole))))
        self.outputs.currentItemChanged.connect(lambda item, _old: self.preview_selected(item))
        self.open_folder_button = QPushButton("打开输出文件夹")
        self.open_folder_button.clicked.connect(self.open_folder)
        self.pdf_file_button = QPushButton("所选文件转 PDF（LibreOffice）")
        self.pdf_file_button.setToolTip("与打印件版式一致（分页、重复表头、页码）；需要安装 LibreOffice")
        self.pdf_file_button.clicked.connect(self.convert_selected)
        self._left = QWidget()
        lv = QVBoxLayout(self._left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(QLabel("已生成的文件"))
        lv.addWidget(self.outputs, 1)
        lv.addWidget(self.pdf_file_button)
        lv.addWidget(self.open_folder_button)

    def _build_tabs(self) -> None:
        from ...file_preview_pane import FilePreviewPane
        self.file_preview = FilePreviewPane(self.ctx, fallback_html=self._fallback_html)
        self.file_preview.rendered.connect(self._pages_known)
        self.chart_combo = QComboBox()
        self.chart_combo.addItems(list(CHARTS))
        self.chart_combo.currentTextChanged.connect(lambda _t: self.show_chart())
        self.chart_label = QLabel("选择季度后显示图表")
        self.chart_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.chart_scroll = chart_scroll = QScrollArea()
        chart_scroll.setWidgetResizable(True)
        chart_scroll.setWidget(self.chart_label)
        self.preview = QTextBrowser()
        self.preview_combo = QComboBox()
        self.preview_combo.addItems(["月度汇总表", "民生实事表", "季度通报数据"])
        self.preview_combo.currentIndexChanged.connect(lambda _i: self.load_preview())
        # a screen view of the figures only: what prints is the generated file, in the 打印预览 tab (issue 28.6)
        preview_note = QLabel("仅供屏幕查看；打印请先生成文件，在“打印预览（所选文件）”中打印。")
        self.chart_tab = QWidget()
        cv = QVBoxLayout(self.chart_tab)
        cv.addWidget(self.chart_combo)
        cv.addWidget(chart_scroll, 1)
        self.preview_tab = preview_tab = QWidget()
        pv = QVBoxLayout(preview_tab)
        pv.addLayout(_row(self.preview_combo, preview_note, None))
        pv.addWidget(self.preview, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.file_preview, "打印预览（所选文件）")
        self.tabs.addTab(preview_tab, "数据预览")
        self.tabs.addTab(self.chart_tab, "图表")
        self.tabs.currentChanged.connect(lambda _i: self._tab_changed())

    def _tab_changed(self) -> None:
        if self.tabs.currentWidget() is self.chart_tab:
            self.load_chart()
        self.show_preview_if_seen()

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
        if not self.ctx.read_when_shown(self, self._read_period):   # a new 工作月份 while the page is out of view
            self._read_period()

    def _read_period(self) -> None:
        """The preview of the month chosen now, and the chart in view when its quarter moved."""
        quarter = self.quarter
        self.load_preview()
        if quarter != self._chart_quarter and self.tabs.currentWidget() is self.chart_tab:
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

    def select_task(self, ref: str) -> None:
        """For 一事一通报 from a task's page: preselect `key:12`."""
        i = self.task_combo.findData(ref)
        if i >= 0:
            self.task_combo.setCurrentIndex(i)

    # -- generating ---------------------------------------------------------------------
    def output_path(self, what: str) -> Path:
        task = (self.task_combo.currentData() or "").replace(":", "")
        return Path(self.out_dir or "") / KINDS[what].file_name.format(period=self.period, quarter=self.quarter, task=task)

    def generate(self, what: str):
        if self.job is not None or not self.period or self.meta_reading:
            return None
        kind = KINDS[what]
        job = ReportJob(self.ctx.ledger, self.period, self.quarter, self.task_combo.currentData() or "",
                        self.output_path(what), self.today)
        self._busy(True, "正在生成…")
        self.job = (LedgerQuery(self.ctx, lambda work: kind.write(job, work)).success(self._done)
                    .failure(lambda exc: self._failed(message_of(exc))).progress(self._progress)
                    .cancelled(self._cancelled).run())
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

    # -- files ------------------------------------------------------------------------------
    def convert_selected(self):
        item = self.outputs.currentItem()
        if item is None or self.job is not None:
            return None
        src = Path(item.data(Qt.ItemDataRole.UserRole))

        def job(work):
            from core.office.pdf_export import convert_to_pdf
            return {"path": str(convert_to_pdf(src))}

        self._busy(True, "正在用 LibreOffice 转换…")
        self.job = (LedgerQuery(self.ctx, job).success(self._done).failure(lambda exc: self._failed(message_of(exc)))
                    .cancelled(self._cancelled).run())
        return self.job

    def open_folder(self) -> bool:
        """The 通报 folder; says in Chinese when it does not exist yet or the system cannot open it."""
        from ...open_folder import open_in_file_manager
        return open_in_file_manager(self, Path(self.out_dir) if self.out_dir else None, "打开输出文件夹")

    def _open(self, path: Path) -> bool:
        from ...open_folder import open_in_file_manager
        return open_in_file_manager(self, path, "打开文件")

    def _choose_out_dir(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "选择输出文件夹", str(self.out_dir or ""))
        if chosen:
            self.out_dir = Path(chosen)
            self._out_dir_chosen = True
            self.out_label.setText(chosen)
