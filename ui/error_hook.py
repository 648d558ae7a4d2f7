"""The window's last line of defence: any exception that reaches Qt's event loop becomes a dialog a clerk sees.

A UserError (bad input, locked file) is a warning with its Chinese message; an OSError goes through the
OS-error describer; anything else is our bug: logged with its trace and shown as 内部错误 with where the log is.
The Windows build has no console, so without this hook such an error would leave no trace a clerk can see.
"""
from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from core.common import paths
from core.common.errors import Cancelled, UserError

_open_boxes: list[QMessageBox] = []   # shown non-blocking; kept alive here until closed


def describe(exc: BaseException) -> tuple[str, str, QMessageBox.Icon]:
    """(title, text, icon) for the dialog that tells the clerk about `exc`."""
    if isinstance(exc, UserError):
        return "无法完成", exc.message, QMessageBox.Icon.Warning
    if isinstance(exc, OSError):
        from core.common.os_errors import describe_os_error
        return "无法完成", describe_os_error(exc), QMessageBox.Icon.Warning
    log_dir = paths.log_dir()
    return ("内部错误",
            f"程序出现了内部错误（{type(exc).__name__}），刚才的操作没有完成，台账未被改动。\n"
            f"详情已写入日志（{log_dir}），请把日志发给技术支持。",
            QMessageBox.Icon.Critical)


def open_error_texts() -> list[str]:
    """The texts of the error dialogs still on screen (the build's smoke test fails on any)."""
    return [box.text() for box in _open_boxes]


def show_error(exc: BaseException) -> QMessageBox | None:
    """Show the dialog for `exc` (non-blocking, so an error during painting cannot stack modal loops)."""
    app = QApplication.instance()
    if app is None:
        return None
    title, text, icon = describe(exc)
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, QApplication.activeWindow())
    box.setObjectName("errorBox")
    box.finished.connect(lambda _=0, b=box: _open_boxes.remove(b) if b in _open_boxes else None)
    _open_boxes.append(box)
    box.show()
    return box


def handle(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """sys.excepthook for the window."""
    if exc is None or isinstance(exc, (KeyboardInterrupt, SystemExit)):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if isinstance(exc, Cancelled):
        return
    if not isinstance(exc, (UserError, OSError)):
        logging.getLogger("ducha").error("unhandled error in the window", exc_info=(exc_type, exc, tb))
    else:
        logging.getLogger("ducha").warning("window: %s %s", type(exc).__name__, getattr(exc, "filename", "") or "")
    try:
        show_error(exc)
    except Exception:  # never let the hook itself raise: fall back to stderr
        sys.__excepthook__(exc_type, exc, tb)


def install() -> None:
    sys.excepthook = handle
