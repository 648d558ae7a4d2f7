"""One 工作月份 for the whole window (issue 16, point 3): shown and changed in the menu bar's corner, the quarter
derived from it, the same Chinese month picker on 下发, 督办 and 通报打印, each page following it and showing
visibly when it looks at another month."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDateEdit

from tests.helpers.tasks import WAIT_MS, open_window
from ui.month_picker import MonthPicker


def test_one_work_month_for_every_page(qtbot, ledger_2026):
    window = open_window(qtbot, ledger_2026)
    dispatch, dashboard, reports = (window.page_widgets[k] for k in ("dispatch", "dashboard", "reports"))
    for key in ("dispatch", "dashboard", "reports"):
        window.show_page(key)
    qtbot.waitUntil(lambda: not (reports.reading or dispatch.reading), timeout=WAIT_MS)   # read in the background
    dispatch.form_combo.setCurrentIndex(dispatch.form_combo.findData("report"))
    # the same Chinese month picker everywhere, no day calendar
    pickers = [window.work_month_picker, dispatch.month_picker, dashboard.period_combo, reports.period_combo]
    assert all(isinstance(p, MonthPicker) for p in pickers)
    assert not dispatch.findChildren(QDateEdit)
    assert window.menuBar().cornerWidget(Qt.Corner.TopRightCorner).isVisible()

    # changed in one place: every page follows, the quarter is derived
    window.set_work_month("2026-05")
    assert window.work_month_picker.currentText() == "2026年5月"
    assert window.work_quarter_label.text() == "第二季度"
    assert dispatch.period() == dashboard.period == reports.period == "2026-05"
    assert reports.quarter == "2026Q2" and "第二季度" in reports.quarter_label.text()
    assert dispatch.month_picker.currentText() == "2026年5月"
    assert not any(p.differs() for p in pickers)

    # the header's picker by keyboard: ↓ is the next month, for every page
    window.work_month_picker.setFocus()
    qtbot.keyClick(window.work_month_picker, Qt.Key.Key_Down)
    assert window.ctx.work_month == "2026-06"
    assert dispatch.period() == dashboard.period == reports.period == "2026-06"
    assert reports.quarter == "2026Q2"
    window.set_work_month("2026-07")
    assert reports.quarter == "2026Q3" and "第三季度" in reports.quarter_label.text()

    # one page may look at another month, visibly; the others keep the 工作月份
    dispatch.month_picker.setFocus()
    qtbot.keyClick(dispatch.month_picker, Qt.Key.Key_Up)
    assert dispatch.period() == "2026-06" and window.ctx.work_month == "2026-07"
    assert dispatch.month_picker.differs()
    assert "与工作月份不同" in dispatch.month_picker.toolTip() and dispatch.month_picker.styleSheet()
    assert dashboard.period == reports.period == "2026-07" and not dashboard.period_combo.differs()
    # a new 工作月份 brings the page back in line
    window.set_work_month("2026-08")
    assert dispatch.period() == "2026-08" and not dispatch.month_picker.differs()
    assert dispatch.month_picker.styleSheet() == "" and "与工作月份不同" not in dispatch.month_picker.toolTip()
