"""The 通报打印 page's reads of the ledger: the latest year, its tasks and the output folder, off the window's thread
(`LedgerQuery`), a newer read superseding an older one, “正在读取……” meanwhile; the 数据预览 follows (`printing`)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...jobs import message_of
from ...month_picker import quarter_label
from ...operations import LedgerQuery

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QTabWidget, QWidget

    from core.ledger.row_types import TaskRow

    from ...context import AppContext
    from ...jobs import Job
    from ...month_picker import MonthPicker
    _Base = QWidget
else:
    _Base = object


class ReadingMixin(_Base):
    """Part of ReportsPage: refresh() and what it reads."""
    ctx: AppContext
    year: int | None
    job: Job | None
    meta_reading: bool
    preview_reading: bool
    _meta_runs: int
    _chart_quarter: str | None
    read_done: SignalInstance
    reading_label: QLabel
    progress_label: QLabel
    out_label: QLabel
    quarter_label: QLabel
    period_combo: MonthPicker
    task_combo: QComboBox
    tabs: QTabWidget
    chart_tab: QWidget
    generate_buttons: list[QPushButton]
    out_dir: Path | None
    _out_dir_chosen: bool

    if TYPE_CHECKING:
        @property
        def quarter(self) -> str: ...
        def load_preview(self) -> None: ...
        def load_chart(self) -> None: ...

    @property
    def reading(self) -> bool:
        """A read of the page's data is in flight (“正在读取……” shows)."""
        return self.meta_reading or self.preview_reading

    def _reading_changed(self) -> None:
        self.reading_label.setVisible(self.reading)
        if not self.reading:
            self.read_done.emit()

    def refresh(self) -> None:
        """Read the latest year, its tasks and the output folder in the background; the preview follows."""
        self._meta_runs += 1
        run, ledger = self._meta_runs, self.ctx.ledger
        self.meta_reading = True
        for b in self.generate_buttons:
            b.setEnabled(False)
        self._reading_changed()

        def job(_work):
            from core.ledger.page_reads import latest_year_and_tasks
            from core.ledger.settings import output_folder
            year, tasks = latest_year_and_tasks(ledger)
            return year, tasks, output_folder(ledger, "reports")   # the ledger's output folder, 通报 subfolder
        (LedgerQuery(self.ctx, job).success(lambda result: self._read(run, *result))
         .failure(lambda exc: self._read_failed(run, exc, message_of(exc))).run())

    def _read_failed(self, run: int, exc: BaseException, message: str) -> None:
        if run != self._meta_runs:
            return
        self.meta_reading = False
        self.progress_label.setText(f"读取台账未完成：{message}")
        self._reading_changed()
        from ...error_hook import show_error
        show_error(exc)

    def _read(self, run: int, year: int | None, tasks: list[TaskRow], out_dir: Path) -> None:
        if run != self._meta_runs:   # a newer read was asked for meanwhile: this one is stale
            return
        self.meta_reading = False
        for b in self.generate_buttons:
            b.setEnabled(year is not None and self.job is None)
        changed = year != self.year
        if changed:
            self.year = year
            self.period_combo.set_years([year] if year else [])   # unblocks the picker's signals when done
            self.period_combo.blockSignals(True)   # the preview is read once, below
            self.period_combo.set_month(self.ctx.work_month)   # opens on the window's 工作月份
            self.period_combo.blockSignals(False)
            self.period_combo.set_reference(self.ctx.work_month)
            quarter = self.quarter
            self.quarter_label.setText(f"季度：{quarter_label(quarter)[5:]}" if quarter else "")
        self._fill_tasks(tasks)
        if self.out_dir is None or not self._out_dir_chosen:
            self.out_dir = out_dir
        self.out_label.setText(str(self.out_dir))
        if year is not None:
            self.load_preview()
            if (changed or self.quarter != self._chart_quarter) and self.tabs.currentWidget() is self.chart_tab:
                self.load_chart()   # its year, or a quarter the page was not shown for (MainWindow.read_when_shown)
            self._chart_quarter = self.quarter
        self._reading_changed()

    def _fill_tasks(self, tasks: list[TaskRow]) -> None:
        current = self.task_combo.currentData()
        self.task_combo.clear()
        for t in tasks:
            label = ("重点" if t["kind"] == "key" else "民生") + f"{t['seq']}  {t['text'][:28]}"
            self.task_combo.addItem(label, f"{t['kind']}:{t['seq']}")
        if current:
            i = self.task_combo.findData(current)
            if i >= 0:
                self.task_combo.setCurrentIndex(i)
