"""Benchmark: page switches and 工作月份 switches in a running window, on a ledger one year and ten years old (issue 31).

Run:  .venv/bin/python bench/switches.py --ledger 1y=/tmp/y1.sqlite3 --ledger 10y=/tmp/y10.sqlite3 [--rounds 5]
      [--only dashboard]

Each ledger is copied (with its stored files) and opened in one window per run (Qt's offscreen platform, as the UI
tests). A switch is timed twice: `shown` — from the click (nav row / month chosen) until the window's thread is free
again (the page built on its first visit and laid out, what a clerk waits for before the window answers), and `read`
— until the page's background reads are done and shown as well. First visits (a page built and read for the first
time) and later visits are reported apart. The 工作月份 switch is timed on 督办 (its tiles, matrix and lights follow
the month). Rounds alternate the ledgers, each in a fresh process (cold imports excluded: the window is up first).
Prints median and spread (min–max) per row and ledger, in milliseconds, and the ratio 10 years ÷ 1 year.
`read` waits until no background job is left and its result has been shown (a page may start a read when another
ends). `--only dashboard` builds and visits that page alone before the month switches: the page's own share of a
switch (with every page built, each built page follows the 工作月份 too: 收文, 下发 and 通报打印 read their month).

Measured 2026-12-06 (issue 31, 督办 reads its month through LedgerQuery; base = main at 67646ed, same bench script,
3 rounds each, base and this run one after the other, load 0.4–0.8 on the shared 2-core machine), `--only dashboard`,
ms median, shown / read:
  督办 first visit   1 year × 63:  base 124 / 124 → this 61 / 98;   1 year × 630 units: base 507 / 507 → this 39 / 271
  工作月份 switch    1 year × 63:  base 44 / 45 → this 4 / 48;       1 year × 630 units: base 294 / 294 → this 4 / 202
10 years × 63 (every page built, 1 round): 督办 first visit base 142 / 142 → this 62 / 108. With every page built
(load 2–3.6), the 工作月份 switch is still 194 → 218 (1 year) and 1676 → 1621 (630 units): 督办's share is 1–4 ms of it,
the rest is 通报打印 and 收文 following the month (profiled at 630 units: ~2.0 s and ~0.9 s).

2026-12-06, 通报打印 / 下发 / 单位 reading in the background (issue 31), `shown` ms median, base → now, 2 cores shared
(load 4–5): 1y / 630 units, 3 rounds — 通报打印 first 266 / 1842 → 44 / 53, back 108 / 1232 → 9 / 7; 下发 first
81 / 301 → 26 / 20, back 32 / 135 → 12 / 8; 单位 first 76 / 142 → 38 / 28. 10y / 10y × 630, 2 rounds (load 4.5 → 3.7):
通报打印 first 190 / 1256 → 35 / 17, back 68 / 878 → 5 / 3; 下发 first 121 / 197 → 7 / 11; 单位 first 163 / 170 →
13 / 12; 台账 back 50 → 35 (its table's painting, no read).

收文 (2026-12-06, 2 cores shared, load 1.6–1.9; 3 rounds, median; 10y one round): its list is read off the window's
thread since, so `read` waits for that job (the pool) and the list shown after it. First visit shown / read, before →
after: 1y 384 / 418 → 43 / 346, 630 units 1732 / 1768 → 39 / 641, 10y 265 / 288 → 38 / 230; coming back 49 → 62 and
48 → 59 (the window thread's CPU time the same, 36–49 ms, measured apart: load noise). Window-thread CPU from the click
to the list on screen at 630 units: about 1.5 s → 0.2 s, the longest single step (the list put in the tree) ≤ 80 ms.

`longest` (since 2026-12-06 evening): the longest single turn of the event loop from the click until 0.5 s after the
reads are shown — how long the window could not answer a key or a click. A month switch is timed with 督办 in view
and again with 收文 in view. Measured 2026-12-06 evening, 2 rounds per tree, this tree (0aca6af: a new 工作月份 reads
the page in view only; 收文's list read with its filter's work) and base (e07e204, the same bench script) one after
the other, quiet 2-core machine; per round the median of its 4 switches, read / longest ms:
  month on 督办   1 year × 63:  base 172, 235 / 38, 43   → this 40, 52 / 7, 8
                  1 year × 630: base 938, 1216 / 199, 285 → this 223, 290 / 16, 45
  month on 收文   1 year × 63:  base 178, 185 / 45, 57   → this 67, 80 / 17, 22
                  1 year × 630: base 969, 1040 / 214, 243 → this 130, 123 / 26, 22
  统计 first visit at 630 units, longest: base 136, 279 → this 139, 252 (its table's proxy sorting in Python; be987fd
  sorts the rows themselves: 34 ms in a probe); 数据预览 tab at 630 units, longest: base 134, 223 → this 124, 128 (Qt
  lays out the 180,000-character 汇总表 in growing steps after it is shown; not changed).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
sys.path.insert(0, str(ROOT))
from bench.years import copy_ledger as _copy  # noqa: E402 - after the path it needs

CHILD = r"""
import json, os, sys, time
sys.path.insert(0, {root!r})
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from core.ledger.store import Ledger
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from ui.main_window import MainWindow
win = MainWindow(Ledger({ledger!r}))
win.resize(1366, 768)
win.show()
def settle():
    for _ in range(3):
        app.processEvents()
def read_all():   # until every background read has ended and its result is on screen (one may start another)
    for _ in range(100):
        win.jobs.wait(120000)
        settle()
        if not win.jobs.active:
            return
def turn():   # one pass of the event loop; its length is how long the window could not answer
    t = time.perf_counter()
    app.processEvents()
    return time.perf_counter() - t
def timed(action):
    t0 = time.perf_counter()
    action()
    longest = time.perf_counter() - t0
    for _ in range(3):
        longest = max(longest, turn())
    shown = time.perf_counter() - t0
    while True:   # until the reads, and any read one starts, are shown
        longest = max(longest, turn())
        if not win.jobs.active:
            longest = max([longest] + [turn() for _ in range(3)])
            if not win.jobs.active:
                break
        time.sleep(0.002)
    read = time.perf_counter() - t0
    tail = time.perf_counter() + 0.5   # what the window lays out after (a long text document, in steps)
    while time.perf_counter() < tail:
        longest = max(longest, turn())
        time.sleep(0.002)
    return shown * 1000, read * 1000, longest * 1000
settle(); read_all()
out = {{}}
keys = [m.PAGE_KEY for m in win.page_modules]
only = {only!r}   # --only KEY: that page alone is built (and visited once) before the month switches
for visit in ("first",) if only else ("first", "again"):
    for row, key in enumerate([only] if only else keys[1:] + keys[:1], start=0):
        index = keys.index(key)
        out[f"page {{key}} ({{visit}})"] = timed(lambda i=index: win.nav.setCurrentRow(i))
if not only:   # 通报打印's 数据预览 tab: the month's 汇总表 put in view (its figures read when the page was)
    reports = win.show_page("reports"); settle(); read_all()
    reports.tabs.setCurrentIndex(0); settle()
    out["数据预览 tab"] = timed(lambda: reports.tabs.setCurrentWidget(reports.preview_tab))
for key, name in (("dashboard", "督办"), ("collect", "收文")):   # the month switched with the page in view
    if only and key != only:
        continue
    win.show_page(key); settle(); read_all()
    for month in ("2026-09", "2026-10", "2026-08", "2026-10"):
        out.setdefault(f"month on {{name}}", [])
        out[f"month on {{name}}"].append(timed(lambda m=month: win.set_work_month(m)))
print("RESULT " + json.dumps(out), flush=True)
win.close()
"""


def run_once(ledger: Path, only: str = "") -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([PY, "-c", CHILD.format(root=str(ROOT), ledger=str(ledger), only=only)],
                          capture_output=True, text=True, timeout=900, env=env, cwd=ROOT)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"the window run failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    return json.loads(line[len("RESULT "):])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ledger", action="append", required=True, help="NAME=PATH (bench/make_years.py ledgers)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", default="", help="a page key (dashboard): build and visit that page alone, then "
                                                   "switch months: its own share of a switch, without the other pages'")
    args = parser.parse_args()
    ledgers = dict(item.split("=", 1) for item in args.ledger)
    work = Path(tempfile.mkdtemp(prefix="switches-"))
    copies = {name: _copy(Path(src), work / name / "ledger.sqlite3") for name, src in ledgers.items()}
    for path in copies.values():   # migrated and today's copy taken once, untimed
        run_once(path)
    samples: dict[str, dict[str, list[tuple[float, float, float]]]] = {name: {} for name in copies}
    for r in range(args.rounds):
        order = list(copies) if r % 2 == 0 else list(reversed(copies))
        for name in order:
            for row, value in run_once(copies[name], args.only).items():
                values = value if row.startswith("month") else [value]
                samples[name].setdefault(row, []).extend(tuple(v) for v in values)
    names = list(copies)
    rows = list(samples[names[0]])
    print(f"{args.rounds} rounds; ms, median (min–max); shown = window free again, read = the page's data shown too,"
          " longest = the longest the window could not answer from the click until 0.5 s after the read"
          + (f"; only the {args.only} page built" if args.only else ""))
    print("| switch | " + " | ".join(f"{n} shown | {n} read | {n} longest" for n in names) + " | ratio read |")
    print("|---" * (3 * len(names) + 2) + "|")
    for row in rows:
        cells, medians = [], []
        for n in names:
            for i, label in enumerate(("shown", "read", "longest")):
                values = [v[i] for v in samples[n][row]]
                cells.append(f"{statistics.median(values):.0f} ({min(values):.0f}–{max(values):.0f})")
                if label == "read":
                    medians.append(statistics.median(values))
        ratio = f"{medians[-1] / medians[0]:.2f}×" if len(medians) > 1 and medians[0] else ""
        print(f"| {row} | " + " | ".join(cells) + f" | {ratio} |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
