"""督办 page: tiles, the unit × period submission matrix, task lights, drill-down to rows and files, 办结 and 催报."""
from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDateEdit, QFileDialog, QFrame, QHBoxLayout, QHeaderView, QLabel, QMessageBox,
    QPushButton, QSplitter, QTableView, QTabWidget, QTextBrowser, QVBoxLayout, QWidget,
)

from core.ledger.changes import Area, LedgerChange
from core.tracking.reminders import ReminderRow

from ..month_picker import MonthPicker
from ..operations import LedgerOp
from ..dashboard_dialogs import ClosureDialog, HolidayDialog, ReceivedDialog, from_qdate, to_qdate
from ..dashboard_models import (
    LIGHT_COLORS, STATE_COLORS, LightFilterProxy, MatrixModel, TaskLightModel, period_label,
)

PAGE_ORDER = 60
PAGE_TITLE = "督办"
PAGE_KEY = "dashboard"

TILES = ("按时已报", "逾期已报", "未报已逾期", "未到期未报", "退回待改", "红灯任务")   # core.tracking.states.TILE_STATES
TILE_TIPS = {"按时已报": "所选月份落实情况表在截止日前（按工作日计）报送的单位",
             "逾期已报": "所选月份落实情况表报送了、但晚于截止日的单位",
             "未报已逾期": "所选月份落实情况表已过截止日仍未报送的单位（催报对象）",
             "未到期未报": "已下发、尚未报送、还没到截止日的单位",
             "退回待改": "表格已退回单位修改、尚未收到新表的单位（催报对象）",
             "红灯任务": "按亮灯规则为红灯的任务"}
RED_TILES = ("未报已逾期", "红灯任务")
EMPTY_TEXT = "台账中还没有立项任务：请先在“台账”页导入立项表。"


def create(ctx):
    return DashboardPage(ctx)


class DashboardPage(QWidget):
    HELP_TOPIC = "dashboard"
    SHOWS = tuple(a for a in Area if a is not Area.BACKUPS)   # the window refreshes it after changes to these

    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        self.cid: int | None = None
        self.year: int | None = None
        self.data: dict | None = None
        self.closure_dialog = None
        self.holiday_dialog = None
        self.no_ranking = False

        self.year_combo = QComboBox()
        self.year_combo.setToolTip("立项年度")
        self.period_combo = MonthPicker(tooltip="看哪个月的落实情况表；随窗口右上角的工作月份")
        self.period_combo.set_reference(ctx.work_month)
        ctx.work_month_changed.connect(self._follow_work_month)
        self.today_edit = QDateEdit(QDate.currentDate())
        self.today_edit.setCalendarPopup(True)
        self.today_edit.setDisplayFormat("截至 yyyy年M月d日")
        self.today_edit.setToolTip("按哪一天计算是否逾期（默认今天）")
        self.rules_button = QPushButton("亮灯规则")
        self.rules_button.clicked.connect(self.show_rules)
        self.sheet_button = QPushButton("打印催报单…")
        self.sheet_button.setToolTip("逾期未报和退回待改的单位，含联系人和电话，A4 横向")
        self.sheet_button.clicked.connect(self._ask_sheet)
        self.eml_button = QPushButton("催报邮件草稿…")
        self.eml_button.setToolTip("为每个逾期单位写一封未发送的邮件（.eml），用邮件客户端打开后发送")
        self.eml_button.clicked.connect(self._ask_emls)
        bar = QHBoxLayout()
        for w in (self.year_combo, self.period_combo, self.today_edit):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.rules_button, self.sheet_button, self.eml_button):
            bar.addWidget(w)

        self.warning_label = QLabel()
        self.warning_label.setObjectName("calendarWarning")
        self.warning_label.setStyleSheet("background:#FFF3CD;color:#7A4D00;padding:6px;border:1px solid #E0B252;")
        self.warning_label.setWordWrap(True)
        self.holiday_button = QPushButton("补充节假日…")
        self.holiday_button.clicked.connect(self.open_holidays)
        warn_row = QHBoxLayout()
        warn_row.addWidget(self.warning_label, 1)
        warn_row.addWidget(self.holiday_button)
        self.warning_box = QWidget()
        self.warning_box.setLayout(warn_row)
        self.warning_box.setVisible(False)

        self.tile_labels: dict[str, QLabel] = {}
        self.tile_captions: dict[str, QLabel] = {}
        tiles = QHBoxLayout()
        for name in TILES:
            frame = QFrame()
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            frame.setToolTip(TILE_TIPS[name])
            inner = QVBoxLayout(frame)
            value = QLabel("0")
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            value.setStyleSheet("font-size:26px;font-weight:bold;" + ("color:#C62828;" if name in RED_TILES else ""))
            caption = QLabel(name)
            self.tile_captions[name] = caption
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            inner.addWidget(value)
            inner.addWidget(caption)
            self.tile_labels[name] = value
            tiles.addWidget(frame)

        # matrix
        self.matrix_model = MatrixModel(self)
        self.matrix_proxy = QSortFilterProxyModel(self)
        self.matrix_proxy.setSourceModel(self.matrix_model)
        self.matrix_view = QTableView()
        self.matrix_view.setModel(self.matrix_proxy)
        self.matrix_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matrix_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # unit names as row labels, so they stay in view when the months scroll sideways
        self.matrix_view.verticalHeader().setVisible(True)
        self.matrix_view.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.matrix_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.matrix_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # directory order first
        self.matrix_view.clicked.connect(self._matrix_clicked)
        self.matrix_view.selectionModel().currentChanged.connect(lambda cur, _prev: self._matrix_clicked(cur))

        # task lights
        self.light_combo = QComboBox()
        self.light_combo.addItem("全部任务", "")
        for key, name in (("red", "红灯"), ("yellow", "黄灯"), ("green", "绿灯"), ("blue", "蓝灯（已办结）")):
            self.light_combo.addItem(name, key)
        from core.tracking.states import LIGHT_RULES
        self.light_combo.setToolTip(LIGHT_RULES)
        self.light_combo.currentIndexChanged.connect(lambda _i: self.light_proxy.set_light(self.light_combo.currentData()))
        self.close_button = QPushButton("办结…")
        self.close_button.setToolTip("把所选任务标记为办结（销号），以后下发的表格不再包含它")
        self.close_button.clicked.connect(lambda: self.open_close_dialog())
        self.reopen_button = QPushButton("撤销办结")
        self.reopen_button.clicked.connect(self.reopen_selected)
        self.task_model = TaskLightModel(self)
        self.light_proxy = LightFilterProxy(self)
        self.light_proxy.setSourceModel(self.task_model)
        self.task_view = QTableView()
        self.task_view.setModel(self.light_proxy)
        self.task_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.task_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.task_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.task_view.verticalHeader().setVisible(False)
        self.task_view.setWordWrap(False)
        for col, width in ((0, 56), (1, 72), (2, 48), (3, 340), (4, 150), (5, 130), (6, 320)):
            self.task_view.setColumnWidth(col, width)
        self.task_view.selectionModel().currentRowChanged.connect(lambda *_: self._task_selected())
        task_bar = QHBoxLayout()
        task_bar.addWidget(self.light_combo)
        task_bar.addStretch(1)
        task_bar.addWidget(self.close_button)
        task_bar.addWidget(self.reopen_button)
        task_box = QWidget()
        task_layout = QVBoxLayout(task_box)
        task_layout.setContentsMargins(0, 0, 0, 0)
        task_layout.addLayout(task_bar)
        task_layout.addWidget(self.task_view, 1)

        legend = QHBoxLayout()
        legend.addWidget(QLabel("图例："))
        for code, text in (("reported", "已报"), ("reported_late", "逾期已报"), ("overdue", "未报（逾期）"),
                           ("dispatched", "已下发未到期"), ("returned", "退回待改"), ("not_dispatched", "未下发")):
            chip = QLabel(text)
            chip.setStyleSheet(f"background:{STATE_COLORS[code]};padding:2px 8px;border:1px solid #BDBDBD;")
            legend.addWidget(chip)
        legend.addStretch(1)
        matrix_box = QWidget()
        matrix_layout = QVBoxLayout(matrix_box)
        matrix_layout.setContentsMargins(0, 0, 0, 0)
        matrix_layout.addWidget(self.matrix_view, 1)
        matrix_layout.addLayout(legend)
        self.tabs = QTabWidget()
        self.tabs.addTab(matrix_box, "报送情况")
        self.tabs.addTab(task_box, "任务亮灯")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.detail = QTextBrowser()
        self.detail.setMinimumWidth(280)
        self.received_button = QPushButton("修改收到时间…")
        self.received_button.setToolTip("按邮件实际到达时间更正（如邮件按时到达但收文较晚）；修改留痕")
        self.received_button.clicked.connect(lambda: self.open_received_dialog())
        self.return_button = QPushButton("退回待改")
        self.return_button.setToolTip("把这份表格退回单位修改：该单位本期状态变为“退回待改”，直到收到新的表格")
        self.return_button.clicked.connect(self.return_current)
        for b in (self.received_button, self.return_button):
            b.setEnabled(False)
        cell_bar = QHBoxLayout()
        cell_bar.addWidget(self.received_button)
        cell_bar.addWidget(self.return_button)
        cell_bar.addStretch(1)
        detail_box = QWidget()
        detail_layout = QVBoxLayout(detail_box)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail, 1)
        detail_layout.addLayout(cell_bar)
        self.current_cell: dict | None = None
        self.received_dialog = None
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(detail_box)
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
        self.cid = campaign_id_of(ledger, self.year)
        has_data = self.cid is not None and self.period is not None
        self.splitter.setVisible(has_data)
        self.empty_label.setVisible(not has_data)
        for w in (self.sheet_button, self.eml_button, self.rules_button):
            w.setEnabled(has_data)
        if not has_data:
            self.data = None
            self.matrix_model.set_matrix([])
            self.task_model.set_tasks([], {})
            self.warning_box.setVisible(False)
            for label in self.tile_labels.values():
                label.setText("0")
            return
        self.no_ranking = settings.no_ranking(ledger)
        self.data = dashboard_data(ledger, self.cid, self.period, self.today)
        for name, value in self.data["tiles"].items():
            self.tile_labels[name].setText(str(value))
            month = f"{int(self.period[5:7])}月" if name != "红灯任务" else ""
            self.tile_captions[name].setText(f"{month}{name}")   # says which column of the table it counts
        self.warning_box.setVisible(bool(self.data["warning"]))
        self.warning_label.setText(f"⚠ {self.data['warning']}" if self.data["warning"] else "")
        self.matrix_model.set_matrix(self.data["matrix"], show_late_count=not self.no_ranking)
        if self.no_ranking:  # no league tables: directory order only, no sorting by counts
            self.matrix_view.setSortingEnabled(False)
            self.matrix_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
            self.matrix_proxy.sort(-1)
        else:
            self.matrix_view.setSortingEnabled(True)
        self.matrix_view.setColumnHidden(0, True)  # the name column is shown as the row labels
        for col in range(1, self.matrix_model.columnCount()):
            self.matrix_view.setColumnWidth(col, 150 if col <= len(self.matrix_model.columns) else 80)
        # months run newest first beside 计划表, so the month being looked at and the plan are both in view
        self.matrix_view.horizontalScrollBar().setValue(0)
        if ("report", self.period) in self.matrix_model.columns and self.matrix_model.rowCount():
            col = 1 + self.matrix_model.columns.index(("report", self.period))
            self.matrix_view.scrollTo(self.matrix_proxy.index(0, col), QAbstractItemView.ScrollHint.EnsureVisible)
        self._forget_cell()
        selected = self.selected_task()
        self.task_model.set_tasks(list_tasks(ledger, self.year), self.data["lights"])
        if selected is not None:
            self.select_task(selected["id"])
        self._update_buttons()

    # -- selection and detail --------------------------------------------------------------------
    def _matrix_clicked(self, index) -> None:
        if not index.isValid():
            return
        source = self.matrix_proxy.mapToSource(index)
        cell = self.matrix_model.cell(source.row(), source.column())
        if cell is not None:
            self.show_cell(cell)

    def show_cell(self, cell: dict) -> None:
        from core.tracking.deadlines import format_cn
        from core.tracking.detail import unit_period_rows
        self.current_cell = cell
        has_file = cell["submission_id"] is not None
        self.received_button.setEnabled(has_file)
        self.return_button.setEnabled(has_file and cell["code"] != "returned")
        e = html.escape
        parts = [f"<h3>{e(cell['unit'])}</h3>",
                 f"<p><b>{e(period_label(cell['form'], cell['period']))}</b>（{e(cell['period'])}）：{e(cell['state'])}<br>",
                 f"报送截止：{e(format_cn(cell['due']))}<br>"]
        if cell["received"]:
            parts.append(f"收到时间：{cell['received'].strftime('%Y-%m-%d %H:%M')}<br>")
        parts.append(f"联系人：{e(cell['contact'] or '—')}　电话：{e(cell['phone'] or '—')}</p>")
        if cell["files"]:
            from core.tracking.states import SUBMISSION_STATUS_NAMES
            parts.append("<p><b>报送文件</b><br>" + "<br>".join(
                f"{e(f['file_name'])}（{e(SUBMISSION_STATUS_NAMES.get(f['status'], f['status']))}，"
                f"收到 {f['received_at'].strftime('%m-%d %H:%M')}）" for f in cell["files"]) + "</p>")
        rows = unit_period_rows(self.ctx.ledger, self.cid, cell["unit_id"], cell["form"], cell["period"])
        if rows:
            parts.append("<p><b>台账中的填报内容</b></p><ul>")
            for r in rows:
                if cell["form"] == "plan":
                    body = f"第{r['quarter']}季度：{e(r['target'])}"
                else:
                    body = f"{e(r['done'] or '（未填）')}　是否完成：{e(r['on_track_raw'] or '—')}"
                src = f"<br><small>来源：{e(r['file_name'])}</small>" if r["file_name"] else ""
                parts.append(f"<li>{r['seq']}．{e(r['text'][:30])}<br>{body}{src}</li>")
            parts.append("</ul>")
        self.detail.setHtml("".join(parts))

    def selected_task(self) -> dict | None:
        index = self.task_view.currentIndex()
        if not index.isValid():
            return None
        return self.task_model.task_at(self.light_proxy.mapToSource(index).row())

    def select_task(self, task_id: int) -> bool:
        for row in range(self.task_model.rowCount()):
            if self.task_model.task_at(row)["id"] == task_id:
                index = self.light_proxy.mapFromSource(self.task_model.index(row, 0))
                if index.isValid():
                    self.task_view.setCurrentIndex(index)
                    return True
        return False

    def _forget_cell(self) -> None:
        self.current_cell = None
        self.received_button.setEnabled(False)
        self.return_button.setEnabled(False)
        self.detail.setHtml("")

    def _tab_changed(self, _index: int) -> None:
        """The detail pane shows the selection of the tab in view, never a cell of the other tab."""
        self._forget_cell()
        self.matrix_view.clearSelection()
        if self.tabs.currentIndex() == 1 and self.selected_task() is not None:
            self._task_selected()

    def select_cell(self, unit_id: int, form: str, period: str) -> dict | None:
        """Select the matrix cell of a unit, form and period and show its detail."""
        m = self.matrix_model
        rows = [i for i, (uid, _) in enumerate(m.units) if uid == unit_id]
        if not rows or (form, period) not in m.columns:
            return None
        index = self.matrix_proxy.mapFromSource(m.index(rows[0], 1 + m.columns.index((form, period))))
        self.matrix_view.setCurrentIndex(index)
        self._matrix_clicked(index)
        return self.current_cell

    def open_received_dialog(self) -> ReceivedDialog | None:
        cell = self.current_cell
        if cell is None or cell["submission_id"] is None:
            return None
        dialog = ReceivedDialog(cell, self)
        dialog.accepted.connect(lambda: self._set_received(cell, dialog))
        self.received_dialog = dialog
        dialog.open()
        return dialog

    def _set_received(self, cell: dict, dialog: ReceivedDialog) -> None:
        from core.tracking.states import set_received_at
        when, note = dialog.values()
        ledger = self.ctx.ledger
        self._write(lambda work: set_received_at(ledger, cell["submission_id"], when, note), self._cell_change(cell),
                    f"已更正{cell['unit']}的收到时间。", cell)

    def return_current(self) -> None:
        from core.tracking.states import mark_returned
        cell = self.current_cell
        if cell is None or cell["submission_id"] is None:
            return
        ledger = self.ctx.ledger
        self._write(lambda work: mark_returned(ledger, cell["submission_id"], "督办页退回"), self._cell_change(cell),
                    f"已将{cell['unit']}的“{cell['file_name']}”标记为退回待改。", cell)

    @staticmethod
    def _cell_change(cell: dict) -> LedgerChange:
        return LedgerChange.of(Area.RETURNS, units=[cell["unit_id"]], periods=[cell["period"]])

    def _write(self, fn, change: LedgerChange, done_text: str, cell: dict | None = None):
        """Run a ledger write as an operation; when it is done, read the page again once and keep the cell in view.

        A refused write (UserError) is shown by the operation's error dialog and leaves the page as it was."""
        def done(_result) -> None:
            self.ctx.status_message.emit(done_text)
            self.reload()
            if cell is not None:
                self.select_cell(cell["unit_id"], cell["form"], cell["period"])
        return LedgerOp(self.ctx, PAGE_KEY, fn, change=change).success(done).run()

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
        from core.tracking.states import LIGHT_NAMES
        from core.tracking.detail import task_rows
        e = html.escape
        color = LIGHT_COLORS[task["light"]]
        parts = [f"<h3>{task['seq']}．{e(task['text'])}</h3>",
                 f"<p><span style='background:{color};padding:2px 6px'>{LIGHT_NAMES[task['light']]}</span></p><ul>"]
        parts += [f"<li>{e(r)}</li>" for r in task["reasons"]]
        parts.append("</ul>")
        info = closure_of(self.ctx.ledger, task["id"]) if task.get("closed_on") else None
        if info:
            parts.append(f"<p>办结日期：{info['day'].isoformat()}<br>办结说明：{e(info['note'] or '—')}")
            if info["evidence_name"]:
                parts.append(f"<br>佐证材料：{e(info['evidence_name'])}")
            parts.append("</p>")
        parts.append("<p><b>各单位填报</b></p><ul>")
        for r in task_rows(self.ctx.ledger, task["id"], self.period):
            role = "牵头" if r["lead"] else "配合"
            if r["reported"]:
                body = f"{e(r['done'] or '（未填）')}　是否完成：{e(r['on_track_raw'] or '—')}"
                src = f"<br><small>来源：{e(r['file_name'])}</small>" if r["file_name"] else ""
            else:
                body, src = "（未报）", ""
            parts.append(f"<li>{e(r['unit'])}（{role}）{r['period']}：{body}{src}</li>")
        parts.append("</ul>")
        self.detail.setHtml("".join(parts))

    # -- actions ----------------------------------------------------------------------------------
    def show_rules(self) -> QMessageBox:
        from core.tracking.states import LIGHT_RULES
        box = QMessageBox(QMessageBox.Icon.Information, "亮灯规则", LIGHT_RULES, QMessageBox.StandardButton.Ok, self)
        box.open()
        return box

    def open_close_dialog(self, task: dict | None = None) -> ClosureDialog | None:
        task = task or self.selected_task()
        if task is None:
            return None
        dialog = ClosureDialog(task, self.today, self)
        dialog.accepted.connect(lambda: self._do_close(task, dialog))
        self.closure_dialog = dialog
        dialog.open()
        return dialog

    def _do_close(self, task: dict, dialog: ClosureDialog) -> None:
        from core.tracking.closure import close_task
        day, note, evidence = dialog.values()
        ledger = self.ctx.ledger
        self._write(lambda work: close_task(ledger, task["id"], day, note, evidence),
                    LedgerChange.of(Area.CLOSURE, tasks=[task["id"]]), f"任务 {task['seq']} 已办结。")

    def reopen_selected(self) -> None:
        from core.tracking.closure import reopen_task
        task = self.selected_task()
        if task is None:
            return
        ledger = self.ctx.ledger
        self._write(lambda work: reopen_task(ledger, task["id"]), LedgerChange.of(Area.CLOSURE, tasks=[task["id"]]),
                    f"已撤销任务 {task['seq']} 的办结。")

    def reminder_rows(self) -> list[ReminderRow]:
        """Who to 催报 for the month shown: core's one rule (the `status --remind` command uses it too)."""
        from core.tracking.reminders import reminder_rows
        if not self.data or self.cid is None or self.period is None:
            return []
        return reminder_rows(self.ctx.ledger, self.cid, self.period, self.today)

    def write_sheet(self, path: Path) -> Path:
        from core.tracking.reminders import sheet_title, write_reminder_sheet
        return write_reminder_sheet(self.reminder_rows(), path, self.today, sheet_title(self.period))

    def write_drafts(self, folder: Path) -> list[dict]:
        from core.tracking.reminders import write_reminder_emls
        from core.ledger.settings import mail_from
        sender = mail_from(self.ctx.ledger)
        return write_reminder_emls(self.reminder_rows(), folder, self.today, sender=sender)

    def _ask_sheet(self) -> None:
        from core.ledger.settings import output_folder
        folder = output_folder(self.ctx.ledger, "reminders")   # the ledger's output folder, 催报 subfolder
        folder.mkdir(parents=True, exist_ok=True)
        default = str(folder / f"催报单-{self.today.isoformat()}.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "保存催报单", default, "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        out = self.write_sheet(Path(path))
        self.ctx.status_message.emit(f"催报单已保存：{out}")
        from ..open_folder import open_in_file_manager
        open_in_file_manager(self, out, "打开催报单")

    def _ask_emls(self) -> None:
        from core.ledger.settings import output_folder
        start = output_folder(self.ctx.ledger, "reminders")
        start.mkdir(parents=True, exist_ok=True)
        folder = QFileDialog.getExistingDirectory(self, "催报邮件草稿保存到", str(start))
        if not folder:
            return
        drafts = self.write_drafts(Path(folder))
        self.ctx.status_message.emit(f"已写出 {len(drafts)} 封催报邮件草稿：{folder}")

    def open_holidays(self) -> HolidayDialog:
        year = self.year or date.today().year
        if self.data and self.data["warning"]:
            import re
            found = re.findall(r"(\d{4})年", self.data["warning"])
            year = int(found[0]) if found else year
        dialog = HolidayDialog(self.ctx.ledger, year, self)
        dialog.finished.connect(lambda _r: self.reload())
        self.holiday_dialog = dialog
        dialog.open()
        return dialog
