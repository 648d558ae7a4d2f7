"""The 台账 page's widgets and layout: the filter bar, the table beside the detail pane, the empty state."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QSplitter, QStackedWidget,
    QTableView, QTextBrowser, QVBoxLayout, QWidget,
)

from ...task_table_model import (
    COL_AREA, COL_CATEGORY, COL_CO_UNITS, COL_KIND, COL_LEAD_UNITS, COL_LEADERS, COL_SEQ, COL_STATUS, COL_TEXT,
)
from . import EMPTY_TEXT
from .unit_search import UnitSearch

Page = Any   # the TasksPage being built (not imported: the page imports this module)


def build(page: Page) -> None:
    """Every widget of the page, attached to it by name, and the signals that filter as the clerk types or chooses."""
    _filter_bar(page)
    _table(page)
    _detail(page)
    layout = QVBoxLayout(page)
    layout.addLayout(_bar_row(page))
    page.body = QStackedWidget()
    page.body.addWidget(_empty_state(page))
    page.body.addWidget(page.splitter)
    layout.addWidget(page.body, 1)
    _wire(page)


def _filter_bar(page: Page) -> None:
    page.import_button = QPushButton("导入立项表…")
    page.import_button.setShortcut(QKeySequence("Ctrl+I"))
    page.import_button.setToolTip("导入立项表（Ctrl+I）：Word、Excel 或制表符分隔文本")
    page.import_button.clicked.connect(lambda: page.open_import())
    page.year_combo = QComboBox()
    page.year_combo.setToolTip("立项年度")
    page.kind_combo = _combo((("全部类型", ""), ("重点任务", "key"), ("民生实事", "livelihood")))
    page.area_combo, page.unit_combo, page.leader_combo = QComboBox(), QComboBox(), QComboBox()
    page.role_combo = _combo((("牵头和配合", ""), ("仅牵头", "lead"), ("仅配合", "co")))
    page.role_combo.setToolTip("选定单位时：该单位作为牵头单位还是配合单位")
    for combo, tip in ((page.area_combo, "重点领域"), (page.unit_combo, "责任单位"), (page.leader_combo, "牵头领导")):
        combo.setToolTip(tip)
        combo.setMinimumContentsLength(6)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    page.unit_combo.setMinimumContentsLength(8)   # the filters fit a 1024-pixel-wide (125 %) screen
    page.unit_search = UnitSearch(page.unit_combo, page)
    page.search_edit = QLineEdit()
    page.search_edit.setPlaceholderText("搜索任务内容、单位、领导…（Ctrl+F）")
    page.search_edit.setClearButtonEnabled(True)
    page.search_edit.setMinimumWidth(120)
    page.count_label = QLabel()


def _bar_row(page: Page) -> QHBoxLayout:
    bar = QHBoxLayout()
    for w in (page.import_button, page.year_combo, page.kind_combo, page.area_combo, page.unit_combo,
              page.role_combo, page.leader_combo):
        bar.addWidget(w)
    bar.addWidget(page.search_edit, 1)
    bar.addWidget(page.count_label)
    return bar


def _table(page: Page) -> None:
    page.table = table = QTableView()
    table.setModel(page.proxy)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSortingEnabled(True)
    table.sortByColumn(COL_SEQ, Qt.SortOrder.AscendingOrder)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(26)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(False)
    # every column, 牵头单位 and 配合单位 included, fits the table's width (1366-pixel screens too); long
    # names are elided and shown whole in the tooltip and the detail pane
    from ...column_fit import ColumnFitter
    page.column_fitter = ColumnFitter(
        table, fixed={COL_KIND: 4, COL_SEQ: 2, COL_LEADERS: 4, COL_LEAD_UNITS: 6.5, COL_CO_UNITS: 7, COL_STATUS: 3.5},
        flexible={COL_AREA: (1, 3), COL_CATEGORY: (1, 3), COL_TEXT: (5, 8)})


def _detail(page: Page) -> None:
    page.detail = QTextBrowser()
    page.detail.setOpenExternalLinks(False)
    page.detail.setOpenLinks(False)
    page.detail.setMinimumWidth(260)
    page.splitter = QSplitter(Qt.Orientation.Horizontal)
    page.splitter.addWidget(page.table)
    page.splitter.addWidget(page.detail)
    page.splitter.setStretchFactor(0, 3)
    page.splitter.setStretchFactor(1, 1)
    page.splitter.setSizes([820, 320])


def _empty_state(page: Page) -> QWidget:
    """No tasks yet: what to do, and the import button in the middle of the page."""
    page.empty_label = QLabel(EMPTY_TEXT)
    page.empty_label.setObjectName("emptyState")
    page.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    page.empty_label.setWordWrap(True)
    empty_import = QPushButton("导入立项表…")
    empty_import.clicked.connect(lambda: page.open_import())
    box = QWidget()
    column = QVBoxLayout(box)
    column.addStretch(1)
    column.addWidget(page.empty_label)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(empty_import)
    row.addStretch(1)
    column.addLayout(row)
    column.addStretch(2)
    return box


def _wire(page: Page) -> None:
    page.table.selectionModel().currentRowChanged.connect(lambda *_: page.show_detail())
    page.detail.anchorClicked.connect(page.open_link)   # 来源文件: one click opens the unit's file
    QShortcut(QKeySequence(QKeySequence.StandardKey.Find), page).activated.connect(page.focus_search)
    page.search_timer = QTimer(page)
    page.search_timer.setSingleShot(True)
    page.search_timer.setInterval(120)
    page.search_timer.timeout.connect(page.apply_filters)
    page.search_edit.textChanged.connect(page.search_changed)
    for combo in (page.kind_combo, page.area_combo, page.unit_combo, page.leader_combo, page.role_combo):
        combo.currentIndexChanged.connect(page.apply_filters)
    page.year_combo.currentIndexChanged.connect(page.year_chosen)


def _combo(items) -> QComboBox:
    combo = QComboBox()
    for label, data in items:
        combo.addItem(label, data)
    return combo
