"""The application's look and start-up details: high-DPI rounding, window icon, the last page, the build's smoke test."""
from __future__ import annotations

import logging
import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QIcon

from core.common import paths


def chinese_dates() -> None:
    """Qt's own widgets in Chinese where Qt asks the system locale (the file dialog's 修改日期 "2026/12/5 09:30"
    rather than "5 Dec 2026", sizes "960 字节", file types "Python 脚本"): on a Linux set to C/English the window's
    process takes zh_CN for them, read by Qt once when the application starts. Windows takes its locale from the
    system settings (a Chinese PC already has it)."""
    import os
    if sys.platform.startswith("win") or QGuiApplication.instance() is not None:
        return
    if not (os.environ.get("LC_ALL") or os.environ.get("LANG") or "").startswith("zh"):
        os.environ["LANG"] = "zh_CN.UTF-8"
        for name in ("LC_ALL", "LC_TIME", "LC_NUMERIC", "LC_MESSAGES"):
            if os.environ.get(name) and not os.environ[name].startswith("zh"):
                os.environ[name] = "zh_CN.UTF-8"


def prepare_application() -> None:
    """Qt 6 scales for high DPI by itself; pass fractional factors (125 %, 150 %) through instead of rounding.
    Qt's own dates in Chinese (chinese_dates)."""
    chinese_dates()
    if QGuiApplication.instance() is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)


def after_show(app, window, smoke_test: bool = False) -> None:
    install_translator(app)
    icon = paths.RESOURCES / "icons" / "app.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    from .menus import restore_last_page
    restore_last_page(window)
    if smoke_test:
        failed: list[str] = []
        logging.getLogger("ducha").addHandler(_Failures(failed))   # a background job's or the window's own error
        QTimer.singleShot(300, lambda: _smoke_done(app, window, failed))


class _Failures(logging.Handler):
    """The smoke test's record of errors logged while it runs (the last line of each: the exception)."""

    def __init__(self, into: list[str]):
        super().__init__(logging.ERROR)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += f" {type(record.exc_info[1]).__name__}: {record.exc_info[1]}"
        self.into.append(f"log: {text.strip().splitlines()[-1]}")


def _smoke_done(app, window, failed: list[str]) -> None:
    """The build's check: the window is up; every page is then shown in turn and its background reads end on screen
    (a module the bundle left out, or a read that fails, fails here rather than on a clerk's PC); prints OK or FAIL."""
    from . import error_hook
    modules = list(window.page_modules)
    ok = window.isVisible() and window.width() > 0
    visited = 0
    for module in modules:
        try:
            window.show_page(module.PAGE_KEY)
            _settle(app, window)
            visited += 1
        except Exception as exc:   # noqa: BLE001 — the smoke test reports any failure and goes on
            failed.append(f"{module.PAGE_KEY}: {type(exc).__name__}: {exc}")
    failed += [f"error box: {text}" for text in error_hook.open_error_texts()]
    if modules:
        window.show_page(modules[0].PAGE_KEY)
    ok = ok and not failed and visited == len(modules)
    if sys.stdout is not None:  # a windowed Windows build has no stdout; the exit code still tells
        keys = ",".join(m.PAGE_KEY for m in modules)
        tr = "zh_CN" if getattr(app, "_zh_translator", None) is not None else "none"
        sys.stdout.write(f"{'OK' if ok else 'FAIL'} pages={len(modules)} visited={visited} keys={keys} qt_tr={tr} "
                         f"title={window.windowTitle()}\n")
        for line in failed:
            sys.stdout.write(f"  {line}\n")
        sys.stdout.flush()
    window.close()
    app.exit(0 if ok else 1)


def _settle(app, window) -> None:
    """Until the window has no background job left and their results are shown (one read may start another)."""
    for _ in range(100):
        for _turn in range(3):
            app.processEvents()
        if not window.jobs.active:
            return
        window.jobs.wait(120_000)


# Strings Qt's own Chinese catalogue lacks (its file dialog shows "Look in", "Files of type" in English).
MISSING_CHINESE = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    # the file dialog's 类型 column (Qt 6: QAbstractFileIconProvider::type)
    ("QAbstractFileIconProvider", "Folder"): "文件夹",
    ("QAbstractFileIconProvider", "File Folder"): "文件夹",
    ("QAbstractFileIconProvider", "Drive"): "驱动器",
    ("QAbstractFileIconProvider", "File"): "文件",
    ("QAbstractFileIconProvider", "%1 File"): "%1 文件",
    ("QAbstractFileIconProvider", "Alias"): "快捷方式",
    ("QAbstractFileIconProvider", "Shortcut"): "快捷方式",
    ("QAbstractFileIconProvider", "Unknown"): "未知",
}


def install_translator(app) -> None:
    """Qt's own dialogs (file chooser, message box buttons, wizard) in Chinese, from the very first one.

    Called as soon as the QApplication exists, before the first-run guide can open a file dialog."""
    if getattr(app, "_zh_translator", None) is not None:
        return
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    class _Gaps(QTranslator):
        def translate(self, context, source, disambiguation=None, n=-1):
            return MISSING_CHINESE.get((context, source)) or None

    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder):
        app.installTranslator(translator)
        app._zh_translator = translator
    gaps = _Gaps(app)
    app.installTranslator(gaps)   # installed last, asked first; unknown strings fall through to qtbase
    app._zh_gaps = gaps
