"""Submission states by working-day deadlines, the clerk's received-time correction, and task lights (rows inserted directly)."""
from datetime import date, datetime

from sqlalchemy import update

from core.ledger import schema
from core.tracking.states import (
    BLUE, GREEN, LIGHT_RULES, RED, YELLOW, dashboard_data, default_period, late_units, set_received_at,
    submission_matrix, task_lights,
)
from tests.helpers.tracking import (
    assigned_units, by_unit, campaign_id, dispatch, progress, submit, task_id, units_of_task,
)


def test_every_submission_state(ledger_2026):
    led = ledger_2026
    cid = campaign_id(led)
    units = assigned_units(led, cid)
    on_time, late, returned, fixed_late, silent, not_sent = units[:6]
    dispatch(led, cid, "report", "2026-03", [u for u in units if u != not_sent])
    dispatch(led, cid, "plan", "2026", units)
    submit(led, cid, on_time, "report", "2026-03", datetime(2026, 4, 3, 9, 0))
    late_id = submit(led, cid, late, "report", "2026-03", datetime(2026, 4, 10, 16, 0), "staged")
    submit(led, cid, returned, "report", "2026-03", datetime(2026, 4, 7, 9, 0), "returned")
    submit(led, cid, fixed_late, "report", "2026-03", datetime(2026, 4, 1, 9, 0), "returned")
    submit(led, cid, fixed_late, "report", "2026-03", datetime(2026, 4, 9, 9, 0), "merged", "改后.xlsx")
    submit(led, cid, on_time, "plan", "2026", datetime(2026, 3, 6, 18, 0))
    submit(led, cid, late, "plan", "2026", datetime(2026, 3, 9, 8, 0))

    # the March report is due on 8 April (清明 4–6 April off)
    m = submission_matrix(led, cid, "2026-03", date(2026, 4, 13))
    assert m.warning is None
    rep = by_unit(m, "report", "2026-03")
    assert rep[on_time]["state"] == "已报" and rep[on_time]["due"] == date(2026, 4, 8)
    assert rep[late]["state"] == "逾期已报" and rep[late]["late_workdays"] == 2
    assert rep[late]["submission_id"] == late_id
    assert rep[returned]["state"] == "退回待改"
    assert rep[fixed_late]["state"] == "逾期已报" and rep[fixed_late]["file_name"] == "改后.xlsx"
    assert len(rep[fixed_late]["files"]) == 2
    assert rep[silent]["state"] == "未报（逾期 3 个工作日）"  # 9, 10, 13 April
    assert rep[not_sent]["state"] == "未下发"
    plan = by_unit(m, "plan", "2026")
    assert plan[on_time]["state"] == "已报" and plan[on_time]["due"] == date(2026, 3, 6)
    assert plan[late]["state"] == "逾期已报" and plan[late]["late_workdays"] == 1
    assert plan[silent]["code"] == "overdue" and plan[silent]["late_workdays"] > 20
    # on the due day nobody is late yet
    rep8 = by_unit(submission_matrix(led, cid, "2026-03", date(2026, 4, 8)), "report", "2026-03")
    assert rep8[silent]["state"] == "已下发"
    # 催报 list: overdue and returned
    owed = {r["unit_id"] for r in late_units(m, "report", "2026-03")}
    assert owed == {returned, silent} | {u for u in units if u not in (on_time, late, returned, fixed_late, not_sent)}

    # the clerk corrects the received time: the email came on the due day
    set_received_at(led, late_id, "2026-04-08 17:00", "邮件4月8日已到")
    rep = by_unit(submission_matrix(led, cid, "2026-03", date(2026, 4, 13)), "report", "2026-03")
    assert rep[late]["state"] == "已报" and rep[late]["received"] == datetime(2026, 4, 8, 17, 0)
    with led.read() as conn:
        audit = conn.exec_driver_sql(
            "SELECT old, new, source_ref FROM audit WHERE table_name='submission' AND field='received_at'").all()
    assert audit == [("2026-04-10 16:00:00", "2026-04-08 17:00:00", "邮件4月8日已到")]


def test_default_period_is_last_month():
    assert default_period(date(2026, 4, 13)) == "2026-03"
    assert default_period(date(2026, 1, 5)) == "2025-12"


def test_lights(ledger_2026):
    led = ledger_2026
    cid = campaign_id(led)
    units = assigned_units(led, cid)
    tasks = [task_id(led, "key", seq) for seq in range(1, 99)]
    people = {t: units_of_task(led, t) for t in tasks}
    slow_task = tasks[0]
    slow_lead = next(u for u, _, role in people[slow_task] if role == "lead")
    free = [t for t in tasks[1:] if slow_lead not in {u for u, _, _ in people[t]}]
    twice, once, stagnant, closed, fine = free[:5]
    dispatch(led, cid, "report", "2026-02", units)
    dispatch(led, cid, "report", "2026-03", units)
    for u in units:
        submit(led, cid, u, "report", "2026-02", datetime(2026, 3, 4, 10, 0))
        if u != slow_lead:
            submit(led, cid, u, "report", "2026-03", datetime(2026, 4, 7, 10, 0))
    lead_of = {t: next(u for u, _, role in people[t] if role == "lead") for t in free[:5]}
    progress(led, twice, lead_of[twice], "2026-02", False, "二月")
    progress(led, twice, lead_of[twice], "2026-03", False, "三月")
    progress(led, once, lead_of[once], "2026-02", True, "二月")
    progress(led, once, lead_of[once], "2026-03", False, "三月")
    progress(led, stagnant, lead_of[stagnant], "2026-02", True, "完成  前期手续")
    progress(led, stagnant, lead_of[stagnant], "2026-03", True, "完成 前期手续")
    progress(led, fine, lead_of[fine], "2026-02", True, "二月")
    progress(led, fine, lead_of[fine], "2026-03", True, "三月")
    with led.begin() as conn:
        conn.execute(update(schema.task).where(schema.task.c.id == closed).values(
            closed_on=date(2026, 3, 20), closed_note="已竣工"))
    lights = task_lights(led, cid, "2026-03", date(2026, 4, 13))
    assert lights[twice]["light"] == RED and "连续两个月" in lights[twice]["reasons"][0]
    assert lights[slow_task]["light"] == RED and "逾期 3 个工作日未报" in lights[slow_task]["reasons"][0]
    assert lights[once]["light"] == YELLOW and "否" in lights[once]["reasons"][0]
    assert lights[stagnant]["light"] == YELLOW and "进展停滞" in lights[stagnant]["reasons"][0]
    assert lights[closed] == {"light": BLUE, "reasons": ["已于2026年3月20日办结：已竣工"], "latest": []}
    assert lights[fine]["light"] == GREEN
    assert lights[twice]["latest"][0] == {"unit": people[twice][0][1], "role": "lead", "period": "2026-03",
                                          "on_track": False}
    assert len(lights) == 118
    # before the deadline, an unreported month is judged by the latest month reported, and due-soon is yellow
    early = task_lights(led, cid, "2026-03", date(2026, 4, 7))
    assert early[slow_task]["light"] == YELLOW and "截止2026年4月8日" in early[slow_task]["reasons"][0]
    assert early[twice]["light"] == RED
    # 统计 asks for each month's red tasks alone (yellow checks skipped): the same tasks, each with its red reasons
    from core.tracking.states import lights_by_month, submission_matrix
    from core.tracking.workdays import WorkCalendar
    months = ["2026-02", "2026-03"]
    for day in (date(2026, 4, 7), date(2026, 4, 13)):
        with led.read() as conn:
            cal = WorkCalendar.from_conn(conn)
            matrix = submission_matrix(conn, cid, months, day, forms=("report",), calendar=cal)
            full = lights_by_month(conn, cid, months, day, cal, matrix)
            red = lights_by_month(conn, cid, months, day, cal, matrix, only_red=True)
        for month in months:
            assert set(red[month]) == {t for t, v in full[month].items() if v["light"] == RED}, (day, month)
            assert all(v["reasons"] == full[month][t]["reasons"][:len(v["reasons"])] for t, v in red[month].items())
        assert twice in red["2026-03"] and (slow_task in red["2026-03"]) == (day == date(2026, 4, 13))
    assert "红灯" in LIGHT_RULES and "黄灯" in LIGHT_RULES and "工作日" in LIGHT_RULES

    data = dashboard_data(led, cid, "2026-03", date(2026, 4, 13))
    assert data["periods"] == ["2026-01", "2026-02", "2026-03"]
    assert data["tiles"]["按时已报"] + data["tiles"]["逾期已报"] == len(units) - 1 and data["tiles"]["未报已逾期"] == 1
    assert data["tiles"]["红灯任务"] == sum(v["light"] == RED for v in data["lights"].values()) >= 2
    states = {(r["form"], r["period"]) for r in data["matrix"]}
    assert states == {("plan", "2026"), ("report", "2026-01"), ("report", "2026-02"), ("report", "2026-03")}


def test_lead_gathering_expects_only_lead_units_and_closed_tasks_drop_out(ledger_2026):
    from core.ledger.settings import save_settings
    led = ledger_2026
    cid = campaign_id(led)
    with led.read() as conn:
        pairs = conn.exec_driver_sql("SELECT DISTINCT unit_id, role FROM assignment").all()
        collective = {r[0] for r in conn.exec_driver_sql("SELECT id FROM unit WHERE collective = TRUE")}
    roles: dict[int, set[str]] = {}
    for uid, role in pairs:
        roles.setdefault(uid, set()).add(role)
    co_only = [uid for uid, r in roles.items() if r == {"co"} and uid not in collective]   # issue 29: not counted
    assert co_only
    before = {r["unit_id"] for r in submission_matrix(led, cid, "2026-03", date(2026, 4, 13), forms=("report",))}
    assert set(co_only) <= before
    save_settings(led, campaign={"lead_gathering": True})
    after = {r["unit_id"] for r in submission_matrix(led, cid, "2026-03", date(2026, 4, 13), forms=("report",))}
    assert not set(co_only) & after and after < before
    # the plan still goes to every unit
    plan = {r["unit_id"] for r in submission_matrix(led, cid, "2026-03", date(2026, 4, 13), forms=("plan",))}
    assert plan == before


def test_mark_returned_refuses_unidentified_files(ledger_2026):
    import pytest

    from core.common.errors import UserError
    from core.tracking.states import mark_returned
    led = ledger_2026
    cid = campaign_id(led)
    u = assigned_units(led, cid)[0]
    sid = submit(led, cid, u, "report", "2026-03", datetime(2026, 4, 2, 9), "rejected")
    with pytest.raises(UserError, match="无法退回"):
        mark_returned(led, sid)
    with pytest.raises(UserError, match="找不到"):
        mark_returned(led, 99999)
    ok = submit(led, cid, u, "report", "2026-03", datetime(2026, 4, 3, 9), "staged")
    assert mark_returned(led, ok, "请补充").value == "staged"
    assert by_unit(submission_matrix(led, cid, "2026-03", date(2026, 4, 13)), "report", "2026-03")[u]["state"] == "退回待改"
