"""Issue 16 point 10: 台账 at 1366 px shows 牵头单位/配合单位 without scrolling; the unit filter follows the ledger's
unit order and finds units by pinyin; the import dialog shows no year before a file is read and speaks of the ledger's
units only when it has some; 通报打印's progress reads “98/98”."""
from __future__ import annotations

import json

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core.ledger.queries import list_tasks, list_units
from tests.conftest import FIXTURE_DOCX
from tests.helpers.tasks import open_window, wait_preview
from ui.task_table_model import COL_CO_UNITS, COL_LEAD_UNITS, HEADERS


def _at_1366(qtbot, ledger):
    window = open_window(qtbot, ledger)
    page = window.show_page("tasks")
    QApplication.processEvents()
    return window, page


@pytest.mark.parametrize("screen", [(1366, 728, 1.0), (1024, 576, 1.25)])   # 1366×768 less a taskbar; 1280×720 at 125 %
def test_unit_columns_fit_without_horizontal_scroll(ledger_2026, tmp_path, screen):
    from tests.ui.test_window_fits import _run
    got = json.loads(_run(["--tasks-columns", str(ledger_2026.path)], tmp_path, screen))
    viewport = got["viewport"]
    assert got["scroll_max"] == 0, got
    for col in (COL_LEAD_UNITS, COL_CO_UNITS):
        left, width, hidden = got["columns"][col]
        assert not hidden and left >= 0 and left + width <= viewport, (HEADERS[col], got)
        assert width >= got["name_width"]               # a unit's name shows, longer lists are elided
    assert all(width > 0 and not hidden for _left, width, hidden in got["columns"])


def test_unit_cells_elide_and_show_whole_in_tooltip(qtbot, ledger_2026):
    window, page = _at_1366(qtbot, ledger_2026)
    index = page.proxy.index(0, COL_CO_UNITS)
    assert "、" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert page.table.textElideMode() == Qt.TextElideMode.ElideRight


def test_unit_filter_in_ledger_order_with_pinyin_search(qtbot, ledger_2026):
    window, page = _at_1366(qtbot, ledger_2026)
    combo = page.unit_combo
    listed = [combo.itemText(i) for i in range(1, combo.count())]
    in_tasks = {u["name"] for t in list_tasks(ledger_2026) for u in t["units"]}
    assert listed == [u["name"] for u in list_units(ledger_2026) if u["name"] in in_tasks]   # not by code point
    assert listed != sorted(listed)
    combo.setFocus()
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), "czj")
    assert page.unit_search.matches.stringList() == ["区财政局"]
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: combo.currentData() == "区财政局")
    shown = [page.model.task_at(page.proxy.mapToSource(page.proxy.index(r, 0)).row())
             for r in range(page.proxy.rowCount())]
    assert shown and all(any(u["name"] == "区财政局" for u in t["units"]) for t in shown)
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), "shangwu")
    assert page.unit_search.matches.stringList() == ["区商务局"]


def test_import_dialog_before_a_file_and_on_an_empty_ledger(qtbot, ledger):
    window = open_window(qtbot, ledger)
    from ui.import_dialog import ImportDialog
    dialog = ImportDialog(window.ctx, None, window)      # as 导入立项表… opens it, before the file is chosen
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.year_spin.text() == "—"                 # not “2000” before anything is read
    assert "2000" not in dialog.year_spin.text()
    dialog.set_path(str(FIXTURE_DOCX))
    wait_preview(qtbot, dialog)
    assert dialog.preview is not None and dialog.year_spin.value() == 2026
    assert "与台账中" not in dialog.units_hint.text() and "台账中还没有单位" in dialog.units_hint.text()
    items = [dialog.units_list.item(i).text() for i in range(dialog.units_list.count())]
    assert not any("台账中的" in t for t in items)
    dialog.reject()


def test_progress_label_says_98_of_98_once():
    from ui.pages.reports.page import progress_text
    assert progress_text(98, 98, "98") == "98/98"
    assert progress_text(3, 7, "栾长征") == "3/7：栾长征"
