"""收文 sees everything a unit put in the file (issue 27): the form sheet by evidence, columns by meaning, comments,
text outside the table, struck-through text, pictures, text boxes, versions by content, targets and roles."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from core.common.errors import UserError
from core.ledger import schema
from core.returns.collect import collect, confirm
from core.returns.merge import merge
from core.returns.review import submission_detail
from tests.helpers import returns as rh
from tests.helpers import returns_messy as mx
from tests.helpers import returns_outside as ro

PERIOD = "2026-04"
UNIT = "区发展改革局"


@pytest.fixture
def form(ledger_2026, tmp_path):
    [f] = rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "out", unit_names=[UNIT])
    return Path(f["path"])


def ledger_rows(ledger, period: str = PERIOD) -> dict[str, dict]:
    p, t = schema.progress_row, schema.task
    with ledger.read() as conn:
        rows = conn.execute(select(p, t.c.uid).join(t, t.c.id == p.c.task_id).where(p.c.period == period)).mappings()
        return {f"{r['uid']}:{r['unit_id']}": dict(r) for r in rows}


def changes_of(ledger, sid: int) -> list[dict]:
    return [c for row in submission_detail(ledger, sid)["rows"] for c in row["changes"]]


def assert_merged(ledger, answers: dict, fields=("done", "problems", "next_steps")) -> None:
    got = ledger_rows(ledger)
    assert set(got) == set(answers)
    for key, values in answers.items():
        for f in fields:
            assert got[key][f] == values[f], (key, f)
        assert got[key]["on_track_raw"] == values["on_track"], key


def unit_id(ledger) -> int:
    with ledger.read() as conn:
        return conn.execute(select(schema.unit.c.id).where(schema.unit.c.name == UNIT)).scalar_one()


# -- the form sheet by evidence -------------------------------------------------------------------
def test_form_sheet_chosen_by_evidence_not_position(ledger_2026, form, tmp_path):
    answers = mx.answers(form, length=220)
    filled = rh.fill(form, tmp_path / "filled.xlsx", answers)
    book = ro.highlights_in_front(filled, tmp_path / "发改局4月（含亮点）.xlsx")
    [res] = collect(ledger_2026, [book])
    print(res["message"])
    assert res["status"] == "staged", res
    assert "已读取工作表「4月」" in res["message"] and "「亮点工作」" in res["message"]
    merge(ledger_2026, accept_all=True)
    assert_merged(ledger_2026, answers)
    everything = "".join(str(v) for r in ledger_rows(ledger_2026).values() for v in r.values())
    assert ro.HIGHLIGHTS[0][2] not in everything   # the 亮点 table is kept with the file, never read as the form


def test_clerk_picks_the_sheet_when_confirming(ledger_2026, form, tmp_path):
    answers = mx.answers(form, length=160)
    filled = rh.fill(form, tmp_path / "filled.xlsx", answers)
    retyped = rh.strip_stamp(filled, tmp_path / "retyped.xlsx")   # no stamp, no key column: evidence is weak
    book = ro.highlights_in_front(retyped, tmp_path / "发改局4月.xlsx", form_title="4月")
    [res] = collect(ledger_2026, [book])
    assert res["status"] == "needs-confirmation", res
    uid = unit_id(ledger_2026)
    with pytest.raises(UserError, match="所选工作表「无此表」"):
        confirm(ledger_2026, res["submission_id"], uid, "report", PERIOD, sheet="无此表")
    out = confirm(ledger_2026, res["submission_id"], uid, "report", PERIOD, sheet="4月").value
    assert out["status"] == "staged"
    merge(ledger_2026, accept_all=True)
    got = ledger_rows(ledger_2026)
    assert sorted(r["done"] for r in got.values()) == sorted(a["done"] for a in answers.values())


# -- columns by meaning ---------------------------------------------------------------------------
def test_percentage_column_is_an_added_column_never_on_track(ledger_2026, form, tmp_path):
    answers = mx.answers(form, length=240)
    keys = list(answers)
    filled = rh.fill(form, tmp_path / "filled.xlsx", answers)
    pct = {k: f"{35 + 5 * i}%" for i, k in enumerate(keys)}
    added = mx.add_column(filled, tmp_path / "序时进度.xlsx", "序时进度（%）", pct, before="done")
    [res] = collect(ledger_2026, [added])
    print(res["message"])
    assert res["status"] == "staged", res
    assert "「序时进度（%）」" in res["message"] and "「是否完成" not in res["message"]
    merge(ledger_2026, accept_all=True)
    assert_merged(ledger_2026, answers)   # 是否完成 from the real 是/否 column
    got = ledger_rows(ledger_2026)
    for k in keys:
        assert got[k]["note"] == f"序时进度（%）：{pct[k]}"


@pytest.mark.parametrize("label", ["序时进度（%）", "完成进度", "序时进度", "完成比例(%)", "进度％"])
def test_percentage_headers_name_no_field(label):
    from core.returns.read import header_field
    assert header_field(label) is None


# -- what LibreOffice writes beside the values (real office-suite files, built through UNO) ------
needs_uno = pytest.mark.skipif(ro.uno_python() is None, reason="LibreOffice with python3-uno is needed")


def uno_return(form: Path, tmp_path: Path, ops_of, length: int = 200, name: str = "发改局4月.xlsx",
               blank: tuple = ()):
    """The unit's answers typed (openpyxl), then edited in LibreOffice by ops_of(filled, keys) and saved as .xlsx."""
    answers = mx.answers(form, length=length)
    keys = list(answers)
    for k, f in blank:
        answers[keys[k]][f] = ""
    filled = rh.fill(form, tmp_path / "typed.xlsx", answers)
    out = ro.lo_annotate(filled, tmp_path / name, ops_of(filled, keys))
    return out, answers, keys


@needs_uno
def test_comment_is_a_note_beside_the_answer_and_see_comment_takes_it(ledger_2026, form, tmp_path):
    remark = "批注：本月数据为快报数，正式数据以区统计局5月10日发布为准；另有两个子项已提前完成。"
    answer = "一是" + mx.long_answer(7, length=180)[2:]
    out, answers, keys = uno_return(form, tmp_path, lambda f, keys: [
        {"op": "comment", "cell": ro.cell_of(f, keys[0], "done"), "text": remark},
        {"op": "text", "cell": ro.cell_of(f, keys[2], "done"), "text": "详见批注"},
        {"op": "comment", "cell": ro.cell_of(f, keys[2], "done"), "text": answer}])
    [res] = collect(ledger_2026, [out])
    print(res["message"])
    assert res["status"] == "staged", res
    assert "加了批注" in res["message"] and "答案在批注中" in res["message"]
    by_new = {c["new"]: c["flags"] for c in changes_of(ledger_2026, res["submission_id"])}
    assert "answer-in-comment" in by_new[answer] and "comment" in by_new[f"批注（完成情况）：{remark}"]
    merge(ledger_2026, accept_all=True)
    got = ledger_rows(ledger_2026)
    assert got[keys[0]]["done"] == answers[keys[0]]["done"]
    assert got[keys[0]]["note"] == f"批注（完成情况）：{remark}"          # every character, on its own row
    assert got[keys[2]]["done"] == answer                               # 详见批注: the comment is the answer
    assert all(remark not in (got[k]["note"] or "") for k in keys if k != keys[0])


@needs_uno
def test_text_box_over_an_empty_cell_is_the_answer(ledger_2026, form, tmp_path):
    boxed = "一是完成土地征收12.6亩，二是签订补偿协议43户，三是管线迁改完成80%，确保6月底前具备开工条件。"
    aside = "文本框说明：第4项数据含区级平台公司投资。"
    out, answers, keys = uno_return(form, tmp_path, lambda f, keys: [
        {"op": "textbox", "cell": ro.cell_of(f, keys[1], "done"), "text": boxed},
        {"op": "textbox", "cell": ro.cell_of(f, keys[3], "problems"), "text": aside}], blank=((1, "done"),))
    [res] = collect(ledger_2026, [out])
    print(res["message"])
    assert res["status"] == "staged", res
    assert "浮动文本框" in res["message"] and "必填" not in res["message"]
    merge(ledger_2026, accept_all=True)
    got = ledger_rows(ledger_2026)
    assert got[keys[1]]["done"] == boxed
    assert got[keys[3]]["problems"] == answers[keys[3]]["problems"]
    assert got[keys[3]]["note"] == f"文本框：{aside}"


@needs_uno
def test_text_outside_the_table_is_kept_whole(ledger_2026, form, tmp_path):
    under = "其他需要说明的事项：" + mx.long_answer(11, length=160)
    below_sign = "备注：本表数据截至4月25日，经单位主要负责人审核。"
    above = "（本表已经局党组会议审议通过）"

    def ops(f, keys):
        last = ro.last_row(f)
        key_row = int(ro.cell_of(f, keys[-1], "done")[1:])
        return [{"op": "text", "cell": f"A{key_row + 1}", "text": under, "merge": f"A{key_row + 1}:H{key_row + 1}"},
                {"op": "text", "cell": f"B{last + 2}", "text": below_sign},
                {"op": "text", "cell": "D2", "text": above}]
    out, answers, keys = uno_return(form, tmp_path, ops)
    [res] = collect(ledger_2026, [out])
    print(res["message"])
    assert res["status"] == "staged", res
    assert below_sign in res["message"] and above in res["message"]   # belong to no row: whole, in the message
    merge(ledger_2026, accept_all=True)
    got = ledger_rows(ledger_2026)
    assert under in got[keys[-1]]["note"]                              # under the last task: on the last task
    for k in keys:
        assert got[k]["done"] == answers[k]["done"]


@needs_uno
def test_struck_figure_is_left_out_and_kept_as_a_note(ledger_2026, form, tmp_path):
    old, new = "累计完成投资3.2亿元，占年度计划的28%。", "累计完成投资4.1亿元，占年度计划的36%，超序时进度3个百分点。"
    out, answers, keys = uno_return(form, tmp_path, lambda f, keys: [
        {"op": "strike", "cell": ro.cell_of(f, keys[1], "done"), "old": old, "new": new}])
    [res] = collect(ledger_2026, [out])
    print(res["message"])
    assert res["status"] == "staged", res
    assert f"删除线标出的旧内容“{old}”" in res["message"]
    assert f"单位用红色标出的新内容“{new[:40]}" in res["message"]
    flags = {c["field"]: c["flags"] for c in changes_of(ledger_2026, res["submission_id"]) if c["new"] == new}
    assert "struck-old-text" in flags["done"]
    merge(ledger_2026, accept_all=True)
    got = ledger_rows(ledger_2026)
    assert got[keys[1]]["done"] == new
    assert got[keys[1]]["note"] == f"单位删除线标出的旧内容（完成情况）：{old}"


@needs_uno
def test_picture_is_named_with_its_row(ledger_2026, form, tmp_path):
    photo = ro.png(tmp_path / "现场照片.png")

    def ops(f, keys):
        return [{"op": "text", "cell": ro.cell_of(f, keys[2], "done"), "text": "详见下图"},
                {"op": "picture", "cell": ro.cell_of(f, keys[2], "problems"), "png": str(photo)},
                {"op": "picture", "cell": ro.cell_of(f, keys[2], "next_steps"), "png": str(photo)},
                {"op": "picture", "cell": ro.cell_of(f, keys[4], "problems"), "png": str(photo)}]
    out, answers, keys = uno_return(form, tmp_path, ops)
    [res] = collect(ledger_2026, [out])
    print(res["message"])
    line, other = (int(ro.cell_of(out, keys[i], "done")[1:]) for i in (2, 4))
    assert f"单位在第{line}行附了图片（2张），台账不保存图片，请在原文件中查看" in res["message"]
    assert f"单位在第{other}行附了图片，台账不保存图片，请在原文件中查看" in res["message"]
    assert "内容在图片中" in res["message"]
    merge(ledger_2026, accept_all=True)
    got = ledger_rows(ledger_2026)
    assert got[keys[2]]["done"] == "详见下图"
    assert got[keys[2]]["note"] == f"（单位在第{line}行附了图片（2张），台账不保存图片，请在原文件中查看）"
    assert got[keys[4]]["note"] == f"（单位在第{other}行附了图片，台账不保存图片，请在原文件中查看）"


# -- versions by content --------------------------------------------------------------------------
def resaved(src: Path, dst: Path, minute: int) -> Path:
    """The same workbook saved again (different bytes, same cells): openpyxl with a new 修改时间."""
    import datetime

    import openpyxl
    wb = openpyxl.load_workbook(src)
    wb.properties.modified = datetime.datetime(2026, 4, 28, 9, minute)
    wb.properties.lastModifiedBy = f"办公室{minute}"   # who saved it (each save differs in bytes)
    wb.save(dst)
    return Path(dst)


@pytest.mark.parametrize("runs", [1, 2], ids=["same-run", "later-run"])
def test_same_answers_under_other_names_is_one_version(ledger_2026, form, tmp_path, runs):
    answers = mx.answers(form, length=200)
    first = rh.fill(form, tmp_path / "发改局4月落实情况表.xlsx", answers)
    folder = tmp_path / "下载"
    folder.mkdir()
    one = resaved(first, folder / "发改局4月落实情况表(1).xlsx", 30)
    two = resaved(one, folder / "发改局4月落实情况表(2).xlsx", 45)
    assert one.read_bytes() != two.read_bytes()
    together = collect(ledger_2026, [one, two]) if runs == 1 else []
    results = together or collect(ledger_2026, [one]) + collect(ledger_2026, [two])
    by_name = {Path(r["path"]).name: r for r in results}
    print(by_name[two.name]["message"])
    assert by_name[one.name]["status"] == "staged", by_name
    assert by_name[two.name]["status"] == "duplicate", by_name
    assert f"#{by_name[one.name]['submission_id']}" in by_name[two.name]["message"]
    merge(ledger_2026, accept_all=True)   # nothing waits for the clerk's pick
    assert_merged(ledger_2026, answers)


# -- targets and roles ----------------------------------------------------------------------------
def plans(ledger, form_path: Path) -> dict[str, dict[int, str]]:
    """Accepted 计划表 targets for the unit's tasks, Q1 and Q2, written as a merged plan would: {row key: {q: text}}."""
    from sqlalchemy import insert
    t = schema.task
    out = {}
    uid = unit_id(ledger)
    with ledger.begin() as conn:
        for i, key in enumerate(rh.row_keys(form_path)):
            task_id = conn.execute(select(t.c.id).where(t.c.uid == key.split(":")[0])).scalar_one()
            out[key] = {q: f"第{q}季度：第{i + 1}项完成年度投资的{q * 20 + i}%，{'开工' if q == 1 else '主体完工'}"
                        for q in (1, 2)}
            for q, text in out[key].items():
                conn.execute(insert(schema.plan_row).values(task_id=task_id, unit_id=uid, quarter=q, target=text))
    return out


def test_reused_q1_form_targets_are_flagged_and_never_overwrite(ledger_2026, tmp_path):
    [march] = rh.generate_forms(ledger_2026, "report", "2026-03", tmp_path / "out3", unit_names=[UNIT])
    march_form = Path(march["path"])
    targets = plans(ledger_2026, march_form)
    [march] = rh.generate_forms(ledger_2026, "report", "2026-03", tmp_path / "out3b", unit_names=[UNIT])
    march_form = Path(march["path"])   # now pre-filled with the Q1 targets
    answers = mx.answers(march_form, length=200)
    filled = rh.fill(march_form, tmp_path / "filled.xlsx", answers)
    april = rh.restamp(filled, tmp_path / "发改局4月.xlsx", period=PERIOD)   # the March blank reused for April
    [res] = collect(ledger_2026, [april])
    assert res["status"] == "needs-confirmation", res   # the title says 3月: the clerk confirms April
    assert confirm(ledger_2026, res["submission_id"], unit_id(ledger_2026), "report", PERIOD).value["status"] == "staged"
    s = schema.submission
    with ledger_2026.read() as conn:
        message = conn.execute(select(s.c.message).where(s.c.id == res["submission_id"])).scalar_one()
    print(message)
    assert message.count("报回表中的季度目标是第1季度的") == len(targets)
    flagged = [c for c in changes_of(ledger_2026, res["submission_id"]) if c["field"] == "quarter_target"]
    assert len(flagged) == len(targets) and all("target-other-quarter" in c["flags"] for c in flagged)
    merge(ledger_2026, accept_all=True)
    got = ledger_rows(ledger_2026)
    assert_merged(ledger_2026, answers)
    for k in targets:
        assert got[k]["quarter_target"] != targets[k][1]   # the Q1 text never replaced April's (Q2) target


def test_changed_role_is_flagged_like_a_changed_task_text(ledger_2026, form, tmp_path):
    answers = mx.answers(form, length=160)
    keys = list(answers)
    lead = 0   # 区发展改革局 leads its first task
    filled = rh.fill(form, tmp_path / "filled.xlsx", {**answers, keys[lead]: {**answers[keys[lead]], "role": "配合"}})
    [res] = collect(ledger_2026, [filled])
    print(res["message"])
    assert res["status"] == "staged", res
    assert "责任类型由“牵头”改为“配合”" in res["message"]
    [role] = [c for c in changes_of(ledger_2026, res["submission_id"]) if c["field"] == "_role"]
    assert role["old"] == "牵头" and role["new"] == "配合" and "role-changed" in role["flags"]
    merge(ledger_2026, accept_all=True)
    a = schema.assignment
    with ledger_2026.read() as conn:
        roles = set(conn.execute(select(a.c.role).where(a.c.unit_id == unit_id(ledger_2026))).scalars())
    assert "lead" in roles
    assert_merged(ledger_2026, answers)


def test_threaded_comment_thread_is_the_note_not_excels_stub(ledger_2026, form, tmp_path):
    answers = mx.answers(form, length=180)
    keys = list(answers)
    filled = rh.fill(form, tmp_path / "typed.xlsx", answers)
    thread = ["完成投资含市级专项资金0.8亿元。", "回复：已与区财政局核对一致。"]
    out = ro.threaded_comment(filled, tmp_path / "发改局4月（线程批注）.xlsx", ro.cell_of(filled, keys[3], "problems"), thread)
    [res] = collect(ledger_2026, [out])
    print(res["message"])
    assert res["status"] == "staged", res
    merge(ledger_2026, accept_all=True)
    got = ledger_rows(ledger_2026)
    assert got[keys[3]]["note"] == "批注（存在问题）：" + "\n".join(thread)
    assert "线程批注" not in got[keys[3]]["note"]
    assert_merged(ledger_2026, answers)


@needs_uno
def test_ods_annotation_is_a_note(ledger_2026, form, tmp_path):
    remark = "批注：第2项与区住建局共同推进，数据以住建局口径为准。"
    out, answers, keys = uno_return(form, tmp_path, lambda f, keys: [
        {"op": "comment", "cell": ro.cell_of(f, keys[1], "next_steps"), "text": remark}])
    [ods] = rh.soffice_convert([out], "ods", tmp_path / "ods")
    [res] = collect(ledger_2026, [ods])
    print(res["message"])
    assert res["status"] == "staged", res
    merge(ledger_2026, accept_all=True)
    got = ledger_rows(ledger_2026)
    assert got[keys[1]]["note"] == f"批注（下一步计划）：{remark}"
    assert_merged(ledger_2026, answers)


@needs_uno
def test_xls_note_is_a_note_and_its_picture_is_named(ledger_2026, form, tmp_path):
    remark = "批注：本项为区级统计口径，不含市属企业。"
    photo = ro.png(tmp_path / "现场.png")
    out, answers, keys = uno_return(form, tmp_path, lambda f, keys: [
        {"op": "comment", "cell": ro.cell_of(f, keys[4], "done"), "text": remark},
        {"op": "picture", "cell": ro.cell_of(f, keys[5], "problems"), "png": str(photo)}])
    [xls] = rh.soffice_convert([out], "xls", tmp_path / "xls")
    [res] = collect(ledger_2026, [xls])
    print(res["message"])
    assert res["status"] == "staged", res
    assert "单位在表中附了图片，台账不保存图片，请在原文件中查看" in res["message"]   # .xls: the row is not read
    merge(ledger_2026, accept_all=True)
    got = ledger_rows(ledger_2026)
    assert got[keys[4]]["note"] == f"批注（完成情况）：{remark}"
    assert_merged(ledger_2026, answers)


def test_printed_summary_leaves_out_struck_text_and_picture_reminders():
    from core.reports.data import _with_note
    note = ("批注（完成情况）：4月数据为快报数。\n单位删除线标出的旧内容（完成情况）：累计完成投资3.2亿元。\n"
            "（单位在第8行附了图片，台账不保存图片，请在原文件中查看）\n（第18行，表格外的文字）其他需要说明的事项：无。")
    printed = _with_note("累计完成投资4.1亿元。", note)
    assert "3.2亿元" not in printed and "附了图片" not in printed
    assert "4月数据为快报数" in printed and "其他需要说明的事项：无。" in printed


def struck_cell_format(src: Path, dst: Path, cell: str) -> Path:
    """Excel's Ctrl+5 on a whole cell: the cell's format is struck through, its text has no runs of its own."""
    import openpyxl
    from openpyxl.styles import Font
    wb = openpyxl.load_workbook(src)
    ws = rh.data_sheet(wb)
    ws[cell].font = Font(name="仿宋_GB2312", size=12, strike=True)
    wb.save(dst)
    return Path(dst)


@pytest.mark.parametrize("how", ["libreoffice", "cell-format"])
def test_whole_cell_struck_through_is_emptied_and_kept_as_a_note(ledger_2026, form, tmp_path, how):
    if how == "libreoffice" and ro.uno_python() is None:
        pytest.skip("LibreOffice with python3-uno is needed")
    if how == "libreoffice":
        out, answers, keys = uno_return(form, tmp_path, lambda f, keys: [
            {"op": "strike_cell", "cell": ro.cell_of(f, keys[2], "problems")}])
    else:
        answers = mx.answers(form, length=200)
        keys = list(answers)
        filled = rh.fill(form, tmp_path / "typed.xlsx", answers)
        out = struck_cell_format(filled, tmp_path / "发改局4月.xlsx", ro.cell_of(filled, keys[2], "problems"))
    [res] = collect(ledger_2026, [out])
    print(res["message"])
    assert res["status"] == "staged", res
    merge(ledger_2026, accept_all=True)
    got = ledger_rows(ledger_2026)
    assert got[keys[2]]["problems"] == ""
    assert got[keys[2]]["note"] == f"单位删除线标出的旧内容（存在问题）：{answers[keys[2]]['problems']}"
    for k in keys[:2] + keys[3:]:
        assert got[k]["problems"] == answers[k]["problems"] and not got[k]["note"]


def test_plan_form_comment_is_shown_with_its_row(ledger_2026, tmp_path):
    """附件3 has no 备注 column of the unit's own to merge into: the comment is shown whole, with its row."""
    import openpyxl
    from openpyxl.comments import Comment

    from core.ledger.progress_view import plan_rows
    [f] = rh.generate_forms(ledger_2026, "plan", "2026", tmp_path / "out", unit_names=["区民政局"])
    src = Path(f["path"])
    keys = rh.row_keys(src)
    answers = {k: {"target": f"第{k[-1]}季度：" + mx.long_answer(i, length=130), "owner": "张三", "supervisor": "李四"}
               for i, k in enumerate(keys)}
    filled = rh.fill(src, tmp_path / "计划.xlsx", answers)
    wb = openpyxl.load_workbook(filled)
    ws = rh.data_sheet(wb)
    remark = "二季度目标含跨年结转项目2个，资金以区财政局批复为准。"
    cell = ro.cell_of(filled, keys[1], "target")
    ws[cell].comment = Comment(remark, "区民政局")   # written as Excel writes a 批注 (comments1.xml + VML)
    wb.save(tmp_path / "民政局计划（批注）.xlsx")
    [res] = collect(ledger_2026, [tmp_path / "民政局计划（批注）.xlsx"])
    print(res["message"])
    assert res["status"] == "staged", res
    assert f"第{cell[1:]}行：批注（季度目标及推进计划）：{remark}" in res["message"]
    merge(ledger_2026, accept_all=True)
    assert {r["target"] for r in plan_rows(ledger_2026, "2026")} == {a["target"] for a in answers.values()}


def test_oversized_comments_part_is_named_not_parsed(ledger_2026, form, tmp_path):
    import re
    import zipfile

    import openpyxl
    from openpyxl.comments import Comment
    answers = mx.answers(form, length=150)
    keys = list(answers)
    filled = rh.fill(form, tmp_path / "typed.xlsx", answers)
    wb = openpyxl.load_workbook(filled)
    rh.data_sheet(wb)[ro.cell_of(filled, keys[0], "done")].comment = Comment("正常批注", "单位")
    wb.save(tmp_path / "one.xlsx")
    pad = "".join(f'<comment ref="Z{i + 100}" authorId="0"><text><t>{"重复填充的批注文字" * 20}</t></text></comment>'
                  for i in range(20_000))   # ~11 MB unpacked, a few hundred kB packed
    out = tmp_path / "发改局4月（大批注）.xlsx"
    with zipfile.ZipFile(tmp_path / "one.xlsx") as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if re.match(r"xl/comments/comment\d+\.xml|xl/comments\d+\.xml", name):
                data = data.replace(b"</commentList>", pad.encode("utf-8") + b"</commentList>")
            zout.writestr(name, data)
    [res] = collect(ledger_2026, [out])
    print(res["message"])
    assert res["status"] == "staged", res
    assert "大得异常" in res["message"] and "请在原文件中查看批注" in res["message"]
    merge(ledger_2026, accept_all=True)
    assert_merged(ledger_2026, answers)


def test_split_note_keeps_a_comment_of_several_lines_beside_its_answer():
    from core.returns.mark_notes import split_note
    note = ("完成进度：45%\n批注（完成情况）：完成投资含市级专项资金0.8亿元。\n回复：已与区财政局核对一致。\n"
            "（单位在第8行附了图片，台账不保存图片，请在原文件中查看）\n文本框：第4项数据含区级平台公司投资。")
    fields, pictures, rest = split_note(note)
    assert fields == {"done": {"comment": ["完成投资含市级专项资金0.8亿元。\n回复：已与区财政局核对一致。"]}}
    assert pictures == ["单位在第8行附了图片，台账不保存图片，请在原文件中查看"]
    assert rest == ["完成进度：45%", "文本框：第4项数据含区级平台公司投资。"]
