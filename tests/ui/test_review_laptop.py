"""Issue 29 point 3: review on a 1366×768 laptop — at least four task rows of the grid in view (rows capped, the
whole text in the tooltip and the pane below), the pane below collapsible, and the 退回意见 editor a multi-line
editor wide enough to read the sentence being typed."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.helpers.review_grid import make_may
from tests.helpers.tasks import open_window
from tests.helpers.collect import wait_list

COMMENT = "完成情况与上月相同，请补充11月新进展，写明本月新开展的工作、取得的阶段性成效和具体数字。"


def rows_in_view(view) -> int:
    """Task rows whose whole height is inside the grid's viewport."""
    height = view.viewport().height()
    return sum(1 for r in range(view.model().rowCount())
               if view.rowViewportPosition(r) >= 0 and view.rowViewportPosition(r) + view.rowHeight(r) <= height)


def test_four_rows_in_view_detail_collapsible_and_a_wide_comment_editor(qtbot, ledger_2026, tmp_path):
    sid, keys, _april, _may = make_may(ledger_2026, tmp_path)
    window = open_window(qtbot, ledger_2026)
    window.resize(1366, 768)
    assert (window.width(), window.height()) == (1366, 768)
    page = window.show_page("collect")
    page.refresh()
    wait_list(qtbot, page)
    assert page.select_submission(sid)
    panel, view = page.grid_panel, page.grid_panel.view
    qtbot.waitUntil(lambda: view.viewport().height() > 100)
    view.scrollToTop()
    assert rows_in_view(view) >= 4, [view.rowHeight(r) for r in range(view.model().rowCount())]
    # a capped row: its whole text is in the tooltip and in the pane below
    done_col = 1 + [f for f, _l in panel.grid.columns].index("done")
    index = view.model().index(0, done_col)
    whole = str(panel.model.cell_at(index).value)
    assert whole[-20:] in view.model().data(index, Qt.ItemDataRole.ToolTipRole)
    view.setCurrentIndex(view.model().index(0, 0))
    view.setCurrentIndex(index)
    assert whole[-20:] in page.view.toPlainText().replace("\n", "")
    # the pane below folds away (Ctrl+D or its button) and comes back
    before = view.viewport().height()
    qtbot.mouseClick(page.detail_button, Qt.MouseButton.LeftButton)
    assert not page.view.isVisible() and page.detail_button.text() == "展开详情"
    qtbot.waitUntil(lambda: view.viewport().height() > before)
    assert rows_in_view(view) >= 4
    qtbot.mouseClick(page.detail_button, Qt.MouseButton.LeftButton)
    assert page.view.isVisible()

    # Shift+R: the row is rejected and its 退回意见 editor opens: several lines, the sentence readable as typed
    view.setFocus()
    view.setCurrentIndex(view.model().index(1, done_col))
    qtbot.keyClick(view, Qt.Key.Key_R, Qt.KeyboardModifier.ShiftModifier)
    editor = QApplication.focusWidget()
    assert view.isAncestorOf(editor) and editor.metaObject().className() == "CommentEditor"
    from PySide6.QtGui import QInputMethodEvent
    event = QInputMethodEvent()
    event.setCommitString(COMMENT)
    QApplication.sendEvent(editor, event)
    metrics = editor.fontMetrics()
    assert editor.width() >= 300 and editor.width() > view.columnWidth(view.model().columnCount() - 1)
    lines = editor.document().documentLayout().documentSize().height()   # the typed text wrapped in the editor
    assert lines <= editor.viewport().height(), (lines, editor.viewport().height())   # all of it in view
    assert editor.geometry().right() <= view.viewport().width()          # inside the grid, nothing cut
    assert metrics.horizontalAdvance("充11月新进展") < editor.width()
    window.grab().save(str(tmp_path / "review.png"))
    qtbot.keyClick(editor, Qt.Key.Key_Return)                            # Enter keeps it
    row = panel.model.row_at(1)
    assert row.comment == COMMENT
