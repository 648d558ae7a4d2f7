"""Screenshots of every page of the main window on the demo ledger, under Xvfb: docs/screenshot-<PAGE_KEY>.png.

Run: /work/venv/bin/python bench/screenshots.py [--empty]   (starts Xvfb :99 itself when DISPLAY is not set)
The demo ledger is built fresh (core/demo: a year of returns, the latest month waiting in 收文); --empty shoots
the tasks-only demo instead.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs"
REPORT_TXT = ROOT / "tests" / "data" / "2026-政府工作报告.txt"   # for the 立项助手 page


def start_xvfb(display: str = ":99"):
    if os.environ.get("DISPLAY") and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        return None
    proc = subprocess.Popen(["Xvfb", display, "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    os.environ["DISPLAY"] = display
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    return proc


def pose(window, key: str, page) -> None:
    """Put a page in a state worth showing; tolerant of the pages' own changes."""
    try:
        if key == "collect":
            page.refresh()
            page.move(3)   # file → unit → row → first field: the diff shows on the right
        elif key == "dispatch":
            page.form_combo.setCurrentIndex(page.form_combo.findData("report"))
            page.preview()
        elif key == "draft" and REPORT_TXT.exists() and page.handles_drop([REPORT_TXT]):
            page.drop([REPORT_TXT])
        elif key == "reports":   # last month is still in 收文; the month before is merged and prints in full
            from core.tracking.deadlines import shift_period
            page.set_period(shift_period(page.period, -1))
        elif key == "tasks" and hasattr(page, "table"):
            page.table.selectRow(0)
    except Exception as exc:  # a screenshot script never fails on a page's API change
        print(f"  ({key}: could not pose: {exc})")


def shoot_dialogs(app, window) -> None:
    """The first-run guide and the settings dialog, as a clerk first meets them."""
    from ui.first_run import FirstRunWizard
    from ui.settings_dialog import SettingsDialog
    for name, dialog in (("first-run", FirstRunWizard(None, Path.home() / "督查台账" / "台账.sqlite3")),
                         ("settings", SettingsDialog(window.ledger, window))):
        dialog.show()
        for _ in range(20):
            app.processEvents()
            time.sleep(0.05)
        path = OUT / f"screenshot-{name}.png"
        dialog.grab().save(str(path))
        print(f"{path.relative_to(ROOT)}")
        dialog.close()


def main() -> int:
    xvfb = start_xvfb()
    tmp = Path(tempfile.mkdtemp(prefix="ducha-shots-"))
    os.environ["XDG_DATA_HOME"] = str(tmp / "data")      # a fresh demo ledger, never the clerk's own
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    try:
        from PySide6.QtWidgets import QApplication
        from ui.look import prepare_application
        prepare_application()
        app = QApplication(sys.argv[:1])
        style = ROOT / "resources" / "style.qss"
        if style.exists():
            app.setStyleSheet(style.read_text(encoding="utf-8"))
        from core.demo import demo_ledger_path, ensure_demo_ledger
        from core.ledger.store import Ledger
        from ui.look import install_translator
        from ui.main_window import MainWindow
        install_translator(app)
        started = time.perf_counter()
        ledger = Ledger(ensure_demo_ledger(demo_ledger_path(), history="--empty" not in sys.argv))
        print(f"demo ledger built in {time.perf_counter() - started:.0f} s")
        window = MainWindow(ledger)
        # the window sizes itself to the 1366×768 screen, as on a clerk's laptop (ui.main_window.fit_to_screen)
        window.show()
        OUT.mkdir(exist_ok=True)
        for module in window.page_modules:
            page = window.show_page(module.PAGE_KEY)
            pose(window, module.PAGE_KEY, page)
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline:  # let background loads finish and paint
                app.processEvents()
                time.sleep(0.05)
            path = OUT / f"screenshot-{module.PAGE_KEY}.png"
            window.grab().save(str(path))
            print(f"{path.relative_to(ROOT)}  {module.PAGE_TITLE}")
        shoot_dialogs(app, window)
        window.close()
        window.jobs.wait(5000)
        ledger.close()
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    # PySide6 6.12 on Python 3.11 drops a reference to None for each None kept in item data (the 收文 tree's
    # tuples), which can abort the interpreter while it tears down; the shots are saved, so leave directly.
    os._exit(code)
