"""Benchmark: a 10-year ledger (≈1,500 tasks, 100 units, 120 months of progress) — time the status matrix and the dashboard data.

Run:  /work/venv/bin/python bench/scale.py [--out DIR] [--repeat N]
Prints the build time, the row counts, the ledger size on disk and, for one month, the time to compute the
submission matrix and the whole dashboard (tiles + matrix + lights). Target: under 100 ms each.

"first" is the first call in a fresh process on the freshly built ledger (nothing computed before it); the ledger
gets no ANALYZE, as the app never runs one. For 630 units (generate and collect as whole processes, cost per
unit at 63 and 630) see bench/all.py.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text  # noqa: E402

from core.ledger import schema  # noqa: E402
from core.tracking.deadlines import report_due  # noqa: E402
from core.ledger.store import Ledger  # noqa: E402
from core.tracking.workdays import WorkCalendar  # noqa: E402

YEARS = list(range(2017, 2027))
UNITS = 100
TASKS_PER_YEAR = 150
MONTHS_PER_YEAR = 12


def build(path: Path, seed: int = 7) -> dict:
    rnd = random.Random(seed)
    ledger = Ledger(path)
    now = datetime(2026, 11, 1, 9)
    cal = WorkCalendar()
    counts = dict.fromkeys(("campaign", "unit", "task", "assignment", "dispatch_item", "submission", "progress_row",
                            "plan_row"), 0)
    with ledger.begin() as conn:
        conn.execute(insert(schema.unit), [
            {"id": u, "name": f"区第{u}单位", "short_name": f"第{u}单位", "contact": f"联系人{u}",
             "phone": f"0631-52{u:05d}", "email": f"unit{u}@example.cn", "collective": False, "note": ""}
            for u in range(1, UNITS + 1)])
        counts["unit"] = UNITS
        task_id = assign_id = disp_id = sub_id = 0
        for cid, year in enumerate(YEARS, start=1):
            conn.execute(insert(schema.campaign).values(
                id=cid, year=year, doc_no=f"政办发〔{year}〕1号", title=f"{year}年重点工作任务", plan_due=date(year, 3, 6),
                report_workdays=5, plan_layout="rows", lead_gathering=False, options="{}", created_at=now))
            tasks, assigns, holders = [], [], {}
            for seq in range(1, TASKS_PER_YEAR + 1):
                task_id += 1
                kind = "key" if seq <= 130 else "livelihood"
                closed = date(year, rnd.randint(6, 12), 15) if rnd.random() < 0.05 else None
                tasks.append({"id": task_id, "uid": f"T{task_id:06d}", "campaign_id": cid, "kind": kind,
                              "seq": seq if kind == "key" else seq - 130, "area": f"领域{seq % 8}",
                              "category": f"类别{seq % 5}", "text": f"{year}年第{seq}项重点工作：推进某某项目建设并按期完成",
                              "active": True, "closed_on": closed, "closed_note": "", "closed_evidence": None})
                units = rnd.sample(range(1, UNITS + 1), rnd.randint(1, 5))
                holders[task_id] = units
                for pos, uid in enumerate(units):
                    assign_id += 1
                    assigns.append({"id": assign_id, "task_id": task_id, "unit_id": uid,
                                    "role": "lead" if pos == 0 else "co", "position": pos})
            conn.execute(insert(schema.task), tasks)
            conn.execute(insert(schema.assignment), assigns)
            counts["task"] += len(tasks)
            counts["assignment"] += len(assigns)
            unit_ids = sorted({a["unit_id"] for a in assigns})
            plan_rows = [{"task_id": a["task_id"], "unit_id": a["unit_id"], "quarter": q, "target": f"第{q}季度目标",
                          "owner": "", "supervisor": "", "remark": ""} for a in assigns for q in (1, 2, 3, 4)]
            conn.execute(insert(schema.plan_row), plan_rows)
            counts["plan_row"] += len(plan_rows)
            # dispatches, submissions, progress: the plan and each month that has come due by 2026-11
            forms = [("plan", str(year), date(year, 3, 6))]
            for month in range(1, MONTHS_PER_YEAR + 1):
                period = f"{year}-{month:02d}"
                if year == 2026 and month > 10:
                    break  # not yet due on 2026-11-23
                forms.append(("report", period, report_due(period, cal)))
            files, subs, items, progress = [], [], [], []
            last_done: dict[tuple[int, int], str] = {}
            for form, period, due in forms:
                disp_id += 1
                conn.execute(insert(schema.dispatch).values(id=disp_id, campaign_id=cid, form=form, period=period,
                                                            out_dir=f"/out/{period}", created_at=now))
                items.extend({"dispatch_id": disp_id, "unit_id": uid, "path": f"/out/{period}/{uid}.xlsx",
                              "file_hash": "0" * 64, "fingerprint": "", "tasks": 3, "email": ""} for uid in unit_ids)
                for uid in unit_ids:
                    if rnd.random() < 0.04:
                        continue  # never reported
                    sub_id += 1
                    late = rnd.random() < 0.15
                    received = datetime.combine(due + timedelta(days=rnd.randint(1, 6) if late else -rnd.randint(0, 4)),
                                                datetime.min.time()) + timedelta(hours=10)
                    digest = hashlib.sha256(f"{sub_id}".encode()).hexdigest()
                    files.append({"hash": digest, "name": f"{uid}-{period}.xlsx", "size": 40000, "stored_at": received})
                    subs.append({"id": sub_id, "campaign_id": cid, "unit_id": uid, "form": form, "period": period,
                                 "file_hash": digest, "file_name": f"{uid}-{period}.xlsx", "received_at": received,
                                 "collected_at": received, "status": "merged", "message": "", "identified_by": "",
                                 "merged_at": received})
                if form == "report":
                    for a in assigns:
                        key = (a["task_id"], a["unit_id"])
                        done = last_done.get(key, "") if rnd.random() < 0.1 else f"{period}完成投资{rnd.randint(1, 900)}万元"
                        last_done[key] = done
                        on_track = rnd.random() > 0.08
                        progress.append({"task_id": a["task_id"], "unit_id": a["unit_id"], "period": period,
                                         "quarter_target": "季度目标", "done": done, "problems": "", "next_steps": "",
                                         "on_track": on_track, "on_track_raw": "是" if on_track else "否", "note": "",
                                         "reporter_unit_id": None, "submission_id": None})
            conn.execute(insert(schema.stored_file), files)
            conn.execute(insert(schema.submission), subs)
            conn.execute(insert(schema.dispatch_item), items)
            conn.execute(insert(schema.progress_row), progress)
            counts["dispatch_item"] += len(items)
            counts["submission"] += len(subs)
            counts["progress_row"] += len(progress)
        counts["campaign"] = len(YEARS)
    with ledger.read() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))   # no ANALYZE: the app never runs one
    ledger.close()
    return counts


def timed(fn, repeat: int) -> tuple[float, float, float, float]:
    """(first call, median, best) wall-clock ms and the median CPU ms of this process (steady when the machine is busy)."""
    samples, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return samples[0], statistics.median(samples), min(samples), statistics.median(cpu)


def report(label: str, figures: tuple[float, float, float, float]) -> None:
    first, median, best, cpu = figures
    print(f"{label:<34} first {first:6.1f} ms  median {median:6.1f} ms  best {best:6.1f} ms  cpu {cpu:6.1f} ms"
          f"  (target < 100 ms) {'OK' if median < 100 else 'SLOW'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="folder for the ledger (default: a temporary folder)")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    folder = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="ducha-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bench-10y.sqlite3"
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        p.unlink(missing_ok=True)
    start = time.perf_counter()
    counts = build(path)
    build_s = time.perf_counter() - start
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    print(f"built {path} in {build_s:.1f} s")
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print(f"ledger size on disk: {size / 1e6:.1f} MB")

    from core.tracking.states import dashboard_data, submission_matrix
    ledger = Ledger(path)
    try:
        with ledger.read() as conn:
            cid = conn.execute(text("SELECT id FROM campaign WHERE year = 2026")).scalar_one()
        today, period = date(2026, 11, 23), "2026-10"
        report("status matrix, one month:", timed(lambda: submission_matrix(ledger, cid, period, today), args.repeat))
        report("dashboard (tiles+matrix+lights):", timed(lambda: dashboard_data(ledger, cid, period, today), args.repeat))
        matrix = submission_matrix(ledger, cid, period, today)
        data = dashboard_data(ledger, cid, period, today)
        print(f"one month ({period}, as of {today}): {len(matrix)} matrix rows, "
              f"dashboard {len(data['matrix'])} cells over {len(data['periods']) + 1} columns, "
              f"{len(data['lights'])} task lights, tiles {data['tiles']}, warning {data['warning']!r}")
        from core.ledger.queries import list_tasks
        report("dashboard page data (+ task list):", timed(
            lambda: (dashboard_data(ledger, cid, period, today), list_tasks(ledger, 2026)), args.repeat))
        print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    finally:
        ledger.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
