"""合并: plan forms (quarters as rows), per-change/row/file decisions, audit, backups, the progress command."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from core.ledger import schema
from core.returns.collect import collect
from core.returns.merge import merge
from core.ledger.progress_view import plan_rows, progress_rows
from core.returns.review import set_decision, set_file_decision, set_row_decision, submission_detail
from tests.helpers import returns as rh
from tests.conftest import ROOT
from tests.helpers.returns import PERIOD, answers_for


def test_plan_form_rows_layout_roundtrip(ledger_2026, tmp_path):
    [form] = rh.generate_forms(ledger_2026, "plan", "2026", tmp_path / "out", unit_names=["区民政局"])
    src = Path(form["path"])
    keys = rh.row_keys(src)
    assert all(k.endswith(("Q1", "Q2", "Q3", "Q4")) for k in keys)
    answers = {k: {"target": f"第{k[-1]}季度：完成{i}件\n并报送", "owner": "张三", "supervisor": "李四"}
               for i, k in enumerate(keys)}
    filled = rh.fill(src, tmp_path / "计划.xlsx", answers)
    [res] = collect(ledger_2026, [filled])
    assert res["status"] == "staged" and res["form"] == "plan" and res["period"] == "2026"
    merge(ledger_2026, accept_all=True)
    rows = plan_rows(ledger_2026, "2026")
    assert len(rows) == len(keys)
    assert {r["quarter"] for r in rows} == {1, 2, 3, 4}
    assert all(r["target"].startswith(f"第{r['quarter']}季度") and r["owner"] == "张三" for r in rows)
    # a later change to an accepted target is flagged
    changed = rh.fill(filled, tmp_path / "计划2.xlsx", {keys[0]: {"target": "改过的目标"}})
    [res] = collect(ledger_2026, [changed])
    detail = submission_detail(ledger_2026, res["submission_id"])
    [c] = [c for row in detail["rows"] for c in row["changes"] if c["field"] == "target"]
    assert "plan-target-changed-after-accepted" in c["flags"]


def test_decisions_per_change_row_file(ledger_2026, tmp_path):
    forms = rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "out", unit_names=["区发展改革局"])
    src = Path(forms[0]["path"])
    [res] = collect(ledger_2026, [rh.fill(src, tmp_path / "f.xlsx", answers_for(src))])
    sid = res["submission_id"]
    detail = submission_detail(ledger_2026, sid)
    rows = detail["rows"]
    set_file_decision(ledger_2026, sid, "rejected")
    set_row_decision(ledger_2026, sid, rows[0]["task_id"], "accepted")
    done_of_second = [c for c in rows[1]["changes"] if c["field"] == "done"][0]
    set_decision(ledger_2026, [done_of_second["id"]], "accepted")
    summary = merge(ledger_2026).value
    assert summary["files"] == 1
    got = progress_rows(ledger_2026, PERIOD)
    assert len(got) == 2
    second = [r for r in got if r["seq"] == rows[1]["seq"]][0]
    assert second["done"] == done_of_second["new"] and second["next_steps"] == ""
    with ledger_2026.read() as conn:
        sub = conn.execute(select(schema.submission).where(schema.submission.c.id == sid)).mappings().one()
    assert sub["status"] == "merged"
    # nothing is merged twice
    assert merge(ledger_2026, accept_all=True).value["files"] == 0


def test_cli_collect_merge_progress(ledger_2026, tmp_path):
    forms = rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "out", unit_names=["区商务局"])
    src = Path(forms[0]["path"])
    filled = rh.fill(src, tmp_path / "商务局.xlsx", answers_for(src))
    ledger_path = ledger_2026.location
    ledger_2026.close()

    def app(*args):
        out = subprocess.run([sys.executable, str(ROOT / "app.py"), "--ledger", ledger_path, *args],
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    [res] = app("collect", str(filled), "--json")
    assert set(res) >= {"path", "status", "unit", "form", "period", "changes", "message"}
    assert res["status"] == "staged" and res["unit"] == "区商务局"
    summary = app("merge", "--all", "--json")
    assert summary["files"] == 1 and summary["fields"] > 0
    rows = app("progress", "--period", PERIOD, "--json")
    assert rows and set(rows[0]) >= {"kind", "seq", "unit", "period", "quarter_target", "done", "problems",
                                     "next_steps", "on_track"}
    assert all(r["unit"] == "区商务局" for r in rows)
    assert app("progress", "--form", "plan", "--json") == []


def test_diff_report_and_return_workbook(ledger_2026, tmp_path):
    import openpyxl
    import zipfile
    forms = rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "out", unit_names=["区民政局"])
    src = Path(forms[0]["path"])
    answers = answers_for(src)
    key0 = rh.row_keys(src)[0]
    answers[key0]["done"] = "=1+1 不是公式"
    [res] = collect(ledger_2026, [rh.fill(src, tmp_path / "f.xlsx", answers)])
    merge(ledger_2026, accept_all=True)
    second = rh.fill(tmp_path / "f.xlsx", tmp_path / "g.xlsx", {key0: {"done": "=1+1 已改为新的说法"}})
    [res2] = collect(ledger_2026, [second])
    from core.returns.diff_report import write_diff_report
    from core.returns.send_back import write_return_workbook
    out = write_diff_report(ledger_2026, [res2["submission_id"]], tmp_path / "差异.xlsx")
    with zipfile.ZipFile(out) as zf:
        strings = zf.read("xl/sharedStrings.xml").decode()
    assert "<strike/>" in strings and 'rgb="FF007A33"' in strings   # rich text runs
    ws = openpyxl.load_workbook(out).active
    assert any("不是公式" in str(c.value) or "已改为" in str(c.value) for row in ws.iter_rows() for c in row)
    detail = submission_detail(ledger_2026, res2["submission_id"])
    change = [c for row in detail["rows"] for c in row["changes"] if c["field"] == "done"][0]
    set_decision(ledger_2026, [change["id"]], "rejected", comment="请写明签约金额")
    back = write_return_workbook(ledger_2026, res2["submission_id"], tmp_path / "退回.xlsx")
    values = [c.value for row in openpyxl.load_workbook(back).active.iter_rows() for c in row]
    assert "请写明签约金额" in values and "=1+1 已改为新的说法" in values


def _set_campaign(ledger, **values):
    from sqlalchemy import update
    with ledger.begin() as conn:
        conn.execute(update(schema.campaign).values(**values))


def test_plan_form_columns_layout(ledger_2026, tmp_path):
    _set_campaign(ledger_2026, plan_layout="columns")
    [form] = rh.generate_forms(ledger_2026, "plan", "2026", tmp_path / "out", unit_names=["区商务局"])
    src = Path(form["path"])
    keys = rh.row_keys(src)
    answers = {k: {"q1": f"一季度目标{i}", "q2": f"二季度目标{i}", "q3": "", "q4": f"四季度\n目标{i}",
                   "owner": "王五", "supervisor": "赵六"} for i, k in enumerate(keys)}
    [res] = collect(ledger_2026, [rh.fill(src, tmp_path / "计划.xlsx", answers)])
    assert res["status"] == "staged", res
    merge(ledger_2026, accept_all=True)
    rows = plan_rows(ledger_2026, "2026")
    assert len([r for r in rows if r["quarter"] == 1]) == len(keys)
    assert all(r["target"].startswith("四季度\n目标") for r in rows if r["quarter"] == 4)
    assert all(r["target"] == "" for r in rows if r["quarter"] == 3)


def test_lead_unit_gathers_for_co_units(ledger_2026, tmp_path):
    _set_campaign(ledger_2026, lead_gathering=True)
    forms = rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "out")
    gathered = None
    for f in forms:
        keys = rh.row_keys(Path(f["path"]))
        units = {k.split(":")[1] for k in keys}
        if len(units) > 1:
            gathered = f
            break
    assert gathered, "no lead unit gathers for co-units in the 2026 ledger"
    src = Path(gathered["path"])
    keys = rh.row_keys(src)
    answers = {k: {"done": f"代报{k}", "on_track": "是"} for k in keys}
    [res] = collect(ledger_2026, [rh.fill(src, tmp_path / "汇总.xlsx", answers)])
    assert res["status"] == "staged", res
    merge(ledger_2026, accept_all=True)
    with ledger_2026.read() as conn:
        got = conn.execute(select(schema.progress_row.c.unit_id, schema.progress_row.c.reporter_unit_id,
                                  schema.progress_row.c.done)).all()
        lead_id = conn.execute(select(schema.unit.c.id).where(schema.unit.c.name == gathered["unit"])).scalar()
    assert len(got) == len(keys)
    assert {r.reporter_unit_id for r in got} == {lead_id}
    assert len({r.unit_id for r in got}) > 1
    assert all(r.done.startswith("代报") and r.done.endswith(f":{r.unit_id}") for r in got)


def test_accept_all_staged_keeps_the_clerks_rejections(ledger_2026, tmp_path):
    from core.returns.review import accept_all_staged
    forms = rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "out", unit_names=["区发展改革局", "区民政局"])
    filled = [rh.fill(Path(f["path"]), tmp_path / f"{i}.xlsx", answers_for(Path(f["path"]), f["unit"]))
              for i, f in enumerate(forms)]
    results = collect(ledger_2026, filled)
    first, second = (r["submission_id"] for r in results)
    rejected = [c for row in submission_detail(ledger_2026, first)["rows"] for c in row["changes"]][0]
    set_decision(ledger_2026, [rejected["id"]], "rejected")
    n = accept_all_staged(ledger_2026).value
    decisions = {}
    with ledger_2026.read() as conn:
        for cid, sid, decision in conn.execute(select(schema.change.c.id, schema.change.c.submission_id,
                                                      schema.change.c.decision)):
            decisions[cid] = (sid, decision)
    assert decisions[rejected["id"]] == (first, "rejected")
    others = [d for cid, d in decisions.items() if cid != rejected["id"]]
    assert n == len(others) > 0 and all(d == "accepted" for _, d in others)
    assert {sid for sid, _ in others} == {first, second}


def test_cancel_between_files_leaves_whole_files_only(ledger_2026, tmp_path):
    """合并 with progress and 取消: cancelled after the first file, that file is merged whole, the others not at all."""
    import pytest
    from sqlalchemy import func

    from core.common.errors import Cancelled
    names = ["区发展改革局", "区民政局", "区财政局"]
    forms = rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "out", unit_names=names)
    filled = [rh.fill(Path(f["path"]), tmp_path / f"{i}.xlsx", answers_for(Path(f["path"]), f["unit"]))
              for i, f in enumerate(forms)]
    sids = [r["submission_id"] for r in collect(ledger_2026, filled)]
    for sid in sids:
        set_file_decision(ledger_2026, sid, "accepted")
    from core.common.work import Work
    seen: list[tuple[int, int, str]] = []

    def progress(done, total, label=""):
        seen.append((done, total, label))
        if done >= 1:
            work.cancel()   # 取消 pressed once the first file is merged
    work = Work(progress)

    with pytest.raises(Cancelled) as raised:
        merge(ledger_2026, sids, work=work)
    assert "1 份文件已完整合并" in str(raised.value) and "2 份未动" in str(raised.value)
    assert seen[0][:2] == (0, 3) and seen[-1][:2] == (1, 3)
    with ledger_2026.read() as conn:
        status = dict(conn.execute(select(schema.submission.c.id, schema.submission.c.status)
                                   .where(schema.submission.c.id.in_(sids))).all())
        per_sub = dict(conn.execute(select(schema.progress_row.c.submission_id,
                                           func.count()).group_by(schema.progress_row.c.submission_id)).all())
    assert [status[s] for s in sids] == ["merged", "staged", "staged"]
    assert per_sub == {sids[0]: len(rh.row_keys(Path(forms[0]["path"])))}   # every row of the first file, none of the others
    # a cancel before the first file changes nothing, not even a backup
    cancelled = Work()
    cancelled.cancel()
    with pytest.raises(Cancelled):
        merge(ledger_2026, sids[1:], work=cancelled)
    # the rest merges afterwards as usual
    summary = merge(ledger_2026, sids[1:]).value
    assert summary["files"] == 2
