"""The 统计 page at 1366×768 (docs/screenshot-stats.png) and the first page of the 考评表 printed through LibreOffice
(docs/paper-kaoping.png), both on the demo ledger.

Run:  .venv/bin/python bench/stats_shots.py   (starts Xvfb on a free display itself when DISPLAY is not set)
"""
from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DOCS = ROOT / "docs"


def start_xvfb():
    if os.environ.get("DISPLAY"):
        return None
    display = f":{random.randint(100, 899)}"
    proc = subprocess.Popen(["Xvfb", display, "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    os.environ["DISPLAY"] = display
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    return proc


def shoot_page(ledger_path: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication([])
    from core.demo.year import COPIER
    from core.ledger.store import Ledger
    from ui.main_window import MainWindow
    window = MainWindow(Ledger(ledger_path))
    window.resize(1366, 768)
    window.show()
    window.show_page("stats")
    page = window.page_widgets["stats"]
    while page.stats is None:
        app.processEvents()
        time.sleep(0.01)
    missing = next(c for c in range(page.unit_model.columnCount()) if page.unit_model.headers[c] == "未报")
    page.unit_view.sortByColumn(missing, Qt.SortOrder.DescendingOrder)   # the units that left forms missing first
    page.show_unit(next(r[0] for r in page.stats.unit_rows if r[1] == COPIER))
    app.processEvents()
    window.grab().save(str(DOCS / "screenshot-stats.png"))
    window.close()


def render_kaoping(ledger_path: Path) -> None:
    from datetime import date

    from core.ledger.settings import office_name
    from core.ledger.store import Ledger
    from core.stats.report import year_stats
    from core.stats.workbook import write_kaoping
    with tempfile.TemporaryDirectory(prefix="kaoping-") as tmp:
        ledger = Ledger(ledger_path)
        out = write_kaoping(year_stats(ledger, 2026, date.today(), with_years=False), Path(tmp) / "考评表.xlsx",
                            office_name(ledger), date.today())
        profile = (Path(tmp) / "lo").as_uri()
        subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
                        tmp, str(out)], check=True, capture_output=True, timeout=300)
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile",
                        str(Path(tmp) / "考评表.pdf"), str(DOCS / "paper-kaoping")], check=True)


def main() -> int:
    from core.demo import demo_ledger_path, ensure_demo_ledger
    ledger_path = ensure_demo_ledger(demo_ledger_path())
    xvfb = start_xvfb()
    try:
        shoot_page(ledger_path)
    finally:
        if xvfb is not None:
            xvfb.terminate()
    render_kaoping(ledger_path)
    print(f"wrote {DOCS / 'screenshot-stats.png'} and {DOCS / 'paper-kaoping.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
