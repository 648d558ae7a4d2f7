"""收文 of messy returns (issue 13 part A): every value ends merged where the unit meant it, shown to the clerk, or refused."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from core.ledger import schema
from core.returns.collect import collect, confirm
from core.returns.merge import merge
from core.returns.review import submission_detail
from tests.helpers import returns as rh
from tests.helpers import returns_messy as mx

PERIOD = "2026-03"
UNIT = "区发展改革局"


@pytest.fixture
def form(ledger_2026, tmp_path):
    [f] = rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "out", unit_names=[UNIT])
    return Path(f["path"])


def ledger_rows(ledger, period: str = PERIOD) -> dict[str, dict]:
    """{row key "uid:unit_id": progress row} — the value's final place: task, unit and month."""
    p, t = schema.progress_row, schema.task
    with ledger.read() as conn:
        rows = conn.execute(select(p, t.c.uid).join(t, t.c.id == p.c.task_id).where(p.c.period == period)).mappings()
        return {f"{r['uid']}:{r['unit_id']}": dict(r) for r in rows}


def assert_merged(ledger, answers: dict, fields=("done", "problems", "next_steps")) -> None:
    got = ledger_rows(ledger)
    assert set(got) == set(answers)
    for key, values in answers.items():
        for f in fields:
            assert got[key][f] == values[f], (key, f)
        assert got[key]["on_track_raw"] == values["on_track"], key


def changes_of(ledger, sid: int) -> list[dict]:
    return [c for row in submission_detail(ledger, sid)["rows"] for c in row["changes"]]


def collect_merge(ledger, path: Path) -> dict:
    [res] = collect(ledger, [path])
    assert res["status"] == "staged", res
    merge(ledger, accept_all=True)
    return res


# -- 1. columns by meaning ---------------------------------------------------------------------------
@pytest.mark.parametrize("labels", [
    {"done": "推进情况", "problems": "困难和问题", "next_steps": "下步打算", "on_track": "是否达到序时进度"},
    {"done": "工作进展", "problems": "存在的问题", "next_steps": "下一步工作计划", "on_track": "是否完成\n阶段任务目标"},
    {"done": "完 成 情 况", "problems": "存在问题：", "next_steps": "下一步计划\n（措施）", "on_track": "是否达到序时进度*",
     "quarter_target": "季度计划完成目标（Ｑ1）"},
], ids=["synonyms", "wrapped", "spaced-fullwidth"])
def test_reworded_headers_merge_into_their_fields(ledger_2026, form, tmp_path, labels):
    answers = mx.answers(form, length=260)
    filled = rh.fill(form, tmp_path / "filled.xlsx", answers)
    reworded = mx.reword_headers(filled, tmp_path / "发改局3月.xlsx", labels)
    collect_merge(ledger_2026, reworded)
    assert_merged(ledger_2026, answers)


def test_two_row_merged_header(ledger_2026, form, tmp_path):
    answers = mx.answers(form, length=180)
    filled = rh.fill(form, tmp_path / "filled.xlsx", answers)
    two = mx.two_row_header(filled, tmp_path / "两行表头.xlsx", group="工作推进情况",
                            sub={"done": "工作进展", "problems": "困难和问题", "next_steps": "下步打算"})
    collect_merge(ledger_2026, two)
    assert_merged(ledger_2026, answers)


@pytest.mark.parametrize("label,field", [
    ("推进情况", "done"), ("工作进展", "done"), ("完成\n情况", "done"), ("完　成　情　况", "done"), ("进展", "done"),
    ("困难和问题", "problems"), ("存在的问题", "problems"), ("存在问题：", "problems"),
    ("下步打算", "next_steps"), ("下一步工作计划", "next_steps"), ("下步推进计划", "next_steps"),
    ("是否达到序时进度", "on_track"), ("是否完成阶段\n任务目标", "on_track"), ("季度计划完成目标", "quarter_target"),
    ("季度目标及推进计划", "target"), ("ＤＣＴＡ＿ＫＥＹ", "key"), ("序 号", "seq"), ("备注", "remark"),
    ("完成进度", None), ("联系人", None),
])
def test_header_variants(label, field):
    from core.returns.read import header_field
    assert header_field(label) == field


def test_header_field_never_reads_long_answers_as_labels():
    from core.returns.read import header_field
    assert header_field("一是推进情况良好，" + "已完成年度目标的一半，" * 5) is None


def test_added_columns_are_kept_as_a_flagged_note(ledger_2026, form, tmp_path):
    answers = mx.answers(form, length=150)
    keys = list(answers)
    filled = rh.fill(form, tmp_path / "filled.xlsx", answers)
    progress = {k: f"{(i + 3) * 10}%" for i, k in enumerate(keys)}
    remarks = {keys[1]: "该项与区住建局共同推进，数据以住建局口径为准。"}
    inserted = mx.add_column(filled, tmp_path / "a.xlsx", "完成进度", progress, before="problems")
    both = mx.add_column(inserted, tmp_path / "备注列.xlsx", "备注", remarks)
    res = collect_merge(ledger_2026, both)
    assert "「完成进度」" in res["message"] and "「备注」" in res["message"]
    note_changes = [c for c in changes_of(ledger_2026, res["submission_id"]) if c["field"] == "note"]
    assert note_changes and all("extra-column" in c["flags"] for c in note_changes)
    assert_merged(ledger_2026, answers)   # the inserted column shifted the others: still in their fields
    got = ledger_rows(ledger_2026)
    for k in keys:
        assert f"完成进度：{progress[k]}" in got[k]["note"]
    assert got[keys[1]]["note"] == f"完成进度：{progress[keys[1]]}；备注：{remarks[keys[1]]}"


def test_inserted_row_text_reaches_the_ledger_as_a_note(ledger_2026, form, tmp_path):
    answers = mx.answers(form)
    keys = list(answers)
    filled = rh.fill(form, tmp_path / "filled.xlsx", answers)
    extra = "补充说明：" + mx.long_answer(40, length=150)
    edited = mx.insert_row(filled, tmp_path / "插行.xlsx", keys[2], {"done": extra})
    res = collect_merge(ledger_2026, edited)
    assert "插入了 1 行" in res["message"]
    got = ledger_rows(ledger_2026)
    assert extra in got[keys[2]]["note"]
    assert all(not got[k]["note"] for k in keys if k != keys[2])
    assert_merged(ledger_2026, answers)
    # the printed monthly summary (or 民生实事 table) keeps it too, whole, beneath that unit's 完成情况
    from python_calamine import CalamineWorkbook

    from core.reports.data import summary_data
    from core.reports.summary_xlsx import write_summary
    done = {kind: [u["done"] for g in summary_data(ledger_2026, PERIOD, kind)["groups"] for t in g["tasks"]
                   for u in t["unit_rows"]] for kind in ("key", "livelihood")}
    note = got[keys[2]]["note"].strip()
    [kind] = [k for k, texts in done.items() if any(d.endswith(f"（备注：{note}）") for d in texts)]
    assert sum(d.endswith(f"（备注：{note}）") for d in done[kind]) == 1
    out = write_summary(ledger_2026, PERIOD, tmp_path / "汇总表.xlsx", kind=kind, charts=False)
    wb = CalamineWorkbook.from_path(str(out["path"]))
    text = "".join(str(v) for name in wb.sheet_names for row in wb.get_sheet_by_name(name).to_python() for v in row)
    assert f"（备注：{note[:12]}" in text                 # long cells may continue over rows: the start is enough here


# -- 3. every sheet ---------------------------------------------------------------------------------
@pytest.mark.parametrize("hide_original,title", [(False, None), (True, None), (False, "3月填报")],
                         ids=["copy-after-blank", "original-hidden", "renamed-copy"])
def test_filled_copy_of_the_sheet_is_used(ledger_2026, form, tmp_path, hide_original, title):
    answers = mx.answers(form, length=220)
    book = mx.filled_copy(form, tmp_path / "副本.xlsx", answers, hide_original=hide_original, title=title)
    res = collect_merge(ledger_2026, book)
    assert ("已读取工作表" in res["message"]) is not hide_original   # said when the blank original is in front
    assert_merged(ledger_2026, answers)


def test_parse_forms_returns_every_form_sheet(form, tmp_path):
    from core.returns.read import parse_form, parse_forms, read_returned
    answers = mx.answers(form)
    book = read_returned(mx.filled_copy(form, tmp_path / "副本.xlsx", answers))
    forms = parse_forms(book)
    assert len(forms) == 2 and not forms[0].has_answers() and forms[1].has_answers()
    assert parse_form(book).sheet == forms[1].sheet


def test_two_filled_sheets_go_to_the_clerk(ledger_2026, form, tmp_path):
    answers = mx.answers(form)
    first = rh.fill(form, tmp_path / "f.xlsx", mx.answers(form, tag="甲"))
    book = mx.filled_copy(first, tmp_path / "两张都填了.xlsx", answers)
    [res] = collect(ledger_2026, [book])
    assert res["status"] == "needs-confirmation" and "也填写了内容" in res["message"]
    assert merge(ledger_2026, accept_all=True).value["files"] == 0
    assert ledger_rows(ledger_2026) == {}


def _other_unit(ledger) -> str:
    """A unit with tasks of its own, none shared with UNIT."""
    a, u = schema.assignment, schema.unit
    with ledger.read() as conn:
        mine = set(conn.execute(select(a.c.task_id).join(u, u.c.id == a.c.unit_id).where(u.c.name == UNIT)).scalars())
        tasks: dict[str, set[int]] = {}
        for name, tid in conn.execute(select(u.c.name, a.c.task_id).join(u, u.c.id == a.c.unit_id)):
            tasks.setdefault(name, set()).add(tid)
    return next(n for n, t in sorted(tasks.items(), key=lambda kv: -len(kv[1])) if n != UNIT and not t & mine)


def test_two_units_in_one_workbook_each_sheet_lands_on_its_unit(ledger_2026, form, tmp_path):
    from datetime import date

    from core.tracking.states import REPORTED, REPORTED_LATE, submission_matrix
    other = _other_unit(ledger_2026)
    [b_form] = rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "out-b", unit_names=[other])
    a_answers = mx.answers(form, tag="甲")
    b_answers = mx.answers(Path(b_form["path"]), tag="乙", length=260)
    assert all(len(v["done"]) >= 150 for v in [*a_answers.values(), *b_answers.values()])
    a_filled = rh.fill(form, tmp_path / "a.xlsx", a_answers)
    b_filled = rh.fill(Path(b_form["path"]), tmp_path / "b.xlsx", b_answers)
    book = mx.second_unit_sheet(a_filled, b_filled, tmp_path / "发改局-3月.xlsx", title="第二块牌子")
    results = collect(ledger_2026, [book])
    assert [(r["unit"], r["status"]) for r in results] == [(UNIT, "staged"), (other, "staged")], results
    assert results[1]["sheet"] == "第二块牌子" and results[0]["sheet"]
    assert "2 个单位" in results[1]["message"]
    assert merge(ledger_2026, accept_all=True).value["files"] == 2
    got = ledger_rows(ledger_2026)
    assert set(got) == set(a_answers) | set(b_answers)
    for answers in (a_answers, b_answers):
        for key, values in answers.items():
            for f in ("done", "problems", "next_steps"):
                assert got[key][f] == values[f], (key, f)
            assert got[key]["on_track_raw"] == values["on_track"], key
    with ledger_2026.read() as conn:
        cid = conn.execute(select(schema.campaign.c.id)).scalar()
        subs = conn.execute(select(schema.submission.c.file_hash, schema.submission.c.sheet)).all()
    assert len({h for h, _s in subs}) == 1 and {s for _h, s in subs} == {results[0]["sheet"], "第二块牌子"}
    matrix = {r["unit"]: r for r in submission_matrix(ledger_2026, cid, PERIOD, date.today(), forms=("report",))}
    assert matrix[UNIT]["code"] in (REPORTED, REPORTED_LATE) and matrix[other]["code"] in (REPORTED, REPORTED_LATE)


def test_two_units_in_one_workbook_recollected_is_a_duplicate(ledger_2026, form, tmp_path):
    other = _other_unit(ledger_2026)
    [b_form] = rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "out-b", unit_names=[other])
    a_filled = rh.fill(form, tmp_path / "a.xlsx", mx.answers(form, tag="甲"))
    b_filled = rh.fill(Path(b_form["path"]), tmp_path / "b.xlsx", mx.answers(Path(b_form["path"]), tag="乙"))
    book = mx.second_unit_sheet(a_filled, b_filled, tmp_path / f"{other}3月.xlsx")   # named after the second unit
    assert [r["status"] for r in collect(ledger_2026, [book])] == ["staged", "staged"]
    assert [r["status"] for r in collect(ledger_2026, [book])] == ["duplicate"]


def test_two_units_in_an_unstamped_workbook_are_asked_one_sheet_each(ledger_2026, form, tmp_path):
    """Re-typed (no stamp): each unit's sheet is its own question; confirming one reads that sheet only."""
    other = _other_unit(ledger_2026)
    [b_form] = rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "out-b", unit_names=[other])
    a_answers = mx.answers(form, tag="甲")
    b_answers = mx.answers(Path(b_form["path"]), tag="乙")
    a_filled = rh.fill(form, tmp_path / "a.xlsx", a_answers)
    b_filled = rh.fill(Path(b_form["path"]), tmp_path / "b.xlsx", b_answers)
    book = mx.second_unit_sheet(rh.strip_stamp(a_filled, tmp_path / "a-bare.xlsx"), b_filled,
                                tmp_path / "3月报送.xlsx", title="乙")
    results = collect(ledger_2026, [book])
    assert [(r["unit"], r["status"]) for r in results] == [(UNIT, "needs-confirmation"),
                                                            (other, "needs-confirmation")], results
    assert merge(ledger_2026, accept_all=True).value["files"] == 0 and ledger_rows(ledger_2026) == {}
    with ledger_2026.read() as conn:
        ids = dict(conn.execute(select(schema.unit.c.name, schema.unit.c.id)).all())
    assert confirm(ledger_2026, results[1]["submission_id"], ids[other], "report", PERIOD).value["status"] == "staged"
    merge(ledger_2026, accept_all=True)
    assert set(ledger_rows(ledger_2026)) == set(b_answers)
    assert confirm(ledger_2026, results[0]["submission_id"], ids[UNIT], "report", PERIOD).value["status"] == "staged"
    merge(ledger_2026, accept_all=True)
    got = ledger_rows(ledger_2026)
    assert set(got) == set(a_answers) | set(b_answers)
    assert all(got[k]["done"] == v["done"] for answers in (a_answers, b_answers) for k, v in answers.items())


def test_second_unit_sheet_on_last_months_title_goes_to_the_clerk(ledger_2026, form, tmp_path):
    """The second unit's sheet carries only its own evidence: a title naming another month is asked, not guessed."""
    import openpyxl
    other = _other_unit(ledger_2026)
    [b_form] = rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "out-b", unit_names=[other])
    a_answers = mx.answers(form, tag="甲")
    a_filled = rh.fill(form, tmp_path / "a.xlsx", a_answers)
    b_filled = rh.fill(Path(b_form["path"]), tmp_path / "b.xlsx", mx.answers(Path(b_form["path"]), tag="乙"))
    book = mx.second_unit_sheet(a_filled, b_filled, tmp_path / "两块牌子.xlsx", title="乙")
    wb = openpyxl.load_workbook(book)
    ws = wb["乙"]
    for row in ws.iter_rows(max_row=5):
        for cell in row:
            if isinstance(cell.value, str) and "3月" in cell.value:
                cell.value = cell.value.replace("3月", "2月")
    wb.save(book)
    results = collect(ledger_2026, [book])
    assert [(r["unit"], r["status"]) for r in results] == [(UNIT, "staged"), (other, "needs-confirmation")], results
    assert "2月" in results[1]["message"]
    assert merge(ledger_2026, accept_all=True).value["files"] == 1
    assert set(ledger_rows(ledger_2026)) == set(a_answers)


def test_blank_return_is_not_reported(ledger_2026, form, tmp_path):
    import openpyxl
    from datetime import date

    from core.tracking.states import REPORTED, REPORTED_LATE, submission_matrix
    wb = openpyxl.load_workbook(form)
    wb.save(tmp_path / "发改局-3月.xlsx")   # opened and saved by the unit, nothing typed
    [res] = collect(ledger_2026, [tmp_path / "发改局-3月.xlsx"])
    assert res["status"] == "blank" and "未填写" in res["message"] and "不计为已报" in res["message"]
    assert res["unit"] == UNIT
    assert merge(ledger_2026, accept_all=True).value["files"] == 0
    assert ledger_rows(ledger_2026) == {}
    with ledger_2026.read() as conn:
        cid = conn.execute(select(schema.campaign.c.id)).scalar()
    [row] = [r for r in submission_matrix(ledger_2026, cid, PERIOD, date.today(), forms=("report",))
             if r["unit"] == UNIT]
    assert row["code"] not in (REPORTED, REPORTED_LATE)
    assert [f["status"] for f in row["files"]] == ["blank"]


# -- 2. rows by task, with evidence ---------------------------------------------------------------
def test_sorted_visible_columns_follow_the_task_text(ledger_2026, form, tmp_path):
    answers = mx.answers(form, length=300)
    keys = list(answers)
    filled = rh.fill(form, tmp_path / "filled.xlsx", answers)
    order = list(reversed(range(len(keys))))
    sorted_ = mx.sort_visible(filled, tmp_path / "排序.xlsx", order)
    res = collect_merge(ledger_2026, sorted_)
    assert "已按任务内容对应" in res["message"]
    moved = [c for c in changes_of(ledger_2026, res["submission_id"]) if "row-moved-by-text" in c["flags"]]
    assert moved
    assert_merged(ledger_2026, answers)   # every answer on its own task despite the keys


def test_deleted_cells_shift_up_follow_the_task_text(ledger_2026, form, tmp_path):
    answers = mx.answers(form, length=200)
    keys = list(answers)
    filled = rh.fill(form, tmp_path / "filled.xlsx", answers)
    shifted = mx.delete_cells_shift_up(filled, tmp_path / "上移.xlsx", 1)
    res = collect_merge(ledger_2026, shifted)
    fields = changes_of(ledger_2026, res["submission_id"])
    assert any(c["field"] == "_missing" for c in fields)
    kept = {k: v for k, v in answers.items() if k != keys[1]}
    assert_merged(ledger_2026, kept)
    assert keys[1] not in ledger_rows(ledger_2026)


def test_ambiguous_row_goes_to_the_clerk(ledger_2026, form, tmp_path):
    import openpyxl
    answers = mx.answers(form)
    keys = list(answers)
    filled = rh.fill(form, tmp_path / "filled.xlsx", answers)
    wb = openpyxl.load_workbook(filled)
    ws = rh.data_sheet(wb)
    cols, header = rh._columns(ws)
    texts = [ws.cell(header + 1 + i, cols["task"]).value for i in range(len(keys))]
    # row 0 now names two other tasks at once: no single task is meant
    ws.cell(header + 1, cols["task"]).value = texts[1][:40] + texts[2][:40]
    wb.save(tmp_path / "含糊.xlsx")
    [res] = collect(ledger_2026, [tmp_path / "含糊.xlsx"])
    assert res["status"] == "needs-confirmation" and "无法确定是哪项任务" in res["message"], res
    assert merge(ledger_2026, accept_all=True).value["files"] == 0 and ledger_rows(ledger_2026) == {}
    with ledger_2026.read() as conn:
        unit_id = conn.execute(select(schema.unit.c.id).where(schema.unit.c.name == UNIT)).scalar()
    out = confirm(ledger_2026, res["submission_id"], unit_id, "report", PERIOD).value
    assert out["status"] == "staged"
    flagged = [c for c in changes_of(ledger_2026, res["submission_id"]) if "row-uncertain" in c["flags"]]
    assert flagged and {c["task_id"] for c in flagged} == {flagged[0]["task_id"]}


# -- 7. values as displayed --------------------------------------------------------------------------
def _numbers_form(form: Path, tmp_path: Path) -> tuple[Path, dict, dict]:
    from datetime import datetime
    answers = mx.answers(form, length=140)
    keys = list(answers)
    filled = rh.fill(form, tmp_path / "filled.xlsx", answers)
    cells = {(keys[0], "done"): 0.85, (keys[1], "done"): 1234.5, (keys[2], "next_steps"): datetime(2026, 4, 30),
             (keys[3], "problems"): 0.125, (keys[4], "done"): 12.5}
    formats = {(keys[0], "done"): "0%", (keys[1], "done"): "#,##0.00", (keys[2], "next_steps"): 'm"月"d"日"',
               (keys[3], "problems"): "0.0%", (keys[4], "done"): '0.0"亿元"'}
    shown = {(keys[0], "done"): "85%", (keys[1], "done"): "1,234.50", (keys[2], "next_steps"): "4月30日",
             (keys[3], "problems"): "12.5%", (keys[4], "done"): "12.5亿元"}
    numbers = mx.set_cells(filled, tmp_path / "n.xlsx", cells, formats)
    book = mx.add_column(numbers, tmp_path / "数字.xlsx", "完成进度", {keys[5]: 0.8})
    import openpyxl
    wb = openpyxl.load_workbook(book)
    ws = rh.data_sheet(wb)
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == 0.8:
                cell.number_format = "0%"
    wb.save(book)
    for (k, f), text in shown.items():
        answers[k][f] = text
    return book, answers, {keys[5]: "完成进度：80%"}


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_numbers_and_dates_are_kept_as_displayed(ledger_2026, form, tmp_path, fmt):
    book, answers, notes = _numbers_form(form, tmp_path)
    if fmt != "xlsx":
        [book] = rh.soffice_convert([book], fmt, tmp_path / fmt)
    collect_merge(ledger_2026, book)
    assert_merged(ledger_2026, answers)
    got = ledger_rows(ledger_2026)
    for k, note in notes.items():
        assert got[k]["note"] == note


def test_worded_yes_no_is_flagged(ledger_2026, form, tmp_path):
    """A qualified answer (已完成80%, 基本完成) is not judged: kept as written, on_track left open, flagged;
    a worded plain one (推进中 → 否) is read and flagged for the clerk to check; a plain 是 is neither."""
    answers = mx.answers(form)
    keys = list(answers)
    answers[keys[0]]["on_track"] = "已完成80%"
    answers[keys[1]]["on_track"] = "基本完成"
    answers[keys[2]]["on_track"] = "是"
    answers[keys[3]]["on_track"] = "推进中"
    [res] = collect(ledger_2026, [rh.fill(form, tmp_path / "f.xlsx", answers)])
    with ledger_2026.read() as conn:
        tid = {r.uid: r.id for r in conn.execute(select(schema.task.c.uid, schema.task.c.id))}
    flags = {c["task_id"]: c["flags"] for c in changes_of(ledger_2026, res["submission_id"]) if c["field"] == "on_track"}
    assert "unclear-answer" in flags[tid[keys[0].split(":")[0]]]
    assert "unclear-answer" in flags[tid[keys[1].split(":")[0]]]
    plain = flags.get(tid[keys[2].split(":")[0]], "")
    assert "unclear-answer" not in plain and "answer-interpreted" not in plain
    assert "answer-interpreted" in flags[tid[keys[3].split(":")[0]]]
    merge(ledger_2026, accept_all=True)
    got = ledger_rows(ledger_2026)
    assert (got[keys[0]]["on_track"], got[keys[0]]["on_track_raw"]) == (None, "已完成80%")   # the words kept as written
    assert (got[keys[1]]["on_track"], got[keys[1]]["on_track_raw"]) == (None, "基本完成")
    assert (got[keys[3]]["on_track"], got[keys[3]]["on_track_raw"]) == (False, "推进中")


def test_number_format_codes():
    from datetime import datetime
    from core.returns.display import format_value
    assert format_value(0.85, "0%") == "85%"
    assert format_value(1234.5, "#,##0.00") == "1,234.50"
    assert format_value(datetime(2026, 4, 30), 'yyyy"年"m"月"d"日"') == "2026年4月30日"
    assert format_value(46142.0, 'm"月"d"日"') == "4月30日"
    assert format_value(1234.5, "[$¥-804]#,##0.00") == "¥1,234.50"
    assert format_value(-3.2, "0.00;[Red]-0.00") == "-3.20"
    assert format_value(datetime(2026, 4, 30, 14, 5), "yyyy/m/d h:mm") == "2026/4/30 14:05"
    assert format_value(5, "[DBNum1]General") is None   # not understood: the reader keeps the plain value


# -- the plan form (附件3) ----------------------------------------------------------------------------
def test_plan_form_added_column_is_shown_and_blank_plan_is_not_reported(ledger_2026, tmp_path):
    import openpyxl
    from core.ledger.progress_view import plan_rows
    [f] = rh.generate_forms(ledger_2026, "plan", "2026", tmp_path / "out", unit_names=["区民政局"])
    src = Path(f["path"])
    blank = tmp_path / "民政局计划-空.xlsx"
    openpyxl.load_workbook(src).save(blank)
    [res] = collect(ledger_2026, [blank])
    assert res["status"] == "blank" and "不计为已报" in res["message"]
    keys = rh.row_keys(src)
    answers = {k: {"target": f"第{k[-1]}季度：" + mx.long_answer(i, length=130), "owner": "张三", "supervisor": "李四"}
               for i, k in enumerate(keys)}
    filled = rh.fill(src, tmp_path / "计划.xlsx", answers)
    reworded = mx.reword_headers(filled, tmp_path / "r.xlsx", {"owner": "主要\n负责人", "supervisor": "分管 负责人"})
    book = mx.add_column(reworded, tmp_path / "计划加列.xlsx", "联系人", {keys[0]: "王五 13800000000"})
    [res] = collect(ledger_2026, [book])
    assert res["status"] == "staged", res
    assert "「联系人」" in res["message"] and "王五 13800000000" in res["message"]   # shown, with the row
    merge(ledger_2026, accept_all=True)
    rows = plan_rows(ledger_2026, "2026")
    assert len(rows) == len(keys)
    assert all(r["owner"] == "张三" and r["supervisor"] == "李四" for r in rows)
    by_text = {r["target"] for r in rows}
    assert by_text == {a["target"] for a in answers.values()}


def test_row_pasted_over_another_task_goes_to_the_clerk(ledger_2026, form, tmp_path):
    import openpyxl
    answers = mx.answers(form)
    keys = list(answers)
    filled = rh.fill(form, tmp_path / "filled.xlsx", answers)
    wb = openpyxl.load_workbook(filled)
    ws = rh.data_sheet(wb)
    cols, header = rh._columns(ws)
    for c in range(1, cols["key"]):   # task 1's visible cells pasted over task 0's, with other answers
        ws.cell(header + 1, c).value = ws.cell(header + 2, c).value
    ws.cell(header + 1, cols["done"]).value = "粘贴后改写的完成情况：" + mx.long_answer(7, length=130)
    wb.save(tmp_path / "粘贴.xlsx")
    [res] = collect(ledger_2026, [tmp_path / "粘贴.xlsx"])
    assert res["status"] == "needs-confirmation" and "无法确定是哪项任务" in res["message"], res
    assert merge(ledger_2026, accept_all=True).value["files"] == 0 and ledger_rows(ledger_2026) == {}
    # nothing moved onto task 1: its own row's answer is staged for it, the pasted one only flagged on row 0's task
    by_task = {}
    for c in changes_of(ledger_2026, res["submission_id"]):
        by_task.setdefault(c["task_id"], []).append(c)
    with ledger_2026.read() as conn:
        tid = {r.uid: r.id for r in conn.execute(select(schema.task.c.uid, schema.task.c.id))}
    t0, t1 = tid[keys[0].split(":")[0]], tid[keys[1].split(":")[0]]
    assert [c["new"] for c in by_task[t1] if c["field"] == "done"] == [answers[keys[1]]["done"]]
    assert all("row-uncertain" in c["flags"] for c in by_task[t0] if not c["field"].startswith("_"))


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_messy_file_resaved_by_wps_formats(ledger_2026, form, tmp_path, fmt):
    """Sorted rows, an added 备注 column and a two-row reworded header, then re-saved as .xls/.ods."""
    answers = mx.answers(form, length=320)
    keys = list(answers)
    filled = rh.fill(form, tmp_path / "filled.xlsx", answers)
    sorted_ = mx.sort_visible(filled, tmp_path / "s.xlsx", list(reversed(range(len(keys)))))
    noted = mx.add_column(sorted_, tmp_path / "n.xlsx", "备注", {keys[2]: "数据截至3月28日"})
    two = mx.two_row_header(noted, tmp_path / "发改局3月报.xlsx", group="工作推进情况",
                            sub={"done": "推进情况", "problems": "困难和问题", "next_steps": "下步打算"})
    [book] = rh.soffice_convert([two], fmt, tmp_path / fmt)
    res = collect_merge(ledger_2026, book)
    assert "已按任务内容对应" in res["message"] and "「备注」" in res["message"]
    assert_merged(ledger_2026, answers)
    # the 备注 was typed on the row whose key is keys[2] but whose visible task (after the sort) is keys[-3]'s
    got = ledger_rows(ledger_2026)
    assert got[keys[-3]]["note"] == "备注：数据截至3月28日" and got[keys[2]]["note"] == ""


# -- the signature line: 填报人 / 联系电话 / 负责人签字 as their own input cells ---------------------------
def test_signature_line_cells_are_inputs_and_never_reach_a_task(ledger_2026, form, tmp_path):
    import openpyxl
    answers = mx.answers(form)
    filled = rh.fill(form, tmp_path / "filled.xlsx", answers)
    wb = openpyxl.load_workbook(filled)
    ws = rh.data_sheet(wb)
    labels = {c.value: c for row in ws.iter_rows() for c in row if c.value in ("填报人：", "联系电话：", "负责人签字：")}
    assert set(labels) == {"填报人：", "联系电话：", "负责人签字："}            # three labels, spread over one row
    assert len({c.row for c in labels.values()}) == 1
    typed = {"填报人：": "王  芳", "联系电话：": "0531-86012345", "负责人签字：": "李建国"}
    for label, cell in labels.items():
        right = next(ws.cell(cell.row, c) for c in range(cell.column + 1, ws.max_column + 1)
                     if not isinstance(ws.cell(cell.row, c), openpyxl.cell.cell.MergedCell))
        assert right.protection.locked is False                            # the unit may type there
        right.value = typed[label]
    wb.save(tmp_path / "签字.xlsx")
    res = collect_merge(ledger_2026, tmp_path / "签字.xlsx")
    assert "插入" not in res["message"]
    assert_merged(ledger_2026, answers)
    got = ledger_rows(ledger_2026)
    assert not any(v in (r["note"] or "") for r in got.values() for v in typed.values())   # on no task, as no note


def test_a_task_closed_before_the_month_is_no_deleted_row(ledger_2026, tmp_path):
    """下发 leaves a task 办结 before the month out of that month's form; 收文 must not call it a deleted row."""
    from datetime import date

    from core.tracking.closure import close_task
    [before] = rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "before", unit_names=[UNIT])
    first_key = rh.row_keys(Path(before["path"]))[0]
    with ledger_2026.read() as conn:
        task_id = conn.execute(select(schema.task.c.id).where(schema.task.c.uid == first_key.split(":")[0])).scalar()
    close_task(ledger_2026, task_id, date(2026, 2, 20), "已完成全部建设内容")
    [f] = rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "out", unit_names=[UNIT])
    assert first_key not in rh.row_keys(Path(f["path"]))          # the closed task is not on March's form
    answers = mx.answers(Path(f["path"]))
    [res] = collect(ledger_2026, [rh.fill(Path(f["path"]), tmp_path / "f.xlsx", answers)])
    assert res["status"] == "staged"
    assert not [c for c in changes_of(ledger_2026, res["submission_id"]) if c["field"] == "_missing"]
    assert "缺少" not in res["message"]
