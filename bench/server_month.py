"""A full month on each backend: generate, collect and merge 63 units' 附件4 as whole processes, SQLite file vs PostgreSQL.

    python bench/server_month.py [--rounds 3]

Preparation (not timed): the 2026 ledger with contacts, the April forms generated once and filled at real length
by every unit (tests/returns_helpers.fill), and — for PostgreSQL — a throwaway cluster (tests/pg_cluster.py) with
that ledger imported into a template database. Each round starts from a fresh copy on each backend (a file copy;
CREATE DATABASE … TEMPLATE) and times three fresh `app.py` processes: generate --form report, collect the 63
returns, merge --all (which first backs the ledger up: a file copy on SQLite, the whole-ledger export on
PostgreSQL). The backends alternate their order each round. Prints the median and spread per step and in total.
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
PERIOD = "2026-04"
PY = sys.executable
STEPS = ("generate", "collect", "merge")


def run(cmd: list[str], env: dict, expect: str = "") -> float:
    """Seconds the process took; `expect` must appear in its output (the work was really done)."""
    start = time.perf_counter()
    out = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=900)
    took = time.perf_counter() - start
    if out.returncode != 0 or expect not in out.stdout:
        raise SystemExit(f"{' '.join(cmd[2:6])}… failed: {out.stderr[-800:]} {out.stdout[-300:]}")
    return took


def prepare(work: Path, env: dict) -> tuple[Path, Path, int]:
    from bench.all import real_length_text
    from core.demo import ensure_demo_ledger
    from core.forms.generate import generate
    from core.ledger.store import Ledger
    from tests.helpers import returns as rh
    base = ensure_demo_ledger(work / "base.sqlite3", history=False)   # the 2026 tasks and contacts
    led = Ledger(base)
    forms = generate(led, "report", PERIOD, work / "forms", with_eml=True)
    led.close()
    returned = work / "returned"
    returned.mkdir()
    for i, f in enumerate(forms):
        path = Path(f["path"])
        answers = {k: {"done": real_length_text(i, j), "problems": "一是资金到位偏慢；二是审批环节较多；三是协调难度较大。",
                       "next_steps": "下一步将加快手续办理，确保按期完成阶段目标。", "on_track": "是"}
                   for j, k in enumerate(rh.row_keys(path))}
        rh.fill(path, returned / f"{f['unit']}-{PERIOD}.xlsx", answers)
    return base, returned, len(forms)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from tests.pg_cluster import Cluster, missing_reason
    reason = missing_reason()
    if reason:
        raise SystemExit(reason)
    work = Path(tempfile.mkdtemp(prefix="ducha-month-"))
    env = dict(os.environ, XDG_DATA_HOME=str(work / "data"), XDG_CONFIG_HOME=str(work / "config"))
    os.environ.update({k: env[k] for k in ("XDG_DATA_HOME", "XDG_CONFIG_HOME")})
    cluster = Cluster().start()
    try:
        base, returned, units = prepare(work, env)
        export = work / "base-export" / "整本.xlsx"
        export.parent.mkdir()
        run([PY, str(ROOT / "app.py"), "--ledger", str(base), "export", "--out", str(export)], env)
        template = cluster.create(name="month_base")
        run([PY, str(ROOT / "app.py"), "--ledger", template, "import-ledger", str(export)], env)
        times: dict[str, dict[str, list[float]]] = {b: {s: [] for s in STEPS} for b in ("SQLite", "PostgreSQL")}
        for r in range(args.rounds):
            order = ("SQLite", "PostgreSQL") if r % 2 == 0 else ("PostgreSQL", "SQLite")
            for backend in order:
                if backend == "SQLite":
                    target = str(work / f"round{r}.sqlite3")
                    shutil.copy(base, target)
                else:
                    target = cluster.create(template="month_base")
                app = [PY, str(ROOT / "app.py"), "--ledger", target]
                times[backend]["generate"].append(run(app + ["generate", "--form", "report", "--period", PERIOD,
                                                             "--out", str(work / f"out-{backend}-{r}")], env))
                times[backend]["collect"].append(run(app + ["collect", str(returned)], env))
                times[backend]["merge"].append(run(app + ["merge", "--all"], env, expect=f"合并 {units} 份文件"))
        print(f"{args.rounds} rounds, {units} units, {os.cpu_count()} cores; whole processes, median (min–max)")
        print("| backend | generate | collect | merge | whole month |")
        print("|---|---|---|---|---|")
        for backend, steps in times.items():
            totals = [sum(steps[s][r] for s in STEPS) for r in range(args.rounds)]
            cells = [f"{statistics.median(v):.2f} s ({min(v):.2f}–{max(v):.2f})" for v in [*steps.values(), totals]]
            print(f"| {backend} | " + " | ".join(cells) + " |")
    finally:
        cluster.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
