"""Issue 29 point 4: 催报 chases everything still owed on the day — every unit with any overdue form (the plan or
any month), what is missing and how late, one 催报单 line and one e-mail per unit."""
from __future__ import annotations

import email
from datetime import date, datetime
from email import policy

import openpyxl

from core.ledger.queries import list_units
from core.tracking.reminders import (
    earlier_months_owed, outstanding_rows, outstanding_title, write_reminder_emls, write_reminder_sheet,
)
from tests.helpers.tracking import assigned_units, campaign_id, dispatch, submit

TODAY = date(2026, 12, 10)   # November's forms were due 7 December: October and November are both overdue


def test_december_chases_october_and_november_per_unit(ledger_2026, tmp_path):
    led = ledger_2026
    cid = campaign_id(led)
    units = assigned_units(led, cid)
    for period in ("2026-10", "2026-11"):
        dispatch(led, cid, "report", period, units)
    no_october, neither, sent_back = units[:3]
    for u in units:
        if u not in (no_october, neither):
            submit(led, cid, u, "report", "2026-10", datetime(2026, 11, 4, 9),
                   "returned" if u == sent_back else "merged")
        if u != neither:
            submit(led, cid, u, "report", "2026-11", datetime(2026, 12, 3, 9))
    names = {u["id"]: u["name"] for u in list_units(led)}

    rows = outstanding_rows(led, cid, TODAY)
    owed = sorted((names[r["unit_id"]], r["period"], r["state"]) for r in rows)
    assert owed == sorted([(names[no_october], "2026-10", "未报（逾期 24 个工作日）"),
                           (names[neither], "2026-10", "未报（逾期 24 个工作日）"),
                           (names[neither], "2026-11", "未报（逾期 3 个工作日）"),
                           (names[sent_back], "2026-10", "退回待改")])
    # the 督办 tile with November selected: units still owing an earlier month
    assert earlier_months_owed(rows, "2026-11") == {no_october, neither, sent_back}

    sheet = write_reminder_sheet(rows, tmp_path / "催报单.xlsx", TODAY, outstanding_title(TODAY), per_unit=True)
    ws = openpyxl.load_workbook(sheet).active
    assert ws["A1"].value == "年度工作任务催报单（截至2026年12月10日仍未报送）"
    assert "共 3 个单位、4 份表格" in ws["A2"].value
    lines = {ws.cell(r, 2).value: (ws.cell(r, 3).value, ws.cell(r, 5).value) for r in range(4, ws.max_row + 1)}
    assert set(lines) == {names[no_october], names[neither], names[sent_back]}   # one line per unit
    forms, states = lines[names[neither]]
    assert forms.split("\n") == ["2026年年度工作任务落实情况表（10月）", "2026年年度工作任务落实情况表（11月）"]
    assert states.split("\n") == ["未报（逾期 24 个工作日）", "未报（逾期 3 个工作日）"]

    drafts = write_reminder_emls(rows, tmp_path / "eml", TODAY, per_unit=True)
    assert sorted(d["unit"] for d in drafts) == sorted(lines)             # one e-mail per unit
    mail = next(d for d in drafts if d["unit"] == names[neither])
    msg = email.message_from_bytes(mail["path"].read_bytes(), policy=policy.default)
    body = msg.get_body().get_content()
    assert "2份表格" in msg["Subject"] and "（10月）" in msg["Subject"] and "（11月）" in msg["Subject"]
    assert "落实情况表（10月）（应于2026年11月6日前报送）：尚未报送，已逾期 24 个工作日" in body
    assert "落实情况表（11月）（应于2026年12月7日前报送）：尚未报送，已逾期 3 个工作日" in body
