"""台账 page: import through the dialog into an empty ledger, filters, search, detail panel, drops, start-up imports."""
from __future__ import annotations

import json
import subprocess
import sys

from PySide6.QtCore import Qt

from tests.conftest import FIXTURE_DOCX, ROOT
from tests.helpers.tasks import import_through_dialog, open_window, wait_preview


def test_empty_ledger_then_import_fixture_gives_118_rows(qtbot, ledger):
    from ui.pages.tasks import EMPTY_TEXT
    window = open_window(qtbot, ledger)
    page = window.show_page("tasks")
    assert page.model.rowCount() == 0
    assert page.body.currentIndex() == 0 and page.empty_label.text() == EMPTY_TEXT

    def check(dialog):
        assert dialog.preview.year == 2026 and dialog.year_spin.value() == 2026
        assert dialog.added_list.count() == 118
        assert dialog.changed_list.count() == 0 and dialog.removed_list.count() == 0
        # near-name proposals are offered unchecked: nothing merges unless the clerk ticks it
        assert dialog.accepted_merges() == {}

    import_through_dialog(qtbot, window, FIXTURE_DOCX, check)
    qtbot.waitUntil(lambda: page.model.rowCount() == 118, timeout=10000)
    assert page.proxy.rowCount() == 118
    assert page.body.currentIndex() == 1
    kinds = [page.model.task_at(r)["kind"] for r in range(118)]
    assert kinds.count("key") == 98 and kinds.count("livelihood") == 20


def test_filters_and_search_match_the_ledger(qtbot, ledger_2026):
    from core.ledger.queries import list_tasks
    tasks = list_tasks(ledger_2026)
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("tasks")
    assert page.model.rowCount() == 118

    page.set_filters(kind="livelihood")
    assert page.proxy.rowCount() == 20
    page.set_filters(kind="key")
    assert page.proxy.rowCount() == 98
    page.set_filters(kind="")

    area = tasks[0]["area"]
    page.set_filters(area=area)
    assert page.proxy.rowCount() == sum(t["area"] == area for t in tasks) < 118
    page.set_filters(area="")

    unit = "区发展改革局"
    page.set_filters(unit=unit)
    assert page.proxy.rowCount() == sum(any(u["name"] == unit for u in t["units"]) for t in tasks)
    page.set_filters(role="lead")
    lead = sum(any(u["name"] == unit and u["lead"] for u in t["units"]) for t in tasks)
    assert page.proxy.rowCount() == lead > 0
    page.set_filters(role="co")
    assert page.proxy.rowCount() == sum(any(u["name"] == unit and not u["lead"] for u in t["units"]) for t in tasks)
    page.set_filters(unit="", role="")

    leader = tasks[0]["leaders"][0]
    page.set_filters(leader=leader)
    assert page.proxy.rowCount() == sum(leader in t["leaders"] for t in tasks)
    page.set_filters(leader="")

    # search: Ctrl+F focuses the box, typing filters at once (118 rows: no delay)
    from PySide6.QtWidgets import QApplication
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(page.search_edit.hasFocus, timeout=5000)
    page.search_edit.insert("养老")  # as typed (QTest cannot type CJK); textChanged filters at once
    assert page.proxy.rowCount() == sum("养老" in t["text"] for t in tasks) > 0
    page.search_edit.clear()
    some_unit = tasks[5]["units"][-1]["name"]
    for word in ("养老", "教育", some_unit):
        expected = sum(word in t["text"] or word in t["area"] or word in t["category"]
                       or any(word in u["name"] for u in t["units"]) or any(word in n for n in t["leaders"])
                       for t in tasks)
        page.search_edit.setText(word)   # as typed: a year's ledger filters at once, no pause needed
        assert page.proxy.rowCount() == expected, word
        assert 0 < expected < 118
    page.search_edit.setText("养老 民生实事")
    assert page.proxy.rowCount() == sum("养老" in t["text"] and t["kind"] == "livelihood" for t in tasks)
    page.search_edit.clear()
    assert page.proxy.rowCount() == 118


def test_detail_panel_shows_units_lead_bold_and_history(qtbot, ledger_2026):
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("tasks")
    task = next(t for t in page.model.tasks if len(t["units"]) > 1)
    assert page.select_uid(task["uid"])
    html = page.detail.toHtml()
    text = page.detail.toPlainText()
    assert task["text"][:30] in text and task["area"] in text
    lead = next(u["name"] for u in task["units"] if u["lead"])
    co = next(u["name"] for u in task["units"] if not u["lead"])
    assert lead in text and co in text
    # lead unit in bold, co unit not
    doc = page.detail.document()
    bold_texts = set()
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.isValid() and frag.charFormat().fontWeight() >= 600:
                bold_texts.add(frag.text())
            it += 1
        block = block.next()
    assert any(lead in b for b in bold_texts)
    assert not any(co in b for b in bold_texts)
    assert "痕迹" in text and "导入" in text and "新建" in text
    assert html


def test_drop_of_the_word_file_opens_the_import_dialog(qtbot, ledger):
    window = open_window(qtbot, ledger)
    window.show_page("units")
    assert window.handle_dropped([FIXTURE_DOCX]) is True
    page = window.page_widgets["tasks"]
    assert window.current_page() is page
    dialog = page.import_dialog
    assert dialog is not None and dialog.isVisible()
    wait_preview(qtbot, dialog)
    assert dialog.preview is not None and len(dialog.preview.added) == 118
    dialog.reject()
    from core.ledger.queries import list_tasks
    assert list_tasks(ledger) == []


def _sheet(path, header, stamped=False):
    import xlsxwriter
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("附件1")
    ws.write_row(0, 0, ["2026年重点任务"])
    ws.write_row(1, 0, header + (["DCTA_KEY"] if stamped == "column" else []))
    ws.write_row(2, 0, ["1", "甲任务", "王菊", "区发展改革局"])
    if stamped == "sheet":
        wb.add_worksheet("_dcta").write(0, 0, "dcta-stamp")
    wb.close()


def test_drop_accepts_plan_workbooks_but_not_stamped_forms(qtbot, ledger, tmp_path):
    window = open_window(qtbot, ledger)
    page = window.page_widgets["tasks"]
    header = ["序号", "重点任务", "牵头领导", "责任单位"]
    _sheet(plan := tmp_path / "立项.xlsx", header)
    _sheet(form1 := tmp_path / "表1.xlsx", header, stamped="sheet")
    _sheet(form2 := tmp_path / "表2.xlsx", header, stamped="column")
    _sheet(other := tmp_path / "其他.xlsx", ["姓名", "电话"])
    tsv = tmp_path / "粘贴.tsv"
    tsv.write_text("序号\t重点任务\t牵头领导\t责任单位\n1\t甲\t王菊\t区发展改革局\n", encoding="utf-8")
    assert page.handles_drop([plan]) and page.handles_drop([tsv]) and page.handles_drop([FIXTURE_DOCX])
    assert not page.handles_drop([form1]) and not page.handles_drop([form2]) and not page.handles_drop([other])
    assert not page.handles_drop([plan, tsv])  # one 立项表 at a time
    assert not page.handles_drop([tmp_path])


HEAVY = ("pandas", "matplotlib", "openpyxl", "docx", "xlsxwriter")


def test_main_window_start_up_loads_no_heavy_modules(ledger_2026):
    """Start-up time guard: constructing the real window (every page) must not import heavy libraries."""
    code = (
        "import sys, json\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from core.ledger.store import Ledger\n"
        "from ui.main_window import MainWindow\n"
        f"w = MainWindow(Ledger({str(ledger_2026.path)!r}))\n"
        "w.show(); app.processEvents()\n"
        "rows = w.page_widgets['tasks'].model.rowCount()\n"
        f"print(json.dumps({{'rows': rows, 'heavy': [m for m in {HEAVY!r} if m in sys.modules]}}))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out["rows"] == 118
    assert out["heavy"] == [], f"loaded at start-up: {out['heavy']}"
