"""Screenshots of the 收文 review grid on the demo ledger at 1366×768: docs/review-grid-flags.png, docs/review-grid-copying.png.

Run: /work/venv/bin/python bench/review_grid_screenshots.py [--ledger 演示台账.sqlite3] [--collect]   (under Xvfb :117, started
here when DISPLAY is not set, so the screen is a 1366×768 laptop's)
Without --ledger a fresh demo ledger is built in a temporary folder (a minute or two); with it, a copy of that
demo ledger is used (the original is never changed). The flags shot is the file of the unit that writes "是" over
a text saying it is behind (core.demo.year.CONTRADICTOR); the copying shot is the unit that copies last month's
text (core.demo.year.COPIER), with 只看有标记 on. --collect retakes docs/screenshot-collect.png too.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs"


def settle(app, seconds: float = 1.5) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.05)


def main() -> int:
    from bench.screenshots import start_xvfb
    xvfb = start_xvfb(":117")
    tmp = Path(tempfile.mkdtemp(prefix="ducha-grid-shots-"))
    os.environ["XDG_DATA_HOME"] = str(tmp / "data")
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    try:
        from PySide6.QtWidgets import QApplication

        from ui.look import install_translator, prepare_application
        prepare_application()
        app = QApplication(sys.argv[:1])
        style = ROOT / "resources" / "style.qss"
        if style.exists():
            app.setStyleSheet(style.read_text(encoding="utf-8"))
        install_translator(app)
        from core.demo import ensure_demo_ledger
        from core.demo.year import CONTRADICTOR, COPIER
        from core.ledger.store import Ledger
        from core.returns.review import list_submissions
        from ui.main_window import MainWindow
        path = tmp / "演示台账.sqlite3"
        if "--ledger" in sys.argv:
            source = Path(sys.argv[sys.argv.index("--ledger") + 1])
            shutil.copyfile(source, path)
            files = source.with_name(source.stem + "-files")   # the stored originals beside the ledger
            if files.is_dir():
                shutil.copytree(files, path.with_name(path.stem + "-files"))
        ledger = Ledger(ensure_demo_ledger(path))
        window = MainWindow(ledger)
        window.show()
        settle(app, 0.5)
        window.setGeometry(0, 0, 1366, 768)   # the whole laptop screen (no window manager under Xvfb)
        page = window.show_page("collect")
        page.refresh()
        staged = {s["unit_name"]: s["id"] for s in list_submissions(ledger, ("staged",))}
        OUT.mkdir(exist_ok=True)
        for unit, name, only_flagged in ((CONTRADICTOR, "review-grid-flags.png", False),
                                         (COPIER, "review-grid-copying.png", True)):
            page.select_submission(staged[unit])
            panel = page.grid_panel
            panel.only_flagged.setChecked(only_flagged)
            panel.view.setFocus()
            current = panel.view.currentIndex()
            panel._current_changed(current, current)   # the pane below shows the current cell in full
            settle(app)
            window.grab().save(str(OUT / name))
            print(f"docs/{name}  {unit}  rows {panel.model.rowCount()}  flagged {panel.grid.counts['flagged']}")
        if "--collect" in sys.argv:   # the 收文 page as bench/screenshots.py poses it: the newest file's grid
            panel.only_flagged.setChecked(False)
            page.refresh()
            page.tree.setCurrentItem(page.tree.topLevelItem(0))
            page.move(3)
            settle(app)
            window.grab().save(str(OUT / "screenshot-collect.png"))
            print("docs/screenshot-collect.png")
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
    os._exit(code)   # see bench/screenshots.py: PySide6 may abort while tearing down the 收文 tree
