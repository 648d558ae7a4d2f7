"""The 督办 page's widgets: the month bar, the calendar warning, the tiles, the matrix, the task lights, the detail pane."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDateEdit, QFrame, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSizePolicy,
    QTableView, QTextBrowser, QVBoxLayout, QWidget,
)

from ...month_picker import MonthPicker
from .models import STATE_COLORS, LightFilterProxy, MatrixModel, TaskLightModel

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from core.tracking.dashboard_view import LightRow

    from ...context import AppContext
    from .dialogs import ClosureDialog, HolidayDialog, ReceivedDialog
    _Base = QWidget
else:
    _Base = object

# core.tracking.states.TILE_STATES, then 往月仍未报 (read from the same matrix) and 红灯任务
TILES = ("按时已报", "逾期已报", "未报已逾期", "未到期未报", "退回待改", "往月仍未报", "红灯任务")
EARLIER_TILE = "往月仍未报"   # units still owing an earlier month's form (or the plan) today: 催报 chases them too
TILE_TIPS = {"按时已报": "所选月份落实情况表在截止日前（按工作日计）报送的单位",
             "逾期已报": "所选月份落实情况表报送了、但晚于截止日的单位",
             "未报已逾期": "所选月份落实情况表已过截止日仍未报送的单位（催报对象）",
             "未到期未报": "已下发、尚未报送、还没到截止日的单位",
             "往月仍未报": "截至今天，所选月份以前的落实情况表（或计划表）仍逾期未报或退回待改的单位；催报单和催报邮件包括它们",
             "退回待改": "表格已退回单位修改、尚未收到新表的单位（催报对象）",
             "红灯任务": "按亮灯规则为红灯的任务"}
RED_TILES = ("未报已逾期", "往月仍未报", "红灯任务")
EMPTY_TEXT = "台账中还没有立项任务：请先在“台账”页导入立项表。"
LEGEND = (("reported", "已报"), ("reported_late", "逾期已报"), ("overdue", "未报（逾期）"),
          ("dispatched", "已下发未到期"), ("returned", "退回待改"), ("not_dispatched", "未下发"))


def _box(*parts) -> QWidget:
    """A widget stacking layouts and widgets (the last widget stretches), without margins."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for part in parts:
        if isinstance(part, QWidget):
            layout.addWidget(part, 1)
        else:
            layout.addLayout(part)
    return box


def _button(text: str, slot, tip: str = "") -> QPushButton:
    button = QPushButton(text)
    if tip:
        button.setToolTip(tip)
    button.clicked.connect(slot)
    return button


class LayoutMixin(_Base):
    """Part of DashboardPage: builds its widgets; the slots they connect to live in the page and its actions."""
    ctx: AppContext

    if TYPE_CHECKING:   # the slots the widgets connect to (DashboardPage and its ActionsMixin)
        def _follow_work_month(self, period: str) -> None: ...
        def show_rules(self) -> QMessageBox: ...
        def _ask_sheet(self) -> None: ...
        def _ask_emls(self) -> None: ...
        def open_holidays(self) -> HolidayDialog: ...
        def _matrix_clicked(self, index) -> None: ...
        def open_close_dialog(self, task: LightRow | None = None) -> ClosureDialog | None: ...
        def reopen_selected(self) -> None: ...
        def _task_selected(self) -> None: ...
        def open_received_dialog(self) -> ReceivedDialog | None: ...
        def return_current(self) -> None: ...

    def _build_bar(self) -> QHBoxLayout:
        self.year_combo = QComboBox()
        self.year_combo.setToolTip("立项年度")
        self.period_combo = MonthPicker(tooltip="看哪个月的落实情况表；随窗口右上角的工作月份")
        self.period_combo.set_reference(self.ctx.work_month)
        self.ctx.work_month_changed.connect(self._follow_work_month)
        self.today_edit = QDateEdit(QDate.currentDate())
        self.today_edit.setCalendarPopup(True)
        self.today_edit.setDisplayFormat("截至 yyyy年M月d日")
        self.today_edit.setToolTip("按哪一天计算是否逾期（默认今天）")
        self.rules_button = _button("亮灯规则", self.show_rules)
        self.sheet_button = _button("打印催报单…", self._ask_sheet,
                                    "截至今天仍欠报的全部表格（计划表和各月落实情况表，逾期未报或退回待改），"
                                    "每个单位一行，含联系人和电话，A4 横向")
        self.eml_button = _button("催报邮件草稿…", self._ask_emls,
                                  "为每个逾期单位写一封未发送的邮件（.eml），用邮件客户端打开后发送")
        # "正在读取10月的督办数据……" while the month is read in the background; it takes the bar's spare room and
        # never widens the page (the matrix keeps its width whether the page is reading or not)
        self.busy_label = QLabel()
        self.busy_label.setObjectName("dashboardBusy")
        self.busy_label.setStyleSheet("color:#555;")
        self.busy_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        bar = QHBoxLayout()
        for field in (self.year_combo, self.period_combo, self.today_edit):
            bar.addWidget(field)
        bar.addWidget(self.busy_label, 1)
        for button in (self.rules_button, self.sheet_button, self.eml_button):
            bar.addWidget(button)
        return bar

    def _build_warning(self) -> None:
        self.warning_label = QLabel()
        self.warning_label.setObjectName("calendarWarning")
        self.warning_label.setStyleSheet("background:#FFF3CD;color:#7A4D00;padding:6px;border:1px solid #E0B252;")
        self.warning_label.setWordWrap(True)
        self.holiday_button = _button("补充节假日…", self.open_holidays)
        warn_row = QHBoxLayout()
        warn_row.addWidget(self.warning_label, 1)
        warn_row.addWidget(self.holiday_button)
        self.warning_box = QWidget()
        self.warning_box.setLayout(warn_row)
        self.warning_box.setVisible(False)

    def _build_tiles(self) -> QHBoxLayout:
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
        return tiles

    def _build_matrix(self) -> QWidget:
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
        legend = QHBoxLayout()
        legend.addWidget(QLabel("图例："))
        for code, text in LEGEND:
            chip = QLabel(text)
            chip.setStyleSheet(f"background:{STATE_COLORS[code]};padding:2px 8px;border:1px solid #BDBDBD;")
            legend.addWidget(chip)
        legend.addStretch(1)
        return _box(self.matrix_view, legend)

    def _build_tasks(self) -> QWidget:
        from core.tracking.states import LIGHT_RULES
        self.light_combo = QComboBox()
        self.light_combo.addItem("全部任务", "")
        for key, name in (("red", "红灯"), ("yellow", "黄灯"), ("green", "绿灯"), ("blue", "蓝灯（已办结）")):
            self.light_combo.addItem(name, key)
        self.light_combo.setToolTip(LIGHT_RULES)
        self.close_button = _button("办结…", lambda: self.open_close_dialog(),
                                    "把所选任务标记为办结（销号），以后下发的表格不再包含它")
        self.reopen_button = _button("撤销办结", self.reopen_selected)
        self.task_model = TaskLightModel(self)
        self.light_proxy = LightFilterProxy(self)
        self.light_proxy.setSourceModel(self.task_model)
        self.light_combo.currentIndexChanged.connect(lambda _i: self.light_proxy.set_light(self.light_combo.currentData()))
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
        return _box(task_bar, self.task_view)

    def _build_detail(self) -> QWidget:
        self.detail = QTextBrowser()
        self.detail.setMinimumWidth(280)
        self.received_button = _button("修改收到时间…", lambda: self.open_received_dialog(),
                                       "按邮件实际到达时间更正（如邮件按时到达但收文较晚）；修改留痕")
        self.return_button = _button("退回待改", self.return_current,
                                     "把这份表格退回单位修改：该单位本期状态变为“退回待改”，直到收到新的表格")
        for b in (self.received_button, self.return_button):
            b.setEnabled(False)
        cell_bar = QHBoxLayout()
        cell_bar.addWidget(self.received_button)
        cell_bar.addWidget(self.return_button)
        cell_bar.addStretch(1)
        return _box(self.detail, cell_bar)

