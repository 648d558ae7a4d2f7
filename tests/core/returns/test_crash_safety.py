"""The kill test: SIGKILL a process at random points while it merges a realistic batch or generates forms, ≥ 100 times.

Each iteration copies one prepared ledger (returns of 8 units collected and staged), forks a child that merges
(or generates every unit's form), kills it after a random delay spread over the job's own uninterrupted duration,
then checks: `check` passes; every returned file's changes are all present (file merged) or all absent (file still
staged); no half-written file is visible (only *.part names may remain, and the generator cleans stale ones).
"""
from __future__ import annotations

import contextlib
import email
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.helpers import returns as rh

MERGE_RUNS = 60
GENERATE_RUNS = 50
UNITS = ["区发展改革局", "区教育体育局", "区民政局", "区商务局", "区财政局", "区住房城乡建设局", "区卫生健康局", "区农业农村局"]
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, ledger_2026_template):
    """A ledger holding 8 staged returns (one per unit), its store, and the state before and after a full merge."""
    from core.returns.collect import collect
    from core.ledger.store import Ledger
    from core.returns.merge import merge
    from tests.helpers.returns import answers_for
    base = tmp_path_factory.mktemp("crash")
    path = base / "prep" / "ledger.sqlite3"
    path.parent.mkdir()
    shutil.copyfile(ledger_2026_template, path)
    led = Ledger(path)
    with led.read() as conn:
        names = {n for n, in conn.exec_driver_sql("SELECT name FROM unit")}
    units = [u for u in UNITS if u in names]
    forms = rh.generate_forms(led, "report", "2026-03", base / "out", unit_names=units)
    filled = [rh.fill(Path(f["path"]), base / "filled" / f"{f['unit']}.xlsx", answers_for(Path(f["path"]), f["unit"]))
              for f in forms if (base / "filled").mkdir(exist_ok=True) or True]
    results = collect(led, filled)
    assert {r["status"] for r in results} == {"staged"}, results
    led.close()
    pre = _state(path)
    full = base / "full" / "ledger.sqlite3"
    _copy_ledger(path, full)
    led = Ledger(full)
    merge(led, accept_all=True)
    led.close()
    post = _state(full)
    assert post["progress"] != pre["progress"]
    return path, pre, post, len(results)


def _copy_ledger(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    store = src.with_name(src.stem + "-files")
    if store.exists():
        shutil.copytree(store, dst.with_name(dst.stem + "-files"))


def _state(path: Path) -> dict:
    db = sqlite3.connect(path)
    try:
        progress = {}
        for row in db.execute("SELECT task_id, unit_id, period, quarter_target, done, problems, next_steps, on_track, "
                              "on_track_raw, note, reporter_unit_id, submission_id FROM progress_row"):
            progress[row[:3]] = row[3:]
        subs = {sid: (unit, period, status) for sid, unit, period, status in
                db.execute("SELECT id, unit_id, period, status FROM submission")}
        return {"progress": progress, "subs": subs}
    finally:
        db.close()


def _timed_run(target) -> float:
    """How long the work takes uninterrupted in a forked child on this machine, now (load varies)."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            target()
        except BaseException:  # noqa: BLE001
            code = 1
        os._exit(code)
    os.waitpid(pid, 0)
    return time.perf_counter() - start


def _run_killed(target, delay_s: float) -> int:
    pid = os.fork()
    if pid == 0:  # the child: do the work, never return into pytest
        code = 0
        try:
            target()
        except BaseException:  # noqa: BLE001
            code = 1
        os._exit(code)
    time.sleep(delay_s)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return status


def _check_all_or_nothing(path: Path, pre: dict, post: dict) -> str:
    """'' when every file is wholly merged or wholly absent, else what is wrong."""
    now = _state(path)
    for sid, (unit, period, _status) in pre["subs"].items():
        status = now["subs"][sid][2]
        keys = {k for k in set(pre["progress"]) | set(post["progress"]) if k[1] == unit and k[2] == period}
        got = {k: now["progress"].get(k) for k in keys}
        before = {k: pre["progress"].get(k) for k in keys}
        after = {k: post["progress"].get(k) for k in keys}
        if status == "staged" and got == before:
            continue
        if status == "merged" and got == after:
            continue
        wrong = [k for k in keys if got[k] not in (before[k], after[k])]
        return f"submission {sid} status {status}: {len(wrong)} rows neither before nor after"
    return ""


def _visible_outputs_complete(folder: Path) -> str:
    for p in folder.rglob("*"):
        rel = p.relative_to(folder)
        if any(part.endswith(".part") for part in rel.parts):
            continue
        if p.is_file() and p.suffix == ".xlsx":
            try:
                with zipfile.ZipFile(p) as zf:
                    if zf.testzip() is not None:
                        return f"{rel}: damaged member"
            except zipfile.BadZipFile:
                return f"{rel}: half-written workbook visible"
        elif p.is_file() and p.suffix == ".eml":
            msg = email.message_from_bytes(p.read_bytes())
            if not any(part.get_filename() for part in msg.walk()):
                return f"{rel}: mail draft without its attachment"
        elif p.is_file() and p.suffix == ".sqlite3":
            db = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
            try:
                if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    return f"{rel}: damaged backup visible"
            except sqlite3.DatabaseError:
                return f"{rel}: half-written backup visible"
            finally:
                db.close()
    return ""


def test_kill_during_merge_and_generation(prepared, tmp_path):
    import core.returns.collect  # noqa: F401 - imported before forking, so children start working at once
    import core.forms.generate  # noqa: F401
    from core.forms.generate import generate
    from core.ledger.integrity import check_ledger
    from core.ledger.store import Ledger
    from core.returns.merge import merge
    path, pre, post, nfiles = prepared
    rnd = random.Random(20260323)
    failures = []
    outcomes = {"merge": {"none": 0, "some": 0, "all": 0}, "generate": {"nothing": 0, "folder": 0}}
    runs = [("merge", i) for i in range(MERGE_RUNS)] + [("generate", i) for i in range(GENERATE_RUNS)]
    rnd.shuffle(runs)
    gen_dirs = []

    def make_target(kind, ledger_path, out_dir):
        def target():
            led = Ledger(ledger_path)
            if kind == "merge":
                merge(led, accept_all=True)
            else:
                generate(led, "report", "2026-03", out_dir, unit_names=UNITS, with_eml=True)
        return target

    # kill points spread over the whole of each job as it runs on this machine today (loaded or not),
    # so kills land before, during and after the work
    span = {}
    for kind in ("merge", "generate"):
        work = tmp_path / f"timing-{kind}"
        _copy_ledger(path, work / "ledger.sqlite3")
        span[kind] = max(0.05, _timed_run(make_target(kind, work / "ledger.sqlite3", work / "发文")))
    for kind, i in runs:
        work = tmp_path / f"{kind}{i}"
        ledger_path = work / "ledger.sqlite3"
        _copy_ledger(path, ledger_path)
        out_dir = work / "发文"
        delay = rnd.uniform(0.005, 1.25 * span[kind])
        _run_killed(make_target(kind, ledger_path, out_dir), delay)
        led = Ledger(ledger_path)
        try:
            result = check_ledger(led)
            if not result.ok:
                failures.append(f"{kind}{i} after {delay * 1000:.0f} ms: check failed: {result.summary()}")
        finally:
            led.close()
        problem = _check_all_or_nothing(ledger_path, pre, post)
        if problem:
            failures.append(f"{kind}{i} after {delay * 1000:.0f} ms: {problem}")
        problem = _visible_outputs_complete(work)
        if problem:
            failures.append(f"{kind}{i} after {delay * 1000:.0f} ms: {problem}")
        merged = sum(1 for s in _state(ledger_path)["subs"].values() if s[2] == "merged")
        if kind == "merge":
            outcomes["merge"]["none" if merged == 0 else "all" if merged == nfiles else "some"] += 1
        else:
            folders = [p for p in out_dir.glob("*") if not p.name.endswith(".part")] if out_dir.exists() else []
            outcomes["generate"]["folder" if folders else "nothing"] += 1
            if folders:
                with sqlite3.connect(ledger_path) as db:
                    recorded = db.execute("SELECT count(*) FROM dispatch").fetchone()[0]
                files = list(folders[0].glob("*.xlsx"))
                if len(files) != len(UNITS) and len(files) != len(pre["subs"]):
                    failures.append(f"generate{i}: visible folder holds {len(files)} workbooks (recorded {recorded})")
            gen_dirs.append(out_dir)
        shutil.rmtree(work / "ledger-files", ignore_errors=True)
    print(f"\nkill outcomes: {outcomes}; uninterrupted: merge {span['merge']:.2f} s, generate {span['generate']:.2f} s")
    assert not failures, "\n".join(failures[:30])
    # the kills did land in the middle: some merges were cut half-way, some generations left only a .part
    assert outcomes["merge"]["some"] + outcomes["merge"]["none"] > 0 and outcomes["merge"]["all"] > 0
    assert outcomes["generate"]["nothing"] > 0


def test_stale_part_folders_are_cleaned_and_never_read(prepared, tmp_path):
    """A killed generation leaves .x.part; the next generation removes it once stale; collect skips it."""
    from core.returns.collect import collect
    from core.forms.generate import generate
    from core.ledger.store import Ledger
    path, *_ = prepared
    ledger_path = tmp_path / "ledger.sqlite3"
    _copy_ledger(path, ledger_path)
    out_dir = tmp_path / "发文"

    def target():
        generate(Ledger(ledger_path), "report", "2026-03", out_dir, unit_names=UNITS, with_eml=False)
    for delay in (0.25, 0.35, 0.5, 0.8):
        _run_killed(target, delay)
        if list(out_dir.glob(".*.part")):
            break
    parts = list(out_dir.glob(".*.part"))
    if not parts:  # the machine was too fast to catch one: leave one by hand as a killed run would
        parts = [out_dir / ".2026-03-落实情况表-x.part"]
        parts[0].mkdir(parents=True)
        (parts[0] / "半截.xlsx").write_bytes(b"PK\x03\x04 half")
    half = out_dir / "孤儿.xlsx.part"
    half.write_bytes(b"PK\x03\x04 half")
    inbox = tmp_path / "收件"
    shutil.copytree(parts[0], inbox / parts[0].name)
    shutil.copyfile(half, inbox / half.name)
    led = Ledger(ledger_path)
    try:
        assert list(collect(led, [inbox])) == []  # half-written files and folders are never read
        old = time.time() - 7200
        for p in [*parts, half]:
            os.utime(p, (old, old))
        generate(led, "report", "2026-03", out_dir, unit_names=UNITS[:1], with_eml=False)
        assert not list(out_dir.glob("*.part")) and not list(out_dir.glob(".*.part"))
    finally:
        led.close()
    r = subprocess.run([sys.executable, str(ROOT / "app.py"), "--ledger", str(ledger_path), "check"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
