"""Two clerks at once, as two processes on one ledger (SQLite file or PostgreSQL server): collect and merge land once each.

Each round starts two `app.py` processes at the same moment. Clerk 甲 collects and merges three units' returns,
clerk 乙 three others; both also collect the same seventh file. Afterwards `check` passes, every value a unit
entered is in the ledger exactly once, the shared file is merged once, and the audit names each clerk.
Then both merge one staged submission at the same moment: it lands once, the second clerk is told so in Chinese.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.ledger import schema
from core.ledger.integrity import check_ledger
from core.ledger.store import Ledger
from tests.helpers import returns as rh

ROOT = Path(__file__).resolve().parents[3]
PERIOD = "2026-03"
ROUNDS = 3
UNITS_A = ["区发展改革局", "区教育体育局", "区民政局"]
UNITS_B = ["区商务局", "区财政局", "区住房城乡建设局"]
SHARED = "区卫生健康局"

# the child: import everything first, wait for the common start moment, then run the commands one after another
DRIVER = """
import json, os, sys, time
sys.path.insert(0, {root!r})
import app, core.returns.collect, core.returns.merge, core.ledger.store  # noqa
time.sleep(max(0.0, float(os.environ["START_AT"]) - time.time()))
for argv in json.loads(sys.argv[1]):
    code = app.main(argv)
    if code:
        sys.exit(code)
"""


def realistic(unit: str, key: str, i: int, field: str) -> str:
    """A 完成情况-like text of 150+ characters (一是/二是/三是), unique to the unit, row and field."""
    return (f"【{unit}·{key}·{field}】一是围绕年度目标细化责任分工，召开专题推进会{i + 2}次，逐项明确时间节点和责任人；"
            f"二是加强与市级部门对接，争取政策和资金支持，协调解决用地、审批等堵点问题{i + 1}个；"
            f"三是建立周调度、月通报机制，对进度滞后的事项挂图作战、跟踪督办，确保按期完成。")


def returns_for(ledger: Ledger, base: Path, units: list[str]) -> dict[str, Path]:
    forms = rh.generate_forms(ledger, "report", PERIOD, base / "发文", unit_names=units)
    (base / "收文").mkdir(parents=True, exist_ok=True)
    out = {}
    for f in forms:
        keys = rh.row_keys(Path(f["path"]))
        answers = {k: {"done": realistic(f["unit"], k, i, "完成情况"), "problems": realistic(f["unit"], k, i, "存在问题"),
                       "next_steps": realistic(f["unit"], k, i, "下一步计划"), "on_track": "是" if i % 3 else "否"}
                   for i, k in enumerate(keys)}
        out[f["unit"]] = rh.fill(Path(f["path"]), base / "收文" / f"{f['unit']}-3月.xlsx", answers)
    return out


def start_together(location: str, plans: dict[str, list[list[str]]]) -> dict[str, subprocess.CompletedProcess]:
    """One process per clerk (DUCHA_CLERK names them), all starting their commands at the same moment."""
    start_at = time.time() + 4.0   # time enough for both interpreters to import the app
    procs = {}
    for clerk, commands in plans.items():
        argv = [["--ledger", location, *cmd] for cmd in commands]
        env = dict(os.environ, DUCHA_CLERK=clerk, START_AT=str(start_at))
        procs[clerk] = subprocess.Popen([sys.executable, "-c", DRIVER.format(root=str(ROOT)), json.dumps(argv)],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    done = {}
    for clerk, p in procs.items():
        out, err = p.communicate(timeout=300)
        done[clerk] = subprocess.CompletedProcess(p.args, p.returncode, out, err)
    return done


def entered_values(path: Path) -> list[str]:
    import openpyxl
    ws = rh.data_sheet(openpyxl.load_workbook(path))
    return [str(c.value) for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and c.value.startswith("【") and "一是" in c.value]


def test_two_clerks_collect_and_merge_at_once(new_2026_target, tmp_path):
    outcomes = []
    for round_no in range(ROUNDS):
        led = Ledger(new_2026_target(f"round{round_no}"))
        files = returns_for(led, tmp_path / f"r{round_no}", UNITS_A + UNITS_B + [SHARED])
        location = led.location
        led.close()
        t0 = time.perf_counter()
        runs = start_together(location, {
            "甲": [["collect", *[str(files[u]) for u in UNITS_A], str(files[SHARED])], ["merge", "--all"]],
            "乙": [["collect", *[str(files[u]) for u in UNITS_B], str(files[SHARED])], ["merge", "--all"]]})
        took = time.perf_counter() - t0 - 4.0
        for clerk, r in runs.items():
            assert r.returncode == 0, f"clerk {clerk}: {r.stderr}"
        led = Ledger(location)
        try:
            result = check_ledger(led)
            assert result.ok, result.summary()
            p, s, a = schema.progress_row, schema.submission, schema.audit
            with led.read() as conn:
                texts = [t for row in conn.execute(select(p.c.done, p.c.problems, p.c.next_steps)) for t in row]
                statuses = conn.execute(select(s.c.file_name, s.c.status)).all()
                clerks = set(conn.execute(select(a.c.clerk).where(a.c.table_name == "progress_row")).scalars())
                merged = conn.execute(select(func.count()).select_from(s).where(s.c.status == "merged")).scalar()
            for unit, path in files.items():
                values = entered_values(path)
                assert values, unit
                for v in values:   # every value a unit entered is in the ledger, exactly once
                    assert texts.count(v) == 1, (unit, v[:30], texts.count(v))
            shared = [st for name, st in statuses if name == files[SHARED].name]
            assert shared.count("merged") == 1, shared   # collected by both, merged once
            # every merged row names a clerk; which of the two merged a file is a race (甲's `merge --all` may take
            # 乙's staged files too when it gets the lock first), so only the names themselves are checked
            assert merged == 7 and clerks and clerks <= {"甲", "乙"}, (merged, clerks)
        finally:
            led.close()
        outcomes.append(f"round {round_no + 1}: both landed, 7 files merged, shared file {shared}, merged by "
                        f"{'、'.join(sorted(clerks))}, {took:.1f} s")
    print("\n" + "\n".join(outcomes))


def test_the_same_submission_merged_twice_at_once_lands_once(new_2026_target, tmp_path):
    from core.returns.collect import collect
    told = []
    for round_no in range(ROUNDS):
        led = Ledger(new_2026_target(f"same{round_no}"))
        files = returns_for(led, tmp_path / f"s{round_no}", [SHARED])
        [res] = collect(led, [files[SHARED]])
        sid = res["submission_id"]
        location = led.location
        led.close()
        runs = start_together(location, {clerk: [["merge", "--all", "--submission", str(sid), "--json"]]
                                         for clerk in ("甲", "乙")})
        summaries = {}
        for clerk, r in runs.items():
            assert r.returncode == 0, r.stderr
            summaries[clerk] = json.loads(r.stdout)
        merged_by = [c for c, sm in summaries.items() if sm["merged"] == [sid]]
        assert len(merged_by) == 1, summaries
        other = summaries[{"甲": "乙", "乙": "甲"}[merged_by[0]]]
        assert other["merged"] == [] and len(other["skipped"]) == 1
        reason = other["skipped"][0]["reason"]
        assert f"已由{merged_by[0]}于" in reason and "没有重复合并" in reason, reason
        told.append(reason)
        led = Ledger(location)
        try:
            assert check_ledger(led).ok
            values = entered_values(files[SHARED])
            with led.read() as conn:
                texts = [t for row in conn.execute(select(schema.progress_row.c.done, schema.progress_row.c.problems,
                                                          schema.progress_row.c.next_steps)) for t in row]
                audit_rows = conn.execute(select(func.count()).select_from(schema.audit).where(
                    schema.audit.c.source_kind == "file", schema.audit.c.table_name == "progress_row")).scalar()
            assert all(texts.count(v) == 1 for v in values)
            assert audit_rows == len(values) // 3 * 4   # one audit row per value written (3 texts + 是否完成 a row), never two
        finally:
            led.close()
    print("\n" + "\n".join(told))


def test_undo_refuses_when_another_clerk_changed_the_same_rows(ledger_2026, tmp_path, monkeypatch):
    from core.common.errors import UserError
    from core.returns.collect import collect
    from core.returns.merge import merge
    from core.returns.merge_undo import undo_last_merge
    first = returns_for(ledger_2026, tmp_path / "v1", [SHARED])[SHARED]
    monkeypatch.setenv("DUCHA_CLERK", "甲")
    collect(ledger_2026, [first])
    merge(ledger_2026, accept_all=True)
    # 乙 collects the unit's corrected return (same rows, new text) and merges it
    keys = rh.row_keys(first)
    second = rh.fill(first, tmp_path / "卫健局-3月-更正.xlsx",
                     {k: {"done": realistic(SHARED, k, i, "更正后完成情况")} for i, k in enumerate(keys)})
    monkeypatch.setenv("DUCHA_CLERK", "乙")
    collect(ledger_2026, [second])
    assert merge(ledger_2026, accept_all=True).value["files"] == 1
    monkeypatch.setenv("DUCHA_CLERK", "甲")
    with pytest.raises(UserError, match="无法撤销上次合并：之后.*又有修改涉及同一行"):
        undo_last_merge(ledger_2026)
    monkeypatch.setenv("DUCHA_CLERK", "乙")
    assert undo_last_merge(ledger_2026).value["files"] == 1   # 乙 may undo 乙's own merge
    with ledger_2026.read() as conn:
        texts = set(conn.execute(select(schema.progress_row.c.done)).scalars())
    assert realistic(SHARED, keys[0], 0, "完成情况") in texts and not any("更正后" in t for t in texts)
    assert check_ledger(ledger_2026).ok
