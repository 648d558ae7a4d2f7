"""Benchmark 收文: collect + diff one returned 附件4 from every unit of the 2026 campaign; wall time, peak memory,
and the ratio to python-calamine merely reading the same files (measured in the same run).

    /work/venv/bin/python bench/collect.py            # prints the figures (targets: < 1 s, < 300 MB, within 2×)
"""
from __future__ import annotations

import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PERIOD = "2026-03"
ROUNDS = 5


def prepare(work: Path) -> tuple[Path, list[Path]]:
    """A 2026 ledger and one filled 附件4 per unit (not timed)."""
    from core.demo import ensure_demo_ledger
    from core.forms.generate import generate
    from core.ledger.store import Ledger
    sys.path.insert(0, str(ROOT / "tests"))
    from tests.helpers import returns as rh
    ledger_path = ensure_demo_ledger(work / "ledger.sqlite3", history=False)   # the 2026 tasks and contacts
    led = Ledger(ledger_path)
    forms = generate(led, "report", PERIOD, work / "out", with_eml=False)
    led.close()
    returned = work / "returned"
    returned.mkdir()
    files = []
    for i, f in enumerate(forms):
        src = Path(f["path"])
        answers = {k: {"done": f"单位{i}第{j}项：已完成年度目标的阶段任务。\n一是推进项目签约；二是完成资金拨付。",
                       "problems": "资金缺口较大" if j % 3 == 0 else "",
                       "next_steps": "继续推进项目建设，确保按期完成。", "on_track": "是" if j % 4 else "否"}
                   for j, k in enumerate(rh.row_keys(src))}
        files.append(rh.fill(src, returned / f"{i:02d}-{f['unit']}-3月.xlsx", answers))
    return ledger_path, files


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: ru_maxrss would carry the parent's peak across exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(mode: str, ledger_path: Path, folder: Path) -> dict:
    files = sorted(folder.iterdir())
    for f in files:
        f.read_bytes()   # same warm cache for both modes
    import python_calamine as pc   # imports are start-up cost, not part of either measured run
    if mode != "calamine":
        from core.returns.collect import collect
        from core.ledger.store import Ledger
        from core.returns.review import submission_detail
        from core.common.text_diff import diff_spans
    start = time.perf_counter()
    if mode == "calamine":
        for f in files:
            wb = pc.CalamineWorkbook.from_path(str(f))
            for name in wb.sheet_names:
                wb.get_sheet_by_name(name).to_python()
            wb.close()
        extra = {}
    else:
        led = Ledger(ledger_path)
        opened = time.perf_counter()
        results = collect(led, [folder])
        collected = time.perf_counter()
        spans = 0
        for r in results:   # the diff a reviewer sees, for every field of every file
            for row in submission_detail(led, r["submission_id"])["rows"]:
                for c in row["changes"]:
                    spans += len(diff_spans(c["old"], c["new"]))
        led.close()
        extra = {"open_s": round(opened - start, 3), "collect_s": round(collected - opened, 3),
                 "review_diff_s": round(time.perf_counter() - collected, 3),
                 "statuses": sorted({r["status"] for r in results}),
                 "changes": sum(r["changes"] for r in results), "spans": spans}
    wall = time.perf_counter() - start
    peak = _peak_mb()
    return {"mode": mode, "files": len(files), "wall_s": round(wall, 3), "peak_mb": round(peak, 1), **extra}


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--measure":
        print(json.dumps(measure(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])), ensure_ascii=False))
        return
    work = Path(tempfile.mkdtemp(prefix="bench-collect-"))
    try:
        ledger_path, files = prepare(work)
        clean = work / "clean.sqlite3"
        shutil.copyfile(ledger_path, clean)
        runs: dict[str, list[dict]] = {"calamine": [], "collect": []}
        for r in range(ROUNDS):   # interleaved, the order alternating, so the shared machine's load falls on both
            for mode in ("calamine", "collect") if r % 2 == 0 else ("collect", "calamine"):
                shutil.copyfile(clean, ledger_path)   # each measured run starts on the same untouched ledger
                for suffix in ("-wal", "-shm"):
                    Path(str(ledger_path) + suffix).unlink(missing_ok=True)
                shutil.rmtree(ledger_path.with_name(ledger_path.stem + "-files"), ignore_errors=True)
                proc = subprocess.run([sys.executable, __file__, "--measure", mode, str(ledger_path),
                                       str(work / "returned")], capture_output=True, text=True, check=True)
                runs[mode].append(json.loads(proc.stdout.strip().splitlines()[-1]))
        out = {mode: {**rs[0], **{k: statistics.median(x[k] for x in rs)
                                  for k in ("wall_s", "peak_mb", "open_s", "collect_s", "review_diff_s") if k in rs[0]}}
               for mode, rs in runs.items()}
        spread = {mode: (min(x["wall_s"] for x in rs), max(x["wall_s"] for x in rs)) for mode, rs in runs.items()}
        print(f"{ROUNDS} interleaved rounds, medians (in-process timers; the whole-process figure is bench/all.py)")
        c, k = out["collect"], out["calamine"]
        print(f"files: {c['files']} returned 附件4 (one per unit), {c['changes']} field changes staged, statuses {c['statuses']}")
        print(f"collect + diff: wall {c['wall_s']:.3f} s, peak RSS {c['peak_mb']:.0f} MB   (targets: < 1 s, < 300 MB)")
        print(f"   of which: open ledger {c['open_s']:.3f} s, collect (read, identify, match, diff, store, record) "
              f"{c['collect_s']:.3f} s, per-field diffs for review {c['review_diff_s']:.3f} s")
        print(f"calamine read only: wall {k['wall_s']:.3f} s, peak RSS {k['peak_mb']:.0f} MB")
        print(f"spread: collect {spread['collect'][0]:.3f}–{spread['collect'][1]:.3f} s, "
              f"calamine {spread['calamine'][0]:.3f}–{spread['calamine'][1]:.3f} s")
        print(f"ratio collect / calamine: {c['wall_s'] / max(k['wall_s'], 1e-9):.2f}×   (target: within 2×)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
