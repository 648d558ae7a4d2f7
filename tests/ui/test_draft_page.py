"""立项助手 page in the real window: report beside the draft, highlights, keyboard merge/split/move/undo, accept, export."""
from __future__ import annotations

from PySide6.QtCore import Qt

from tests.helpers.draft import REPORT_TXT, open_draft_page


def test_open_report_shows_candidates_with_source_and_targets_highlighted(qtbot, ledger_2026):
    window, page = open_draft_page(qtbot, ledger_2026)
    assert page.model.rowCount() == 98
    assert page.year_spin.value() == 2026
    page.select_row(3)
    c = page.table.candidates[3]
    spans = page.highlighted_spans()
    assert (c.start, c.end, "#cfe3ff") in spans                       # the candidate's source span
    assert any(s >= c.start and e <= c.end and colour == "#fff2a8" for s, e, colour in spans)  # 160亿元
    assert page.report_view.toPlainText()[c.start:c.end] == c.text
    # suggestions for 2026 come from other campaigns only: with just 2026 in the ledger, rules give the reasons
    assert "规则" in page.reasons_view.toPlainText()
    assert page.model.index(3, 6).data(Qt.ItemDataRole.ToolTipRole).startswith("建议依据")


def test_keyboard_merge_split_move_delete_undo(qtbot, ledger):
    window, page = open_draft_page(qtbot, ledger)
    first_texts = [c.text for c in page.table.candidates]
    page.view.setFocus()
    page.select_row(1)
    qtbot.keyClick(page.view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert page.model.rowCount() == 97
    assert page.table.candidates[1].text == first_texts[1] + first_texts[2]
    # split at the cursor placed in the report where the second sentence starts
    c = page.table.candidates[1]
    cursor = page.report_view.textCursor()
    cursor.setPosition(c.start + len(first_texts[1]))
    page.report_view.setTextCursor(cursor)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert [x.text for x in page.table.candidates] == first_texts
    qtbot.keyClick(page.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert page.table.candidates[2].text == first_texts[1] and page.current_row() == 2
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert page.model.rowCount() == 97
    for _ in range(4):
        qtbot.keyClick(page.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [x.text for x in page.table.candidates] == first_texts
    assert not page.undo_button.isEnabled()


def test_edit_in_place_then_export_and_accept(qtbot, ledger, tmp_path):
    from core.campaign.read import read_plan_file
    from core.ledger.queries import list_tasks
    window, page = open_draft_page(qtbot, ledger)
    model = page.model
    # an empty ledger has no history: fill the units the rules could not place, by editing the cell
    for row in range(model.rowCount()):
        if not page.table.candidates[row].units:
            assert model.setData(model.index(row, 6), "区发展改革局（牵头）、区财政局")
    assert model.setData(model.index(0, 5), "栾长征")
    assert model.setData(model.index(0, 4), "地区生产总值增长5%左右。")
    assert page.table.candidates[0].units[0]["lead"]
    out = page.export_word(tmp_path / "草稿.docx")
    back = read_plan_file(out)
    assert len(back.of_kind("key")) == 98
    assert back.tasks[0].text == "地区生产总值增长5%左右。" and back.tasks[0].leaders == ["栾长征"]
    assert [u.lead for u in back.tasks[0].units] == [u["lead"] for u in page.table.candidates[0].units]
    changed = []
    page.ctx.changed.connect(changed.append)
    result = page.accept_draft(ask=False)
    assert result["added"] == 98 and changed and "campaign" in changed[0].areas and changed[0].source == "draft"
    assert len(list_tasks(ledger, 2026)) == 98
    assert page.accept_draft(ask=False) is None and "已经有2026年" in page.last_error


def test_report_drop_goes_to_the_draft_page(qtbot, ledger):
    from ui.main_window import MainWindow
    window = MainWindow(ledger)
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("draft")
    assert page.handles_drop([REPORT_TXT])
    # dropped while the 台账 page is showing, the report still goes to the 立项助手, not to the 立项表 import
    tasks_page = window.show_page("tasks")
    assert not tasks_page.handles_drop([REPORT_TXT])
    window.handle_dropped([REPORT_TXT])
    qtbot.waitUntil(lambda: page.model.rowCount() == 98, timeout=60000)
    assert window.current_page() is page


def test_history_file_and_rules_dialog_update_suggestions(qtbot, ledger):
    from core.draft.suggest import load_rules
    from tests.conftest import FIXTURE_DOCX
    window, page = open_draft_page(qtbot, ledger)
    # hand-set units survive a later re-suggestion
    assert page.model.setData(page.model.index(0, 6), "区统计局（牵头）")
    page.load_history(FIXTURE_DOCX)        # the 2026 table itself is same-year: not a precedent
    qtbot.waitUntil(lambda: getattr(page, "history_loaded", None) is not None, timeout=60000)
    assert page.index.past == []
    page.year_spin.setValue(2027)
    page.history_loaded = None
    page.load_history(FIXTURE_DOCX)
    qtbot.waitUntil(lambda: page.history_loaded is not None, timeout=60000)
    assert len(page.index.past) == 118
    assert page.table.candidates[0].units == [{"name": "区统计局", "lead": True}]
    reasons = " ".join(r for c in page.table.candidates for r in c.reasons)
    assert "2026年" in reasons                  # similar past tasks now give reasons
    dialog = page.open_rules()
    n = dialog.table.rowCount()
    assert n == len(load_rules(ledger)) > 0
    dialog.keyword_edit.setText("统计")
    dialog.unit_combo.setCurrentText("区统计局")
    dialog.add()
    assert dialog.table.rowCount() == n + 1
    dialog.table.selectRow(n)
    dialog.delete_selected()
    assert dialog.table.rowCount() == n
    dialog.keyword_edit.clear()
    dialog.add()
    assert "不能为空" in dialog.message.text()
    dialog.accept()
