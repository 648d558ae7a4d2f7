"""下发: each workbook read back with calamine and openpyxl: rows, pre-fill, validation, protection, print setup, stamp."""
from __future__ import annotations

import email
import email.policy
import hashlib
import json
import math
import re
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import insert, select, update

from core.ledger import schema
from core.common.errors import Cancelled, UserError
from core.forms.generate import generate
from core.forms.stamp import ROW_KEY_HEADER, Stamp, parse_row_key_quarter
from tests.conftest import ROOT
from tests.helpers.generate import calamine_rows, data_part, expected_tasks, stamp_carriers_xlsx

PLAN_LABELS = ["分解序号", "《政府工作报告》重点任务、民生实事项目", "责任类型", "时间", "季度目标及推进计划",
               "主要负责人", "分管负责人", ROW_KEY_HEADER]
REPORT_LABELS = ["序号", "《政府工作报告》重点任务、民生实事项目", "责任类型", "季度计划完成目标", "完成情况",
                 "存在问题", "下一步计划", "是否完成阶段任务目标", ROW_KEY_HEADER]
QUARTERS = ["一季度", "二季度", "三季度", "四季度"]


def _units_with_tasks(ledger):
    from core.ledger.queries import list_units
    return [u for u in list_units(ledger) if u["tasks_lead"] + u["tasks_co"]]


def _unit_id(ledger, name):
    with ledger.read() as conn:
        return conn.execute(select(schema.unit.c.id).where(schema.unit.c.name == name)).scalar_one()


def _set_campaign(ledger, **values):
    with ledger.begin() as conn:
        conn.execute(update(schema.campaign).values(**values))


def _add_plan(ledger, uid, unit_name, targets, owner="张三", supervisor="李四", remark=""):
    with ledger.begin() as conn:
        tid = conn.execute(select(schema.task.c.id).where(schema.task.c.uid == uid)).scalar_one()
        unit_id = conn.execute(select(schema.unit.c.id).where(schema.unit.c.name == unit_name)).scalar_one()
        for q, target in enumerate(targets, start=1):
            conn.execute(insert(schema.plan_row).values(task_id=tid, unit_id=unit_id, quarter=q, target=target,
                                                        owner=owner, supervisor=supervisor, remark=remark))


def _check_sheet_common(path, ws, head_rows: int, first_data: int, n_data: int, unit_name: str):
    """openpyxl: protection, print setup, hidden key column, the four stamp carriers."""
    assert ws.protection.sheet is True
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1) and int(ws.page_setup.fitToHeight) == 0
    top = first_data - head_rows
    assert ws.print_title_rows == f"${top}:${top + head_rows - 1}"
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert "第" in ws.oddFooter.center.text
    carriers = stamp_carriers_xlsx(path)
    assert all(carriers.values()), carriers
    encoded = {v for k, v in carriers.items() if k != "key_column"}
    assert len(encoded) == 1
    stamp = Stamp.decode(encoded.pop())
    assert stamp is not None and stamp.unit_name == unit_name
    assert path.parent.joinpath(path.name).exists()
    wb = ws.parent
    assert wb["_dcta"].sheet_state == "hidden"
    return stamp


def test_plan_for_every_unit_rows_layout(ledger_2026, tmp_path, monkeypatch):
    monkeypatch.setenv("DUCHA_CLERK", "王芳")
    results = generate(ledger_2026, "plan", None, tmp_path)
    units = _units_with_tasks(ledger_2026)
    assert sorted(r["unit"] for r in results) == sorted(u["name"] for u in units)
    folders = {Path(r["path"]).parent for r in results}
    assert len(folders) == 1 and folders.pop().parent == tmp_path
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp leftovers
    emails = {u["name"]: u["email"] for u in units}
    for r in results:
        path = Path(r["path"])
        assert re.fullmatch(r"\d{2}-.+-落实计划表-2026年\.xlsx", path.name), path.name
        assert r["period"] == "2026" and r["form"] == "plan"
        rows = calamine_rows(path)
        flat = [str(v) for row in rows for v in row]
        assert "2026年年度工作任务落实计划表" in flat
        assert f"填报单位：{r['unit']}" in flat
        assert any(v.startswith("填报时间") for v in flat)
        assert {"填报人：", "联系电话：", "负责人签字："} <= set(flat)   # each label its own cell, inputs beside
        labels, data, first = data_part(rows)
        for label in PLAN_LABELS:
            assert label in labels, (label, labels)
        expected = expected_tasks(ledger_2026, r["unit"])
        assert r["tasks"] == len(expected) and len(data) == 4 * len(expected)
        keys = [parse_row_key_quarter(row[labels[ROW_KEY_HEADER]]) for row in data]
        unit_id = _unit_id(ledger_2026, r["unit"])
        assert all(k is not None and k[1] == unit_id for k in keys)
        assert [k[0] for k in keys[::4]] == [t["uid"] for t in expected]
        assert [k[2] for k in keys] == [1, 2, 3, 4] * len(expected)
        assert [row[labels["时间"]] for row in data] == QUARTERS * len(expected)
        for i, t in enumerate(expected):
            block = data[4 * i: 4 * i + 4]
            assert block[0][labels["《政府工作报告》重点任务、民生实事项目"]] == t["text"]
            assert block[0][labels["责任类型"]] == ("牵头" if t["lead"] else "配合")
            assert str(block[0][labels["分解序号"]]).replace(".0", "").endswith(str(t["seq"]))
            assert all(b[labels["《政府工作报告》重点任务、民生实事项目"]] == "" for b in block[1:])
        # key tasks before livelihood projects, lead tasks first within each
        order = [(t["kind"] != "key", not t["lead"]) for t in expected]
        assert order == sorted(order)

        wb = openpyxl.load_workbook(path)
        ws = wb.worksheets[0]
        stamp = _check_sheet_common(path, ws, 1, first + 1, len(data), r["unit"])
        assert (stamp.year, stamp.form, stamp.period, stamp.unit_id) == (2026, "plan", "2026", unit_id)
        assert stamp.template_version.startswith("附件3-v1-") and stamp.fingerprint == r["fingerprint"]
        key_letter = openpyxl.utils.get_column_letter(labels[ROW_KEY_HEADER] + 1)
        assert ws.column_dimensions[key_letter].hidden
        row1 = first + 1
        def col(name: str, labels: dict = labels) -> int:
            return labels[name] + 1

        assert ws.cell(row1, col("季度目标及推进计划")).protection.locked is False
        assert ws.cell(row1, col("主要负责人")).protection.locked is False
        assert ws.cell(row1, col("分管负责人")).protection.locked is False
        assert ws.cell(row1, col("《政府工作报告》重点任务、民生实事项目")).protection.locked is True
        assert ws.cell(row1, col("时间")).protection.locked is True
        assert ws.cell(row1, col("《政府工作报告》重点任务、民生实事项目")).font.name == "仿宋_GB2312"
        assert ws.cell(row1, col("《政府工作报告》重点任务、民生实事项目")).alignment.wrap_text
        title = next(c for row in ws.iter_rows() for c in row if c.value == "2026年年度工作任务落实计划表")
        assert title.font.name == "方正小标宋简体"
        # the row holding the task text is tall enough for it (CJK chars ~ font size wide)
        width = ws.column_dimensions[openpyxl.utils.get_column_letter(col("《政府工作报告》重点任务、民生实事项目"))].width
        for i, t in enumerate(expected):
            r_ = first + 1 + 4 * i
            lines = math.ceil(len(t["text"]) * 16 / (width * 7 + 5))
            assert ws.row_dimensions[r_].height >= lines * 12, (r["unit"], t["seq"])
        # the draft beside it
        msg = email.message_from_bytes(Path(r["eml"]).read_bytes())
        assert msg["To"] == emails[r["unit"]] and msg["X-Unsent"] == "1"
        att = [p for p in msg.walk() if p.get_filename()]
        assert att and att[0].get_filename() == path.name
        assert att[0].get_payload(decode=True) == path.read_bytes()

    # the dispatch record: one dispatch, one item per workbook with its hash, audit rows, one transaction
    with ledger_2026.read() as conn:
        dispatches = conn.execute(select(schema.dispatch)).mappings().all()
        items = conn.execute(select(schema.dispatch_item)).mappings().all()
        audits = conn.execute(select(schema.audit).where(
            schema.audit.c.table_name.in_(["dispatch", "dispatch_item"]))).mappings().all()
    assert len(dispatches) == 1 and dispatches[0]["form"] == "plan" and dispatches[0]["period"] == "2026"
    assert len(items) == len(results)
    by_path = {i["path"]: i for i in items}
    for r in results:
        assert by_path[r["path"]]["file_hash"] == hashlib.sha256(Path(r["path"]).read_bytes()).hexdigest()
        assert by_path[r["path"]]["tasks"] == r["tasks"] and by_path[r["path"]]["email"] == r["email"]
    assert len(audits) == len(results) + 1 and len({a["batch"] for a in audits}) == 1
    assert {a["clerk"] for a in audits} == {"王芳"}   # every audit row names the clerk, the items' too
    no_email = [r["unit"] for r in results if not r["email"]]
    assert no_email and all(not emails[n] for n in no_email)


def test_report_prefills_quarter_target_with_validation_and_notes(ledger_2026, tmp_path):
    unit = "区财政局"
    tasks = expected_tasks(ledger_2026, unit)
    planned = tasks[0]
    _add_plan(ledger_2026, planned["uid"], unit, ["一季度：完成预算编制", "=SUM(A1:A3)", "+86 三季度", "@四季度"])
    results = generate(ledger_2026, "report", "2026-03", tmp_path, unit_names=[unit, "区发展改革局"])
    assert [r["unit"] for r in results] == ["区发展改革局", unit]  # directory order, not the order asked
    path = Path(results[1]["path"])
    assert path.name.endswith("-落实情况表-2026年3月.xlsx")
    rows = calamine_rows(path)
    flat = [str(v) for row in rows for v in row]
    assert "2026年年度工作任务落实情况表" in flat and "（3月）" in flat and f"填报单位：{unit}" in flat
    labels, data, first = data_part(rows)
    for label in REPORT_LABELS:
        assert label in labels
    assert [parse_row_key_quarter(row[labels[ROW_KEY_HEADER]])[0] for row in data] == [t["uid"] for t in tasks]
    target = labels["季度计划完成目标"]
    assert data[0][target] == "一季度：完成预算编制"
    assert data[1][target] == "（计划表尚未报送）"
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    _check_sheet_common(path, ws, 1, first + 1, len(data), unit)
    note = ws.cell(first + 2, target + 1)
    # issue 29: the missing-plan note is a grey locked cell, never the cream input colour a unit types in
    assert note.font.i and note.font.color.rgb.endswith("808080") and note.protection.locked is True
    assert note.fill.fgColor.rgb.endswith("EDEDED"), note.fill.fgColor.rgb
    assert ws.cell(first + 1, target + 1).protection.locked is True
    for name in ("完成情况", "存在问题", "下一步计划", "是否完成阶段任务目标"):
        assert ws.cell(first + 1, labels[name] + 1).protection.locked is False
    dv = ws.data_validations.dataValidation
    assert len(dv) == 1 and dv[0].type == "list" and dv[0].formula1 == '"是,否"'
    letter = openpyxl.utils.get_column_letter(labels["是否完成阶段任务目标"] + 1)
    assert str(dv[0].sqref) == f"{letter}{first + 1}:{letter}{first + len(data)}"

    # April is in the second quarter: formula-looking plan text is written as text, never a formula
    results = generate(ledger_2026, "report", "2026-04", tmp_path, unit_names=[unit])
    path = Path(results[0]["path"])
    labels, data, first = data_part(calamine_rows(path))
    assert data[0][labels["季度计划完成目标"]] == "=SUM(A1:A3)"
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet
    cell = openpyxl.load_workbook(path).worksheets[0].cell(first + 1, labels["季度计划完成目标"] + 1)
    assert cell.data_type == "s" and cell.value == "=SUM(A1:A3)"
    assert Stamp.decode(stamp_carriers_xlsx(path)["property"]).period == "2026-04"


def test_formula_looking_task_text_stays_text(ledger_2026, tmp_path):
    unit = "区财政局"
    uid = expected_tasks(ledger_2026, unit)[0]["uid"]
    with ledger_2026.begin() as conn:
        conn.execute(update(schema.task).where(schema.task.c.uid == uid).values(text="=HYPERLINK(\"http://x\",\"点\")"))
    for form, period in (("plan", None), ("report", "2026-05")):
        path = Path(generate(ledger_2026, form, period, tmp_path, unit_names=[unit], with_eml=False)[0]["path"])
        labels, data, _ = data_part(calamine_rows(path))
        assert data[0][labels["《政府工作报告》重点任务、民生实事项目"]] == "=HYPERLINK(\"http://x\",\"点\")"
        with zipfile.ZipFile(path) as z:
            assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()


def test_lead_gathering_gives_co_unit_rows_to_the_lead(ledger_2026, tmp_path):
    _set_campaign(ledger_2026, lead_gathering=True)
    results = generate(ledger_2026, "report", "2026-03", tmp_path, with_eml=False)
    from core.ledger.queries import list_tasks
    tasks = list_tasks(ledger_2026)
    seen: dict[tuple[str, int], str] = {}
    for r in results:
        labels, data, _ = data_part(calamine_rows(Path(r["path"])))
        for row in data:
            uid, unit_id, _q = parse_row_key_quarter(row[labels[ROW_KEY_HEADER]])
            assert (uid, unit_id) not in seen
            seen[(uid, unit_id)] = r["unit"]
            kind = row[labels["责任类型"]]
            assert kind == "牵头" or kind == "配合" or kind.startswith("配合：")
    # every assignment is reported exactly once, by the task's first lead unit when it has one
    for t in tasks:
        leads = [u["name"] for u in t["units"] if u["lead"]]
        for u in t["units"]:
            reporter = seen[(t["uid"], _unit_id(ledger_2026, u["name"]))]
            assert reporter == (u["name"] if u["lead"] or not leads else leads[0])
    co_only = [u["name"] for u in _units_with_tasks(ledger_2026) if not u["tasks_lead"]]
    formed = {r["unit"] for r in results}
    assert any(name not in formed for name in co_only)
    # the lead's sheet names the co-unit on each gathered row
    lead = "区发展改革局"
    r = next(x for x in results if x["unit"] == lead)
    labels, data, _ = data_part(calamine_rows(Path(r["path"])))
    t1 = tasks[0]
    rows_t1 = [row for row in data if row[labels[ROW_KEY_HEADER]].startswith(t1["uid"] + ":")]
    assert [row[labels["责任类型"]] for row in rows_t1] == ["牵头"] + [f"配合：{u['name']}" for u in t1["units"][1:]]
    assert r["tasks"] < len(data)


def test_closed_and_inactive_tasks_leave_later_forms(ledger_2026, tmp_path):
    unit = "区财政局"
    tasks = expected_tasks(ledger_2026, unit)
    closed, inactive = tasks[0], tasks[1]
    with ledger_2026.begin() as conn:
        conn.execute(update(schema.task).where(schema.task.c.uid == closed["uid"]).values(closed_on=date(2026, 2, 15)))
        conn.execute(update(schema.task).where(schema.task.c.uid == inactive["uid"]).values(active=False))

    def uids(form, period):
        r = generate(ledger_2026, form, period, tmp_path, unit_names=[unit], with_eml=False)[0]
        labels, data, _ = data_part(calamine_rows(Path(r["path"])))
        return {parse_row_key_quarter(row[labels[ROW_KEY_HEADER]])[0] for row in data}

    feb, mar, plan = uids("report", "2026-02"), uids("report", "2026-03"), uids("plan", "2026")
    assert closed["uid"] in feb and closed["uid"] not in mar and closed["uid"] not in plan
    assert inactive["uid"] not in feb | mar | plan
    assert mar == {t["uid"] for t in tasks[2:]}


def test_columns_layout_plan(ledger_2026, tmp_path):
    _set_campaign(ledger_2026, plan_layout="columns")
    unit = "区财政局"
    tasks = expected_tasks(ledger_2026, unit)
    _add_plan(ledger_2026, tasks[0]["uid"], unit, ["Q1目标", "Q2目标", "", "Q4目标"], remark="需市级支持")
    r = generate(ledger_2026, "plan", "2026", tmp_path, unit_names=[unit])[0]
    path = Path(r["path"])
    labels, data, first = data_part(calamine_rows(path))
    for label in ["分解序号", "季度目标及推进计划", *QUARTERS, "主要负责人", "分管负责人", "备注", "责任类型"]:
        assert label in labels
    assert len(data) == len(tasks)
    assert [parse_row_key_quarter(row[labels[ROW_KEY_HEADER]]) for row in data] == \
        [(t["uid"], _unit_id(ledger_2026, unit), None) for t in tasks]
    row = data[0]
    assert [row[labels[q]] for q in QUARTERS] == ["Q1目标", "Q2目标", "", "Q4目标"]
    assert (row[labels["主要负责人"]], row[labels["分管负责人"]], row[labels["备注"]]) == ("张三", "李四", "需市级支持")
    ws = openpyxl.load_workbook(path).worksheets[0]
    _check_sheet_common(path, ws, 2, first + 1, len(data), unit)
    for q in QUARTERS + ["备注"]:
        assert ws.cell(first + 1, labels[q] + 1).protection.locked is False


def test_changed_template_label_and_width_show_up(ledger_2026, tmp_path):
    import shutil
    from core.common.paths import TEMPLATES
    tdir = tmp_path / "templates"
    shutil.copytree(TEMPLATES, tdir)
    tpath = tdir / "附件4-落实情况表.xlsx"
    wb = openpyxl.load_workbook(tpath)
    ws = wb.worksheets[0]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "存在问题")
    cell.value = "存在的主要问题"
    ws.column_dimensions[cell.column_letter].width = 31
    wb.save(tpath)
    default = Path(generate(ledger_2026, "report", "2026-03", tmp_path / "a", unit_names=["区财政局"])[0]["path"])
    changed = Path(generate(ledger_2026, "report", "2026-03", tmp_path / "b", unit_names=["区财政局"],
                            templates_dir=tdir)[0]["path"])
    labels_a, _, _ = data_part(calamine_rows(default))
    labels_b, _, _ = data_part(calamine_rows(changed))
    assert "存在问题" in labels_a and "存在的主要问题" not in labels_a
    assert "存在的主要问题" in labels_b and "存在问题" not in labels_b
    wa, wb_ = openpyxl.load_workbook(default).worksheets[0], openpyxl.load_workbook(changed).worksheets[0]
    assert abs(wa.column_dimensions[cell.column_letter].width - 31) > 5
    assert abs(wb_.column_dimensions[cell.column_letter].width - 31) < 1
    va = Stamp.decode(stamp_carriers_xlsx(default)["property"]).template_version
    vb = Stamp.decode(stamp_carriers_xlsx(changed)["property"]).template_version
    assert va != vb and vb.startswith("附件4-v1-")
    # the same through the ledger setting
    ledger_2026.set_setting("templates_dir", str(tdir))
    third = Path(generate(ledger_2026, "report", "2026-03", tmp_path / "c", unit_names=["区财政局"])[0]["path"])
    assert "存在的主要问题" in data_part(calamine_rows(third))[0]
    # a template without its DCTA_KEY header is refused with a message
    ws[next(c.coordinate for row in ws.iter_rows() for c in row if c.value == ROW_KEY_HEADER)] = "x"
    wb.save(tpath)
    with pytest.raises(UserError, match="DCTA_KEY"):
        generate(ledger_2026, "report", "2026-03", tmp_path / "d", templates_dir=tdir)


def test_password_from_setting(ledger_2026, tmp_path):
    ledger_2026.set_setting("form_password", "dc2026")
    path = Path(generate(ledger_2026, "plan", None, tmp_path, unit_names=["区财政局"], with_eml=False)[0]["path"])
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert ws.protection.sheet and ws.protection.password


def test_cancel_leaves_no_files_and_no_record(ledger_2026, tmp_path):
    from core.common.work import Work
    calls: list[int] = []

    def progress(done, total, label=""):
        calls.append(done)
        if len(calls) >= 3:
            work.cancel()
    work = Work(progress)
    with pytest.raises(Cancelled):
        generate(ledger_2026, "report", "2026-03", tmp_path / "out", work=work)
    assert calls == [1, 2, 3]
    assert list((tmp_path / "out").iterdir()) == []
    with ledger_2026.read() as conn:
        assert conn.execute(select(schema.dispatch)).first() is None


def test_refused_input_leaves_ledger_unchanged(ledger_2026, tmp_path):
    for form, period, units in (("report", None, None), ("report", "2026-13", None), ("plan", "26", None),
                                ("summary", "2026-03", None), ("report", "2026-03", ["不存在的局"])):
        with pytest.raises(UserError):
            generate(ledger_2026, form, period, tmp_path / "out", unit_names=units)
    with ledger_2026.read() as conn:
        assert conn.execute(select(schema.dispatch)).first() is None
    assert not (tmp_path / "out").exists()


def test_cli_generate_json(ledger_2026, tmp_path):
    ledger_2026.close()
    out = subprocess.run([sys.executable, str(ROOT / "app.py"), "--ledger", ledger_2026.location, "generate",
                          "--form", "report", "--period", "2026-03", "--out", str(tmp_path / "o"),
                          "--unit", "区财政局", "--unit", "区发展改革局", "--json"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [d["unit"] for d in data] == ["区发展改革局", "区财政局"]
    for d in data:
        assert {"unit", "form", "period", "path", "tasks"} <= set(d)
        assert d["form"] == "report" and d["period"] == "2026-03" and d["tasks"] > 0
    bad = subprocess.run([sys.executable, str(ROOT / "app.py"), "--ledger", ledger_2026.location, "generate",
                          "--form", "report", "--out", str(tmp_path / "o")], capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "2026-03" in bad.stderr


def test_the_email_names_the_actual_deadline_and_reads_plainly(ledger_2026, tmp_path):
    """Issue 29 point 8: the report e-mail names the date the working-day calendar gives (2026-10: 5 working days
    after 31 October = 6 November), not "次月初5个工作日内"; the sentence about what not to touch is not garbled."""
    import app
    unit = "区财政局"
    path = ledger_2026.location
    ledger_2026.close()
    out = tmp_path / "发件箱"
    assert app.main(["--ledger", str(path), "generate", "--form", "report", "--period", "2026-10",
                     "--out", str(out), "--unit", unit]) == 0
    eml = next(out.rglob("*.eml"))
    msg = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    body = next(p for p in msg.walk() if p.get_content_type() == "text/plain").get_content()
    assert "于2026年11月6日前" in body, body
    assert "次月初" not in body and "文件名以外的隐藏内容" not in body
    assert "不要改动表格结构" in body and "不要改动文件名" in body
