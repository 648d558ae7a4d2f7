"""Benchmark: what a clerk's commands cost on a ledger one year and ten years old (bench/make_years.py builds them).

Run:  .venv/bin/python bench/years.py --ledger 1y=/tmp/y1.sqlite3 --ledger 10y=/tmp/y10.sqlite3 [--base DIR] [--rounds 3]

Each round copies each ledger (file, stored files and its backups folder, so today's daily copy is there as the
window leaves it) and runs, as whole processes: `merge --all` (the staged October returns), `check`, `backup`.
With --base DIR (an export of another commit, e.g. `git archive main | tar -x -C DIR`) the same commands run
with that code too, interleaved round by round (base, then this tree, per ledger), on its own copies. Prints the
median and spread (min–max) of wall seconds per command, ledger and code, and the bytes the merge added to
the backups folder.

Measured 2026-12-06 on the shared 2-core machine (5 rounds, merge of the 61 staged October files; base = main at
ccba5a7, which copied the whole ledger before each merge): 1 year base 0.94 s / this 1.01 s; 10 years base 1.27 s
(+107,831,296 backup bytes per merge) / this 1.11 s (+0 bytes): 10 years ÷ 1 year = 1.35× before, 1.10× now.
`check` of the 10-year ledger 1.07 s, `backup` 0.50 s (3 rounds). PostgreSQL (the same ledgers moved with
make_years' export/import, 3 rounds, this tree): merge 1 year 1.94 s (1.92–2.02), 10 years 2.16 s (2.08–2.24) = 1.11×;
main exported the whole ledger before each such merge (the 10-year export + import alone took 34.3 s).
1 year × 630 units (make_years --units 630, SQLite): merge of 610 files 7.08 s incl. the day's first full copy,
undo 4.74 s, check 0.48 s.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def copy_ledger(src: Path, dst: Path) -> Path:
    """A SQLite ledger copied with its stored files and backups folder (the benches time copies, never the original)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    for side in ("-files", "-backups"):
        folder = src.with_name(src.stem + side)
        if folder.exists():
            shutil.copytree(folder, dst.with_name(dst.stem + side))
    return dst


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def _run(code: Path, ledger: Path, *args: str) -> float:
    start = time.perf_counter()
    out = subprocess.run([PY, str(code / "app.py"), "--ledger", str(ledger), *args], capture_output=True, text=True,
                         timeout=1200, cwd=code)
    took = time.perf_counter() - start
    if out.returncode not in (0, 1):   # check exits 1 when it finds something to report
        raise SystemExit(f"{args} failed on {ledger}: {out.stderr[-600:]}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ledger", action="append", required=True, help="NAME=PATH of a make_years ledger")
    parser.add_argument("--base", type=Path, help="another commit's tree to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--commands", default="merge,check,backup")
    args = parser.parse_args()
    ledgers = dict(item.split("=", 1) for item in args.ledger)
    codes = {"base": args.base, "this": ROOT} if args.base else {"this": ROOT}
    commands = args.commands.split(",")
    times: dict[tuple, list[float]] = {}
    grown: dict[tuple, list[int]] = {}
    work = Path(tempfile.mkdtemp(prefix="bench-years-"))
    try:
        for name, path in ledgers.items():   # this tree migrates an older ledger once, outside the timing
            for code in codes:
                # the source's own file name: its backups folder names its copies after it, so today's copy counts
                prepared = copy_ledger(Path(path), work / "prepared" / code / name / Path(path).name)
                _run(codes[code], prepared, "status")
        for r in range(args.rounds):
            for name in ledgers:
                for code, tree in codes.items():
                    src = work / "prepared" / code / name / Path(ledgers[name]).name
                    led = copy_ledger(src, work / f"r{r}" / code / name / src.name)
                    backups = led.with_name(led.stem + "-backups")
                    for cmd in commands:
                        before = _folder_bytes(backups)
                        argv = {"merge": ("merge", "--all"), "check": ("check",), "backup": ("backup",)}[cmd]
                        times.setdefault((cmd, name, code), []).append(_run(tree, led, *argv))
                        if cmd == "merge":
                            grown.setdefault((cmd, name, code), []).append(_folder_bytes(backups) - before)
                    shutil.rmtree(led.parent)
            print(f"round {r + 1}/{args.rounds} done", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{'command':8} {'ledger':6} {'code':5} {'median s':>9} {'spread':>13} {'backup bytes':>13}")
    for (cmd, name, code), values in times.items():
        extra = grown.get((cmd, name, code))
        print(f"{cmd:8} {name:6} {code:5} {statistics.median(values):9.2f} "
              f"{min(values):6.2f}–{max(values):<6.2f} {statistics.median(extra) if extra else '':>13}")


if __name__ == "__main__":
    main()
