"""The review grid: real 附件4 returns for April and May, a copier, a contradicted 是, an empty 完成情况, a reworded task,
a deleted row; the grid's rows, diffs against the ledger and last month, flags first; 退回 workbook and .eml."""
from __future__ import annotations

import email
from email import policy
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from core.ledger.store import Ledger
from core.returns.collect import collect
from core.returns.merge import merge
from core.returns.review import set_comments, set_file_decision, set_row_decision
from core.returns.review_grid import REPORT_COLUMNS, build_grid
from core.returns.send_back import send_back
from tests.helpers import returns as rh
from tests.helpers.review_grid import UNIT, make_may
from tests.helpers.review_grid import entries as _entries


@pytest.fixture
def may(ledger_2026, tmp_path):
    """April merged, May collected with its flagged rows (tests/helpers/review_grid.py)."""
    return make_may(ledger_2026, tmp_path)


def test_grid_rows_diffs_and_flags(ledger_2026, may):
    sid, keys, april, answers = may
    grid = build_grid(ledger_2026, sid)
    assert grid.unit_name == UNIT and grid.form == "report" and grid.period == "2026-05"
    assert [label for _f, label in grid.columns] == ["季度目标", "完成情况", "存在问题", "下一步计划", "是否完成"]
    assert len(grid.rows) == len(keys)            # the deleted row is still a row of the grid, flagged
    with ledger_2026.read() as conn:
        from sqlalchemy import select

        from core.ledger import schema
        ids = {r.uid: r.id for r in conn.execute(select(schema.task.c.uid, schema.task.c.id))}
    by_task = {r.task_id: r for r in grid.rows}
    row = lambda i: by_task[ids[keys[i].split(":")[0]]]   # noqa: E731
    cell = lambda r, f: r.cells[[c for c, _l in REPORT_COLUMNS].index(f)]   # noqa: E731

    copied = cell(row(1), "done")
    assert "copied-from-last-month" in copied.flags and copied.base_kind == "last-month"
    assert copied.segments == [("equal", april[keys[1]]["done"])]      # nothing new: copying is visible
    assert copied.changed                                              # still a change against the (empty) ledger
    assert "yes-but-text-says-otherwise" in cell(row(2), "on_track").flags
    assert "empty-required" in cell(row(3), "done").flags
    assert "task-text-changed" in row(4).row_flags
    assert any(op == "insert" and "已调整" in t for op, t in row(4).task_segments)
    assert row(5).deleted and "missing-row" in row(5).flags
    # an ordinary row: its first May entry is compared with April's, deletions and insertions both there
    plain = cell(row(0), "done")
    assert plain.base == april[keys[0]]["done"] and plain.value == answers[keys[0]]["done"]
    assert {op for op, _t in plain.segments} == {"equal", "insert", "delete"}
    assert 120 <= len(plain.value) <= 400 and "一是" in plain.value
    assert "".join(t for op, t in plain.segments if op != "delete") == plain.value
    assert "".join(t for op, t in plain.segments if op != "insert") == plain.base
    # the pre-filled 季度目标 is compared with the ledger (the plan), not last month
    assert cell(row(0), "quarter_target").base_kind in ("ledger", "")
    # flagged rows first, the rest in form order
    flagged = [r.flagged for r in grid.rows]
    assert flagged == sorted(flagged, reverse=True) and sum(flagged) >= 5
    assert not grid.rows[-1].flagged
    # filters
    assert all(r.flagged for r in grid.visible(only_flagged=True))
    assert len(grid.visible(only_flagged=True)) == sum(flagged)
    assert len(grid.visible(only_changed=True)) == len(grid.rows)   # a first entry changes every row


def test_second_file_of_a_month_is_compared_with_the_ledger(ledger_2026, may, tmp_path):
    sid, keys, april, answers = may
    merge(ledger_2026, accept_all=True)
    # the merged first file still reads against April (what it merged is its own entry, not the baseline)
    merged = [c for r in build_grid(ledger_2026, sid).rows for c in r.cells if c.field == "done" and c.value]
    assert merged and all(c.base_kind == "last-month" for c in merged)
    [form] = rh.generate_forms(ledger_2026, "report", "2026-05", tmp_path / "again", unit_names=[UNIT])
    fixed = dict(answers)
    fixed[keys[0]] = {**answers[keys[0]], "problems": "无。" + answers[keys[0]]["problems"]}
    again = rh.fill(Path(form["path"]), tmp_path / "区发展改革局5月（修改稿）.xlsx",
                    {k: {f: v for f, v in a.items() if f != "task"} for k, a in fixed.items()})
    [res] = collect(ledger_2026, [again])
    grid = build_grid(ledger_2026, res["submission_id"])
    assert not any(c.rivals for r in grid.rows for c in r.cells)   # the first file is merged: no rival waiting
    changed = grid.visible(only_changed=True)
    assert changed and len(changed) < len(grid.rows)
    problems = [c for r in changed for c in r.cells if c.field == "problems" and c.changed]
    assert problems and problems[0].base_kind == "ledger"
    assert problems[0].segments[0] == ("insert", "无。")


def test_two_files_of_one_month_show_each_others_value(ledger_2026, tmp_path):
    """Two versions of May's form arrive together and neither says which is later: each grid cell shows the other's."""
    stories: dict = {}
    [form] = rh.generate_forms(ledger_2026, "report", "2026-05", tmp_path / "out", unit_names=[UNIT])
    src = Path(form["path"])
    one = _entries(src, 5, stories)
    two = {k: dict(v) for k, v in one.items()}
    key = rh.row_keys(src)[0]
    two[key]["next_steps"] = "下一步，将" + two[key]["next_steps"]
    files = [rh.fill(src, tmp_path / "区发展改革局5月落实情况表.xlsx", one),
             rh.fill(src, tmp_path / "区发展改革局5月情况.xlsx", two)]
    results = collect(ledger_2026, files)
    assert {r["status"] for r in results} == {"needs-confirmation"}, results
    a, b = (r["submission_id"] for r in results)
    cells = [c for r in build_grid(ledger_2026, a).rows for c in r.cells if c.rivals]
    assert cells and all(o["submission_id"] == b for c in cells for o in c.rivals)
    differing = [c for c in cells if any(o["new"] != c.value for o in c.rivals)]
    assert [c.field for c in differing] == ["next_steps"]


def test_send_back_rejected_rows_with_comments(ledger_2026, may, tmp_path):
    sid, keys, april, answers = may
    set_file_decision(ledger_2026, sid, "accepted")
    grid = build_grid(ledger_2026, sid)
    copied, contradicted = grid.rows[0], grid.rows[1]
    for row, comment in ((copied, "完成情况与4月完全相同，请如实填写5月进展。"), (contradicted, None)):
        set_row_decision(ledger_2026, sid, row.task_id, "rejected")
        if comment:
            set_comments(ledger_2026, row.change_ids, comment)
    out = send_back(ledger_2026, sid, tmp_path / "发件箱").value
    assert out["rows"] == 2 and not out["returned"]     # the accepted rows still merge
    sheet = CalamineWorkbook.from_path(str(out["workbook"])).get_sheet_by_index(0).to_python()
    header = next(r for r in sheet if "督查室意见" in r)
    lines = sheet[sheet.index(header) + 1:]
    assert len(lines) == 2
    by_task = {line[1]: line[header.index("督查室意见")] for line in lines}
    assert by_task[copied.task_text] == "完成情况与4月完全相同，请如实填写5月进展。"
    assert "文字显示未完成" in by_task[contradicted.task_text]    # no comment typed: the flag says why
    done_col = header.index("完成情况")
    assert any(line[done_col] == c.value for line in lines for c in copied.cells if c.field == "done")
    # each line is as tall as its longest text (about 135 characters of 完成情况 at width 48): printed whole
    import openpyxl
    heights = [openpyxl.load_workbook(out["workbook"]).active.row_dimensions[r].height for r in (5, 6)]
    assert all(h and h >= 4 * 12 for h in heights), heights
    msg = email.message_from_bytes(Path(out["eml"]).read_bytes(), policy=policy.default)
    names = [p.get_filename() for p in msg.iter_attachments()]
    assert out["workbook"].name in names and "区发展改革局5月落实情况表.xlsx" in names
    assert "完成情况与4月完全相同" in msg.get_body(("plain",)).get_content()
    assert msg["X-Unsent"] == "1"


def test_send_back_whole_file_marks_it_returned_and_refuses_nothing_rejected(ledger_2026, may, tmp_path):
    from core.common.errors import UserError
    from core.returns.review import list_submissions
    sid, *_ = may
    with pytest.raises(UserError, match="Shift\\+R"):
        send_back(ledger_2026, sid, tmp_path)
    set_file_decision(ledger_2026, sid, "rejected")
    out = send_back(ledger_2026, sid, tmp_path).value
    assert out["returned"] and out["rows"] == len(build_grid(ledger_2026, sid).rows)
    assert next(s for s in list_submissions(ledger_2026) if s["id"] == sid)["status"] == "returned"


def test_send_back_from_the_command_line(ledger_2026, may, tmp_path):
    """`send-back --row 序号 --comment`: the same 退回 as Ctrl+T in the grid, from a script; a wrong 序号 is refused in
    Chinese with the ledger unchanged; the accepted rows still merge."""
    import json
    import subprocess
    import sys
    from core.returns.review import submission_detail
    sid, keys, _april, answers = may
    grid = build_grid(ledger_2026, sid)
    first, second = grid.rows[0].seq, grid.rows[1].seq
    location = ledger_2026.location
    ledger_2026.close()
    root = Path(__file__).resolve().parents[3]

    def app(*args):
        return subprocess.run([sys.executable, str(root / "app.py"), "--ledger", location, *args],
                              capture_output=True, text=True, timeout=120)

    refused = app("send-back", "--submission", str(sid), "--row", "999")
    assert refused.returncode != 0 and "没有序号为 999 的行" in refused.stderr
    led = Ledger(location)
    try:
        assert all(c["decision"] == "pending" for r in submission_detail(led, sid)["rows"] for c in r["changes"])
    finally:
        led.close()
    done = app("send-back", "--submission", str(sid), "--row", first, "--row", second,
               "--comment", "请按5月实际进展重新填写，写明完成投资额。", "--out", str(tmp_path / "退回"), "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["rows"] == 2 and out["unit"] == UNIT and not out["returned"]
    sheet = CalamineWorkbook.from_path(out["workbook"]).get_sheet_by_index(0).to_python()
    assert sum(1 for line in sheet if "请按5月实际进展重新填写，写明完成投资额。" in line) == 2
    assert Path(out["eml"]).exists()

