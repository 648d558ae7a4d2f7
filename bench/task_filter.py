"""Task table filter benchmark: time per search keystroke / filter change on 118 and ~1,500 rows (offscreen).

Run:  python bench/task_filter.py
Rows are the demo ledger's tasks, repeated to reach ~1,500 (as if several years were shown at once).
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="ducha-bench-") as tmp:
        os.environ["XDG_DATA_HOME"] = str(Path(tmp) / "data")
        from PySide6.QtWidgets import QApplication, QTableView

        from core.demo import demo_ledger_path, ensure_demo_ledger
        from core.ledger.store import Ledger
        from core.ledger.queries import list_tasks
        from ui.task_table_model import TaskFilterProxy, TaskTableModel
        app = QApplication.instance() or QApplication([])
        ledger = Ledger(ensure_demo_ledger(demo_ledger_path()))
        base = list_tasks(ledger)
        ledger.close()
        for copies in (1, 13):
            tasks = [dict(t, uid=f"{t['uid']}-{i}") for i in range(copies) for t in base]
            model = TaskTableModel()
            proxy = TaskFilterProxy()
            proxy.setSourceModel(model)
            view = QTableView()
            view.setModel(proxy)
            view.resize(1200, 700)
            view.show()
            t0 = time.perf_counter()
            model.set_tasks(tasks)
            app.processEvents()
            load = time.perf_counter() - t0
            times = []
            for typed in ("养", "养老", "养老服", "教", "教育", "区", "区发展改革局", ""):
                t0 = time.perf_counter()
                proxy.set_filters(search=typed)
                app.processEvents()
                times.append(time.perf_counter() - t0)
            for kw in ({"kind": "livelihood"}, {"kind": ""}, {"unit": "区发展改革局", "role": "lead"},
                       {"unit": "", "role": ""}):
                t0 = time.perf_counter()
                proxy.set_filters(**kw)
                app.processEvents()
                times.append(time.perf_counter() - t0)
            print(f"{len(tasks)} rows: load {load * 1000:.1f} ms; filter/search step median "
                  f"{statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms")
            view.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
