"""办结 with evidence and its undo (audited), and the 催报 sheet and .eml drafts."""
import email
import re
import subprocess
from datetime import date, datetime
from email import policy

import openpyxl
import pytest
from sqlalchemy import select

from core.ledger import file_store
from core.ledger import schema
from core.tracking.closure import close_task, closure_of, reopen_task
from core.common.errors import UserError
from core.tracking.reminders import reminder_rows, write_reminder_emls, write_reminder_sheet
from core.tracking.states import BLUE, task_lights
from tests.helpers.tracking import assigned_units, campaign_id, dispatch, submit, task_id


def test_close_with_evidence_and_undo(ledger_2026, tmp_path):
    led = ledger_2026
    cid = campaign_id(led)
    tid = task_id(led, "livelihood", 3)
    evidence = tmp_path / "竣工验收报告.pdf"
    evidence.write_bytes(b"%PDF-1.4 evidence")
    close_task(led, tid, "2026-06-30", "已竣工验收", evidence)
    info = closure_of(led, tid)
    assert info["day"] == date(2026, 6, 30) and info["note"] == "已竣工验收"
    assert info["evidence_name"] == "竣工验收报告.pdf"
    assert info["evidence_path"].read_bytes() == b"%PDF-1.4 evidence"
    assert file_store.verify(led, info["evidence_hash"])
    assert task_lights(led, cid, "2026-07", date(2026, 7, 10))[tid]["light"] == BLUE
    assert task_lights(led, cid, "2026-05", date(2026, 6, 5))[tid]["light"] != BLUE  # not yet closed then
    with pytest.raises(UserError, match="已于2026-06-30办结"):
        close_task(led, tid, date(2026, 7, 1), "again")
    reopen_task(led, tid, "误操作")
    assert closure_of(led, tid) is None
    assert task_lights(led, cid, "2026-07", date(2026, 7, 10))[tid]["light"] != BLUE
    with pytest.raises(UserError):
        reopen_task(led, tid)
    with led.read() as conn:
        audit = conn.execute(select(schema.audit.c.field, schema.audit.c.old, schema.audit.c.new,
                                    schema.audit.c.source_kind)
                             .where(schema.audit.c.table_name == "task", schema.audit.c.field.like("closed%"))
                             .order_by(schema.audit.c.id)).all()
    assert [(a.field, a.source_kind) for a in audit] == [
        ("closed_on", "closure"), ("closed_note", "closure"), ("closed_evidence", "closure"),
        ("closed_on", "undo"), ("closed_note", "undo"), ("closed_evidence", "undo")]
    assert audit[0].new == "2026-06-30" and audit[3].old == "2026-06-30"


def test_close_refuses_bad_input_and_leaves_ledger(ledger_2026, tmp_path):
    tid = task_id(ledger_2026, "key", 5)
    with pytest.raises(UserError, match="格式不对"):
        close_task(ledger_2026, tid, "6月30日", "x")
    with pytest.raises(UserError, match="找不到佐证材料"):
        close_task(ledger_2026, tid, "2026-06-30", "x", tmp_path / "none.pdf")
    with pytest.raises(UserError, match="找不到该任务"):
        close_task(ledger_2026, 999999, "2026-06-30", "x")
    assert closure_of(ledger_2026, tid) is None


def test_reminder_sheet_and_drafts(ledger_2026, tmp_path):
    led = ledger_2026
    cid = campaign_id(led)
    units = assigned_units(led, cid)
    dispatch(led, cid, "report", "2026-03", units)
    for u in units[3:]:
        submit(led, cid, u, "report", "2026-03", datetime(2026, 4, 2, 9))
    submit(led, cid, units[2], "report", "2026-03", datetime(2026, 4, 2, 9), "returned")
    with led.begin() as conn:  # a contact name that looks like a formula stays text
        conn.execute(schema.unit.update().where(schema.unit.c.id == units[0]).values(
            contact="=HYPERLINK(\"x\")", phone="0631-1234567", email="a@example.cn"))
    rows = reminder_rows(led, cid, "2026-03", date(2026, 4, 13), forms=("report",))
    assert [r["unit_id"] for r in rows] == units[:3]
    assert rows[0]["state"] == "未报（逾期 3 个工作日）" and rows[2]["state"] == "退回待改"
    out = write_reminder_sheet(rows, tmp_path / "催报单.xlsx", date(2026, 4, 13), "2026年3月落实情况表催报单")
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    assert ws["A1"].value == "2026年3月落实情况表催报单"
    assert "2026年4月13日" in ws["A2"].value
    assert [c.value for c in ws[3]] == ["序号", "责任单位", "应报表格", "报送截止", "目前状态", "联系人", "联系电话", "备注"]
    assert ws["B4"].value == rows[0]["unit"] and ws["F4"].value == "=HYPERLINK(\"x\")" and ws["F4"].data_type == "s"
    assert ws["G4"].value == "0631-1234567" and ws["D4"].value == "2026年4月8日"
    assert ws["C4"].value == "2026年年度工作任务落实情况表（3月）"  # the notice's name of 附件4
    assert ws["B4"].font.name == "仿宋_GB2312"
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.max_row == 6
    drafts = write_reminder_emls(rows, tmp_path / "eml", date(2026, 4, 13))
    assert len(drafts) == 3
    msg = email.message_from_bytes(drafts[0]["path"].read_bytes(), policy=policy.default)
    assert msg["To"] == "a@example.cn" and msg["X-Unsent"] == "1"
    assert "催报" in msg["Subject"] and "2026年年度工作任务落实情况表（3月）" in msg["Subject"]
    body = msg.get_body().get_content()
    assert "逾期 3 个工作日" in body and "2026年4月8日" in body
    assert "退回修改" in email.message_from_bytes(drafts[2]["path"].read_bytes(), policy=policy.default).get_body().get_content()


def ws_print_titles(path) -> str:
    """The rows the sheet repeats at the top of every printed page."""
    return openpyxl.load_workbook(path).active.print_title_rows or ""


@pytest.mark.layout
def test_reminder_sheet_prints_on_a4(tmp_path):
    """LibreOffice renders the sheet: one landscape page wide, text not cut."""
    rows = [{"unit": f"区第{i}局", "form": "report", "period": "2026-03", "due": date(2026, 4, 8),
             "state": "未报（逾期 3 个工作日）", "contact": "张三", "phone": "13800000000", "code": "overdue",
             "late_workdays": 3, "email": ""} for i in range(12)]
    out = write_reminder_sheet(rows, tmp_path / "催报单.xlsx", date(2026, 4, 13))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=120)
    info = subprocess.run(["pdfinfo", str(tmp_path / "催报单.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"^Page size:\s+841\.\d+ x 595\.\d+ pts \(A4\)", info, re.M)
    # 12 rows, each as tall as its two-line 应报表格: at most two pages whatever CJK font the PC has (two with the
    # fonts here); one page wide (fit to width: 备注, the last column, on every page), the header on every page
    pages = int(re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1))
    assert 1 <= pages <= 2, pages
    assert ws_print_titles(out) == "$3:$3"
    for n in range(1, pages + 1):
        page = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(tmp_path / "催报单.pdf"), "-"],
                              capture_output=True, text=True).stdout
        assert "责任单位" in page and "目前状态" in page and "备注" in page, n
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "催报单.pdf"), "-"], capture_output=True,
                          text=True).stdout
    assert all(f"区第{i}局" in text for i in range(12)) and text.count("13800000000") == 12
    assert "年度工作任务落实情况催报单" in text


@pytest.mark.layout
def test_reminder_sheet_rows_hold_a_phone_list_and_a_partial_return(tmp_path):
    """The address book's phone cell (office line / mobile) wraps to three lines in its column, and a partly
    returned form's state to two: each row is made that tall, as no office suite grows a row on opening (LibreOffice
    printed the middle line only, cut at top and bottom, when every row was 30 pt)."""
    rows = [{"unit": "区发展改革局", "form": "report", "period": "2026-05", "due": date(2026, 6, 5),
             "state": "退回 2 行待改（逾期已报）", "contact": "联系人01", "phone": "0531-80000001 / 13800000001",
             "code": "reported_late", "late_workdays": 0, "email": "", "returned_rows": 2},
            {"unit": "区财政局", "form": "report", "period": "2026-05", "due": date(2026, 6, 5),
             "state": "未报（逾期 9 个工作日）", "contact": "张三", "phone": "", "code": "overdue",
             "late_workdays": 9, "email": "", "returned_rows": 0}]
    out = write_reminder_sheet(rows, tmp_path / "催报单.xlsx", date(2026, 6, 20))
    ws = openpyxl.load_workbook(out).active
    assert ws["G4"].value == "0531-80000001 / 13800000001"
    assert ws.row_dimensions[4].height >= 3 * 12 * 1.2          # three lines of 12 pt
    assert 30 <= ws.row_dimensions[5].height < ws.row_dimensions[4].height
