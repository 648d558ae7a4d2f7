"""督办 page in the window: tiles, matrix, lights, drill-down to file names, 办结/撤销, 催报, no_ranking, calendar warning."""
from datetime import date, datetime

import openpyxl
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox

from core.tracking.states import LIGHT_RULES
from tests.helpers.dashboard import wait_read
from tests.helpers.tasks import open_window
from tests.helpers.tracking import (
    assigned_units, campaign_id, dispatch, progress, submit, task_id, units_of_task,
)


def _prepare(led):
    cid = campaign_id(led)
    units = assigned_units(led, cid)
    dispatch(led, cid, "plan", "2026", units)
    dispatch(led, cid, "report", "2026-02", units)
    dispatch(led, cid, "report", "2026-03", units)
    twice = task_id(led, "key", 2)
    lead = next(u for u, _, role in units_of_task(led, twice) if role == "lead")
    late = [u for u in units if u != lead][:2]
    for u in units:
        submit(led, cid, u, "plan", "2026", datetime(2026, 3, 5, 9))
        submit(led, cid, u, "report", "2026-02", datetime(2026, 3, 5, 9), name=f"单位{u}-2月.xlsx")
        if u not in late:
            sid = submit(led, cid, u, "report", "2026-03", datetime(2026, 4, 7, 9), name=f"单位{u}-3月.xlsx")
            if u == lead:
                lead_sid = sid
    progress(led, twice, lead, "2026-02", False, "二月进展")
    progress(led, twice, lead, "2026-03", False, "三月进展")
    from sqlalchemy import update
    from core.ledger import schema
    with led.begin() as conn:
        conn.execute(update(schema.progress_row).where(schema.progress_row.c.period == "2026-03")
                     .values(submission_id=lead_sid))
    return cid, units, twice, lead, late


def _open(qtbot, led):
    window = open_window(qtbot, led)
    page = window.show_page("dashboard")
    page.set_today(date(2026, 4, 13))
    page.set_period("2026-03")
    wait_read(qtbot, page)   # the month is read in the background
    return window, page


def test_tiles_matrix_lights_and_drill_down(qtbot, ledger_2026):
    led = ledger_2026
    cid, units, twice, lead, late = _prepare(led)
    window, page = _open(qtbot, led)
    assert page.period == "2026-03" and page.today == date(2026, 4, 13)
    tiles = {k: int(v.text()) for k, v in page.tile_labels.items()}
    assert tiles["按时已报"] == len(units) - 2 and tiles["未报已逾期"] == 2 and tiles["逾期已报"] == 0
    assert tiles["红灯任务"] >= 1
    assert page.tile_captions["未报已逾期"].text() == "3月未报已逾期"       # says which column it counts
    assert not page.warning_box.isVisible()
    m = page.matrix_model
    # 计划表, then the months newest first: the month looked at sits beside the plan, both in view
    # (no 1月: no form went out in January, issue 29)
    assert [m.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == ["责任单位", "计划表", "3月", "2月"]
    assert page.matrix_view.columnViewportPosition(1) >= 0 and page.matrix_view.columnViewportPosition(2) >= 0
    # every tile equals the number of cells in the month's column showing that state
    column = [m.data(m.index(r, 2)) for r in range(m.rowCount())]
    assert tiles["按时已报"] == column.count("已报") and tiles["逾期已报"] == column.count("逾期已报")
    assert tiles["未报已逾期"] == sum(str(v).startswith("未报（逾期") for v in column)
    assert tiles["退回待改"] == column.count("退回待改") and tiles["未到期未报"] == column.count("已下发")
    row_of = {uid: i for i, (uid, _) in enumerate(m.units)}
    late_cell = m.index(row_of[late[0]], 2)
    assert m.data(late_cell) == "未报（逾期 3 个工作日）"
    assert m.data(late_cell, Qt.ItemDataRole.BackgroundRole).color().name().upper() == "#FFCDD2"
    assert m.data(m.index(row_of[lead], 2)) == "已报"
    assert ("report", "2026-01") not in m.columns   # January never dispatched: no column of 未下发 (issue 29)
    # rows start in unit directory order (not by name, not by counts)
    n = page.matrix_proxy.rowCount()
    assert [page.matrix_proxy.mapToSource(page.matrix_proxy.index(r, 0)).row() for r in range(n)] == list(range(n))
    # the late-count column exists while ranking is allowed
    assert m.headerData(5, Qt.Orientation.Horizontal) == "逾期次数"

    # click the lead unit's March cell: file name and the rows it reported
    page.tabs.setCurrentIndex(0)
    index = page.matrix_proxy.mapFromSource(m.index(row_of[lead], 2))
    rect = page.matrix_view.visualRect(index)
    page.matrix_view.scrollTo(index)
    rect = page.matrix_view.visualRect(index)
    qtbot.mouseClick(page.matrix_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    text = page.detail.toPlainText()
    assert f"单位{lead}-3月.xlsx" in text and "三月进展" in text and "2026年4月8日" in text and "已合并" in text

    # switching tabs never leaves the other tab's cell in the detail pane
    page.tabs.setCurrentIndex(1)
    assert f"单位{lead}-3月.xlsx" not in page.detail.toPlainText() and not page.return_button.isEnabled()
    # the task list: the 否-twice task is red; its detail shows both months and the source file
    assert page.select_task(twice)
    task = page.selected_task()
    assert task["light"] == "red"
    tm = page.task_model
    r = next(i for i in range(tm.rowCount()) if tm.task_at(i)["id"] == twice)
    assert tm.data(tm.index(r, 0)) == "红灯"
    assert tm.data(tm.index(r, 5)).startswith("牵头：否")
    assert tm.data(tm.index(r, 0), Qt.ItemDataRole.BackgroundRole).color().name().upper() == "#FFCDD2"
    detail = page.detail.toPlainText()
    assert "连续两个月" in detail and "二月进展" in detail and f"单位{lead}-3月.xlsx" in detail
    page.light_combo.setCurrentIndex(page.light_combo.findData("red"))
    assert 0 < page.light_proxy.rowCount() == tiles["红灯任务"]
    page.light_combo.setCurrentIndex(0)

    box = page.show_rules()
    assert box.text() == LIGHT_RULES
    box.close()


def test_close_and_reopen_from_the_page(qtbot, ledger_2026, tmp_path):
    led = ledger_2026
    _prepare(led)
    window, page = _open(qtbot, led)
    page.tabs.setCurrentIndex(1)
    tid = task_id(led, "livelihood", 1)
    assert page.select_task(tid)
    assert page.close_button.isEnabled() and not page.reopen_button.isEnabled()
    evidence = tmp_path / "验收照片.jpg"
    evidence.write_bytes(b"\xff\xd8\xff jpeg")
    dialog = page.open_close_dialog()
    dialog.date_edit.setDate(QDate(2026, 4, 10))
    dialog.note_edit.setPlainText("已投入使用")
    dialog.evidence_edit.setText(str(evidence))
    with qtbot.waitSignal(window.ctx.changed, timeout=5000):   # 办结 runs as a ledger operation
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    wait_read(qtbot, page)
    assert page.select_task(tid)
    task = page.selected_task()
    assert task["light"] == "blue" and task["closed_on"] == "2026-04-10"
    # the 办结通报 is drafted the moment the task is closed ("完成的事项第一时间通报"), and the clerk told where
    qtbot.waitUntil(lambda: "办结通报已起草" in window.status_label.text(), timeout=30_000)
    from core.ledger.settings import output_folder
    from docx import Document
    notice = output_folder(led, "reports") / "办结通报-livelihood1.docx"
    assert str(notice) in window.status_label.text()
    text = "\n".join(p.text for p in Document(str(notice)).paragraphs)
    assert "办结情况的通报" in text and "已投入使用" in text and "2026年4月10日" in text
    assert "已投入使用" in page.detail.toPlainText() and "验收照片.jpg" in page.detail.toPlainText()
    assert page.reopen_button.isEnabled() and not page.close_button.isEnabled()
    from core.ledger.queries import list_tasks
    assert next(t for t in list_tasks(led) if t["id"] == tid)["closed_on"] == "2026-04-10"
    with qtbot.waitSignal(window.ctx.changed, timeout=5000):
        qtbot.mouseClick(page.reopen_button, Qt.MouseButton.LeftButton)
    wait_read(qtbot, page)
    assert page.select_task(tid)
    assert page.selected_task()["light"] != "blue"
    assert next(t for t in list_tasks(led) if t["id"] == tid)["closed_on"] is None


def test_reminders_no_ranking_and_calendar_warning(qtbot, ledger_2026, tmp_path):
    led = ledger_2026
    cid, units, twice, lead, late = _prepare(led)
    window, page = _open(qtbot, led)
    sheet = page.write_sheet(tmp_path / "催报单.xlsx")
    ws = openpyxl.load_workbook(sheet).active
    assert ws["A1"].value == f"年度工作任务催报单（截至{page.today.year}年{page.today.month}月{page.today.day}日仍未报送）"
    listed = [ws.cell(row=r, column=2).value for r in range(4, ws.max_row + 1)]
    from core.ledger.queries import list_units
    names = {u["id"]: u["name"] for u in list_units(led)}
    assert listed == [names[u] for u in late]
    drafts = page.write_drafts(tmp_path / "eml")
    assert [d["unit"] for d in drafts] == [names[u] for u in late]

    # no_ranking: the late-count column goes away and the matrix cannot be sorted by counts
    from core.ledger.settings import save_settings
    save_settings(led, settings={"no_ranking": True})
    page.reload()
    wait_read(qtbot, page)
    m = page.matrix_model
    assert m.columnCount() == 4 and "逾期次数" not in [m.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert not page.matrix_view.isSortingEnabled()
    assert [uid for uid, _ in m.units] == sorted(uid for uid, _ in m.units)
    headers = [page.matrix_model.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
    assert not any("排名" in str(h) for h in headers) and not any("排名" in v.text() for v in page.tile_labels.values())

    # December's report falls due in January 2027, a year the calendar package does not know
    page.set_today(date(2027, 1, 20))
    page.set_period("2026-12")
    wait_read(qtbot, page)
    assert page.warning_box.isVisible()
    assert "日历未覆盖该年份，已按周一至周五估算，请在设置中补充节假日" in page.warning_label.text()
    dialog = page.open_holidays()
    assert dialog.year_spin.value() == 2027
    dialog.day_edit.setDate(QDate(2027, 1, 1))
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(False))
    dialog.note_edit.setText("元旦")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == "放假"
    dialog.accept()
    wait_read(qtbot, page)
    assert not page.warning_box.isVisible()


def test_clerk_corrects_received_time_and_returns_a_file(qtbot, ledger_2026):
    from PySide6.QtCore import QDateTime, QTime
    led = ledger_2026
    cid, units, twice, lead, late = _prepare(led)
    window, page = _open(qtbot, led)
    cell = page.select_cell(lead, "report", "2026-03")
    assert cell["state"] == "已报" and page.received_button.isEnabled() and page.return_button.isEnabled()
    dialog = page.open_received_dialog()
    dialog.when_edit.setDateTime(QDateTime(QDate(2026, 4, 10), QTime(9, 30)))
    dialog.note_edit.setText("邮件4月10日才到")
    with qtbot.waitSignal(window.ctx.changed, timeout=5000):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    wait_read(qtbot, page)
    cell = page.current_cell
    assert cell["unit_id"] == lead and cell["state"] == "逾期已报" and cell["late_workdays"] == 2
    assert "2026-04-10 09:30" in page.detail.toPlainText()
    with qtbot.waitSignal(window.ctx.changed, timeout=5000):
        qtbot.mouseClick(page.return_button, Qt.MouseButton.LeftButton)
    wait_read(qtbot, page)
    assert page.current_cell["state"] == "退回待改" and not page.return_button.isEnabled()
    assert int(page.tile_labels["未报已逾期"].text()) == 2 and int(page.tile_labels["退回待改"].text()) == 1
    with led.read() as conn:
        audit = conn.exec_driver_sql("SELECT field, new, source_ref FROM audit WHERE table_name='submission' "
                                     "ORDER BY id").all()
    assert audit == [("received_at", "2026-04-10 09:30:00", "邮件4月10日才到"), ("status", "returned", "督办页退回")]


def test_page_and_status_command_remind_the_same_units(qtbot, ledger_2026, tmp_path):
    """催报: the 督办 page's sheet and drafts and `status --remind` come from one rule and give the same answer."""
    import subprocess
    import sys

    from python_calamine import CalamineWorkbook

    from core.ledger.queries import list_units
    from tests.conftest import ROOT
    led = ledger_2026
    cid = campaign_id(led)
    units = assigned_units(led, cid)
    for form, period in (("plan", "2026"), ("report", "2026-02"), ("report", "2026-03")):
        dispatch(led, cid, form, period, units)
    late, returned, no_plan, no_february = units[:4]
    for u in units:
        if u != no_plan:
            submit(led, cid, u, "plan", "2026", datetime(2026, 3, 5, 9))
        if u != no_february:
            submit(led, cid, u, "report", "2026-02", datetime(2026, 3, 5, 9))
        if u != late:
            submit(led, cid, u, "report", "2026-03", datetime(2026, 4, 7, 9), "returned" if u == returned else "merged")
    window, page = _open(qtbot, led)
    names = {u["id"]: u["name"] for u in list_units(led)}
    # issue 29: 催报 chases everything owed on the day, February's missing report too, with March shown; the plan
    # and a returned file as well; in unit directory order, one 催报单 line and one e-mail per unit
    expected = [(names[late], "report"), (names[returned], "report"), (names[no_plan], "plan"),
                (names[no_february], "report")]
    assert [(r["unit"], r["form"]) for r in page.reminder_rows()] == expected
    assert [r["period"] for r in page.reminder_rows()] == ["2026-03", "2026-03", "2026", "2026-02"]
    # the tile says so: units still owing the plan or a month before March
    assert page.tile_captions["往月仍未报"].text() == "往月仍未报 2 家"
    assert page.tile_labels["往月仍未报"].text() == "2"
    tip = page.tile_labels["往月仍未报"].parentWidget().toolTip()
    assert f"{names[no_february]}：2026年2月 未报" in tip and f"{names[no_plan]}：2026年计划表" in tip
    sheet = page.write_sheet(tmp_path / "page" / "催报单.xlsx")
    drafts = page.write_drafts(tmp_path / "page")

    res = subprocess.run([sys.executable, str(ROOT / "app.py"), "status", "--ledger", str(led.path), "--period", "2026-03",
                          "--today", "2026-04-13", "--remind", str(tmp_path / "cli")],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr

    def cells(path):
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        return [rows[0]] + rows[2:]   # the title and every line; row 2 is the print date

    assert cells(tmp_path / "cli" / "催报单-2026-04-13.xlsx") == cells(sheet)
    assert [r[1] for r in cells(sheet)[2:]] == [unit for unit, _ in expected]
    assert sorted(p.name for p in (tmp_path / "cli").glob("*.eml")) == sorted(d["path"].name for d in drafts)
    assert len(drafts) == 4
