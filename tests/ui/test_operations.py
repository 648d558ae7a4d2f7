"""Ledger work from the window: writing jobs one at a time, closing cancels and waits, a change refreshes only the
pages that show it, 办结 reads the 督办 page once, a refused operation shows the error dialog."""
from __future__ import annotations

import threading
import time
from datetime import datetime

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from core.common.errors import Cancelled, UserError
from core.ledger.changes import Area, Changed, LedgerChange
from tests.helpers.dashboard import wait_read
from tests.helpers.tasks import WAIT_MS, open_window
from tests.helpers.tracking import assigned_units, campaign_id, dispatch, submit, task_id
from ui.operations import LedgerOp, LedgerQuery, write_now


def test_ledger_writing_jobs_run_one_at_a_time_in_order(qtbot, ledger_2026):
    window = open_window(qtbot, ledger_2026)
    events: list[tuple[str, str]] = []
    lock = threading.Lock()

    def writer(name):
        def fn(work):
            with lock:
                events.append((name, "in"))
            time.sleep(0.15)
            with lock:
                events.append((name, "out"))
            return Changed(name, change=LedgerChange.of(Area.PROGRESS))
        return fn
    done: list[str] = []
    changes: list[LedgerChange] = []
    window.ctx.changed.connect(changes.append)
    for name in ("甲", "乙", "丙"):
        LedgerOp(window.ctx, "test", writer(name)).success(lambda r: done.append(r.value)).run()
    reader_ran = threading.Event()
    LedgerQuery(window.ctx, lambda work: reader_ran.set()).run()   # a read does not wait behind the writes
    qtbot.waitUntil(lambda: len(done) == 3, timeout=10000)
    assert reader_ran.is_set()
    assert events == [("甲", "in"), ("甲", "out"), ("乙", "in"), ("乙", "out"), ("丙", "in"), ("丙", "out")]
    assert done == ["甲", "乙", "丙"]
    assert changes == [LedgerChange.of(Area.PROGRESS, source="test")] * 3   # each write's own change, nothing for the read


@pytest.mark.qt_no_exception_capture
def test_a_write_that_does_not_say_what_it_changed_is_a_bug_not_a_guess(qtbot, ledger_2026, monkeypatch):
    """A function handed to LedgerOp/write_now must return the core writer's result (a `Written`): a plain value
    raises TypeError (shown as 内部错误) and nothing is announced; the page cannot make up a change instead."""
    import sys

    from ui import error_hook
    window = open_window(qtbot, ledger_2026)
    changes: list = []
    window.ctx.changed.connect(changes.append)
    errors: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda t, e, tb: errors.append(e))
    monkeypatch.setattr(error_hook, "show_error", lambda exc: errors.append(exc))
    with pytest.raises(TypeError, match="Written"):
        write_now(window.ctx, "units", lambda: 3)
    op = LedgerOp(window.ctx, "units", lambda work: 3)
    op.run()
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], TypeError) and changes == []
    with pytest.raises(TypeError):
        LedgerOp(window.ctx, "units", lambda work: 3, change=LedgerChange.of(Area.UNITS))   # no page-declared change


def test_closing_the_window_cancels_running_work_and_waits_for_it(qtbot, ledger_2026):
    window = open_window(qtbot, ledger_2026)
    started, stopped = threading.Event(), threading.Event()
    queued_ran = threading.Event()

    def long_write(work):
        started.set()
        try:
            for n in range(2000):                 # would take 40 s if 取消 were never seen
                work.step(n, 2000, f"第{n}份")
                time.sleep(0.02)
        finally:
            time.sleep(0.2)                       # a write finishing its transaction
            stopped.set()
    running = window.jobs.start(long_write, writes=True)
    queued = window.jobs.start(lambda work: queued_ran.set(), writes=True)
    qtbot.waitUntil(started.is_set, timeout=5000)
    t0 = time.perf_counter()
    window.close()
    assert stopped.is_set(), "close returned before the job stopped"
    assert time.perf_counter() - t0 < 10
    assert isinstance(running.error, Cancelled) and running.is_cancelled()
    assert queued.is_cancelled() and not queued_ran.is_set()   # cancelled while queued: never started


def _count_refreshes(window) -> dict[str, int]:
    counts = dict.fromkeys(window.page_widgets, 0)
    for key, widget in window.page_widgets.items():
        original = widget.refresh

        def counted(key=key, original=original):
            counts[key] += 1
            original()
        widget.refresh = counted
    return counts


def test_a_change_refreshes_only_the_pages_that_show_it(qtbot, ledger_2026):
    window = open_window(qtbot, ledger_2026)
    for key in ("tasks", "dashboard", "units"):        # each shown once: up to date
        window.show_page(key)
    counts = _count_refreshes(window)
    window.ctx.notify(LedgerChange.of(Area.DISPATCH, periods=["2026-03"], source="dispatch"))
    assert counts["units"] == 0                         # in view, but shows no dispatch records
    window.show_page("tasks")
    assert counts["tasks"] == 0                         # not touched: not read again when shown
    window.show_page("dashboard")
    assert counts["dashboard"] == 1                     # touched while hidden: read once when shown
    window.show_page("units")
    counts.update(dict.fromkeys(counts, 0))
    window.ctx.notify(LedgerChange.of(Area.UNITS, units=[1], source="units"))
    assert counts["units"] == 0                         # the page that made the change updated itself
    window.ctx.notify(LedgerChange.of(Area.UNITS, units=[1], source="collect"))
    assert counts["units"] == 1 and counts["dashboard"] == 0   # hidden pages wait until shown
    window.ctx.notify(LedgerChange.everything())        # a whole other ledger: everything may have changed
    assert counts["units"] == 2


def test_closing_a_task_reads_the_dashboard_once(qtbot, ledger_2026, monkeypatch, tmp_path):
    import core.tracking.states as states
    led = ledger_2026
    cid = campaign_id(led)
    units = assigned_units(led, cid)
    dispatch(led, cid, "report", "2026-03", units)
    for u in units:
        submit(led, cid, u, "report", "2026-03", datetime(2026, 4, 7, 9))
    window = open_window(qtbot, led)
    page = window.show_page("dashboard")
    page.set_period("2026-03")
    wait_read(qtbot, page)   # the month is read in the background
    page.tabs.setCurrentIndex(1)
    tid = task_id(led, "livelihood", 1)
    assert page.select_task(tid)
    calls: list[int] = []
    real = states.dashboard_data
    monkeypatch.setattr(states, "dashboard_data", lambda *a, **k: calls.append(1) or real(*a, **k))
    dialog = page.open_close_dialog()
    dialog.date_edit.setDate(QDate(2026, 4, 10))
    dialog.note_edit.setPlainText("项目已建成并投入使用，群众反映良好。")
    with qtbot.waitSignal(window.ctx.changed, timeout=5000) as blocker:
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    change = blocker.args[0]
    assert change.areas == {Area.CLOSURE} and change.tasks == {tid} and change.source == "dashboard"
    wait_read(qtbot, page)
    assert calls == [1]                                 # the page read itself once; the window did not read it again
    assert page.select_task(tid) and page.selected_task()["closed_on"] == "2026-04-10"


@pytest.mark.qt_no_exception_capture
def test_a_refused_operation_shows_the_error_dialog_and_announces_nothing(qtbot, ledger_2026):
    window = open_window(qtbot, ledger_2026)
    changes: list = []
    window.ctx.changed.connect(changes.append)

    def refused(work):
        raise UserError("该任务已办结，不能重复办结。请先撤销办结。")
    op = LedgerOp(window.ctx, "dashboard", refused)
    op.run()

    def boxes():
        return [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QMessageBox) and w.objectName() == "errorBox" and w.isVisible()]
    qtbot.waitUntil(lambda: bool(boxes()), timeout=5000)
    box = boxes()[0]
    assert box.windowTitle() == "无法完成" and "不能重复办结" in box.text()
    assert changes == []
    box.close()


@pytest.mark.qt_no_exception_capture
def test_a_small_write_waits_its_turn_behind_a_background_write(qtbot, ledger_2026, monkeypatch):
    """While 合并 (here: a held writing job) runs, adding an alias is refused with a Chinese message, the ledger
    unchanged; once the job is done the same alias goes in."""
    import sys

    from PySide6.QtWidgets import QInputDialog

    from core.ledger.queries import list_units
    from ui import error_hook
    monkeypatch.setattr(sys, "excepthook", error_hook.handle)
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("units")
    qtbot.waitUntil(lambda: not page.reading, timeout=WAIT_MS)   # 单位 reads in the background
    unit = next(u for u in list_units(ledger_2026) if u["name"] == "区发展改革局")
    page.select_unit(unit["id"])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("发改", True))
    release = threading.Event()
    window.jobs.start(lambda work: release.wait(10), writes=True)

    def boxes():
        return [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QMessageBox) and w.objectName() == "errorBox" and w.isVisible()]
    page.alias_button.click()
    qtbot.waitUntil(lambda: bool(boxes()), timeout=5000)
    assert "后台正在写入台账" in boxes()[0].text()
    boxes()[0].close()
    assert "发改" not in next(u for u in list_units(ledger_2026) if u["id"] == unit["id"])["aliases"]
    release.set()
    qtbot.waitUntil(lambda: not window.jobs.active, timeout=5000)
    page.alias_button.click()
    assert "发改" in next(u for u in list_units(ledger_2026) if u["id"] == unit["id"])["aliases"]


def test_contact_edit_and_settings_wait_behind_a_background_write(qtbot, ledger_2026, monkeypatch):
    """The 单位 table's in-place edit and 设置's 确定 write on the window's thread: while a background write runs both
    are refused in Chinese with the ledger unchanged; afterwards the same edit goes in."""
    from core.ledger.queries import list_units
    from core.ledger.settings import no_ranking
    from ui.settings_dialog import SettingsDialog
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("units")
    qtbot.waitUntil(lambda: not page.reading, timeout=WAIT_MS)   # 单位 reads in the background
    shown: list[str] = []
    page.model.edit_failed.disconnect()
    page.model.edit_failed.connect(shown.append)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a, **k: warnings.append(text))
    row = next(i for i, u in enumerate(page.model.units) if u["name"] == "区发展改革局")
    column = next(c for c in range(page.model.columnCount()) if page.model.headerData(c, Qt.Orientation.Horizontal) == "电话")
    index = page.model.index(row, column)
    release = threading.Event()
    window.jobs.start(lambda work: release.wait(10), writes=True)
    assert page.model.setData(index, "0531-12345678") is False
    assert shown and "后台正在写入台账" in shown[0]
    dialog = SettingsDialog(ledger_2026, window, window.ctx)
    before = no_ranking(ledger_2026)
    dialog.no_ranking.setChecked(not before)
    dialog.accept()
    assert warnings and "后台正在写入台账" in warnings[0]
    assert no_ranking(ledger_2026) == before
    assert "12345678" not in str(next(u for u in list_units(ledger_2026) if u["name"] == "区发展改革局"))
    release.set()
    qtbot.waitUntil(lambda: not window.jobs.active, timeout=5000)
    assert page.model.setData(index, "0531-12345678") is True
    assert "0531-12345678" in str(next(u for u in list_units(ledger_2026) if u["name"] == "区发展改革局"))
