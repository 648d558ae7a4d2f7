"""Issue 16 point 5: 通报打印 previews the generated file itself (LibreOffice layout): same pages, header and footer."""
from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from tests.helpers.reports import drive
from tests.helpers.tasks import WAIT_MS, open_window

needs_office = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftoppm")),
                                  reason="LibreOffice and pdftoppm are needed")


def _page(qtbot, ledger):
    drive(ledger)
    window = open_window(qtbot, ledger)
    page = window.show_page("reports")
    qtbot.waitUntil(lambda: not page.reading, timeout=WAIT_MS)   # the year, tasks and output folder are read
    page.set_today(date(2026, 5, 1))
    page.set_period("2026-03")
    return window, page


def _pdf_text(pdf: Path, first: int, last: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(first), "-l", str(last), str(pdf), "-"],
                          capture_output=True, text=True).stdout


@needs_office
def test_preview_shows_the_files_own_pages(qtbot, ledger_2026):
    window, page = _page(qtbot, ledger_2026)
    qtbot.mouseClick(page.summary_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.outputs.count() == 1, timeout=WAIT_MS)
    pane = page.file_preview
    assert page.tabs.currentWidget() is pane            # the generated file is previewed at once, in the background
    qtbot.waitUntil(lambda: bool(pane.pages) or bool(pane.error), timeout=WAIT_MS * 3)
    assert not pane.error, pane.error
    n = len(pane.pages)
    item = page.outputs.item(0)
    assert item.text().endswith(f"（{n} 页）")           # the file list says what the preview shows
    assert pane.count_label.text() == f"共 {n} 页" and f"共 {n} 页" in pane.title.text()
    assert n > 5                                        # 98 tasks and their 完成情况 run over many pages
    # the pages are the file's own layout: its footer numbers every page, 第N页 共N页 on the last
    pdf = pane.pages[0].parent / "file.pdf"
    assert f"第 1 页 共 {n} 页" in _pdf_text(pdf, 1, 1)
    assert f"第 {n} 页 共 {n} 页" in _pdf_text(pdf, n, n)
    assert "汇总表" in _pdf_text(pdf, 1, 1)
    image = QImage(str(pane.pages[0]))
    assert image.width() > image.height()               # A4 landscape, as the file's page setup says
    assert not pane.page_label.pixmap().isNull()
    qtbot.mouseClick(pane.next_button, Qt.MouseButton.LeftButton)
    assert pane.page_spin.value() == 2
    # the same file again comes from the cache (by checksum), without LibreOffice
    page.outputs.setCurrentItem(None)
    seen = []
    pane.rendered.connect(lambda path, count: seen.append(count))
    page.outputs.setCurrentItem(item)
    qtbot.waitUntil(lambda: seen == [n], timeout=WAIT_MS)
    assert page.ctx.jobs.wait()


def test_without_libreoffice_it_says_so_and_falls_back(qtbot, ledger_2026, monkeypatch):
    monkeypatch.setattr("core.office.pdf_pages.soffice_path", lambda: None)
    window, page = _page(qtbot, ledger_2026)
    qtbot.mouseClick(page.leaders_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.outputs.count() == 1, timeout=WAIT_MS)
    pane = page.file_preview
    assert "未安装 LibreOffice" in pane.notice.text() and not pane.notice.isHidden()
    assert pane.stack.currentWidget() is pane.fallback and "简易预览" in pane.title.text()
    assert "汇总表" in pane.fallback.toPlainText()
    assert not pane.pages
    assert page.ctx.jobs.wait()
