"""Issue 29 point 9, the smaller points, each in the real window: 督办 cells whole, its detail pane never blank, the
file buttons only where a cell is a file; 下发 opening on 附件4 in November; the review grid's ⚑ line apart from the
value."""
from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt

from tests.helpers.dashboard import wait_read
from tests.helpers.tasks import WAIT_MS, open_window
from tests.helpers.tracking import assigned_units, campaign_id, dispatch, submit
from tests.helpers.collect import wait_list


def test_dashboard_cells_whole_detail_hint_and_file_buttons_only_on_the_matrix(qtbot, ledger_2026):
    led = ledger_2026
    cid = campaign_id(led)
    units = assigned_units(led, cid)
    dispatch(led, cid, "report", "2026-10", units)
    for u in units[2:]:
        submit(led, cid, u, "report", "2026-10", datetime(2026, 11, 4, 9))
    window = open_window(qtbot, led)
    window.resize(1366, 768)
    page = window.show_page("dashboard")
    page.set_today(date(2026, 12, 5))
    page.set_period("2026-10")
    wait_read(qtbot, page)   # the month is read in the background
    # nothing chosen yet: the pane says what to do
    assert "点击左侧表格中的格子" in page.detail.toPlainText()
    # the longest state, "未报（逾期 20 个工作日）", is whole in its cell
    view, m = page.matrix_view, page.matrix_model
    col = 1 + m.columns.index(("report", "2026-10"))
    texts = [m.data(m.index(r, col), Qt.ItemDataRole.DisplayRole) for r in range(m.rowCount())]
    longest = max((t for t in texts if t), key=view.fontMetrics().horizontalAdvance)
    assert "逾期 20 个工作日" in longest
    assert view.fontMetrics().horizontalAdvance(longest) + 8 <= view.columnWidth(col), (longest, view.columnWidth(col))
    # 修改收到时间… / 退回待改 are about a received file: not on 任务亮灯
    assert page.received_button.isVisible() and page.return_button.isVisible()
    page.tabs.setCurrentIndex(1)
    assert not page.received_button.isVisible() and not page.return_button.isVisible()
    assert "点击左侧的任务" in page.detail.toPlainText()
    page.tabs.setCurrentIndex(0)
    assert page.received_button.isVisible()


def test_dispatch_opens_on_the_monthly_form_in_november(qtbot, ledger_2026):
    window = open_window(qtbot, ledger_2026)
    window.ctx.set_work_month("2026-11")
    page = window.show_page("dispatch")
    qtbot.waitUntil(lambda: not page.reading, timeout=WAIT_MS)   # the plan's deadline is read in the background
    assert page.form() == "report"


def test_a_flag_and_the_value_of_a_cell_are_on_lines_of_their_own(qtbot):
    from PySide6.QtGui import QTextDocument

    from core.common.text_diff import diff_spans
    from ui.pages.collect.review_grid_model import cell_html

    class Cell:
        flag_names = ["填“是”但文字显示未完成"]
        same_as_last_month = False
        flags = "contradiction"
        segments = diff_spans("是", "是")
    doc = QTextDocument()
    doc.setHtml(cell_html(Cell()))
    assert doc.toPlainText().split("\n") == ["⚑ 填“是”但文字显示未完成", "是"]


def test_the_page_and_the_window_status_lines_agree_after_accepting_all(qtbot, ledger_2026, tmp_path):
    """Observation 6: after 退回 then 全部接受, the 收文 line said 已接受 N 处差异 while the status bar still said 退回."""
    from tests.helpers.review_grid import make_may
    sid, _keys, _april, _may = make_may(ledger_2026, tmp_path)
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("collect")
    page.refresh()
    wait_list(qtbot, page)
    assert page.select_submission(sid)
    window.ctx.status_message.emit("已退回 2 行：退回表和邮件草稿已写好")   # what 退回 left in the status bar
    qtbot.mouseClick(page.accept_all_button, Qt.MouseButton.LeftButton)
    assert page.status_label.text().startswith("已接受")
    assert window.status_label.text() == page.status_label.text()


def test_a_new_ledger_shows_no_month_in_which_no_form_went_out(qtbot, ledger_2026):
    """A new ledger in March: 1–2月 had no monthly form; they are no 未下发 columns, March (looked at) is."""
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("dashboard")
    page.set_today(date(2026, 4, 2))
    page.set_period("2026-03")
    wait_read(qtbot, page)
    m = page.matrix_model
    headers = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
    assert "1月" not in headers and "2月" not in headers and "3月" in headers and "计划表" in headers


def test_the_demo_start_window_has_a_progress_bar_and_cancel(qtbot, tmp_path, monkeypatch):
    """The demo's first start: a progress bar and 取消; cancelled, no half demo is left and the window does not open."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    import core.demo
    from ui.demo_start import ensure_demo_ledger_shown
    target = tmp_path / "demo" / "演示台账.sqlite3"
    monkeypatch.setattr(core.demo, "demo_ledger_path", lambda: target)
    seen: dict = {}

    def press_cancel() -> None:
        box = next((w for w in QApplication.topLevelWidgets() if hasattr(w, "demo_cancel") and w.isVisible()), None)
        if box is None or box.demo_bar.maximum() == 0:   # wait for the months to be counted
            QTimer.singleShot(100, press_cancel)
            return
        seen["range"] = (box.demo_bar.value(), box.demo_bar.maximum())
        qtbot.mouseClick(box.demo_cancel, Qt.MouseButton.LeftButton)

    QTimer.singleShot(100, press_cancel)
    assert ensure_demo_ledger_shown() is None
    assert seen["range"][1] > 1                                      # a real bar: months to play
    assert not target.exists() and not [p for p in target.parent.iterdir() if p.suffix == ".sqlite3"]


def test_the_draft_helpers_headers_are_whole(qtbot, ledger_2026):
    """立项助手 at 1366×768: every header of the draft table whole, before a report is opened."""
    window = open_window(qtbot, ledger_2026)
    window.resize(1366, 768)
    page = window.show_page("draft")
    view = page.view
    header = view.horizontalHeader()
    metrics = header.fontMetrics()
    for col in range(page.model.columnCount()):
        label = str(page.model.headerData(col, Qt.Orientation.Horizontal))
        assert metrics.horizontalAdvance(label) + 8 <= header.sectionSize(col), label
    right = header.sectionPosition(page.model.columnCount() - 1) + header.sectionSize(page.model.columnCount() - 1)
    assert right <= view.viewport().width()


def test_tasks_page_gives_the_columns_the_width_until_a_task_is_chosen(qtbot, ledger_2026):
    """台账 at 1366×768: no empty detail pane beside the table (the columns were cut to ~4 characters)."""
    window = open_window(qtbot, ledger_2026)
    window.resize(1366, 768)
    page = window.show_page("tasks")
    page.table.clearSelection()
    page.table.setCurrentIndex(page.proxy.index(-1, -1))
    assert not page.detail.isVisible()
    assert page.table.width() > page.splitter.width() - 20
    assert page.select_uid(page.model.task_at(0)["uid"])
    assert page.detail.isVisible() and "各月报送" in page.detail.toPlainText()


def test_the_chart_tab_and_the_draft_helpers_placeholder_are_whole_at_1366(qtbot, ledger_2026):
    """通报打印's 图表 tab was cut on the right and 立项助手's placeholder cut, at 1366×768: the chart now fits the tab's
    width, the placeholder wraps within its box."""
    from PySide6.QtCore import QRect
    window = open_window(qtbot, ledger_2026)
    window.setFixedSize(1366, 768)
    page = window.show_page("reports")
    page.tabs.setCurrentWidget(page.chart_tab)
    page.chart_combo.setCurrentText("按重点领域")
    qtbot.waitUntil(lambda: page.chart_label.pixmap() is not None and not page.chart_label.pixmap().isNull(),
                    timeout=WAIT_MS)
    assert page.chart_label.pixmap().width() <= page.chart_scroll.viewport().width()
    draft = window.show_page("draft")
    box = draft.report_view
    metrics = box.fontMetrics()
    text = box.placeholderText()
    room = box.viewport().width() - 2 * int(box.document().documentMargin())
    wrapped = metrics.boundingRect(QRect(0, 0, room, 10_000), int(Qt.TextFlag.TextWordWrap), text)
    assert text and wrapped.width() <= room and wrapped.height() <= box.viewport().height()
