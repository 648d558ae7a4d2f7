"""Undo of the last merge: the ledger back exactly as before the merge, audited, refused when later edits touch the rows."""
from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import text

from core.common.errors import UserError
from core.ledger.integrity import check_ledger
from core.returns.merge import merge
from core.returns.merge_undo import find_last_merge, undo_last_merge
from tests.helpers.backup import dump, fill_quarter, stage, unit_tasks

ROOT = Path(__file__).resolve().parents[3]


def _content(d: dict) -> dict:
    """The dump minus 痕迹 and the merge-run bookkeeping (both grow by design)."""
    d = dict(d)
    d.pop("audit")
    d["meta"] = [r for r in d["meta"] if r[0] != "setting:merge_runs"]
    return d


def _batch(ledger):
    by_unit = defaultdict(list)
    for name, uid in unit_tasks(ledger):
        by_unit[name].append(uid)
    units = [u for u, uids in by_unit.items() if len(uids) >= 2][:6]
    sids = []
    for i, u in enumerate(units):
        uids = by_unit[u]
        # 2026-03 rows exist (fill_quarter) → updates; 2026-04 rows do not → created by the merge
        sids.append(stage(ledger, u, "2026-03", {uids[0]: {"done": f"三月完成 {i} =SUM(A1)", "on_track": "否"},
                                                  uids[1]: {"problems": "", "next_steps": "四月\r\n继续"}}))
        sids.append(stage(ledger, u, "2026-04", {uids[0]: {"done": f"四月新行 {i}", "on_track": "是"}}))
    sids.append(stage(ledger, units[0], "", {by_unit[units[0]][0]: {"target@Q2": "二季度新目标", "owner@Q2": "王五"}},
                      form="plan"))
    return sids


def test_undo_restores_the_ledger_as_before_the_merge(ledger_2026):
    fill_quarter(ledger_2026)
    _batch(ledger_2026)
    before = dump(ledger_2026)
    result = merge(ledger_2026, accept_all=False).value
    assert result["files"] == 13 and result["fields"] > 20
    merged = dump(ledger_2026)
    assert _content(merged) != _content(before)
    assert len(merged["progress_row"]) > len(before["progress_row"])
    found = find_last_merge(ledger_2026)
    assert len(found["batches"]) == 13
    out = undo_last_merge(ledger_2026).value
    assert out["rows_deleted"] == 6 and out["files"] == 13
    after = dump(ledger_2026)
    assert _content(after) == _content(before)
    undo_rows = [r for r in after["audit"] if r[8] == "undo"]
    assert len(undo_rows) >= out["fields"] + 13
    assert check_ledger(ledger_2026).ok
    with pytest.raises(UserError, match="没有可以撤销的合并"):
        undo_last_merge(ledger_2026)
    # merging again after the undo works and can again be undone
    merge(ledger_2026)
    undo_last_merge(ledger_2026)
    assert _content(dump(ledger_2026)) == _content(before)


def test_undo_of_the_second_merge_brings_back_the_superseded_one(ledger_2026):
    fill_quarter(ledger_2026)
    name, uid = unit_tasks(ledger_2026)[0]
    first = stage(ledger_2026, name, "2026-03", {uid: {"done": "第一次报送"}}, content=b"one")
    merge(ledger_2026)
    between = dump(ledger_2026)
    second = stage(ledger_2026, name, "2026-03", {uid: {"done": "第二次更正"}}, content=b"two")
    before = dump(ledger_2026)
    merge(ledger_2026)
    with ledger_2026.read() as conn:
        st = dict(conn.execute(text("SELECT id, status FROM submission WHERE id IN (:a, :b)"), {"a": first, "b": second}).all())
    assert st == {first: "superseded", second: "merged"}
    undo_last_merge(ledger_2026)
    assert _content(dump(ledger_2026)) == _content(before)
    undo_last_merge(ledger_2026)  # and the first merge too
    assert dump(ledger_2026)["progress_row"] != between["progress_row"]
    with ledger_2026.read() as conn:
        st = dict(conn.execute(text("SELECT id, status FROM submission WHERE id IN (:a, :b)"), {"a": first, "b": second}).all())
    assert st == {first: "staged", second: "staged"}


def test_undo_refused_when_a_later_edit_touched_the_same_row(ledger_2026):
    fill_quarter(ledger_2026)
    name, uid = unit_tasks(ledger_2026)[0]
    stage(ledger_2026, name, "2026-03", {uid: {"done": "第一次"}}, content=b"a")
    merge(ledger_2026)
    row = find_last_merge(ledger_2026)["rows"][0]
    from core.ledger.store import new_batch, record_audit
    with ledger_2026.begin() as conn:  # a later hand edit of the same row (as the 台账 page records it)
        conn.exec_driver_sql("UPDATE progress_row SET done = '手改' WHERE submission_id IS NOT NULL AND done = '第一次'")
        record_audit(conn, new_batch(), "progress_row", row["row_key"], "done", "第一次", "手改", "hand", "手工修改")
    before = dump(ledger_2026)
    with pytest.raises(UserError, match="之后.*又有修改涉及同一行"):
        undo_last_merge(ledger_2026)
    assert dump(ledger_2026) == before


def test_undo_merge_command(ledger_2026):
    fill_quarter(ledger_2026)
    name, uid = unit_tasks(ledger_2026)[0]
    stage(ledger_2026, name, "2026-03", {uid: {"done": "命令行"}}, content=b"cli")
    merge(ledger_2026)
    path = ledger_2026.location
    ledger_2026.close()

    def run(*a: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(ROOT / "app.py"), "--ledger", path, *a],
                              capture_output=True, text=True, timeout=120)

    r = run("undo-merge", "--dry-run")
    assert r.returncode == 0 and "将撤销上次合并：1 份报送" in r.stdout, r.stderr
    r = run("undo-merge")
    assert r.returncode == 0 and "已撤销上次合并" in r.stdout, r.stderr
    r = run("undo-merge")
    assert r.returncode == 2 and "没有可以撤销的合并" in r.stderr
