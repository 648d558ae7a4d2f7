"""The demo year on a fresh user data folder, via the CLI and the ledger: lateness, lights, a month to review, copying, 办结."""
from __future__ import annotations

import itertools
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import ROOT

pytestmark = pytest.mark.slow   # builds the whole demo year (a minute or two on a busy machine)


def _run(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "app.py"), "--demo", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A first start that is killed halfway, then a first start that completes: both from the command line."""
    from core.demo.year import last_month
    base = tmp_path_factory.mktemp("demo-user")
    env = {**os.environ, "XDG_DATA_HOME": str(base / "data"), "XDG_CONFIG_HOME": str(base / "config")}
    folder = base / "data" / "DuchaTaizhang" / "demo"
    ledger_path = folder / "演示台账.sqlite3"
    killed = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--demo", "tasks", "--json"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(folder.glob(".demo-building-*/*-files")):
        time.sleep(0.2)
    killed.send_signal(signal.SIGKILL)
    killed.wait(30)
    killed.stderr.close()   # its pipe, else a ResourceWarning (warnings are errors)
    assert not ledger_path.exists(), "a killed first start left a demo ledger behind"
    period = last_month(date.today())
    started = time.perf_counter()
    res = _run(env, "status", "--period", period, "--json")
    seconds = time.perf_counter() - started
    assert res.returncode == 0, res.stderr
    assert "正在生成演示台账" in res.stderr and "演示台账已生成" in res.stderr
    print(f"demo build + status: {seconds:.0f} s")
    return {"env": env, "folder": folder, "path": ledger_path, "period": period, "status": json.loads(res.stdout),
            "stderr": res.stderr}


@pytest.fixture
def ledger(demo):
    from core.ledger.store import Ledger
    led = Ledger(demo["path"])
    yield led
    led.close()


def _states(rows, form="report"):
    return Counter(re.sub(r"（.*", "", r["state"]) for r in rows if r["form"] == form)


def test_last_month_lists_received_late_and_missing_units(demo):
    from core.ledger.store import Ledger
    from core.tracking.deadlines import report_due, shift_period
    from core.tracking.workdays import WorkCalendar
    period = demo["period"]
    states = _states(demo["status"])
    assert states["已报"] > 40                       # most units have sent the month's 附件4
    led = Ledger(demo["path"])
    due = report_due(period, WorkCalendar.from_ledger(led))
    led.close()
    if date.today() <= due:   # the month's deadline is still ahead: the rest have not sent theirs yet
        assert states["已下发"] >= 3, states
    else:                     # past the deadline: some came late, some are still owed
        assert states["逾期已报"] >= 1 and states["未报"] >= 1, states
    # the month before: its deadline has passed, so it shows units that were late and units still missing
    before = _run(demo["env"], "status", "--period", shift_period(period, -1), "--form", "report", "--json")
    assert before.returncode == 0, before.stderr
    assert "正在生成" not in before.stderr          # built once; the second start only opens it
    earlier = _states(json.loads(before.stdout))
    assert earlier["已报"] > 40 and earlier["逾期已报"] >= 2 and earlier["未报"] >= 1, earlier
    # the 附件3 plans: two units late, one sent back and resent in time
    plans = _states(demo["status"], "plan")
    # 63 units less the two collective entries (各街道办事处, 各行业主管部门), which report through their members
    assert plans["逾期已报"] == 2 and plans["已报"] == 59, plans
    assert all(str(r["received"]).startswith(f"{period[:4]}-03") for r in demo["status"] if r["form"] == "plan")


def test_no_half_demo_and_every_file_kept(demo, ledger):
    from core.ledger import file_store, schema
    folder = demo["folder"]
    assert not list(folder.glob(".demo-building-*")), "the build folder was left behind"
    assert (folder / "演示发件箱").is_dir()
    assert len(list((folder / "演示台账-backups").glob("*.sqlite3"))) == 1   # the last pre-merge backup only
    with ledger.read() as conn:
        hashes = set(conn.execute(select(schema.submission.c.file_hash)).scalars())
        outboxes = set(conn.execute(select(schema.dispatch.c.out_dir)).scalars())
        audit = conn.execute(select(schema.audit.c.source_kind)).scalars().all()
    assert len(hashes) > 500
    assert all(file_store.path_of(ledger, h).is_file() for h in hashes)
    assert all(Path(p).is_dir() for p in outboxes), "dispatch folders must point at the demo's own outbox"
    kinds = Counter(audit)
    assert kinds["file"] > 5000 and kinds["closure"] >= 2 and kinds["hand"] >= 1


def test_task_lights_are_not_all_one_colour(ledger):
    from core.ledger.queries import require_campaign
    from core.tracking.states import default_period, task_lights
    with ledger.read() as conn:
        cid = require_campaign(conn)
    lights = Counter(v["light"] for v in task_lights(ledger, cid, default_period(date.today())).values())
    assert lights["green"] and lights["yellow"] and lights["red"] and lights["blue"] == 2, lights


def test_latest_month_is_staged_not_merged(demo, ledger):
    from core.ledger import schema
    s, pr = schema.submission, schema.progress_row
    with ledger.read() as conn:
        statuses = Counter(conn.execute(select(s.c.status).where(s.c.period == demo["period"])).scalars())
        merged_rows = conn.execute(select(pr.c.id).where(pr.c.period == demo["period"])).all()
        earlier = conn.execute(select(pr.c.id).where(pr.c.period < demo["period"])).all()
    assert statuses["staged"] > 40 and set(statuses) == {"staged"}, statuses
    assert not merged_rows and len(earlier) > 1000


def test_copied_text_and_contradicted_yes_are_in_the_ledger(demo, ledger):
    from core.demo.year import CONTRADICTOR, COPIER
    from core.ledger import schema
    from core.returns.answers import CONTRADICTING
    from core.tracking.deadlines import shift_period
    ch, s, u, pr = schema.change, schema.submission, schema.unit, schema.progress_row
    latest, previous = demo["period"], shift_period(demo["period"], -1)
    with ledger.read() as conn:
        flagged = conn.execute(select(u.c.name, s.c.period, s.c.status, ch.c.flags)
                               .join(s, s.c.id == ch.c.submission_id).join(u, u.c.id == ch.c.unit_id)
                               .where(ch.c.flags != "")).all()
        rows = conn.execute(select(u.c.name, pr.c.task_id, pr.c.period, pr.c.done, pr.c.on_track)
                            .join(u, u.c.id == pr.c.unit_id)).all()
    copied = {(r.name, r.period, r.status) for r in flagged if "copied-from-last-month" in r.flags}
    contradicted = {(r.name, r.period, r.status) for r in flagged if "yes-but-text-says-otherwise" in r.flags}
    assert copied == {(COPIER, previous, "merged"), (COPIER, latest, "staged")}, copied
    assert contradicted == {(CONTRADICTOR, previous, "merged"), (CONTRADICTOR, latest, "staged")}, contradicted
    merged_yes = [r for r in rows if r.name == CONTRADICTOR and r.period == previous and r.on_track
                  and CONTRADICTING.search(r.done)]
    assert len(merged_yes) == 1   # the "是" over a text that says 滞后/未完成, merged last month


def test_two_tasks_closed_with_evidence(ledger):
    from core.ledger import file_store, schema
    t = schema.task
    with ledger.read() as conn:
        closed = conn.execute(select(t.c.kind, t.c.seq, t.c.closed_on, t.c.closed_evidence)
                              .where(t.c.closed_on.is_not(None))).all()
    assert len(closed) == 2
    for row in closed:
        assert row.closed_evidence and file_store.path_of(ledger, row.closed_evidence).is_file()


def test_entries_have_real_length_and_develop_month_to_month(demo, ledger):
    from core.demo.year import COPIER
    from core.ledger import schema
    from core.returns.answers import CONTRADICTING
    pr, u = schema.progress_row, schema.unit
    with ledger.read() as conn:
        rows = conn.execute(select(pr.c.task_id, u.c.name, pr.c.period, pr.c.done, pr.c.problems, pr.c.next_steps,
                                   pr.c.on_track).join(u, u.c.id == pr.c.unit_id)
                            .order_by(pr.c.task_id, pr.c.unit_id, pr.c.period)).all()
    assert all(120 <= len(r.done) <= 400 for r in rows), min(len(r.done) for r in rows)
    assert all(40 <= len(r.problems) <= 120 and 40 <= len(r.next_steps) <= 120 for r in rows)
    assert all("一是" in r.done and "二是" in r.done for r in rows)
    by_row: dict = {}
    for r in rows:
        by_row.setdefault((r.task_id, r.name), []).append(r)
    for (_task, name), months in by_row.items():
        if name == COPIER:
            continue
        for a, b in itertools.pairwise(months):
            assert a.done != b.done, f"{name}: {a.period} and {b.period} say the same"
        figures = [int(f) for m in months for f in re.findall(r"(?:完成年度目标的|序时完成约)(\d+)%", m.done)]
        assert figures == sorted(figures), f"{name}: figures go back: {figures}"
        assert len(months) < 3 or figures[-1] > figures[0]   # the figures rise month to month
    on_track_yes = [r for r in rows if r.on_track and CONTRADICTING.search(r.done + r.problems)]
    assert len(on_track_yes) == 1   # only the one contradiction the story plants
