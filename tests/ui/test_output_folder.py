"""Issue 16 point 8: one visible output folder per ledger (下发/通报/催报), and 打开文件夹 says why it cannot open one."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt

from core.ledger import settings
from core.ledger.changes import LedgerChange
from tests.helpers.tasks import WAIT_MS, open_window


def test_pages_write_into_the_ledgers_output_folder(qtbot, ledger_2026, monkeypatch):
    window = open_window(qtbot, ledger_2026)
    root = settings.output_dir(ledger_2026)
    assert root == Path(os.environ["XDG_DOCUMENTS_DIR"]) / "督查台账" / ledger_2026.path.stem   # visible, not app data
    dispatch = window.show_page("dispatch")
    qtbot.waitUntil(lambda: not dispatch.reading, timeout=WAIT_MS)
    assert Path(dispatch.out_edit.text()) == root / "下发"
    reports = window.show_page("reports")
    qtbot.waitUntil(lambda: not reports.reading, timeout=WAIT_MS)
    assert reports.out_dir == root / "通报" and str(root / "通报") == reports.out_label.text()
    reports.set_today(date(2026, 5, 1))
    reports.set_period("2026-03")
    qtbot.mouseClick(reports.leaders_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: reports.outputs.count() == 1, timeout=WAIT_MS)
    made = Path(reports.outputs.item(0).data(Qt.ItemDataRole.UserRole))
    assert made.parent == root / "通报" and made.exists()
    dashboard = window.show_page("dashboard")
    asked = {}

    def fake_save(parent, title, start, filters):
        asked["start"] = start
        return "", ""
    monkeypatch.setattr("ui.pages.dashboard.actions.QFileDialog.getSaveFileName", fake_save)
    dashboard.sheet_button.click()   # 打印催报单…: the save dialog opens in the 催报 folder
    assert Path(asked["start"]).parent == root / "催报"
    settings.save_settings(ledger_2026, settings={"output_dir": str(root.parent / "别处")})
    window.ctx.notify(LedgerChange.everything())
    assert settings.outbox_dir(ledger_2026) == root.parent / "别处" / "下发"
    window.show_page("reports")
    qtbot.waitUntil(lambda: not reports.reading, timeout=WAIT_MS)
    assert window.show_page("reports").out_dir == root.parent / "别处" / "通报"
    window.show_page("dispatch")
    qtbot.waitUntil(lambda: not dispatch.reading, timeout=WAIT_MS)
    assert Path(window.show_page("dispatch").out_edit.text()) == root.parent / "别处" / "下发"
    assert window.ctx.jobs.wait()


def test_open_folder_says_why_it_cannot(qtbot, ledger_2026, monkeypatch):
    window = open_window(qtbot, ledger_2026)
    reports = window.show_page("reports")
    qtbot.waitUntil(lambda: not reports.reading, timeout=WAIT_MS)
    assert not reports.out_dir.exists()
    opened = []
    monkeypatch.setattr("ui.open_folder.QDesktopServices.openUrl", lambda url: opened.append(url) or False)
    assert reports.open_folder() is False
    box = reports.open_problem_box
    assert "不存在" in box.text() and str(reports.out_dir) in box.text() and not opened
    assert not reports.out_dir.exists()   # opening does not make an empty folder pretend to be output
    box.close()
    reports.out_dir.mkdir(parents=True)
    assert reports.open_folder() is False and len(opened) == 1
    assert "无法" in reports.open_problem_box.text() and "手动打开" in reports.open_problem_box.text()
    reports.open_problem_box.close()
    monkeypatch.setattr("ui.open_folder.QDesktopServices.openUrl", lambda url: opened.append(url) or True)
    assert reports.open_folder() is True and len(opened) == 2


def test_file_menu_opens_the_output_folder_with_its_three_subfolders(qtbot, ledger_2026, monkeypatch):
    window = open_window(qtbot, ledger_2026)
    opened = []
    monkeypatch.setattr("ui.open_folder.QDesktopServices.openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    window.output_folder_action.trigger()
    root = settings.output_dir(ledger_2026)
    assert opened == [str(root)]
    assert sorted(p.name for p in root.iterdir()) == sorted(["下发", "通报", "催报"])
