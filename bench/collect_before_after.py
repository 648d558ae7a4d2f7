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


def measure(tree: Path, ledger_path: Path, folder: Path) -> dict:
    """One collect of the folder with the code of `tree` (the same measuring code for both trees): wall and CPU."""
    import time
    sys.path.insert(0, str(tree))
    files = sorted(folder.iterdir())
    for f in files:
        f.read_bytes()   # the same warm cache for both
    from core.ledger.store import Ledger
    from core.returns.collect import collect
    led = Ledger(ledger_path)
    wall, cpu = time.perf_counter(), time.process_time()
    results = collect(led, [folder])
    out = {"collect_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu,
           "statuses": sorted({r["status"] for r in results})}
    led.close()
    return out


def main() -> None:
    if len(sys.argv) == 6 and sys.argv[1] == "--measure":
        sys.path.remove(str(ROOT))
        print(json.dumps(measure(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))))
        return
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
        cpu: dict[str, list[float]] = {"before": [], "after": []}
        trees = {"before": base, "after": ROOT}
        for r in range(rounds):
            for which in ("before", "after") if r % 2 == 0 else ("after", "before"):
                shutil.copyfile(clean, ledger_path)
                for suffix in ("-wal", "-shm"):
                    Path(str(ledger_path) + suffix).unlink(missing_ok=True)
                shutil.rmtree(ledger_path.with_name(ledger_path.stem + "-files"), ignore_errors=True)
                proc = subprocess.run([sys.executable, __file__, "--measure", str(trees[which]), str(ledger_path),
                                       str(work / "returned"), which], capture_output=True, text=True, check=True,
                                      cwd=trees[which])
                got = json.loads(proc.stdout.strip().splitlines()[-1])
                runs[which].append(got["collect_s"])
                cpu[which].append(got["cpu_s"])
        b, a = statistics.median(runs["before"]), statistics.median(runs["after"])
        print(f"{rounds} interleaved rounds, collect of {len(_files)} ordinary returns (read, identify, match, diff, "
              "store, record), medians")
        print(f"before ({base}): {b:.3f} s   spread {min(runs['before']):.3f}–{max(runs['before']):.3f}")
        print(f"after  ({ROOT}): {a:.3f} s   spread {min(runs['after']):.3f}–{max(runs['after']):.3f}")
        cb, ca = statistics.median(cpu["before"]), statistics.median(cpu["after"])
        print(f"CPU time (this process, less sensitive to the shared machine): before {cb:.3f} s, after {ca:.3f} s")
        print(f"after / before: wall {a / b:.2f}×, CPU {ca / cb:.2f}×   (limit: 1.20×)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
