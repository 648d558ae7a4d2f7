"""Collect time of the 63 ordinary returns, this tree against another checkout (e.g. the commit before a change), interleaved.

    .venv/bin/python bench/collect_before_after.py /tmp/base-tree [rounds]   # prints both medians, spreads and the ratio
"""
from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    base = Path(sys.argv[1]).resolve()
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    sys.path.insert(0, str(ROOT / "bench"))
    import collect as bench   # bench/collect.py: the same 63 returns and the same measured run
    work = Path(tempfile.mkdtemp(prefix="bench-collect-ba-"))
    try:
        ledger_path, _files = bench.prepare(work)
        clean = work / "clean.sqlite3"
        shutil.copyfile(ledger_path, clean)
        runs: dict[str, list[float]] = {"before": [], "after": []}
        trees = {"before": base, "after": ROOT}
        for r in range(rounds):
            for which in ("before", "after") if r % 2 == 0 else ("after", "before"):
                shutil.copyfile(clean, ledger_path)
                for suffix in ("-wal", "-shm"):
                    Path(str(ledger_path) + suffix).unlink(missing_ok=True)
                shutil.rmtree(ledger_path.with_name(ledger_path.stem + "-files"), ignore_errors=True)
                proc = subprocess.run([sys.executable, str(trees[which] / "bench" / "collect.py"), "--measure", "collect",
                                       str(ledger_path), str(work / "returned")], capture_output=True, text=True,
                                      check=True, cwd=trees[which])
                runs[which].append(json.loads(proc.stdout.strip().splitlines()[-1])["collect_s"])
        b, a = statistics.median(runs["before"]), statistics.median(runs["after"])
        print(f"{rounds} interleaved rounds, collect of {len(_files)} ordinary returns (read, identify, match, diff, "
              "store, record), medians")
        print(f"before ({base}): {b:.3f} s   spread {min(runs['before']):.3f}–{max(runs['before']):.3f}")
        print(f"after  ({ROOT}): {a:.3f} s   spread {min(runs['after']):.3f}–{max(runs['after']):.3f}")
        print(f"after / before: {a / b:.2f}×   (limit: 1.20×)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
