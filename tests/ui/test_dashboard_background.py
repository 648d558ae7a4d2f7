"""督办 reads its month off the window's thread (issue 31): a month switch returns at once with the page saying it is
reading, the month asked for last is the one shown (never an older read finishing late), and a failed read reaches
the clerk as the window's error dialog."""
from __future__ import annotations

import threading
from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

import core.tracking.states as states
from core.common.errors import UserError
from tests.helpers.dashboard import wait_read
from tests.helpers.tasks import open_window
from tests.helpers.tracking import assigned_units, campaign_id, dispatch, submit

TODAY = date(2026, 4, 13)


def _february_and_march(led) -> int:
    """Every unit reported February on time; March only half of them: the two months' tiles differ."""
    cid = campaign_id(led)
    units = assigned_units(led, cid)
    for period in ("2026-02", "2026-03"):
        dispatch(led, cid, "report", period, units)
    for n, u in enumerate(units):
        submit(led, cid, u, "report", "2026-02", datetime(2026, 3, 5, 9))
        if n % 2:
            submit(led, cid, u, "report", "2026-03", datetime(2026, 4, 7, 9))
    return cid


def _tiles(page) -> dict[str, str]:
    return {name: label.text() for name, label in page.tile_labels.items()}


def test_a_month_switch_returns_at_once_and_only_the_last_month_is_shown(qtbot, ledger_2026, monkeypatch):
    led = ledger_2026
    cid = _february_and_march(led)
    window = open_window(qtbot, led)
    window.set_work_month("2026-04")
    page = window.show_page("dashboard")
    page.set_today(TODAY)
    wait_read(qtbot, page)
    assert page.data["period"] == "2026-04"
    march = {name: str(v) for name, v in states.dashboard_data(led, cid, "2026-03", TODAY)["tiles"].items()}

    real = states.dashboard_data
    release = threading.Event()
    calls: list[tuple[str, bool]] = []   # (month, read on the window's thread?)

    def held(ledger, campaign, period, *args, **kwargs):
        calls.append((period, threading.current_thread() is threading.main_thread()))
        if period == "2026-02":
            release.wait(5)   # February's read is slow: it ends only after March's is on screen
        return real(ledger, campaign, period, *args, **kwargs)
    monkeypatch.setattr(states, "dashboard_data", held)

    window.set_work_month("2026-02")
    # the window's thread is back before February is read: the page says what it reads, April stays in view
    assert not any(on_window for _, on_window in calls)
    shown: list[str] = []
    page.read_done.connect(lambda: shown.append(page.data["period"]))
    assert page.reading and page.busy_label.text() == "正在读取2月的督办数据……"
    assert page.data["period"] == "2026-04" and page.matrix_model.rowCount() > 0
    qtbot.waitUntil(lambda: bool(calls), timeout=5000)   # February's read has begun (a read still waiting never would)
    window.set_work_month("2026-03")   # changed again before February came back
    wait_read(qtbot, page)
    assert shown == ["2026-03"] and page.busy_label.text() == ""
    release.set()
    qtbot.waitUntil(lambda: not window.jobs.active, timeout=10_000)   # February's read ends late …
    qtbot.wait(50)
    assert shown == ["2026-03"] and page.data["period"] == "2026-03"   # … and is never shown
    tiles = _tiles(page)
    assert {name: tiles[name] for name in march} == march
    assert page.tile_captions["按时已报"].text() == "3月按时已报"
    m = page.matrix_model   # a cell's tooltip, made when asked for
    col = 1 + m.columns.index(("report", "2026-03"))
    tip = m.data(m.index(0, col), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith(f"{m.units[0][1]} 3月：{m.cell(0, col)['state']}") and "截止：" in tip
    assert [month for month, _ in calls] == ["2026-02", "2026-03"]
    assert not any(on_window for _, on_window in calls)


def test_a_failed_read_reaches_the_clerk(qtbot, ledger_2026, monkeypatch):
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("dashboard")
    wait_read(qtbot, page)

    def broken(*_args, **_kwargs):
        raise UserError("台账文件无法读取：测试")
    monkeypatch.setattr(states, "dashboard_data", broken)
    page.set_period("2026-02")
    wait_read(qtbot, page)

    def boxes() -> list[QMessageBox]:
        return [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QMessageBox) and w.objectName() == "errorBox" and w.isVisible()]
    qtbot.waitUntil(lambda: bool(boxes()), timeout=5000)
    assert "台账文件无法读取：测试" in boxes()[0].text()
    assert page.busy_label.text() == "未能读取督办数据：台账文件无法读取：测试"
    for box in boxes():
        box.close()
