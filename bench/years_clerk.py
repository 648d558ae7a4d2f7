"""Benchmark: what a clerk waits for on a ledger one year and ten years old — window, 督办, 收文, documents, export.

Run:  .venv/bin/python bench/years_clerk.py --ledger 1y=/tmp/y1.sqlite3 --ledger 10y=/tmp/y10.sqlite3 [--rounds 5]
      [--base DIR] [--rows window,dashboard,…]

Ledgers come from bench/make_years.py (their 2026 clock is 21 November: October's round received, not merged).
Each row is a whole process, timed from spawn to exit (a window: to its first idle turn of the event loop once the
page's background read — 督办's month, 收文's list — is on screen too, the READY line it prints then, as bench/all.py
times the window):
  window        `app.py --ledger L`: cold start to the first page shown (立项, the first in the list)
  window-daily  the same on the first start of a day: today's full copy is not there yet, so the start takes it
  dashboard     the window opened on 督办 (its month's tiles, matrix and lights)
  collect       the window opened on 收文 (the file list of the 工作月份)
  dash-data     the 督办 data alone: `dashboard_data` + `list_tasks` for 2026-10, as the page's reload reads them
  files-data    the 收文 list alone: `list_submissions` as the page's refresh reads it (one year, where the tree can)
  summary       `summary --period 2026-09`;  bulletin  `bulletin --quarter 2026Q3`;  export  `export --out`
Rounds interleave the ledgers (and, with --base DIR, a tree of another commit: `git archive main | tar -x -C DIR`),
alternating their order; one untimed warm-up round fills a private bytecode cache (PYTHONPYCACHEPREFIX), as the
installed app ships .pyc. Each ledger is copied once (with its stored files and backups folder) and migrated by
each tree before timing; read-only rows reuse that copy. Prints median and spread (min–max) per row, ledger and
tree, and the ratio 10 years ÷ 1 year.

Measured 2026-12-06 (3 rounds, base = main at 924cab0, this = branch h31; the machine's load average was 7.4–10.2 on
2 cores, so the wall seconds spread widely: the CPU seconds are the steadier figure). CPU 10 years ÷ 1 year, base →
this: window 1.72× → 0.90× (base's 10-year start copied 114 MB before showing), first start of a day 1.72× → 1.00×
(the copy now runs after the window is shown), window on 督办 2.00× → 0.92×, window on 收文 1.33× → 1.16×, the 收文
list alone 1.59× → 1.04× (0.66 s → 0.40 s CPU at 10 years), 督办 data 0.94× → 0.97×, summary 0.87× → 1.00×,
bulletin 1.01× → 1.06×. Export (not in that run; one run each, base): 1 year 10.5 s, 10 years 58.7 s — all the years
by definition (3.8 million cells at 10 years, XlsxWriter's own time).

2026-12-06 evening (quiet, load 0.2–0.5; each window process now starts from the settings as prepared, see
`_settings_as_prepared`): window 1 year × 63 0.60 s (0.59–0.61), 1 year × 630 units 0.62 s (0.61–0.62), 7 rounds,
`--rows window`; opened on 督办 0.73 / 0.95 s, on 收文 0.84 / 1.24 s (5 rounds).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
sys.path.insert(0, str(ROOT))
from bench.years import copy_ledger as _copy  # noqa: E402 - after the path it needs
TODAY = "2026-11-21"   # make_years' 2026 clock

WINDOW = r"""
import sys
sys.path.insert(0, {root!r})
page = {page!r}
opened = []
def _reading():   # the page's background read (督办's month, 收文's list) not yet on screen
    if not opened:
        return False
    widget = opened[0].stack.currentWidget()
    return bool(getattr(widget, "reading", False))
def _ready(app):   # the second turn of the loop: the first one's show, expose and paint are done, and the page's data
    if _reading():
        QTimer.singleShot(2, lambda: _ready(app))
        return
    import resource
    use = resource.getrusage(resource.RUSAGE_SELF)
    print(f"READY {{use.ru_utime + use.ru_stime:.4f}}", flush=True)
    app.quit()
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
QTimer.singleShot(0, lambda: QTimer.singleShot(0, lambda: _ready(app)))
import ui.main_window as mw
_init = mw.MainWindow.__init__
def _opened_on(self, *a, **k):   # on that page, as a clerk who goes straight to it
    _init(self, *a, **k)
    opened.append(self)
    if page:
        self.show_page(page)
mw.MainWindow.__init__ = _opened_on
import app as entry
entry.main(["--ledger", {ledger!r}])
"""

DASH_DATA = r"""
import sys
sys.path.insert(0, {root!r})
from datetime import date
from core.ledger.store import Ledger
from core.ledger.page_reads import campaign_id_of
from core.ledger.queries import list_tasks
from core.tracking.states import dashboard_data
led = Ledger({ledger!r})
cid = campaign_id_of(led, 2026)
data = dashboard_data(led, cid, "2026-10", date.fromisoformat({today!r}))
print(len(data["matrix"]), len(list_tasks(led, 2026)))
"""

FILES_DATA = r"""
import sys
sys.path.insert(0, {root!r})
import inspect
from core.ledger.store import Ledger
from core.returns.review import list_submissions
# as the page reads it: one year (the 工作月份's) where the tree can, every file before issue 31
by_year = {{"year": 2026}} if "year" in inspect.signature(list_submissions).parameters else {{}}
print(len(list_submissions(Ledger({ledger!r}), **by_year)))
"""

ROWS = ("window", "window-daily", "dashboard", "collect", "dash-data", "files-data", "summary", "bulletin", "export")


def command(row: str, tree: Path, ledger: Path, out: Path) -> list[str]:
    app = str(tree / "app.py")
    fill = {"root": str(tree), "ledger": str(ledger), "today": TODAY}
    if row in ("window", "window-daily", "dashboard", "collect"):
        page = {"dashboard": "dashboard", "collect": "collect"}.get(row, "")
        return [PY, "-c", WINDOW.format(page=page, **fill)]
    if row == "dash-data":
        return [PY, "-c", DASH_DATA.format(**fill)]
    if row == "files-data":
        return [PY, "-c", FILES_DATA.format(**fill)]
    if row == "summary":
        return [PY, app, "--ledger", str(ledger), "summary", "--period", "2026-09", "--today", TODAY,
                "--out", str(out / "summary.xlsx")]
    if row == "bulletin":
        return [PY, app, "--ledger", str(ledger), "bulletin", "--quarter", "2026Q3", "--out", str(out / "b.docx")]
    if row == "export":
        return [PY, app, "--ledger", str(ledger), "export", "--out", str(out / "export.xlsx")]
    raise SystemExit(f"unknown row {row}")


def timed(cmd: list[str], env: dict, cwd: Path) -> tuple[float, float]:
    """Wall seconds and the child's CPU seconds (user + system; a window: up to its READY line), which the other
    work on this shared machine disturbs far less."""
    start = time.perf_counter()
    if "READY" in cmd[-1]:
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        took, cpu = None, 0.0
        for line in proc.stdout:
            if line.startswith("READY"):
                took, cpu = time.perf_counter() - start, float(line.split()[1])
                break
        _out, err = proc.communicate(timeout=600)
        if took is None or proc.returncode != 0:
            raise SystemExit(f"window failed: {err[-800:]}")
        return took, cpu
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=1200)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[2:6])}… failed: {out.stderr[-800:]}")
    return took, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def _without_todays_copies(ledger: Path) -> None:
    """The first start of a day: no full copy taken today (they are moved aside, not lost, for the next row)."""
    from datetime import date
    backups = ledger.with_name(ledger.stem + "-backups")
    aside = backups.with_name(backups.name + "-aside")
    aside.mkdir(exist_ok=True)
    stamp = date.today().strftime("%Y%m%d")
    for p in list(backups.glob(f"*{stamp}-*")):
        p.rename(aside / p.name)


def _settings_as_prepared(env: dict, work: Path) -> dict:
    """Each process starts from the settings as they were once the ledgers were prepared: a window remembers the page
    it closed on, so before this the `window` row after a `collect` row opened on 收文 as well (at 630 units 1.29 s;
    0.59 s with this, 2026-12-06)."""
    prepared, fresh = work / "config", work / "config-run"
    shutil.rmtree(fresh, ignore_errors=True)
    if prepared.exists():
        shutil.copytree(prepared, fresh)
    return dict(env, XDG_CONFIG_HOME=str(fresh))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ledger", action="append", required=True, help="NAME=PATH of a make_years ledger")
    parser.add_argument("--base", type=Path, help="another commit's tree to compare with")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--rows", default=",".join(ROWS))
    args = parser.parse_args()
    ledgers = dict(item.split("=", 1) for item in args.ledger)
    trees = {"base": args.base.resolve(), "this": ROOT} if args.base else {"this": ROOT}
    rows = args.rows.split(",")
    work = Path(tempfile.mkdtemp(prefix="bench-years-clerk-"))
    env = dict(os.environ, XDG_DATA_HOME=str(work / "data"), XDG_CONFIG_HOME=str(work / "config"),
               XDG_CACHE_HOME=str(work / "cache"), QT_QPA_PLATFORM="offscreen",
               PYTHONPYCACHEPREFIX=str(work / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    times: dict[tuple[str, str, str], list[float]] = {}
    cpus: dict[tuple[str, str, str], list[float]] = {}
    loads = []
    try:
        prepared = {}
        for name, path in ledgers.items():
            for code, tree in trees.items():
                led = _copy(Path(path), work / "prepared" / code / name / "ledger.sqlite3")
                subprocess.run([PY, str(tree / "app.py"), "--ledger", str(led), "status"], env=env, cwd=tree,
                               capture_output=True, check=True, timeout=1200)   # migrated, today's copy taken
                prepared[(name, code)] = led
        pairs = [(row, name, code) for row in rows for name in ledgers for code in trees]
        for r in range(-1, args.rounds):   # round -1: warm-up, not timed
            loads.append(os.getloadavg()[0])
            for row, name, code in (pairs if r % 2 == 0 else pairs[::-1]):
                led = prepared[(name, code)]
                out = work / "out" / code / name
                out.mkdir(parents=True, exist_ok=True)
                if row == "window-daily":
                    _without_todays_copies(led)
                took, cpu = timed(command(row, trees[code], led, out), _settings_as_prepared(env, work), trees[code])
                if r >= 0:
                    times.setdefault((row, name, code), []).append(took)
                    cpus.setdefault((row, name, code), []).append(cpu)
            print(f"round {r + 1}/{args.rounds} done" if r >= 0 else "warm-up done", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{args.rounds} rounds, {os.cpu_count()} cores, load average {min(loads):.1f}–{max(loads):.1f} (other "
          f"agents share this machine); whole processes, median (min–max) s; CPU: the child's user + system s")
    names = list(ledgers)
    two = len(names) > 1
    print("| row | tree | " + " | ".join(names) + (f" | {names[-1]} ÷ {names[0]} | CPU " + " / ".join(names)
                                                   + f" | CPU {names[-1]} ÷ {names[0]} |" if two else " |"))
    print("|---|---|" + "---|" * (len(names) + (3 if two else 0)))
    for row in rows:
        for code in trees:
            cells = []
            for name in names:
                v = times[(row, name, code)]
                cells.append(f"{statistics.median(v):.2f} ({min(v):.2f}–{max(v):.2f})")
            ratio = ""
            if two:
                first, last = (statistics.median(times[(row, n, code)]) for n in (names[0], names[-1]))
                c_first, c_last = (statistics.median(cpus[(row, n, code)]) for n in (names[0], names[-1]))
                ratio = (f" | {last / first:.2f}× | "
                         + " / ".join(f"{statistics.median(cpus[(row, n, code)]):.2f}" for n in names)
                         + f" | {c_last / c_first:.2f}×")
            print(f"| {row} | {code} | " + " | ".join(cells) + ratio + " |")


if __name__ == "__main__":
    main()
