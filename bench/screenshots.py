"""Screenshots of every page of the main window on the demo ledger, under Xvfb: docs/screenshot-<PAGE_KEY>.png.

Run: /work/venv/bin/python bench/screenshots.py   (starts Xvfb :99 itself when DISPLAY is not set)
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


def start_xvfb(display: str = ":99"):
    if os.environ.get("DISPLAY") and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        return None
    proc = subprocess.Popen(["Xvfb", display, "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    os.environ["DISPLAY"] = display
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    return proc


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
        from core.ledger import Ledger
        from ui.look import install_translator
        from ui.main_window import MainWindow
        install_translator(app)
        ledger = Ledger(ensure_demo_ledger(demo_ledger_path()))
        window = MainWindow(ledger)
        window.resize(1360, 860)
        window.show()
        OUT.mkdir(exist_ok=True)
        for module in window.page_modules:
            window.show_page(module.PAGE_KEY)
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline:  # let background loads finish and paint
                app.processEvents()
                time.sleep(0.05)
            path = OUT / f"screenshot-{module.PAGE_KEY}.png"
            window.grab().save(str(path))
            print(f"{path.relative_to(ROOT)}  {module.PAGE_TITLE}")
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
    sys.exit(main())
