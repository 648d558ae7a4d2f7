"""Dialogs of the 督办 page: 办结 (date, note, evidence file) and the holiday override table for years the calendar lacks."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDateEdit, QDateTimeEdit, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
    QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem,
    QVBoxLayout,
)

from core.tracking.dashboard_view import LightRow
from core.tracking.states import MatrixRow
from ...operations import write_now


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(qd: QDate) -> date:
    return date(qd.year(), qd.month(), qd.day())


class ClosureDialog(QDialog):
    """办结：日期、说明、佐证材料（可选）。The page does the write on accept."""

    def __init__(self, task: LightRow, today: date, parent=None):
        super().__init__(parent)
        self.setWindowTitle("任务办结（销号）")
        self.task = task
        self.date_edit = QDateEdit(to_qdate(today))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy年M月d日")
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText("办结情况说明，如：项目已竣工验收并投入使用")
        self.note_edit.setFixedHeight(90)
        self.evidence_edit = QLineEdit()
        self.evidence_edit.setPlaceholderText("可选：验收报告、照片等佐证材料")
        browse = QPushButton("选择…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.evidence_edit, 1)
        row.addWidget(browse)
        form = QFormLayout()
        text = QLabel(f"{task.get('seq', '')}．{task.get('text', '')}")
        text.setWordWrap(True)
        form.addRow("任务：", text)
        form.addRow("办结日期：", self.date_edit)
        form.addRow("办结说明：", self.note_edit)
        form.addRow("佐证材料：", row)
        hint = QLabel("办结后，该任务不再出现在以后下发的表格中，历史记录保留；可随时撤销办结。")
        hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定办结")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self.resize(520, 320)

    def _browse(self) -> None:
        from .file_dialogs import open_file
        path = open_file(self, "选择佐证材料", "evidence")
        if path:
            self.evidence_edit.setText(path)

    def values(self) -> tuple[date, str, Path | None]:
        evidence = self.evidence_edit.text().strip()
        return from_qdate(self.date_edit.date()), self.note_edit.toPlainText().strip(), Path(evidence) if evidence else None


class ReceivedDialog(QDialog):
    """更正收到时间: the clerk sets when the file really arrived (e.g. the email's date); audited by the page's call."""

    def __init__(self, cell: MatrixRow, parent=None):
        super().__init__(parent)
        self.setWindowTitle("修改收到时间")
        got = cell["received"]
        assert got is not None, "the dialog opens only for a cell with a file"
        self.when_edit = QDateTimeEdit(QDateTime(QDate(got.year, got.month, got.day), QTime(got.hour, got.minute)))
        self.when_edit.setCalendarPopup(True)
        self.when_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("更正原因，如：邮件3月6日16:20已到达")
        form = QFormLayout()
        form.addRow("单位：", QLabel(cell["unit"]))
        form.addRow("文件：", QLabel(cell["file_name"]))
        form.addRow("收到时间：", self.when_edit)
        form.addRow("原因：", self.note_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def values(self) -> tuple[datetime, str]:
        qd = self.when_edit.dateTime()
        d, t = qd.date(), qd.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute()), self.note_edit.text().strip()


class HolidayDialog(QDialog):
    """节假日调整：enter the State Council's schedule for a year chinese-calendar does not know yet."""

    def __init__(self, ctx, year: int, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.ledger = ctx.ledger
        self.setWindowTitle("节假日调整")
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(year)
        self.year_spin.valueChanged.connect(self.reload)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["日期", "类型", "说明"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.day_edit = QDateEdit(QDate(year, 1, 1))
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        self.kind_combo = QComboBox()
        self.kind_combo.addItem("放假", False)
        self.kind_combo.addItem("调休上班", True)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("如：春节")
        self.add_button = QPushButton("添加")
        self.add_button.clicked.connect(self.add_current)
        self.remove_button = QPushButton("删除所选")
        self.remove_button.clicked.connect(self.remove_selected)
        top = QHBoxLayout()
        top.addWidget(QLabel("年份："))
        top.addWidget(self.year_spin)
        top.addStretch(1)
        add = QHBoxLayout()
        for w in (self.day_edit, self.kind_combo, self.note_edit, self.add_button, self.remove_button):
            add.addWidget(w)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addLayout(add)
        layout.addWidget(close)
        self.resize(560, 460)
        self.reload()

    def reload(self) -> None:
        from core.tracking.workdays import covered_by_package, list_overrides
        year = self.year_spin.value()
        self.rows = list_overrides(self.ledger, year)
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            for col, text in enumerate((r["day"].isoformat(), "调休上班" if r["workday"] else "放假", r["note"])):
                self.table.setItem(i, col, QTableWidgetItem(text))
        if covered_by_package(year):
            self.status.setText(f"{year}年的法定节假日和调休已内置；这里的调整优先于内置日历。")
        elif self.rows:
            self.status.setText(f"{year}年按这里录入的放假和调休日期计算，其余日期按周一至周五。")
        else:
            self.status.setText(f"内置日历尚无{year}年的安排：请按国务院办公厅公布的通知录入放假和调休上班日期。")
        if self.day_edit.date().year() != year:
            self.day_edit.setDate(QDate(year, 1, 1))

    def add_current(self) -> None:
        from core.common.errors import UserError
        from core.tracking.workdays import set_overrides
        days, note, ledger = {from_qdate(self.day_edit.date()): bool(self.kind_combo.currentData())}, \
            self.note_edit.text().strip(), self.ledger
        try:
            write_now(self.ctx, "dashboard", lambda: set_overrides(ledger, days, note))
        except UserError as exc:
            QMessageBox.warning(self, "无法保存", exc.message)
        self.reload()

    def remove_selected(self) -> None:
        from core.tracking.workdays import remove_overrides
        days = [self.rows[i.row()]["day"] for i in self.table.selectionModel().selectedRows()]
        ledger = self.ledger
        if days:
            write_now(self.ctx, "dashboard", lambda: remove_overrides(ledger, days))
        self.reload()
