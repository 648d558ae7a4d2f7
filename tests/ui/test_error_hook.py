"""Errors no page caught reach the clerk as a dialog: a UserError, an OSError, and our own bug (logged with its trace)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from core.returns.collect import collect
from tests.helpers import returns as rh
from tests.helpers.returns import PERIOD, answers_for
from tests.helpers.tasks import WAIT_MS, open_window
from tests.helpers.collect import wait_list
from ui import error_hook


def _error_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.objectName() == "errorBox" and w.isVisible()]


@pytest.fixture
def hooked(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", error_hook.handle)   # as ui.app_main installs it
    yield
    for box in _error_boxes():
        box.close()


def _not_a_folder(tmp_path) -> Path:
    blocker = tmp_path / "不是文件夹"
    blocker.write_text("x")
    return blocker / "催报单.xlsx"   # its "folder" is a file: the OS refuses, even for root


@pytest.mark.qt_no_exception_capture
def test_os_error_from_a_button_becomes_a_chinese_warning(qtbot, ledger_2026, tmp_path, monkeypatch, hooked):
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("dashboard")
    target = _not_a_folder(tmp_path)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.sheet_button.click()                                   # 打印催报单… into a folder that cannot be written
    qtbot.waitUntil(lambda: bool(_error_boxes()), timeout=5000)
    box = _error_boxes()[0]
    assert box.icon() == QMessageBox.Icon.Warning and box.windowTitle() == "无法完成"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in box.text()) and "Traceback" not in box.text()


@pytest.mark.qt_no_exception_capture
def test_user_error_from_the_collect_page_export_is_shown(qtbot, ledger_2026, tmp_path, monkeypatch, hooked):
    form = rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "out", unit_names=["区民政局"])[0]
    filled = rh.fill(Path(form["path"]), tmp_path / "区民政局.xlsx", answers_for(Path(form["path"])))
    assert collect(ledger_2026, [filled])[0]["status"] == "staged"
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("collect")
    page.refresh()
    wait_list(qtbot, page)
    target = tmp_path / "差异报告.xlsx"
    target.mkdir()                                              # a folder already holds the name: cannot be replaced
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.report_button.setEnabled(True)
    page.report_button.click()                                  # write_diff_report raises UserError: nothing caught it
    qtbot.waitUntil(lambda: bool(_error_boxes()), timeout=5000)
    box = _error_boxes()[0]
    assert box.windowTitle() == "无法完成" and "无法写入" in box.text()


@pytest.mark.qt_no_exception_capture
@pytest.mark.allow_error_log   # our bug is logged at ERROR on purpose
def test_our_bug_is_logged_and_shown_as_internal_error(qtbot, ledger_2026, tmp_path, monkeypatch, hooked):
    import logging

    from core.common import logs, paths
    # another test may have set logging up already, writing into its own (temporary) folder: set it up here again
    monkeypatch.setattr(logs, "_configured", False)
    monkeypatch.setattr(logging.getLogger("ducha"), "handlers", list(logging.getLogger("ducha").handlers))
    logs.setup_logging()
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("dashboard")

    def broken(*_a, **_k):
        raise ZeroDivisionError("a bug of ours")
    monkeypatch.setattr(page, "write_sheet", broken)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "催报单.xlsx"), ""))
    page.sheet_button.click()
    qtbot.waitUntil(lambda: bool(_error_boxes()), timeout=5000)
    box = _error_boxes()[0]
    assert box.icon() == QMessageBox.Icon.Critical and box.windowTitle() == "内部错误"
    assert str(paths.log_dir()) in box.text() and "ZeroDivisionError" in box.text()
    for handler in logging.getLogger("ducha").handlers:
        handler.flush()
    logged = "".join(p.read_text(encoding="utf-8", errors="replace") for p in paths.log_dir().glob("*.log*"))
    assert "ZeroDivisionError" in logged and "unhandled error in the window" in logged


@pytest.mark.qt_no_exception_capture
def test_a_refused_alias_reaches_the_clerk_without_a_page_handler(qtbot, ledger_2026, monkeypatch, hooked):
    """The units page no longer catches UserError itself: the window's hook shows the refusal, the ledger is unchanged."""
    from PySide6.QtWidgets import QInputDialog

    from core.ledger.queries import list_units
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("units")
    qtbot.waitUntil(lambda: not page.reading, timeout=WAIT_MS)   # 单位 reads in the background
    unit = next(u for u in list_units(ledger_2026) if u["name"] == "区发展改革局")
    page.select_unit(unit["id"])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("区财政局", True))   # another unit's name
    page.alias_button.click()
    qtbot.waitUntil(lambda: bool(_error_boxes()), timeout=5000)
    box = _error_boxes()[0]
    assert box.icon() == QMessageBox.Icon.Warning and "区财政局" in box.text()
    after = next(u for u in list_units(ledger_2026) if u["name"] == "区发展改革局")
    assert after["aliases"] == unit["aliases"]
