"""Three months of a real campaign: 下发 → filled returns → 收文 → 合并, some units late, one 否 twice, one 办结, 催报."""
import email
import os
from datetime import date, datetime
from email import policy
from pathlib import Path

import openpyxl
import pytest

from core.tracking.closure import close_task
from core.returns.collect import collect
from core.forms.generate import generate
from core.returns.merge import merge
from core.ledger.queries import list_tasks, list_units
from core.tracking.reminders import reminder_rows, write_reminder_emls, write_reminder_sheet
from core.forms.stamp import parse_row_key
from core.tracking.states import dashboard_data, mark_returned, submission_matrix, task_lights
from tests.helpers import returns as rh
from tests.helpers.tracking import by_unit, campaign_id

U1, U2, U3, U4 = "区金融运行监测中心", "区行政审批服务局", "区园林绿化服务中心", "区残联"


def _send(ledger, form, period, out, names):
    return {r["unit"]: Path(r["path"]) for r in generate(ledger, form, period, out, unit_names=names, with_eml=False)}


def _return(src: Path, dst: Path, when: datetime, answers_of) -> Path:
    """A unit fills its workbook (openpyxl) and its email arrives at `when` (the file's time)."""
    answers = {}
    for key in rh.row_keys(src):
        uid = parse_row_key(key)[0]
        answers[key] = answers_of(uid, key)
    rh.fill(src, dst, answers)
    os.utime(dst, (when.timestamp(), when.timestamp()))
    return dst


def _report(done="按计划推进", yes="是"):
    return {"done": done, "problems": "", "next_steps": "继续推进", "on_track": yes}


def _collect(ledger, paths):
    results = collect(ledger, paths)
    assert all(r["status"] in ("staged", "unchanged") for r in results), results
    return {r["unit"]: r["submission_id"] for r in results}


@pytest.fixture
def campaign(ledger_2026, tmp_path):
    led = ledger_2026
    cid = campaign_id(led)
    tasks = list_tasks(led)
    lead_of = {name: [t for t in tasks if any(u["name"] == name and u["lead"] for u in t["units"])]
               for name in (U1, U2, U3, U4)}
    assert [len(lead_of[n]) for n in (U1, U2, U3, U4)] == [2, 2, 2, 2]
    return led, cid, lead_of, tmp_path


def test_three_month_campaign(campaign):
    led, cid, lead_of, tmp = campaign
    red_task, other_task = lead_of[U1]
    closed_task, kept_task = lead_of[U2]
    names = [U1, U2, U3, U4]
    uid_of = {t["uid"]: t for t in list_tasks(led)}

    # 计划表: due 6 March; U3 late, U4 never
    plans = _send(led, "plan", "2026", tmp / "out", names)
    plan_answer = lambda uid, key: {"target": f"第{key[-1]}季度目标", "owner": "张三", "supervisor": "李四"}  # noqa: E731
    _collect(led, [_return(plans[U1], tmp / "p1.xlsx", datetime(2026, 3, 4, 9), plan_answer),
                   _return(plans[U2], tmp / "p2.xlsx", datetime(2026, 3, 6, 17), plan_answer),
                   _return(plans[U3], tmp / "p3.xlsx", datetime(2026, 3, 10, 9), plan_answer)])
    merge(led, accept_all=True)

    # January (due 6 Feb): everybody reports, U4 a day late; U1 says 否 on its first task
    jan = _send(led, "report", "2026-01", tmp / "out", names)
    answer = lambda uid, key: _report("完成前期手续" if uid == other_task["uid"] else "一月推进",  # noqa: E731
                                      "否" if uid == red_task["uid"] else "是")
    _collect(led, [_return(jan[U1], tmp / "j1.xlsx", datetime(2026, 2, 5, 10), answer),
                   _return(jan[U2], tmp / "j2.xlsx", datetime(2026, 2, 6, 16), answer),
                   _return(jan[U3], tmp / "j3.xlsx", datetime(2026, 2, 2, 9), answer),
                   _return(jan[U4], tmp / "j4.xlsx", datetime(2026, 2, 9, 9), answer)])
    merge(led, accept_all=True)

    # February (due 6 March): U1 否 again and copies 完成情况; U2 late; U3's file is sent back; U4 silent
    feb = _send(led, "report", "2026-02", tmp / "out", names)
    answer = lambda uid, key: _report("完成前期手续" if uid == other_task["uid"] else "二月推进",  # noqa: E731
                                      "否" if uid == red_task["uid"] else "是")
    subs = _collect(led, [_return(feb[U1], tmp / "f1.xlsx", datetime(2026, 3, 4, 10), answer),
                          _return(feb[U2], tmp / "f2.xlsx", datetime(2026, 3, 10, 11), answer),
                          _return(feb[U3], tmp / "f3.xlsx", datetime(2026, 3, 5, 9), answer)])
    assert mark_returned(led, subs[U3], "完成情况过于简单").value == "staged"
    merge(led, accept_all=True)

    m = submission_matrix(led, cid, ["2026-01", "2026-02"], date(2026, 3, 13))
    names_by_id = {u["id"]: u["name"] for u in list_units(led)}
    states = {(names_by_id[r["unit_id"]], r["form"], r["period"]): r["state"] for r in m}
    assert states[(U1, "plan", "2026")] == "已报" and states[(U2, "plan", "2026")] == "已报"
    assert states[(U3, "plan", "2026")] == "逾期已报"
    assert states[(U4, "plan", "2026")] == "未报（逾期 5 个工作日）"  # 9–13 March
    assert [states[(n, "report", "2026-01")] for n in names] == ["已报", "已报", "已报", "逾期已报"]
    assert [states[(n, "report", "2026-02")] for n in names] == [
        "已报", "逾期已报", "退回待改", "未报（逾期 5 个工作日）"]
    assert states[("区发展改革局", "report", "2026-02")] == "未下发"
    feb_rows = by_unit(m, "report", "2026-02")
    u2_row = next(r for r in feb_rows.values() if r["unit"] == U2)
    assert u2_row["late_workdays"] == 2 and u2_row["file_name"] == "f2.xlsx"
    assert u2_row["received"] == datetime(2026, 3, 10, 11)

    lights = task_lights(led, cid, "2026-02", date(2026, 3, 13))
    assert lights[red_task["id"]]["light"] == "red"
    assert any("连续两个月" in r for r in lights[red_task["id"]]["reasons"])
    assert lights[other_task["id"]]["light"] == "yellow"
    assert any("进展停滞" in r for r in lights[other_task["id"]]["reasons"])
    assert all(lights[t["id"]]["light"] == "red" for t in lead_of[U4])  # lead unit overdue
    assert lights[kept_task["id"]]["light"] == "green"

    # 催报 on 13 March: U3 (sent back) and U4 (February report and the plan)
    rows = reminder_rows(led, cid, "2026-02", date(2026, 3, 13))
    assert sorted((r["unit"], r["form"], r["state"]) for r in rows) == sorted([
        (U4, "plan", "未报（逾期 5 个工作日）"), (U3, "report", "退回待改"), (U4, "report", "未报（逾期 5 个工作日）")])
    # the ledger's unit order, a unit's 计划表 before its 情况表
    assert [(r["unit_id"], r["form"] != "plan") for r in rows] == sorted((r["unit_id"], r["form"] != "plan") for r in rows)
    contacts = {u["name"]: u for u in list_units(led)}
    sheet = write_reminder_sheet(rows, tmp / "催报单.xlsx", date(2026, 3, 13))
    ws = openpyxl.load_workbook(sheet).active
    printed = [(ws.cell(r, 2).value, ws.cell(r, 6).value, ws.cell(r, 7).value) for r in range(4, ws.max_row + 1)]
    assert sorted(printed) == sorted((r["unit"], contacts[r["unit"]]["contact"], contacts[r["unit"]]["phone"])
                                     for r in rows)
    assert all(p[1] and p[2] for p in printed)
    drafts = write_reminder_emls(rows, tmp / "eml", date(2026, 3, 13))
    msgs = [email.message_from_bytes(d["path"].read_bytes(), policy=policy.default) for d in drafts]
    assert sorted(m_["To"] for m_ in msgs) == sorted(contacts[r["unit"]]["email"] for r in rows)
    for row, msg in zip(rows, msgs, strict=True):  # the workbook that was sent is attached again
        [att] = list(msg.iter_attachments())
        assert att.get_filename() == Path(row["sent_path"]).name and att.get_content() == Path(row["sent_path"]).read_bytes()
        assert "原下发的表格见附件" in msg.get_body(("plain",)).get_content()

    # 办结 of U2's first task at the end of February: it leaves the March form
    evidence = tmp / "验收.pdf"
    evidence.write_bytes(b"%PDF-1.4 ok")
    close_task(led, closed_task["id"], date(2026, 2, 27), "已完成全部建设内容", evidence)

    # U3 sends the corrected February file late; March: U1 否 a third time, U2 reports its one remaining task
    fixed = _return(feb[U3], tmp / "f3-改.xlsx", datetime(2026, 3, 20, 9),
                    lambda uid, key: _report("二月推进：已按要求补充完成情况", "是"))
    _collect(led, [fixed])
    merge(led, accept_all=True)
    mar = _send(led, "report", "2026-03", tmp / "out", names)
    keys_u2 = rh.row_keys(mar[U2])
    assert [uid_of[parse_row_key(k)[0]]["id"] for k in keys_u2] == [kept_task["id"]]
    answer = lambda uid, key: _report("三月推进" if uid != other_task["uid"] else "完成立项审批",  # noqa: E731
                                      "否" if uid == red_task["uid"] else "是")
    _collect(led, [_return(mar[U1], tmp / "m1.xlsx", datetime(2026, 4, 3, 9), answer),
                   _return(mar[U2], tmp / "m2.xlsx", datetime(2026, 4, 8, 18), answer)])
    merge(led, accept_all=True)

    today = date(2026, 4, 13)
    data = dashboard_data(led, cid, "2026-03", today)
    assert data["warning"] is None
    states = {(names_by_id[r["unit_id"]], r["form"], r["period"]): r for r in data["matrix"]}
    assert states[(U3, "report", "2026-02")]["state"] == "逾期已报"
    assert states[(U3, "report", "2026-02")]["late_workdays"] == 10  # 9–13, 16–20 March
    assert states[(U3, "report", "2026-02")]["file_name"] == "f3-改.xlsx"
    assert [states[(n, "report", "2026-03")]["state"] for n in names] == [
        "已报", "已报", "未报（逾期 3 个工作日）", "未报（逾期 3 个工作日）"]  # due 8 April (清明 4–6 off)
    assert states[(U2, "report", "2026-03")]["due"] == date(2026, 4, 8)
    assert states[(U1, "report", "2026-01")]["state"] == "已报"
    tiles = data["tiles"]
    assert tiles["按时已报"] + tiles["逾期已报"] == 2 and tiles["未报已逾期"] >= 2
    lights = data["lights"]
    assert lights[closed_task["id"]]["light"] == "blue"
    assert lights[closed_task["id"]]["reasons"] == ["已于2026年2月27日办结：已完成全部建设内容"]
    assert lights[red_task["id"]]["light"] == "red"
    assert lights[other_task["id"]]["light"] == "green"
    assert lights[kept_task["id"]]["light"] == "green"
    assert all(lights[t["id"]]["light"] == "red" for t in lead_of[U3] + lead_of[U4])
    assert tiles["红灯任务"] == sum(v["light"] == "red" for v in lights.values())

    rows = reminder_rows(led, cid, "2026-03", today)
    assert sorted((r["unit"], r["form"], r["period"]) for r in rows) == sorted([
        (U3, "report", "2026-03"), (U4, "report", "2026-03"), (U4, "plan", "2026")])
    assert {r["unit"] for r in rows} == {U3, U4}
