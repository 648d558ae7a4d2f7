"""The 督办 page's layout, loading and selection: tiles, the submission matrix, task lights and the detail pane."""
from __future__ import annotations

from typing import TYPE_CHECKING

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from core.ledger.changes import Area
from core.tracking.states import DashboardData, MatrixRow

from .actions import ActionsMixin
from .detail_html import cell_html, task_html
from .dialogs import from_qdate, to_qdate
from .layout import EARLIER_TILE, EMPTY_TEXT, TILE_TIPS, LayoutMixin

# what the detail pane says before anything is chosen (matrix tab, task tab)
DETAIL_HINTS = {False: "<p style='color:#777'>点击左侧表格中的格子，查看该单位该期表格的报送情况、收到时间和所报内容。</p>",
                True: "<p style='color:#777'>点击左侧的任务，查看亮灯原因和各责任单位所报内容。</p>"}

if TYPE_CHECKING:
    from ...context import AppContext

class DashboardPage(LayoutMixin, ActionsMixin, QWidget):
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
        self.period_combo.blockSignals(True)
        self.period_combo.set_years([self.year] if self.year is not None else [])
        if self.year is not None:
            if wanted is None:   # keep the month looked at, else the window's 工作月份
                wanted = current if current and current.startswith(str(self.year)) else self.ctx.work_month
            self.period_combo.set_month(wanted)
        self.period_combo.blockSignals(False)
        self.period_combo.set_reference(self.ctx.work_month)

    def reload(self) -> None:
        """Read tiles, matrix and lights for the chosen month (one read of the ledger)."""
        from core.ledger import settings
        from core.ledger.page_reads import campaign_id_of
        from core.ledger.queries import list_tasks
        from core.tracking.states import dashboard_data
        ledger = self.ctx.ledger
        self.cid = cid = campaign_id_of(ledger, self.year)
        period = self.period
        has_data = cid is not None and period is not None
        self.splitter.setVisible(has_data)
        self.empty_label.setVisible(not has_data)
        for w in (self.sheet_button, self.eml_button, self.rules_button):
            w.setEnabled(has_data)
        if cid is None or period is None:
            self._show_nothing()
            return
        self.no_ranking = settings.no_ranking(ledger)
        self.data = data = dashboard_data(ledger, cid, period, self.today)
        self._show_tiles(data, period)
        self._show_matrix(data, period)
        self._forget_cell()
        selected = self.selected_task()
        self.task_model.set_tasks(list_tasks(ledger, self.year), data["lights"])
        if selected is not None:
            self.select_task(selected["id"])
        self._update_buttons()

    def _show_nothing(self) -> None:
        self.data = None
        self.matrix_model.set_matrix([])
        self.task_model.set_tasks([], {})
        self.warning_box.setVisible(False)
        for label in self.tile_labels.values():
            label.setText("0")

    def _show_tiles(self, data: DashboardData, period: str) -> None:
        for name, value in data["tiles"].items():
            self.tile_labels[name].setText(str(value))
            month = f"{int(period[5:7])}月" if name != "红灯任务" else ""
            self.tile_captions[name].setText(f"{month}{name}")   # says which column of the table it counts
        self._show_earlier_owed(data, period)

    def _show_earlier_owed(self, data: DashboardData, period: str) -> None:
        """往月仍未报 N 家: units still owing a form of a month before the one shown (or the plan), as of today."""
        from core.tracking.reminders import earlier_months_owed
        from core.tracking.states import late_units
        owed = [r for r in late_units(data["matrix"]) if r["form"] == "plan" or r["period"] < period]
        units = earlier_months_owed(owed, period) | {r["unit_id"] for r in owed if r["form"] == "plan"}
        self.tile_labels[EARLIER_TILE].setText(str(len(units)))
        self.tile_captions[EARLIER_TILE].setText(f"往月仍未报 {len(units)} 家")
        lines = [f"{r['unit']}：{r['period'][:4]}年{'计划表' if r['form'] == 'plan' else str(int(r['period'][5:7])) + '月'}"
                 f" {r['state']}" for r in owed]
        self.tile_labels[EARLIER_TILE].parentWidget().setToolTip(
            TILE_TIPS[EARLIER_TILE] + ("\n" + "\n".join(lines[:30]) if lines else ""))
        self.warning_box.setVisible(bool(data["warning"]))
        self.warning_label.setText(f"⚠ {data['warning']}" if data["warning"] else "")

    def _show_matrix(self, data: DashboardData, period: str) -> None:
        self.matrix_model.set_matrix(data["matrix"], show_late_count=not self.no_ranking, keep=period)
        if self.no_ranking:  # no league tables: directory order only, no sorting by counts
            self.matrix_view.setSortingEnabled(False)
            self.matrix_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
            self.matrix_proxy.sort(-1)
        else:
            self.matrix_view.setSortingEnabled(True)
        self.matrix_view.setColumnHidden(0, True)  # the name column is shown as the row labels
        # the longest state shown in view whole ("未报（逾期 144 个工作日）", "退回 2 行待改（逾期已报）"; was cut at 150)
        metrics = self.matrix_view.fontMetrics()
        state_width = max([120] + [metrics.horizontalAdvance(r["state"]) + 16 for r in data["matrix"]])
        for col in range(1, self.matrix_model.columnCount()):
            self.matrix_view.setColumnWidth(col, state_width if col <= len(self.matrix_model.columns) else 80)
        # months run newest first beside 计划表, so the month being looked at and the plan are both in view
        self.matrix_view.horizontalScrollBar().setValue(0)
        if ("report", period) in self.matrix_model.columns and self.matrix_model.rowCount():
            col = 1 + self.matrix_model.columns.index(("report", period))
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

    def selected_task(self) -> dict | None:
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

    def show_task(self, task: dict) -> None:
        from core.tracking.closure import closure_of
        from core.tracking.detail import task_rows
        info = closure_of(self.ctx.ledger, task["id"]) if task.get("closed_on") else None
        period = self.period
        assert period is not None, "tasks are listed only for a campaign with months"
        self.detail.setHtml(task_html(task, info, task_rows(self.ctx.ledger, task["id"], period)))
