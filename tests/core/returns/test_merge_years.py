"""A merge's safety point costs what the merge changes, on a ledger ten years old: undo exact, kills all-or-nothing, bytes flat.

The ten-year ledger is the 2026 test ledger aged with nine earlier years (tests/helpers/years.py), or, with
DUCHA_YEARS_LEDGER=<bench/make_years.py output>, the real one (its October 2026 returns are the staged batch).
"""
from __future__ import annotations

import contextlib
import os
import random
import signal
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import func, select, update

from core.ledger import schema
from tests.helpers.backup import dump, fill_quarter, stage, unit_tasks
from tests.helpers.years import copy_sqlite_ledger, pad_years, real_years_ledger

KILL_RUNS = 12


def _stage_batch(ledger) -> None:
    """Six units' March updates and April new rows, and one plan edit (as test_merge_undo stages them)."""
    by_unit = defaultdict(list)
    for name, uid in unit_tasks(ledger):
        if not uid.startswith("Y"):   # the 2026 tasks, not the aged years' (tests/helpers/years.py)
            by_unit[name].append(uid)
    units = [u for u, uids in by_unit.items() if len(uids) >= 2][:6]
    for i, u in enumerate(units):
        uids = by_unit[u]
        stage(ledger, u, "2026-03", {uids[0]: {"done": f"三月完成 {i}", "on_track": "否"},
                                      uids[1]: {"problems": "", "next_steps": "四月\r\n继续"}})
        stage(ledger, u, "2026-04", {uids[0]: {"done": f"四月新行 {i}", "on_track": "是"}})
    stage(ledger, units[0], "", {by_unit[units[0]][0]: {"target@Q2": "二季度新目标", "owner@Q2": "王五"}}, form="plan")


def _accept_pending(ledger) -> None:
    """What merge --all accepts, accepted up front, so the state before the merge is the one an undo returns to."""
    ch = schema.change
    with ledger.begin() as conn:
        conn.execute(update(ch).where(ch.c.decision == "pending", ~ch.c.field.startswith("_", autoescape=True),
                                      ~ch.c.flags.contains("unit-conflict", autoescape=True)).values(decision="accepted"))


def _aged(ledger, years: int = 9) -> None:
    fill_quarter(ledger)
    if years:
        pad_years(ledger, years)
    _stage_batch(ledger)


def _content(d: dict) -> dict:
    d = dict(d)
    d.pop("audit")
    d["meta"] = [r for r in d["meta"] if r[0] != "setting:merge_runs"]
    return d


def _open_aged(ledger_backend, new_2026_target, new_ledger_target, tmp_path):
    """A ten-year ledger on this backend with a batch staged, opened; and the daily backup taken (as the window does)."""
    from core.ledger.backup import daily_backup
    from core.ledger.store import Ledger
    real = real_years_ledger()
    if real is None:
        led = Ledger(new_2026_target())
        _aged(led)
    elif ledger_backend == "sqlite":
        led = Ledger(copy_sqlite_ledger(real, tmp_path / "years.sqlite3"))
    else:
        from core.ledger.export_xlsx import export_ledger
        from core.ledger.import_xlsx import import_ledger
        src = Ledger(copy_sqlite_ledger(real, tmp_path / "src" / "years.sqlite3"))
        export_ledger(src, tmp_path / "export" / "years.xlsx")
        src.close()
        led = Ledger(new_ledger_target())
        import_ledger(led, tmp_path / "export" / "years.xlsx")
    _accept_pending(led)
    if not led.is_server:
        daily_backup(led)
    return led


def _years(ledger) -> int:
    with ledger.read() as conn:
        return conn.execute(select(func.count()).select_from(schema.campaign)).scalar_one()


def test_merge_then_undo_restores_exactly_at_ten_years(ledger_backend, new_2026_target, new_ledger_target, tmp_path):
    from core.ledger.integrity import check_ledger
    from core.returns.merge import merge
    from core.returns.merge_undo import undo_last_merge
    led = _open_aged(ledger_backend, new_2026_target, new_ledger_target, tmp_path)
    try:
        assert _years(led) == 10
        before = dump(led)
        result = merge(led).value
        assert result["files"] >= 13 and result["fields"] > 20 and result["backup"] == ""   # today's copy exists
        assert _content(dump(led)) != _content(before)
        out = undo_last_merge(led).value
        assert out["files"] == result["files"] and out["backup"] == ""
        assert _content(dump(led)) == _content(before)
        assert check_ledger(led).ok
    finally:
        led.close()


def _backup_bytes(ledger) -> int:
    folder = ledger.backup_dir
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def _merge_cost(ledger) -> dict:
    """Bytes a merge writes beyond the rows it changes: new backup/export files; and its merge_prior rows."""
    from core.returns.merge import merge
    backups = _backup_bytes(ledger)
    size = ledger.path.stat().st_size if not ledger.is_server else 0
    result = merge(ledger).value
    with ledger.read() as conn:
        priors = conn.execute(select(func.count()).select_from(schema.merge_prior)).scalar_one()
    if not ledger.is_server:
        ledger.engine.dispose()   # the write-ahead log folded into the file, so its size says what was written
        import sqlite3
        with sqlite3.connect(ledger.path) as con:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    grown = (ledger.path.stat().st_size - size) if not ledger.is_server else 0
    return {"backup_bytes": _backup_bytes(ledger) - backups, "priors": priors, "fields": result["fields"],
            "file_growth": grown, "ledger_bytes": ledger.path.stat().st_size if not ledger.is_server else 0}


def test_safety_point_bytes_do_not_grow_with_the_ledger(ledger_backend, new_2026_target):
    """The same batch merged into a one-year and a ten-year ledger: no whole-ledger copy or export, the same prior rows."""
    from core.ledger.backup import daily_backup
    from core.ledger.store import Ledger
    costs = {}
    for years in (0, 9):
        led = Ledger(new_2026_target(f"y{years}"))
        try:
            _aged(led, years)
            _accept_pending(led)
            if not led.is_server:
                daily_backup(led)   # the window's once-a-day copy, taken at start
            costs[years] = _merge_cost(led)
        finally:
            led.close()
    print(f"\nsafety point, 1 year vs 10 years ({ledger_backend}): {costs}")
    one, ten = costs[0], costs[9]
    assert one["backup_bytes"] == ten["backup_bytes"] == 0
    assert one["priors"] == ten["priors"] > 0 and one["fields"] == ten["fields"]
    if ledger_backend == "sqlite":
        assert ten["ledger_bytes"] > 2 * one["ledger_bytes"]    # the ten-year file is much bigger …
        assert ten["file_growth"] <= one["file_growth"] + 256 * 1024   # … and the merge writes as much into it


# -- the kill test on a ten-year ledger ----------------------------------------------------------------------
def _progress_state(ledger) -> dict:
    p, s = schema.progress_row, schema.submission
    with ledger.read() as conn:
        progress = {tuple(r[:3]): tuple(r[3:]) for r in conn.execute(select(
            p.c.task_id, p.c.unit_id, p.c.period, p.c.quarter_target, p.c.done, p.c.problems, p.c.next_steps,
            p.c.on_track, p.c.on_track_raw, p.c.note, p.c.reporter_unit_id, p.c.submission_id))}
        subs = {r.id: (r.unit_id, r.period, r.status) for r in conn.execute(
            select(s.c.id, s.c.unit_id, s.c.period, s.c.status))}
    return {"progress": progress, "subs": subs}


def _all_or_nothing(now: dict, pre: dict, post: dict) -> str:
    for sid, (unit, period, status_before) in pre["subs"].items():
        if status_before != "staged":
            continue
        status = now["subs"][sid][2]
        keys = {k for k in set(pre["progress"]) | set(post["progress"]) if k[1] == unit and k[2] == period}
        got = {k: now["progress"].get(k) for k in keys}
        if status == "staged" and got == {k: pre["progress"].get(k) for k in keys}:
            continue
        if status in ("merged", "superseded") and got == {k: post["progress"].get(k) for k in keys}:
            continue
        return f"submission {sid} status {status}: rows neither before nor after"
    return ""


def _forked_killed(target, delay_s: float) -> None:
    pid = os.fork()
    if pid == 0:   # the child: do the work, never return into pytest
        code = 0
        try:
            target()
        except BaseException:  # noqa: BLE001
            code = 1
        os._exit(code)
    deadline = time.perf_counter() + delay_s
    while time.perf_counter() < deadline:
        if os.waitpid(pid, os.WNOHANG)[0]:
            return   # done before the kill
        time.sleep(0.002)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def test_kill_a_merge_at_ten_years_then_undo(ledger_backend, new_2026_target, new_ledger_target, tmp_path, request):
    """SIGKILL a merge of the ten-year ledger at random points: `check` passes, each file whole or absent, and
    撤销上次合并 then brings back exactly the ledger before the merge (what the safety point promises)."""
    import core.returns.collect  # noqa: F401 - imported before forking, so children start working at once
    from core.ledger.integrity import check_ledger
    from core.ledger.store import Ledger
    from core.returns.merge import merge
    from core.returns.merge_undo import find_last_merge, undo_last_merge
    prep = _open_aged(ledger_backend, new_2026_target, new_ledger_target, tmp_path / "prep")
    cluster = request.getfixturevalue("pg_cluster") if ledger_backend == "postgresql" else None
    location = prep.location if prep.is_server else prep.path
    before, pre = dump(prep), _progress_state(prep)
    prep.close()
    template = None
    if cluster is not None:
        template = str(location).split("?")[0].rsplit("/", 1)[-1]

    def fresh(i: int):
        if cluster is not None:
            return cluster.create(template=template)
        return copy_sqlite_ledger(Path(location), tmp_path / f"run{i}" / "ledger.sqlite3")

    def target(where):
        def run():
            merge(Ledger(where))
        return run

    where = fresh(99)
    start = time.perf_counter()
    _forked_killed(target(where), 600)   # uninterrupted (it ends long before): the child's own duration
    span = time.perf_counter() - start
    led = Ledger(where)
    post = _progress_state(led)
    led.close()
    staged = sum(1 for s in pre["subs"].values() if s[2] == "staged")
    assert sum(1 for sid, s in post["subs"].items() if s[2] != pre["subs"][sid][2]) >= staged > 0
    rnd = random.Random(20261206)
    outcomes, failures = defaultdict(int), []
    def one_run(i: int, delay: float) -> str:
        where = fresh(i)
        _forked_killed(target(where), delay)
        led = Ledger(where)
        try:
            result = check_ledger(led)
            if not result.ok:
                failures.append(f"run {i} after {delay * 1000:.0f} ms: check: {result.summary()}")
            now = _progress_state(led)
            problem = _all_or_nothing(now, pre, post)
            if problem:
                failures.append(f"run {i} after {delay * 1000:.0f} ms: {problem}")
            merged = sum(1 for sid, s in now["subs"].items() if s[2] != pre["subs"][sid][2])
            outcome = "none" if merged == 0 else "all" if merged == staged else "some"
            outcomes[outcome] += 1
            if merged:   # this run merged files: undo them (a run killed before its first file left nothing to undo,
                undo_last_merge(led)   # and 撤销上次合并 would rightly revert the merge before it)
            else:
                assert find_last_merge(led) is None or real_years_ledger() is not None
            now_content, was = _content(dump(led)), _content(before)
            if now_content != was:
                tables = [k for k in was if now_content.get(k) != was[k]]
                failures.append(f"run {i} after {delay * 1000:.0f} ms: the undo did not bring back {tables} as before "
                                f"({[r for r in now_content[tables[0]] if r not in was[tables[0]]][:2]})")
            return outcome
        finally:
            led.close()
            if cluster is not None:
                cluster.drop(str(where))

    for i in range(KILL_RUNS):
        # stratified over the whole run (early, mid, late, after), so some kills land after a file is merged even
        # when the machine is loaded and one run is slower than the measured one
        one_run(i, max(0.005, span * rnd.uniform(0.05 + 1.2 * i / KILL_RUNS, 0.05 + 1.2 * (i + 1) / KILL_RUNS)))
    # on a loaded machine the killed runs can all be slower than the measured one, so every kill lands before the
    # first file: then kill later and later (each run checked the same way) until one lands after a file is merged
    late = 1.5
    while outcomes["some"] + outcomes["all"] == 0 and late <= 40:
        one_run(KILL_RUNS + int(late * 10), span * late)
        late *= 1.6
    print(f"\nkill outcomes at ten years ({ledger_backend}): {dict(outcomes)}; uninterrupted merge {span:.2f} s")
    assert not failures, "\n".join(failures)
    assert outcomes["some"] + outcomes["all"] > 0, "no kill landed after a file was merged: nothing was tested"
