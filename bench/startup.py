"""Start-up benchmark: interpreter start → main window shown and event loop idle, on the demo ledger (offscreen).

Run:  python bench/startup.py [--runs 5]
The demo ledger is built first (not timed) in a temporary XDG_DATA_HOME; each run is a fresh interpreter
running the real entry point (app.main(["--demo"])). Two figures per run: wall time measured by this
script from process spawn to the child's READY line (includes interpreter start-up), and the child's own
figure from its first line of Python. Target: under 1.0 s on the office's 2-core machine (bench/all.py
measures the same start interleaved with a bare PySide6 window).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 1.0

DRIVER = r"""
import time
T0 = time.perf_counter()
import sys
sys.path.insert(0, {root!r})
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])  # ui.app_main reuses this instance

def idle():
    # second turn of the loop: show/expose/paint events of the first turn have been handled
    heavy = [m for m in ("pandas", "matplotlib", "openpyxl", "docx", "xlsxwriter") if m in sys.modules]
    windows = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    print(f"READY {{time.perf_counter() - T0:.4f}} windows={{len(windows)}} heavy={{','.join(heavy) or '-'}}", flush=True)
    app.quit()

QTimer.singleShot(0, lambda: QTimer.singleShot(0, idle))
import app as entry
entry.main(["--demo"])
"""


def build_demo(env: dict) -> None:
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
            "from core.demo import demo_ledger_path, ensure_demo_ledger\n"
            "print(ensure_demo_ledger(demo_ledger_path()))\n")
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True, timeout=300)


def one_run(env: dict) -> tuple[float, float, str]:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", DRIVER.format(root=str(ROOT))], env=env, cwd=str(ROOT),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = ""
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("READY"):
            wall = time.perf_counter() - start
            break
    else:
        proc.wait(timeout=60)
        raise SystemExit(f"window did not start:\n{proc.stderr.read() if proc.stderr else ''}")
    proc.wait(timeout=60)
    parts = line.split()
    return wall, float(parts[1]), " ".join(parts[2:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ducha-bench-") as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(Path(tmp) / "data"),
                   XDG_CONFIG_HOME=str(Path(tmp) / "config"), PYTHONDONTWRITEBYTECODE="")
        build_demo(env)
        one_run(env)  # warm the OS file cache and .pyc files; not counted
        walls, inner, notes = [], [], ""
        for i in range(args.runs):
            wall, own, notes = one_run(env)
            walls.append(wall)
            inner.append(own)
            print(f"run {i + 1}: {wall:.3f} s from spawn, {own:.3f} s from first line ({notes})")
    median = statistics.median(walls)
    print(f"start-up to idle window (demo ledger, offscreen): min {min(walls):.3f} s, median {median:.3f} s "
          f"(in-process: min {min(inner):.3f} s, median {statistics.median(inner):.3f} s); "
          f"target < {TARGET_S} s: {'OK' if median < TARGET_S else 'OVER'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
