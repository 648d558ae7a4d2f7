"""确认身份: the clerk says which unit, form and period a file without a stamp is."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit


class ConfirmDialog(QDialog):
    """The clerk says which unit, form and period a file without a stamp is."""

    def __init__(self, parent, units: list[tuple[int, str]], unit_id, form: str, period: str, message: str):
        super().__init__(parent)
        self.setWindowTitle("确认报送单位和期间")
        layout = QFormLayout(self)
        info = QLabel(message or "请确认这份文件是哪个单位、哪张表、哪个月份。")
        info.setWordWrap(True)
        layout.addRow(info)
        self.unit_combo = QComboBox()
        for uid, name in units:
            self.unit_combo.addItem(name, uid)
        if unit_id:
            self.unit_combo.setCurrentIndex(max(0, self.unit_combo.findData(unit_id)))
        self.form_combo = QComboBox()
        self.form_combo.addItem("落实情况表（附件4，月报）", "report")
        self.form_combo.addItem("落实计划表（附件3）", "plan")
        self.form_combo.setCurrentIndex(0 if form != "plan" else 1)
        self.period_edit = QLineEdit(period or "")
        self.period_edit.setPlaceholderText("月报：2026-03；计划表：2026")
        layout.addRow("单位", self.unit_combo)
        layout.addRow("表格", self.form_combo)
        layout.addRow("期间", self.period_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确认")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def values(self) -> tuple[int, str, str]:
        return self.unit_combo.currentData(), self.form_combo.currentData(), self.period_edit.text().strip()
