"""When two address-book rows land on one unit: show both rows and let the clerk use one or keep both as contacts."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView, QButtonGroup, QDialog, QDialogButtonBox, QLabel, QRadioButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from core.units.contacts_plan import KEEP_BOTH

HEADERS = ["通讯录中的单位名称", "联系人", "电话", "邮箱"]


class ContactConflictDialog(QDialog):
    """choice(): the row index chosen, or KEEP_BOTH."""

    def __init__(self, unit: str, rows: list[dict], position: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("通讯录中有两行对应同一个单位")
        self.unit, self.rows = unit, rows
        intro = QLabel(f"{position}通讯录中有 {len(rows)} 行都对应“{unit}”，内容不同。请选择用哪一行，或都保留"
                       "（两位联系人，电话、邮箱都记下，下发和催报邮件同时发给两个邮箱）。")
        intro.setWordWrap(True)
        self.table = QTableWidget(len(rows), len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setVerticalHeaderLabels([f"第{i + 1}行" for i in range(len(rows))])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for r, row in enumerate(rows):
            for c, key in enumerate(("name", "contact", "phone", "email")):
                self.table.setItem(r, c, QTableWidgetItem(row.get(key) or ""))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.resizeRowsToContents()
        rows_height = sum(self.table.rowHeight(r) for r in range(len(rows)))
        self.table.setMinimumHeight(self.table.horizontalHeader().sizeHint().height() + rows_height
                                    + 2 * self.table.frameWidth() + 2)
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        self.radios: list[QRadioButton] = []
        for i, row in enumerate(rows):
            radio = QRadioButton(f"用第{i + 1}行（{row.get('contact') or '无联系人'}）")
            self.radios.append(radio)
            self.group.addButton(radio, i)
            layout.addWidget(radio)
        self.both_radio = QRadioButton("都保留（作为该单位的多位联系人）")
        self.group.addButton(self.both_radio, len(rows))
        layout.addWidget(self.both_radio)
        self.radios[0].setChecked(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消导入")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout.addWidget(buttons)
        self.resize(720, 220 + 30 * len(rows))

    def choice(self) -> int | str:
        checked = self.group.checkedId()
        return KEEP_BOTH if checked == len(self.rows) else checked


def ask_conflicts(parent: QWidget | None, conflicts: list[dict]) -> dict | None:
    """One dialog per unit with several rows; {unit: choice}, or None when the clerk cancels the import."""
    choices: dict = {}
    for i, conflict in enumerate(conflicts):
        position = f"（{i + 1}/{len(conflicts)}）" if len(conflicts) > 1 else ""
        dialog = ContactConflictDialog(conflict["unit"], conflict["rows"], position, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        choices[conflict["unit"]] = dialog.choice()
    return choices
