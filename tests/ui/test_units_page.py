"""单位 page: in-place contact edits (ledger + audit), 通讯录 import, aliases, merging, the unit's tasks."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from core.common.errors import UserError

from tests.helpers.tasks import WAIT_MS, open_window


def _unit_row(ledger, name):
    from core.ledger.queries import list_units
    return next(u for u in list_units(ledger) if u["name"] == name)


def _audit(ledger, **where):
    from core.ledger import schema
    q = schema.audit.select()
    for k, v in where.items():
        q = q.where(getattr(schema.audit.c, k) == v)
    with ledger.read() as conn:
        return conn.execute(q).mappings().all()


def _page(qtbot, ledger):
    window = open_window(qtbot, ledger)
    page = window.show_page("units")
    qtbot.waitUntil(lambda: not page.reading, timeout=WAIT_MS)   # 单位 reads in the background
    page._info = page._warn = lambda title, text: page.__dict__.setdefault("messages", []).append(text)
    return window, page


def test_double_click_edit_writes_ledger_and_audit(qtbot, ledger_2026):
    from ui.unit_table_model import COL_PHONE
    window, page = _page(qtbot, ledger_2026)
    name = "区发展改革局"
    assert page.select_unit(_unit_row(ledger_2026, name)["id"])
    index = page.table.selectionModel().currentIndex().siblingAtColumn(COL_PHONE)
    old = index.data()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    rect = page.table.visualRect(index)
    assert rect.isValid()
    qtbot.mousePress(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseRelease(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: page.table.viewport().findChild(QLineEdit) is not None, timeout=5000)
    editor = page.table.viewport().findChild(QLineEdit)
    assert editor.text() == old
    editor.selectAll()
    qtbot.keyClicks(editor, "0531-12345678")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _unit_row(ledger_2026, name)["phone"] == "0531-12345678", timeout=5000)
    rows = _audit(ledger_2026, table_name="unit", row_key=name, field="phone", source_kind="hand")
    assert len(rows) == 1 and rows[0]["old"] == old and rows[0]["new"] == "0531-12345678"
    # the same value again is no change and no audit row
    assert page.model.setData(index, "0531-12345678")
    assert len(_audit(ledger_2026, field="phone", source_kind="hand")) == 1


def test_selecting_a_unit_lists_its_lead_and_co_tasks(qtbot, ledger_2026):
    window, page = _page(qtbot, ledger_2026)
    unit = _unit_row(ledger_2026, "区发展改革局")
    page.select_unit(unit["id"])
    assert page.tasks_table.rowCount() == unit["tasks_lead"] + unit["tasks_co"]
    roles = [page.tasks_table.item(r, 2).text() for r in range(page.tasks_table.rowCount())]
    assert roles.count("牵头") == unit["tasks_lead"] and roles.count("配合") == unit["tasks_co"]
    assert f"牵头 {unit['tasks_lead']} 项" in page.tasks_title.text()


def test_contacts_import_reports_unknown_units(qtbot, ledger_2026, tmp_path):
    import xlsxwriter
    src = tmp_path / "通讯录.xlsx"
    wb = xlsxwriter.Workbook(str(src))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["单位名称", "联系人", "办公电话", "电子邮箱"])
    ws.write_row(1, 0, ["区财政局", "张三", "0531-1111", "czj@example.org"])
    ws.write_row(2, 0, ["不存在的局", "李四", "0531-2222", "x@example.org"])
    wb.close()
    window, page = _page(qtbot, ledger_2026)
    page.import_contacts(src)
    qtbot.waitUntil(lambda: page.last_contacts_result is not None, timeout=30000)
    assert page.last_contacts_result["unknown"] == ["不存在的局"]
    assert "不存在的局" in page.messages[-1]
    assert _unit_row(ledger_2026, "区财政局")["contact"] == "张三"
    assert page.model.units[page.model.row_of_id(_unit_row(ledger_2026, "区财政局")["id"])]["contact"] == "张三"


def test_alias_and_merge_are_audited_and_move_assignments(qtbot, ledger_2026):
    from core.campaign.importing import preview_import
    from core.campaign.read import read_plan_file
    window, page = _page(qtbot, ledger_2026)
    target = _unit_row(ledger_2026, "区发展改革局")
    page.select_unit(target["id"])
    assert page.add_alias("发改")
    assert "发改" in _unit_row(ledger_2026, "区发展改革局")["aliases"]
    assert _audit(ledger_2026, table_name="unit_alias", new="发改", source_kind="hand")
    with pytest.raises(UserError, match="区财政局"):   # already a unit's name: refused; the window's hook shows it
        page.add_alias("区财政局")

    # a unit that shares a task with the target cannot be merged into it
    from core.ledger.queries import list_tasks
    tasks = list_tasks(ledger_2026)
    partner = next(u["name"] for t in tasks if any(x["name"] == target["name"] for x in t["units"])
                   for u in t["units"] if u["name"] != target["name"])
    page.select_unit(_unit_row(ledger_2026, partner)["id"])
    with pytest.raises(UserError, match="不能合并"):
        page.merge_into(target["name"])

    # a unit with no shared task merges: its tasks move, its name becomes an alias, all audited
    names_of_target = {t["uid"] for t in tasks if any(x["name"] == target["name"] for x in t["units"])}
    source = next(u for u in (_unit_row(ledger_2026, u["name"]) for t in tasks for u in t["units"])
                  if u["name"] != target["name"] and not any(
                      t["uid"] in names_of_target for t in tasks if any(x["name"] == u["name"] for x in t["units"])))
    moved = {t["uid"] for t in tasks if any(x["name"] == source["name"] for x in t["units"])}
    page.select_unit(source["id"])
    assert page.merge_into(target["name"]), page.__dict__.get("messages")
    after = {t["uid"]: t for t in list_tasks(ledger_2026)}
    for uid in moved:
        assert target["name"] in [u["name"] for u in after[uid]["units"]]
        assert source["name"] not in [u["name"] for u in after[uid]["units"]]
    merged = _unit_row(ledger_2026, target["name"])
    assert source["name"] in merged["aliases"]
    assert merged["tasks_lead"] + merged["tasks_co"] == target["tasks_lead"] + target["tasks_co"] + len(moved)
    assert len(_audit(ledger_2026, table_name="assignment", source_kind="hand")) == len(moved)
    assert page.current_unit()["id"] == target["id"]
    # a later import naming the merged unit resolves to the target (no new unit)
    from tests.conftest import FIXTURE_DOCX
    preview = preview_import(ledger_2026, read_plan_file(FIXTURE_DOCX))
    assert source["name"] not in preview.new_units


def test_merge_refused_when_the_unit_already_has_forms_or_returns(qtbot, ledger_2026):
    from core.ledger import schema
    from core.ledger.queries import list_tasks
    tasks = list_tasks(ledger_2026)
    window, page = _page(qtbot, ledger_2026)
    target = _unit_row(ledger_2026, "区发展改革局")
    ours = {t["uid"] for t in tasks if any(u["name"] == target["name"] for u in t["units"])}
    source = next(_unit_row(ledger_2026, u["name"]) for t in tasks if t["uid"] not in ours for u in t["units"]
                  if not any(u["name"] in [x["name"] for x in o["units"]] for o in tasks if o["uid"] in ours))
    task_id = next(t["id"] for t in tasks if any(u["name"] == source["name"] for u in t["units"]))
    with ledger_2026.begin() as conn:
        conn.execute(schema.plan_row.insert().values(task_id=task_id, unit_id=source["id"], quarter=1, target="一季度目标"))
    before = _audit(ledger_2026)
    page.select_unit(source["id"])
    with pytest.raises(UserError, match="计划表"):
        page.merge_into(target["name"])
    assert _unit_row(ledger_2026, source["name"])["id"] == source["id"]
    assert len(_audit(ledger_2026)) == len(before)


def test_the_units_are_read_in_the_background_with_the_reading_state(qtbot, ledger_2026, monkeypatch):
    """Issue 31: 单位 read its units, tasks and contact counts on the window's thread (and the counts again on every
    filter keystroke); now the page shows at once with “正在读取……” and fills when the read lands."""
    import sys
    import threading

    import core.ledger.queries as queries
    gate = threading.Event()
    real = queries.list_units

    def gated(ledger, *a, **k):   # the 单位 page's read only
        if sys._getframe(1).f_code.co_filename.endswith("units_page.py"):
            gate.wait(5)
        return real(ledger, *a, **k)
    monkeypatch.setattr(queries, "list_units", gated)
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("units")   # returns at once: the read waits on the gate
    assert page.count_label.text() == "正在读取……" and page.model.rowCount() == 0
    gate.set()
    qtbot.waitUntil(lambda: not page.reading, timeout=WAIT_MS)
    assert page.count_label.text() == f"共 {len(real(ledger_2026))} 个单位" and "联系人：" in page.contacts_label.text()
