"""Benchmark: merge and 督办 on a make_years ledger (e.g. 10 years × 630 units) on SQLite and on PostgreSQL, interleaved.

Run:  .venv/bin/python bench/years_server.py --ledger /tmp/y10x630.sqlite3 --pg-base /tmp/pg [--rounds 3]

--pg-base names a running throwaway cluster's folder (tests/pg_cluster.py: `python tests/pg_cluster.py start`
prints one). The SQLite ledger is moved once into a template database on that server with make_years' own path
(the whole-ledger export and import-ledger, received files included; --direct: without the workbook), not timed.
Each round then makes a fresh copy of each (file copy; CREATE DATABASE … TEMPLATE) and runs as whole processes,
SQLite and PostgreSQL alternating:
  merge       `merge --all`: the staged October returns (61 files at 63 units, 610 at 630)
  dash-data   the 督办 data for 2026-10 (`dashboard_data` + `list_tasks`, as the page's reload reads them)
  files-data  the 收文 list (`list_submissions`, as the page's refresh reads it: this tree reads the 工作月份's year)
  window, window-dashboard, window-collect   the window's cold start to idle (years_clerk's rows: on 立项, on 督办
              with its month on screen, on 收文 with its list on screen): wall time to the window's READY line
  switches    bench/switches.py's window run (every page visited, then the 工作月份 switched 4× on 督办 and on 收文):
              its slowest first page visit (window free again), and per month switch the read and the longest turn
Prints median and spread (min–max) per row and backend.

Measured 2026-12-06 on the shared 2-core machine (load average 3–10 from other agents; 3 rounds each): 10 years × 630
units (make_years --from the 10 × 63 ledger, moved with --direct in 818 s, 2.96 million rows): merge of 610 files
SQLite 32.3 s (31.3–47.6), PostgreSQL 46.0 s (33.9–56.0); 督办 data 1.19 s / 1.65 s; 收文 list 0.82 s / 1.42 s.
1 year × 630 units: merge 23.5 s (17.7–34.2) / 28.6 s (25.9–40.8); 督办 data 1.11 s / 1.23 s; 收文 list 0.76 s / 0.97 s.
Later, at load 3, `merge --all` on PostgreSQL alternately: 1 year 21.5 s, 22.9 s; 10 years 27.2 s, 28.7 s (≈ 1.25×),
and pg_stat_user_tables showed no sequential scan of any ledger table but meta during the merge.

2026-12-06 evening (quiet: load 0.2–0.5; 2 rounds; `--rows window,window-dashboard,window-collect,switches`), SQLite /
PostgreSQL, median s — window on 立项: 1 year 0.55 / 0.95, 1 year × 630 0.68 / 0.89, 10 years 0.63 / 0.71; on 督办:
0.67 / 0.76, 0.73 / 0.94, 0.61 / 0.75; on 收文: 0.83 / 0.84, 0.69 / 0.94, 0.73 / 0.77. Slowest first page visit
(window free again): 0.07 / 0.09, 0.09 / 0.17, 0.09 / 0.09. 工作月份 switch on 督办, read / longest turn: 0.04 / 0.01 and
0.05 / 0.01; 0.31 / 0.02 and 0.30 / 0.10; 0.06 / 0.01 and 0.06 / 0.01; on 收文: 0.08 / 0.03 and 0.08 / 0.03; 0.12 /
0.03 and 0.14 / 0.03; 0.07 / 0.03 and 0.09 / 0.03. Alone, once each (`app.py --ledger URL backup` / `check` on a
fresh copy): PostgreSQL `backup` (the whole-ledger .xlsx export) 2.1 s / 16.3 s / 21.4 s, `check` 0.4 / 0.5 / 0.6 s.
Then (eb1fba5) a shared ledger's backup is a SQLite copy of its tables (core.ledger.server_copy): `backup` 1.0 s /
1.7 s / 2.6 s (1 year / 1 year × 630 / 10 years; the older copy in the folder compressed in the same run).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable

from bench.years_clerk import DASH_DATA, FILES_DATA, TODAY, WINDOW, _copy  # noqa: E402
from bench.years_clerk import timed as _until_ready  # noqa: E402

WINDOWS = {"window": "", "window-dashboard": "dashboard", "window-collect": "collect"}


def _switches(ledger: str) -> dict[str, float]:
    """bench/switches.py's run on `ledger`: the figures the table shows, in seconds."""
    import statistics as st
    from bench.switches import run_once
    got = run_once(ledger)   # type: ignore[arg-type]  # a server's URL serves as well as a path
    firsts = [v for k, v in got.items() if k.startswith("page ") and k.endswith("(first)")]
    out = {"page first visit, slowest shown": max(v[0] for v in firsts) / 1000}
    for name in ("督办", "收文"):
        months = got.get(f"month on {name}", [])
        if months:
            out[f"month on {name}: read"] = st.median(m[1] for m in months) / 1000
            out[f"month on {name}: longest turn"] = max(m[2] for m in months) / 1000
    return out


def _timed(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    out = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=3600)
    took = time.perf_counter() - start
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[2:6])}… failed: {out.stderr[-800:]}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ledger", type=Path, required=True, help="a make_years SQLite ledger")
    parser.add_argument("--pg-base", type=Path, required=True, help="folder of a running tests/pg_cluster.py server")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rows", default="merge,dash-data,files-data")
    parser.add_argument("--template", default="", help="reuse this database as the template (already moved)")
    parser.add_argument("--direct", action="store_true", help="move without the export workbook (make_years --direct)")
    args = parser.parse_args()
    from bench.make_years import move_to_server
    from tests.pg_cluster import Cluster
    cluster = Cluster.attach(args.pg_base)
    work = Path(tempfile.mkdtemp(prefix="bench-years-server-"))
    env = dict(os.environ, XDG_DATA_HOME=str(work / "data"), XDG_CONFIG_HOME=str(work / "config"),
               XDG_CACHE_HOME=str(work / "cache"), QT_QPA_PLATFORM="offscreen")
    rows = args.rows.split(",")
    order: list[str] = []
    times: dict[tuple[str, str], list[float]] = {}
    try:
        template = args.template
        if not template:
            template = "years_tmpl_" + args.ledger.stem.replace("-", "_")
            cluster.drop(template)
            url = cluster.create(name=template)
            src = _copy(args.ledger, work / "src" / "ledger.sqlite3")
            t0 = time.perf_counter()
            moved = move_to_server(src, url, direct=args.direct)
            print(f"moved to {template} in {time.perf_counter() - t0:.0f} s ({moved['rows']} rows)", flush=True)
            shutil.rmtree(src.parent, ignore_errors=True)
        for r in range(args.rounds):
            pair = ["sqlite", "postgresql"] if r % 2 == 0 else ["postgresql", "sqlite"]
            for backend in pair:
                if backend == "sqlite":
                    led = str(_copy(args.ledger, work / f"r{r}" / "ledger.sqlite3"))
                else:
                    led = cluster.create(template=template, name=f"years_r{r}")
                try:
                    for row in rows:
                        if row == "switches":
                            for name, value in _switches(led).items():
                                times.setdefault((name, backend), []).append(value)
                                if name not in order:
                                    order.append(name)
                            continue
                        fill = {"root": str(ROOT), "ledger": led, "today": TODAY}
                        cmd = {"merge": [PY, str(ROOT / "app.py"), "--ledger", led, "merge", "--all"],
                               "dash-data": [PY, "-c", DASH_DATA.format(**fill)],
                               "files-data": [PY, "-c", FILES_DATA.format(**fill)],
                               **{w: [PY, "-c", WINDOW.format(page=page, **fill)] for w, page in WINDOWS.items()}}[row]
                        took = _until_ready(cmd, env, ROOT)[0] if row in WINDOWS else _timed(cmd, env)
                        times.setdefault((row, backend), []).append(took)
                        if row not in order:
                            order.append(row)
                finally:
                    if backend == "sqlite":
                        shutil.rmtree(work / f"r{r}", ignore_errors=True)
                    else:
                        cluster.drop(led)
            print(f"round {r + 1}/{args.rounds} done", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{args.rounds} rounds on {args.ledger.name}, load average {os.getloadavg()[0]:.1f} (other agents share "
          "this 2-core machine); whole processes, median (min–max) s")
    print("| row | SQLite | PostgreSQL |")
    print("|---|---|---|")
    for row in order:
        cells = []
        for backend in ("sqlite", "postgresql"):
            v = times[(row, backend)]
            cells.append(f"{statistics.median(v):.2f} ({min(v):.2f}–{max(v):.2f})")
        print(f"| {row} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
