"""The 督办 page's layout, loading and selection: tiles, the submission matrix, task lights and the detail pane."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget
from shiboken6 import isValid

from core.ledger.changes import Area
from core.tracking.dashboard_view import DashboardView, LightRow
from core.tracking.states import DashboardData, MatrixRow

from .actions import ActionsMixin
from .detail_html import cell_html, task_html
from .dialogs import from_qdate, to_qdate
from .layout import EARLIER_TILE, EMPTY_TEXT, TILE_TIPS, LayoutMixin
from .models import EMPTY_GRID, make_brushes

# what the detail pane says before anything is chosen (matrix tab, task tab)
DETAIL_HINTS = {False: "<p style='color:#777'>点击左侧表格中的格子，查看该单位该期表格的报送情况、收到时间和所报内容。</p>",
                True: "<p style='color:#777'>点击左侧的任务，查看亮灯原因和各责任单位所报内容。</p>"}

if TYPE_CHECKING:
    from ...context import AppContext
    from ...jobs import Job

class DashboardPage(LayoutMixin, ActionsMixin, QWidget):
    read_done = Signal()   # the month asked for last is on screen (its background read is done)
    HELP_TOPIC = "dashboard"
    SHOWS = tuple(a for a in Area if a is not Area.BACKUPS)   # the window refreshes it after changes to these

    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        self.cid: int | None = None
        self.year: int | None = None
        self.data: DashboardData | None = None
        self.closure_dialog = None
        self.holiday_dialog = None
        self.received_dialog = None
        self.current_cell: MatrixRow | None = None
        self.no_ranking = False
        self.generation = 0                  # which request the month on screen answers
        self.reading = False                 # a read is under way (the page says so; it shows the last month read)
        self.read_job: Job | None = None
        bar = self._build_bar()
        self._build_warning()
        tiles = self._build_tiles()
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_matrix(), "报送情况")
        self.tabs.addTab(self._build_tasks(), "任务亮灯")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self._build_detail())
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.empty_label = QLabel(EMPTY_TEXT)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.warning_box)
        layout.addLayout(tiles)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.empty_label)
        self.year_combo.currentIndexChanged.connect(self._year_chosen)
        self.period_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.today_edit.dateChanged.connect(lambda _d: self.reload())

    # -- loading ----------------------------------------------------------------------------
    @property
    def today(self) -> date:
        return from_qdate(self.today_edit.date())

    @property
    def period(self) -> str | None:
        return self.period_combo.currentData()

    def set_today(self, day: date) -> None:
        self.today_edit.setDate(to_qdate(day))

    def set_period(self, period: str) -> None:
        index = self.period_combo.findData(period)
        if index >= 0:
            self.period_combo.setCurrentIndex(index)
        elif self.year_combo.findData(int(period[:4])) >= 0:   # another campaign year: switch to it
            self.year = int(period[:4])
            self.year_combo.blockSignals(True)
            self.year_combo.setCurrentIndex(self.year_combo.findData(self.year))
            self.year_combo.blockSignals(False)
            self._fill_periods(period)
            self.reload()

    def _follow_work_month(self, period: str) -> None:
        self.period_combo.set_reference(period)
        self.set_period(period)

    def refresh(self) -> None:
        from core.ledger.queries import campaign_years
        years = campaign_years(self.ctx.ledger)
        if self.year not in years:
            self.year = years[0] if years else None
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for y in years:
            self.year_combo.addItem(f"{y}年", y)
        if self.year is not None:
            self.year_combo.setCurrentIndex(years.index(self.year))
        self.year_combo.blockSignals(False)
        self._fill_periods()
        self.reload()

    def _year_chosen(self, index: int) -> None:
        year = self.year_combo.itemData(index)
        if year is not None and year != self.year:
            self.year = year
            self._fill_periods()
            self.reload()

    def _fill_periods(self, wanted: str | None = None) -> None:
        current = self.period
        self.period_combo.set_years([self.year] if self.year is not None else [])   # emits nothing itself
        self.period_combo.blockSignals(True)   # after set_years, which unblocks: one read per refresh, not two
        if self.year is not None:
            if wanted is None:   # keep the month looked at, else the window's 工作月份
                wanted = current if current and current.startswith(str(self.year)) else self.ctx.work_month
            self.period_combo.set_month(wanted)
        self.period_combo.blockSignals(False)
        self.period_combo.set_reference(self.ctx.work_month)

    def reload(self, then: Callable[[], object] | None = None) -> None:
        """Read tiles, matrix and lights for the chosen month in the background (one read of the ledger); a newer
        request supersedes this one. The page says it is reading and stays usable; `then` runs once the month is
        on screen."""
        if then is None and self.ctx.read_when_shown(self, self.reload):   # a new 工作月份, the page out of view
            return
        from core.tracking.dashboard_view import dashboard_view
        from ...operations import LedgerQuery
        self.generation += 1
        generation, ledger, year, period, today = self.generation, self.ctx.ledger, self.year, self.period, self.today
        if self.read_job is not None:
            self.read_job.cancel()   # an older read still waiting never starts; a running one stops at its next check
            self.read_job = None
        if year is None or period is None:
            self._show(generation, None)
            return
        self.reading = True
        self.busy_label.setText(f"正在读取{int(period[5:7])}月的督办数据……")

        def read(work):
            make_brushes()   # the cells' colours, ready before the window's thread paints them
            return dashboard_view(ledger, year, period, today, work)
        self.read_job = (LedgerQuery(self.ctx, read).success(lambda view: self._show(generation, view, then))
                         .failure(lambda exc: self._failed(generation, exc)).run())

    def _failed(self, generation: int, exc: BaseException) -> None:
        """The read failed: the clerk gets the window's error dialog, the page says it could not read."""
        if not isValid(self) or generation != self.generation:   # the window closed, or a request took its place
            return
        from ...error_hook import show_error
        from ...jobs import message_of
        self.read_job, self.reading = None, False
        self.busy_label.setText(f"未能读取督办数据：{message_of(exc)}")
        show_error(exc)

    def _show(self, generation: int, view: DashboardView | None, then: Callable[[], object] | None = None) -> None:
        """The month of the latest request (an older one finishing late is dropped), then `then`."""
        if not isValid(self) or generation != self.generation:   # the window closed, or a request took its place
            return
        self.read_job, self.reading = None, False
        self.busy_label.clear()
        has_data = view is not None
        self.splitter.setVisible(has_data)
        self.empty_label.setVisible(not has_data)
        for w in (self.sheet_button, self.eml_button, self.rules_button):
            w.setEnabled(has_data)
        if view is None:
            self._show_nothing()
            self.read_done.emit()
            return
        self.cid, self.no_ranking, self.data = view.cid, view.no_ranking, view.data
        self._show_tiles(view)
        self._show_matrix(view)
        self._forget_cell()
        selected = self.selected_task()
        self.task_model.set_tasks(view.tasks)
        if selected is not None:
            self.select_task(selected["id"])
        self._update_buttons()
        self.read_done.emit()
        if then is not None:
            then()

    def _show_nothing(self) -> None:
        self.cid = self.data = None
        self.matrix_model.set_grid(EMPTY_GRID)
        self.task_model.set_tasks([])
        self.warning_box.setVisible(False)
        for label in self.tile_labels.values():
            label.setText("0")

    def _show_tiles(self, view: DashboardView) -> None:
        for name, tile in view.tiles.items():
            self.tile_labels[name].setText(tile["value"])
            self.tile_captions[name].setText(tile["caption"])   # says which column of the table it counts
        lines = view.tiles[EARLIER_TILE]["lines"]   # 往月仍未报: who, as of today
        self.tile_labels[EARLIER_TILE].parentWidget().setToolTip(
            TILE_TIPS[EARLIER_TILE] + ("\n" + "\n".join(lines[:30]) if lines else ""))
        warning = view.data["warning"]
        self.warning_box.setVisible(bool(warning))
        self.warning_label.setText(f"⚠ {warning}" if warning else "")

    def _show_matrix(self, view: DashboardView) -> None:
        self.matrix_model.set_grid(view.grid)
        if self.no_ranking:  # no league tables: directory order only, no sorting by counts
            self.matrix_view.setSortingEnabled(False)
            self.matrix_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
            self.matrix_proxy.sort(-1)
        else:
            self.matrix_view.setSortingEnabled(True)
        self.matrix_view.setColumnHidden(0, True)  # the name column is shown as the row labels
        # the longest state shown in view whole ("未报（逾期 144 个工作日）", "退回 2 行待改（逾期已报）"; was cut at 150)
        metrics = self.matrix_view.fontMetrics()
        state_width = max([120] + [metrics.horizontalAdvance(state) + 16 for state in view.states])
        for col in range(1, self.matrix_model.columnCount()):
            self.matrix_view.setColumnWidth(col, state_width if col <= len(self.matrix_model.columns) else 80)
        # months run newest first beside 计划表, so the month being looked at and the plan are both in view; the
        # matrix scrolls only when the month's column would start out of view (an early month looked at in December)
        self.matrix_view.horizontalScrollBar().setValue(0)
        if ("report", view.period) in self.matrix_model.columns and self.matrix_model.rowCount():
            col = 1 + self.matrix_model.columns.index(("report", view.period))
            if self.matrix_view.columnViewportPosition(col) >= self.matrix_view.viewport().width():
                self.matrix_view.scrollTo(self.matrix_proxy.index(0, col), QAbstractItemView.ScrollHint.EnsureVisible)

    # -- selection and detail --------------------------------------------------------------------
    def _matrix_clicked(self, index) -> None:
        if not index.isValid():
            return
        source = self.matrix_proxy.mapToSource(index)
        cell = self.matrix_model.cell(source.row(), source.column())
        if cell is not None:
            self.show_cell(cell)

    def show_cell(self, cell: MatrixRow) -> None:
        from core.tracking.detail import unit_period_rows
        assert self.cid is not None, "the matrix has cells only once a campaign is loaded"
        self.current_cell = cell
        has_file = cell["submission_id"] is not None
        self.received_button.setEnabled(has_file)
        self.return_button.setEnabled(has_file and cell["code"] != "returned")
        rows = unit_period_rows(self.ctx.ledger, self.cid, cell["unit_id"], cell["form"], cell["period"])
        self.detail.setHtml(cell_html(cell, rows))

    def selected_task(self) -> LightRow | None:
        index = self.task_view.currentIndex()
        if not index.isValid():
            return None
        return self.task_model.task_at(self.light_proxy.mapToSource(index).row())

    def select_task(self, task_id: int) -> bool:
        for row in range(self.task_model.rowCount()):
            task = self.task_model.task_at(row)
            if task is not None and task["id"] == task_id:
                index = self.light_proxy.mapFromSource(self.task_model.index(row, 0))
                if index.isValid():
                    self.task_view.setCurrentIndex(index)
                    return True
        return False

    def _forget_cell(self) -> None:
        self.current_cell = None
        self.received_button.setEnabled(False)
        self.return_button.setEnabled(False)
        self.detail.setHtml(DETAIL_HINTS[self.tabs.currentIndex() == 1])   # never a blank pane

    def _tab_changed(self, _index: int) -> None:
        """The detail pane shows the selection of the tab in view, never a cell of the other tab; the buttons about
        a received file (修改收到时间, 退回待改) only on 报送情况, where a cell is a file."""
        on_matrix = self.tabs.currentIndex() == 0
        self.received_button.setVisible(on_matrix)
        self.return_button.setVisible(on_matrix)
        self._forget_cell()
        self.matrix_view.clearSelection()
        if self.tabs.currentIndex() == 1 and self.selected_task() is not None:
            self._task_selected()

    def select_cell(self, unit_id: int, form: str, period: str) -> MatrixRow | None:
        """Select the matrix cell of a unit, form and period and show its detail."""
        m = self.matrix_model
        rows = [i for i, (uid, _) in enumerate(m.units) if uid == unit_id]
        if not rows or (form, period) not in m.columns:
            return None
        index = self.matrix_proxy.mapFromSource(m.index(rows[0], 1 + m.columns.index((form, period))))
        self.matrix_view.setCurrentIndex(index)
        self._matrix_clicked(index)
        return self.current_cell

    def _task_selected(self) -> None:
        self._update_buttons()
        task = self.selected_task()
        if task is not None:
            self.show_task(task)

    def _update_buttons(self) -> None:
        task = self.selected_task()
        self.close_button.setEnabled(task is not None and not task.get("closed_on"))
        self.reopen_button.setEnabled(task is not None and bool(task.get("closed_on")))

    def show_task(self, task: LightRow) -> None:
        from core.tracking.closure import closure_of
        from core.tracking.detail import task_rows
        info = closure_of(self.ctx.ledger, task["id"]) if task.get("closed_on") else None
        period = self.data["period"] if self.data else self.period   # the month on screen, until another is read
        assert period is not None, "tasks are listed only for a campaign with months"
        self.detail.setHtml(task_html(task, info, task_rows(self.ctx.ledger, task["id"], period)))
