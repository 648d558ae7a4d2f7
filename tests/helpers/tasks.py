"""Helpers for the 台账/单位 window tests: open the real main window, drive the real import dialog."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

WAIT_MS = 60000


def open_window(qtbot, ledger):
    from ui.main_window import MainWindow
    window = MainWindow(ledger)
    qtbot.addWidget(window)
    window.show()
    return window


def wait_preview(qtbot, dialog) -> None:
    """Wait for the background read + preview job to end (either a preview or an error message)."""
    qtbot.waitUntil(lambda: dialog.preview is not None or bool(dialog.error_text), timeout=WAIT_MS)


def import_through_dialog(qtbot, window, path: Path, check=None):
    """Open the import dialog from the 台账 page on `path`, wait for the preview, press 确定导入."""
    page = window.show_page("tasks")
    dialog = page.open_import(path)
    wait_preview(qtbot, dialog)
    assert dialog.preview is not None, dialog.error_text
    if check is not None:
        check(dialog)
    assert dialog.confirm_button.isEnabled()
    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    return page, dialog
