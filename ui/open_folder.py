"""Opening a folder or file in the system's file manager, and saying in Chinese when that cannot be done."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget


def open_problem(path: Path | None, opened: bool | None = None) -> str:
    """The Chinese message for a folder that is missing or that the system would not open ("" when all is well)."""
    if path is None:
        return "还没有可打开的文件夹：请先生成文件。"
    if not Path(path).exists():
        return f"文件夹“{path}”不存在（可能还没有生成文件，或已被移动、删除）。请先生成文件，或在“设置”中检查输出文件夹。"
    if opened is False:
        return (f"无法用系统的文件管理器打开“{path}”。请手动打开这个文件夹"
                "（路径可在此对话框中选中复制）。")
    return ""


def open_in_file_manager(parent: QWidget | None, path: Path | None, title: str = "打开文件夹") -> bool:
    """Open `path`; on failure show a warning saying why and what to do. Returns whether it opened."""
    problem = open_problem(path)
    if not problem:
        opened = QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        problem = open_problem(path, opened)
    if problem:
        box = QMessageBox(QMessageBox.Icon.Warning, title, problem, QMessageBox.StandardButton.Ok, parent)
        box.button(QMessageBox.StandardButton.Ok).setText("确定")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if parent is not None:
            parent.open_problem_box = box  # type: ignore[attr-defined]  # kept alive while shown (window-modal)
        box.open()
        return False
    return True
