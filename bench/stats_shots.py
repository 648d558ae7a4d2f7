"""The 统计 page at 1366×768 (docs/screenshot-stats.png) and the first page of the 考评表 printed through LibreOffice
(docs/paper-kaoping.png), both on the demo ledger.

Run:  .venv/bin/python bench/stats_shots.py   (starts Xvfb on a free display itself when DISPLAY is not set)
      .venv/bin/python bench/stats_shots.py --years-ledger Y.sqlite3 [--skip-demo]: also the 历年对比 tab on a
      several-year ledger (bench/make_years.py --years 5 --units 63), docs/screenshot-stats-years.png
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
    if os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM", "").startswith("offscreen"):
        return None   # a display, or Qt's offscreen screen (offscreen:configfile=… sized 1366×768)
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


def shoot_years(ledger_path: Path, today) -> None:
    """The 历年对比 tab, units with most forms late or missing over the years first."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication([])
    from core.ledger.store import Ledger
    from ui.main_window import MainWindow
    window = MainWindow(Ledger(ledger_path))
    window.resize(1366, 768)
    window.show()
    page = window.page_widgets["stats"]
    page.today = today
    window.show_page("stats")
    while page.years is None:
        app.processEvents()
        time.sleep(0.01)
    page.tabs.setCurrentWidget(page.years_box)
    total = page.unit_years_model.columnCount() - 1
    page.unit_years_view.sortByColumn(total, Qt.SortOrder.DescendingOrder)
    app.processEvents()
    window.grab().save(str(DOCS / "screenshot-stats-years.png"))
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
    import argparse
    from datetime import date
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years-ledger", type=Path, help="a several-year ledger for the 历年对比 tab")
    parser.add_argument("--today", default="2026-12-06", help="the day the 历年对比 shot counts to")
    parser.add_argument("--skip-demo", action="store_true", help="only the 历年对比 tab")
    args = parser.parse_args()
    xvfb = start_xvfb()
    try:
        if args.years_ledger:
            shoot_years(args.years_ledger, date.fromisoformat(args.today))
            print(f"wrote {DOCS / 'screenshot-stats-years.png'}")
        if not args.skip_demo:
            from core.demo import demo_ledger_path, ensure_demo_ledger
            ledger_path = ensure_demo_ledger(demo_ledger_path())
            shoot_page(ledger_path)
    finally:
        if xvfb is not None:
            xvfb.terminate()
    if not args.skip_demo:
        render_kaoping(ledger_path)
        print(f"wrote {DOCS / 'screenshot-stats.png'} and {DOCS / 'paper-kaoping.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
