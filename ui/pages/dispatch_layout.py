"""The 下发 page's widgets and layout: form, month and 发件箱 above the unit list, the preview beside it, the run bar."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QProgressBar, QPushButton, QSplitter,
    QTableWidget, QVBoxLayout, QWidget,
)

from ..month_picker import MonthPicker

Page = Any   # the DispatchPage being built (not imported: the page imports this module)


FORMS = [("plan", "落实计划表（附件3）"), ("report", "落实情况表（附件4）")]


def build(page: Page, outbox: str) -> None:
    """Every widget of the page, attached to it by name; `outbox` is the 发件箱 shown at first."""
    split = QSplitter(Qt.Orientation.Horizontal)
    split.addWidget(_left(page, outbox))
    split.addWidget(_right(page))
    split.setStretchFactor(1, 2)
    split.setSizes([380, 700])  # unit names are long: give the list room
    layout = QVBoxLayout(page)
    layout.addWidget(split, 1)
    layout.addLayout(_run_bar(page))
    page.result_label = QLabel()
    page.result_label.setWordWrap(True)
    page.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    layout.addWidget(page.result_label)


def _choices(page: Page, outbox: str) -> QFormLayout:
    page.form_combo = QComboBox()
    for key, label in FORMS:
        page.form_combo.addItem(label, key)
    page.month_picker = MonthPicker(tooltip="落实情况表的月份（表头显示“（N月）”）；随窗口右上角的工作月份")
    page.year_label = QLabel()
    page.out_edit = QLineEdit(outbox)
    page.out_edit.setToolTip("每次下发在此文件夹下新建一个文件夹，内含各单位的表格和邮件草稿")
    browse = QPushButton("选择…")
    browse.clicked.connect(lambda: page.choose_folder())
    out_row = QHBoxLayout()
    out_row.addWidget(page.out_edit, 1)
    out_row.addWidget(browse)
    period_row = QWidget()
    h = QHBoxLayout(period_row)
    h.setContentsMargins(0, 0, 0, 0)
    h.addWidget(page.month_picker)
    h.addWidget(page.year_label)
    h.addStretch(1)
    box = QFormLayout()
    box.addRow("表格", page.form_combo)
    box.addRow("期间", period_row)
    box.addRow("发件箱", out_row)
    return box


def _left(page: Page, outbox: str) -> QWidget:
    """The choices, then the units to send to with 全选/全不选 and how many are ticked."""
    page.unit_list = QListWidget()
    page.unit_list.setToolTip("勾选要下发的单位；选中一个单位后点“预览”查看它的表格")
    all_btn = QPushButton("全选")
    all_btn.clicked.connect(lambda: page.check_all(True))
    none_btn = QPushButton("全不选")
    none_btn.clicked.connect(lambda: page.check_all(False))
    page.count_label = QLabel()
    unit_bar = QHBoxLayout()
    unit_bar.addWidget(all_btn)
    unit_bar.addWidget(none_btn)
    unit_bar.addStretch(1)
    unit_bar.addWidget(page.count_label)
    left = QWidget()
    column = QVBoxLayout(left)
    column.setContentsMargins(0, 0, 0, 0)
    column.addLayout(_choices(page, outbox))
    column.addWidget(QLabel("责任单位"))
    column.addWidget(page.unit_list, 1)
    column.addLayout(unit_bar)
    return left


def _right(page: Page) -> QWidget:
    page.preview_table = QTableWidget()
    page.preview_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    page.preview_table.setWordWrap(True)
    page.preview_title = QLabel("预览：选中左侧一个单位，点“预览”。")
    right = QWidget()
    column = QVBoxLayout(right)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(page.preview_title)
    column.addWidget(page.preview_table, 1)
    return right


def _run_bar(page: Page) -> QHBoxLayout:
    """预览, 生成, 取消, 打开文件夹 and the progress of a run."""
    page.preview_button = _button("预览", "生成选中单位的表格（不下发、不记录），以表格形式查看", lambda: page.preview())
    page.generate_button = _button("生成", "为勾选的每个单位生成表格和邮件草稿，并记录本次下发", lambda: page.start_generate())
    page.cancel_button = _button("取消", "", lambda: page.cancel())
    page.cancel_button.setEnabled(False)
    page.open_button = _button("打开文件夹", "", lambda: page.open_folder())
    page.open_button.setEnabled(False)
    page.progress = QProgressBar()
    page.progress.setFormat("%v / %m")
    page.progress.setValue(0)
    page.progress.setTextVisible(False)  # "0 / 100" means nothing until a run starts
    bar = QHBoxLayout()
    for w in (page.preview_button, page.generate_button, page.cancel_button, page.open_button):
        bar.addWidget(w)
    bar.addWidget(page.progress, 1)
    return bar


def _button(label: str, tip: str, slot) -> QPushButton:
    button = QPushButton(label)
    if tip:
        button.setToolTip(tip)
    button.clicked.connect(slot)
    return button
