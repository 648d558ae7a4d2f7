"""The 立项助手 page's widgets and layout: two rows of buttons, then the report beside the draft table and reasons."""
from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSpinBox, QSplitter, QTableView, QTextBrowser,
    QVBoxLayout,
)

from ...draft_table_model import COL_TEXT

Page = Any   # the DraftPage being built (not imported: the page imports this module)


EMPTY_TEXT = ("打开当年的《政府工作报告》（.docx 或 .txt），这里会按“工作安排”部分切出候选任务，"
              "并参照往年台账和关键词规则建议责任单位和牵头领导。")


def build(page: Page) -> None:
    """Every widget of the page, attached to it by name, laid out to fit a 1366-pixel office screen."""
    _file_buttons(page)
    _edit_buttons(page)
    _views(page)
    _arrange(page)


def _file_buttons(page: Page) -> None:
    page.open_button = _plain_button("打开报告…", "打开政府工作报告（.docx 或 .txt），也可以把文件拖到窗口中",
                                     lambda: page.open_report())
    page.year_spin = QSpinBox()
    page.year_spin.setRange(2000, 2100)
    page.year_spin.setPrefix("立项年度 ")
    page.year_spin.setValue(date.today().year)
    page.history_button = _plain_button("载入往年立项表…", "台账里没有的往年立项表（Word/Excel，或立项通知 PDF 转出的文本），"
                                        "只用于本次建议", lambda: page.load_history())
    page.rules_button = _plain_button("规则…", "查看和编辑“关键词 → 责任单位”建议规则（保存在台账中）",
                                      lambda: page.open_rules())
    page.suggest_button = _plain_button("重新建议单位",
                                        "按往年台账和关键词规则重新建议所选任务（未选时为全部空白任务）的单位和领导",
                                        page.resuggest)
    page.accept_button = _plain_button("接受为新立项", "", lambda: page.accept_draft())
    page.export_button = _plain_button("导出 Word…", "导出为通知格式的附件1/附件2 Word 表格（牵头单位加黑）",
                                       lambda: page.export_word())


def _edit_buttons(page: Page) -> None:
    page.merge_button = shortcut_button(page, "合并下一条", "Ctrl+M", page.merge_next)
    page.split_button = shortcut_button(page, "在光标处拆分", "Ctrl+T", page.split_at_cursor,
                                        "在左侧报告中把光标放在所选任务文字里要拆开的位置，再拆分")
    page.up_button = shortcut_button(page, "上移", "Alt+Up", lambda: page.move(-1))
    page.down_button = shortcut_button(page, "下移", "Alt+Down", lambda: page.move(1))
    page.delete_button = shortcut_button(page, "删除", "Delete", page.delete_current)
    page.undo_button = shortcut_button(page, "撤销", "Ctrl+Z", page.undo)
    page.count_label = QLabel()
    page.count_label.setWordWrap(True)


def _views(page: Page) -> None:
    page.report_view = QTextBrowser()
    page.report_view.setOpenLinks(False)
    page.report_view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                             | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    page.report_view.setPlaceholderText(EMPTY_TEXT)
    page.view = view = QTableView()
    view.setModel(page.model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
    view.setWordWrap(True)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
    size_columns(view)   # the headers whole before a report is opened too (责任单位（牵头在前）was cut)
    page.reasons_view = QTextBrowser()
    page.reasons_view.setMaximumHeight(150)
    page.reasons_view.setPlaceholderText("选中一条任务，这里显示建议单位和领导的依据。")


def _arrange(page: Page) -> None:
    """Two rows of buttons (file and suggestion actions, then editing), the report left, table and reasons right."""
    bar = QHBoxLayout()
    for w in (page.open_button, page.year_spin, page.history_button, page.rules_button, page.suggest_button):
        bar.addWidget(w)
    bar.addStretch(1)
    bar.addWidget(page.accept_button)
    bar.addWidget(page.export_button)
    edit_bar = QHBoxLayout()
    for w in (page.merge_button, page.split_button, page.up_button, page.down_button, page.delete_button,
              page.undo_button):
        edit_bar.addWidget(w)
    edit_bar.addWidget(page.count_label, 1)
    right = QSplitter(Qt.Orientation.Vertical)
    right.addWidget(page.view)
    right.addWidget(page.reasons_view)
    right.setStretchFactor(0, 4)
    split = QSplitter(Qt.Orientation.Horizontal)
    split.addWidget(page.report_view)
    split.addWidget(right)
    split.setStretchFactor(0, 2)
    split.setStretchFactor(1, 3)
    layout = QVBoxLayout(page)
    layout.addLayout(bar)
    layout.addLayout(edit_bar)
    layout.addWidget(split, 1)


def size_columns(view: QTableView) -> None:
    """Every header whole at 1366 pixels: the fixed columns as wide as their header (or a few characters),
    任务内容 takes the rest."""
    header = view.horizontalHeader()
    metrics = header.fontMetrics()
    for col, chars in ((0, 2), (1, 4), (2, 6), (3, 6), (5, 4), (6, 8)):
        label = str(view.model().headerData(col, Qt.Orientation.Horizontal) or "")
        width = max(metrics.horizontalAdvance(label), metrics.horizontalAdvance("中" * chars)) + 24
        header.resizeSection(col, width)


def _plain_button(label: str, tip: str, slot) -> QPushButton:
    button = QPushButton(label)
    if tip:
        button.setToolTip(tip)
    button.clicked.connect(slot)
    return button


def shortcut_button(page: Page, label: str, keys: str, slot, tip: str = "") -> QPushButton:
    """A button with its key shortcut, named in the tooltip; the shortcut works while the page has focus."""
    button = QPushButton(label)
    button.setToolTip(f"{tip or label}（{QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)}）")
    button.clicked.connect(slot)
    shortcut = QShortcut(QKeySequence(keys), page)
    shortcut.activated.connect(slot)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    return button
