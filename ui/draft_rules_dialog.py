"""关键词规则 dialog for the 立项助手: the ledger's keyword → unit rules, add and delete (each write audited)."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout,
)

from .operations import write_now


class RulesDialog(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.ledger = ctx.ledger
        self.changed = False
        self.setWindowTitle("单位建议规则（关键词 → 责任单位）")
        self.resize(640, 520)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["关键词", "责任单位", "说明"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.keyword_edit = QLineEdit()
        self.keyword_edit.setPlaceholderText("关键词，如：垃圾分类")
        self.unit_combo = QComboBox()
        self.unit_combo.setEditable(True)
        self.add_button = QPushButton("添加")
        self.add_button.clicked.connect(self.add)
        self.delete_button = QPushButton("删除所选")
        self.delete_button.clicked.connect(self.delete_selected)
        self.message = QLabel("任务文字含关键词时，建议对应单位。请按单位职责写规则，不要针对某一项任务。")
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.keyword_edit)
        row.addWidget(self.unit_combo, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.reload()

    def reload(self) -> None:
        from core.draft.suggest import ensure_rules, load_rules
        from core.ledger.queries import list_units
        ledger = self.ledger
        write_now(self.ctx, "draft", lambda: ensure_rules(ledger))   # the shipped rules, stored once
        self.rules = load_rules(self.ledger)
        self.table.setRowCount(len(self.rules))
        for r, rule in enumerate(self.rules):
            for c, value in enumerate((rule.keyword, rule.unit, rule.note)):
                self.table.setItem(r, c, QTableWidgetItem(value))
        current = self.unit_combo.currentText()
        self.unit_combo.clear()
        self.unit_combo.addItems(sorted({u["name"] for u in list_units(self.ledger)} | {r.unit for r in self.rules}))
        self.unit_combo.setCurrentText(current)

    def add(self) -> None:
        from core.draft.suggest import add_rule
        from core.common.errors import UserError
        try:
            ledger, keyword, unit = self.ledger, self.keyword_edit.text(), self.unit_combo.currentText()
            write_now(self.ctx, "draft", lambda: add_rule(ledger, keyword, unit))
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.changed = True
        self.keyword_edit.clear()
        self.reload()

    def delete_selected(self) -> None:
        from core.draft.suggest import delete_rules
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        ids, ledger = [rid for row in rows if (rid := self.rules[row].id) is not None], self.ledger   # saved rules: all
        write_now(self.ctx, "draft", lambda: delete_rules(ledger, ids))
        if rows:
            self.changed = True
            self.reload()
