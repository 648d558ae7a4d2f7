"""Screenshots of every page of the main window on the demo ledger, under Xvfb at 1366×768: docs/screenshot-<PAGE_KEY>.png,
and of the first-run guide, its file dialog, the settings dialog and the 通讯录 question.

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
            page.generate("summary")   # the file is generated, then previewed as it will print (LibreOffice)
            pane = page.file_preview
            wait_for(lambda: page.job is None and (bool(pane.pages) or bool(pane.error)), 240)
        elif key == "units" and hasattr(page, "missing_check"):
            page.table.selectRow(2)
        elif key == "tasks" and hasattr(page, "table"):
            page.table.selectRow(0)
    except Exception as exc:  # a screenshot script never fails on a page's API change
        print(f"  ({key}: could not pose: {exc})")


def wait_for(condition, seconds: float) -> bool:
    from PySide6.QtWidgets import QApplication
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QApplication.processEvents()
        if condition():
            return True
        time.sleep(0.05)
    return False


def settle(app, seconds: float = 1.0) -> None:
    for _ in range(int(seconds / 0.05)):
        app.processEvents()
        time.sleep(0.05)


def save_screen(app, name: str) -> None:
    """The whole 1366×768 screen (the dialog over the window it belongs to)."""
    path = OUT / f"screenshot-{name}.png"
    app.primaryScreen().grabWindow(0).save(str(path))
    print(f"{path.relative_to(ROOT)}")


def shoot_first_run_file_dialog(app) -> None:
    """The first-run guide's 浏览… file dialog, as a clerk meets it on the first start (Chinese from the first)."""
    from PySide6.QtWidgets import QFileDialog
    from ui.first_run import FirstRunWizard
    from ui.recent_ledgers import LEDGER_FILTER
    wizard = FirstRunWizard(None, Path.home() / "督查台账" / "台账.sqlite3")
    wizard.move(30, 30)
    wizard.show()
    settle(app)
    dialog = QFileDialog(wizard, "新建台账", str(Path.home()), LEDGER_FILTER)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.open()
    dialog.move(420, 200)   # beside the guide's own page, as a window manager would cascade it
    settle(app)
    save_screen(app, "first-run-file-dialog")
    dialog.reject()
    wizard.close()


def shoot_first_run_contacts(app, folder: Path) -> None:
    """The guide's 通讯录 step and its summary on a new ledger, with a book that lacks the last units."""
    import xlsxwriter
    from core.units.contacts_import import read_contacts
    from ui.first_run import FirstRunWizard
    demo = ROOT / "resources" / "demo"
    rows = read_contacts(demo / "2026-单位通讯录.xlsx")[:52]
    book = folder / "通讯录.xlsx"
    wb = xlsxwriter.Workbook(str(book))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["单位名称", "联系人", "办公电话", "电子邮箱"])
    for i, r in enumerate(rows, start=1):
        ws.write_row(i, 0, [r["name"], r["contact"], r["phone"], r["email"]])
    wb.close()
    wizard = FirstRunWizard(None, folder / "新台账.sqlite3")
    wizard.show()
    wizard.next()
    wizard.plan_page.import_plan_file(demo / "2026-立项表.docx")
    wizard.next()
    wizard.contacts_page.import_contacts(book)
    settle(app)
    for name in ("first-run-contacts", "first-run-done"):
        path = OUT / f"screenshot-{name}.png"
        wizard.grab().save(str(path))
        print(f"{path.relative_to(ROOT)}")
        wizard.next()
        settle(app)
    wizard.reject()


def shoot_contact_conflict(app, window) -> None:
    """Two address-book rows on one unit: the question the clerk is asked."""
    from ui.contact_conflict_dialog import ContactConflictDialog
    rows = [{"name": "区财政局", "contact": "张三（办公室）", "phone": "0531-86660001", "email": "bgs@example.org"},
            {"name": "财政局", "contact": "李四（预算科）", "phone": "0531-86660002", "email": "ysk@example.org"}]
    window.show_page("units")
    dialog = ContactConflictDialog("区财政局", rows, "", window)
    dialog.open()
    settle(app)
    save_screen(app, "contacts-conflict")
    dialog.reject()


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
    os.environ["XDG_DOCUMENTS_DIR"] = str(tmp / "Documents")   # the demo's output folder, thrown away after
    os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")          # print-preview pages
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
        window.show()
        # the whole 1366×768 screen (Xvfb has no task bar): the window a clerk maximises on a 1366×768 laptop
        area = window.screen().availableGeometry()
        window.resize(area.width(), area.height())
        window.move(area.topLeft())
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
        shoot_contact_conflict(app, window)
        window.hide()                    # the first start: no main window yet behind the guide
        shoot_first_run_file_dialog(app)
        shoot_first_run_contacts(app, tmp)
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
