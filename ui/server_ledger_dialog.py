"""文件 → 连接共享台账…: the connection string of a ledger on a PostgreSQL server, and its password asked only when needed."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from core.common.errors import UserError

HINT = ("连接串由信息科提供，例如 postgresql://ducha@10.1.2.3:5432/ducha_taizhang?sslmode=require 。"
        "密码不写在连接串里：已写在 .pgpass 文件中的可不填；这里输入的密码只在本次使用，不会保存。")


class ServerLedgerDialog(QDialog):
    """After exec(): `ledger` is the opened server ledger (None when cancelled)."""

    def __init__(self, parent=None, url: str = ""):
        super().__init__(parent)
        self.setWindowTitle("连接共享台账")
        self.ledger: Any = None   # the opened core.ledger.store.Ledger
        self.url_edit = QLineEdit(url)
        self.url_edit.setPlaceholderText("postgresql://用户名@服务器:5432/数据库名")
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("已写在 .pgpass 中时可不填")
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow("连接串：", self.url_edit)
        form.addRow("密码：", self.password_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("连接")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.try_connect)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.resize(620, self.sizeHint().height())
        (self.password_edit if url else self.url_edit).setFocus()

    def try_connect(self) -> bool:
        """Open the ledger; a wrong string or password keeps the dialog open with the reason in Chinese."""
        from core.ledger.location import is_server
        from core.ledger.store import Ledger
        url = self.url_edit.text().strip()
        if not is_server(url):
            self.error_label.setText("连接串应以 postgresql:// 开头，例如 postgresql://ducha@10.1.2.3:5432/ducha_taizhang 。")
            return False
        try:
            self.ledger = Ledger(url, password=self.password_edit.text() or None)
        except UserError as exc:
            self.error_label.setText(exc.message)
            self.password_edit.clear()
            return False
        self.accept()
        return True


def open_server_ledger(parent=None, url: str = ""):
    """The dialog; returns the opened Ledger or None."""
    dialog = ServerLedgerDialog(parent, url)
    if url and dialog.try_connect():   # a password in .pgpass: no question asked
        return dialog.ledger
    dialog.error_label.clear()
    return dialog.ledger if dialog.exec() else None
