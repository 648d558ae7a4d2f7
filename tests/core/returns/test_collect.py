"""收文: returned 附件4 made from real generated workbooks, filled, mangled, collected, merged."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from core.ledger import file_store
from core.ledger import schema
from core.returns.collect import collect, confirm
from core.returns.merge import merge
from core.ledger.progress_view import progress_rows
from tests.helpers import returns as rh
from tests.helpers.returns import PERIOD, answers_for, ledger_content


@pytest.fixture
def forms(ledger_2026, tmp_path):
    return rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "out",
                             unit_names=["区发展改革局", "区教育体育局", "区民政局"])


def test_fill_collect_merge_and_duplicate(ledger_2026, forms, tmp_path):
    src = Path(forms[0]["path"])
    answers = answers_for(src)
    filled = rh.fill(src, tmp_path / "发改局3月.xlsx", answers)
    [res] = collect(ledger_2026, [filled])
    assert res["status"] == "staged", res
    assert res["unit"] == "区发展改革局" and res["form"] == "report" and res["period"] == PERIOD
    with ledger_2026.read() as conn:
        sub = conn.execute(select(schema.submission)).mappings().one()
    assert sub["identified_by"].count("、") >= 2   # several carriers agreed
    assert file_store.verify(ledger_2026, sub["file_hash"])
    summary = merge(ledger_2026, accept_all=True).value
    assert summary["files"] == 1 and Path(summary["backup"]).exists()
    got = {(r["seq"], r["unit"]): r for r in progress_rows(ledger_2026, PERIOD)}
    assert len(got) == len(answers)
    yes = {"是", "√", "Y", "已完成", "完成"}
    for r in got.values():
        assert "\r" not in r["done"] and "_x000D_" not in r["done"]
        assert r["done"].endswith("二、推进项目签约\n三、下步继续")
        assert r["on_track"] is (r["on_track_raw"] in yes)
    with ledger_2026.read() as conn:
        audits = conn.execute(select(schema.audit).where(schema.audit.c.source_kind == "file",
                                                         schema.audit.c.table_name == "progress_row")).mappings().all()
    assert len(audits) == summary["fields"] > 0
    assert {a["source_ref"] for a in audits} == {sub["file_hash"]}
    before = ledger_content(ledger_2026)
    [again] = collect(ledger_2026, [filled])
    assert again["status"] == "duplicate"
    assert ledger_content(ledger_2026) == before
    with ledger_2026.read() as conn:
        assert len(conn.execute(select(schema.submission)).all()) == 1


def test_unchanged_resubmission_and_correction_supersedes(ledger_2026, forms, tmp_path):
    src = Path(forms[0]["path"])
    first = rh.fill(src, tmp_path / "a.xlsx", answers_for(src, "初稿"))
    collect(ledger_2026, [first])
    merge(ledger_2026, accept_all=True)
    # a corrected file: one answer changed
    keys = rh.row_keys(src)
    fixed = rh.fill(first, tmp_path / "b.xlsx", {keys[0]: {"done": "更正后的完成情况"}})
    [res] = collect(ledger_2026, [fixed])
    assert res["status"] == "staged" and res["changes"] == 1
    merge(ledger_2026, accept_all=True)
    with ledger_2026.read() as conn:
        statuses = [r.status for r in conn.execute(select(schema.submission.c.status).order_by(schema.submission.c.id))]
        history = conn.execute(select(schema.audit.c.old, schema.audit.c.new).where(
            schema.audit.c.field == "done", schema.audit.c.new == "更正后的完成情况")).one()
    assert statuses == ["superseded", "merged"]
    assert history.old.startswith("初稿第0项")
    # the same content re-saved (different bytes) is "unchanged"
    same = rh.edit_rows(fixed, tmp_path / "c.xlsx", rename_sheet="我的表")
    [res] = collect(ledger_2026, [same])
    assert res["status"] == "unchanged", res


def test_two_files_same_unit_both_kept(ledger_2026, forms, tmp_path):
    src = Path(forms[0]["path"])
    a = rh.fill(src, tmp_path / "a.xlsx", answers_for(src, "甲"))
    b = rh.fill(src, tmp_path / "b.xlsx", answers_for(src, "乙"))
    ra, rb = collect(ledger_2026, [a, b])
    # nothing tells which is the later version (no 更正/修改版 in the names, not e-mails): asked, never guessed
    assert ra["status"] == rb["status"] == "needs-confirmation"
    assert "无法判断哪份是最新版本" in rb["message"] and "“a.xlsx”" in rb["message"]
    from core.returns.review import rivals
    assert [r["id"] for r in rivals(ledger_2026, rb["submission_id"])] == [ra["submission_id"]]


def test_rows_inserted_deleted_reordered_and_task_text_changed(ledger_2026, forms, tmp_path):
    src = Path(forms[0]["path"])
    keys = rh.row_keys(src)
    filled = rh.fill(src, tmp_path / "f.xlsx", answers_for(src))
    reordered = rh.edit_rows(filled, tmp_path / "r.xlsx", reverse=True, rename_sheet="Sheet1")
    inserted = rh.edit_rows(reordered, tmp_path / "i.xlsx", insert_after=0,
                            insert_values={"done": "补充：另有一项配套工作已完成"})
    deleted = rh.edit_rows(inserted, tmp_path / "d.xlsx", delete=len(keys))  # the last data row
    import openpyxl
    wb = openpyxl.load_workbook(deleted)
    ws = rh.data_sheet(wb)
    cols, header = rh._columns(ws)
    ws.cell(header + 1, cols["task"]).value = "（单位改写的任务内容）" + str(ws.cell(header + 1, cols["task"]).value)
    wb.save(tmp_path / "t.xlsx")
    [res] = collect(ledger_2026, [tmp_path / "t.xlsx"])
    assert res["status"] == "staged", res
    from core.returns.review import submission_detail
    detail = submission_detail(ledger_2026, res["submission_id"])
    fields = [c for row in detail["rows"] for c in row["changes"]]
    assert sum(1 for c in fields if c["field"] == "_missing") == 1
    assert any(c["field"] == "note" and "另有一项配套工作" in c["new"] for c in fields)
    text_changes = [c for c in fields if c["field"] == "_task_text"]
    assert len(text_changes) == 1 and "task-text-changed" in text_changes[0]["flags"]
    merge(ledger_2026, accept_all=True)
    with ledger_2026.read() as conn:
        texts = set(conn.execute(select(schema.task.c.text)).scalars())
    assert not any(t.startswith("（单位改写") for t in texts)
    rows = progress_rows(ledger_2026, PERIOD)
    assert len(rows) == len(keys) - 1   # every kept row matched despite the reversed order


def test_stamp_stripped_needs_confirmation(ledger_2026, forms, tmp_path):
    src = Path(forms[1]["path"])
    filled = rh.fill(src, tmp_path / "f.xlsx", answers_for(src))
    bare = rh.strip_stamp(filled, tmp_path / "重新录入.xlsx")
    before = ledger_content(ledger_2026)
    [res] = collect(ledger_2026, [bare])
    assert res["status"] == "needs-confirmation", res
    assert res["unit"] == forms[1]["unit"] and res["period"] == PERIOD
    assert merge(ledger_2026, accept_all=True).value["files"] == 0
    assert ledger_content(ledger_2026) == before
    with ledger_2026.read() as conn:
        unit_id = conn.execute(select(schema.unit.c.id).where(schema.unit.c.name == forms[1]["unit"])).scalar()
    out = confirm(ledger_2026, res["submission_id"], unit_id, "report", PERIOD).value
    assert out["status"] == "staged" and out["changes"] > 0
    merge(ledger_2026, accept_all=True)
    assert len(progress_rows(ledger_2026, PERIOD)) == len(rh.row_keys(src))


def test_flags(ledger_2026, forms, tmp_path):
    src = Path(forms[0]["path"])
    keys = rh.row_keys(src)
    feb = rh.generate_forms(ledger_2026, "report", "2026-02", tmp_path / "feb", unit_names=[forms[0]["unit"]])
    feb_filled = rh.fill(Path(feb[0]["path"]), tmp_path / "feb.xlsx", {k: {"done": "二月的完成情况", "on_track": "是"}
                                                                        for k in keys})
    collect(ledger_2026, [feb_filled])
    merge(ledger_2026, accept_all=True)
    march = rh.fill(src, tmp_path / "mar.xlsx", {
        keys[0]: {"done": "二月的完成情况", "on_track": "是"},
        keys[1]: {"done": "项目尚未开工，进度滞后", "on_track": "是"},
        keys[2]: {"done": "", "on_track": "", "problems": "无"},
    })
    [res] = collect(ledger_2026, [march])
    from core.returns.review import submission_detail
    flags = {(row["uid"], c["field"]): c["flags"] for row in submission_detail(ledger_2026, res["submission_id"])["rows"]
             for c in row["changes"]}
    uid = [k.split(":")[0] for k in keys]
    assert "copied-from-last-month" in flags[(uid[0], "done")]
    assert "yes-but-text-says-otherwise" in flags[(uid[1], "on_track")]
    assert "empty-required" in flags[(uid[2], "done")]


@pytest.mark.parametrize("raw,expected", [
    ("是", True), ("√", True), ("Y", True), ("y", True), ("已完成", True), ("完成", True), ("是。", True),
    ("否", False), ("×", False), ("N", False), ("未完成", False), ("推进中", False), ("", None), ("待定", None),
])
def test_answer_variants(raw, expected):
    from core.returns.answers import normalise
    value, kept = normalise(raw)
    assert value is expected and kept == raw


def test_text_diff_spans():
    from core.common.text_diff import counts, diff_spans, to_html
    spans = diff_spans("已完成招商对接", "已完成项目招商签约")
    assert "".join(t for op, t in spans if op != "insert") == "已完成招商对接"
    assert "".join(t for op, t in spans if op != "delete") == "已完成项目招商签约"
    assert counts("abc", "abd") == (1, 1)
    assert "line-through" in to_html("甲", "乙")
