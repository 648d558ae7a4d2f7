"""通报打印 page in the real window: generate in the background, charts, preview, QPrinter PDF, LibreOffice PDF."""
from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.helpers.reports import drive
from tests.helpers.tasks import WAIT_MS, open_window


def _open(qtbot, ledger):
    drive(ledger)
    window = open_window(qtbot, ledger)
    page = window.show_page("reports")
    qtbot.waitUntil(lambda: not page.reading, timeout=WAIT_MS)   # the year, tasks and output folder are read
    page.set_today(date(2026, 5, 1))
    page.set_period("2026-03")
    return window, page


def _generate(qtbot, page, button):
    before = page.outputs.count()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.outputs.count() == before + 1 or page.job is None and
                    page.progress_label.text() == "生成失败", timeout=WAIT_MS)
    assert page.outputs.count() == before + 1, page.progress_label.text()
    return Path(page.outputs.item(before).data(Qt.ItemDataRole.UserRole))


def test_generate_every_output_from_the_page(qtbot, ledger_2026):
    window, page = _open(qtbot, ledger_2026)
    assert page.period == "2026-03" and page.quarter == "2026Q1"
    made = [_generate(qtbot, page, b) for b in (page.summary_button, page.livelihood_button,
                                                 page.leaders_button, page.bulletin_button, page.brief_button)]
    page.select_task("key:12")
    made.append(_generate(qtbot, page, page.single_button))
    assert [p.suffix for p in made] == [".xlsx", ".xlsx", ".docx", ".docx", ".docx", ".docx"]
    assert made[4].name == "2026-03-区长简报.docx"
    assert all(p.exists() and p.parent == page.out_dir for p in made)
    assert "一事一通报-key12" in made[-1].name
    assert page.summary_button.isEnabled() and not page.progress_bar.isVisible()
    assert page.ctx.jobs.wait()


def test_chart_preview_and_pdf(qtbot, ledger_2026, tmp_path):
    window, page = _open(qtbot, ledger_2026)
    page.tabs.setCurrentWidget(page.chart_tab)
    page.chart_combo.setCurrentText("逐月")
    qtbot.waitUntil(lambda: page.chart_label.pixmap() is not None and not page.chart_label.pixmap().isNull(),
                    timeout=WAIT_MS)
    assert page.chart_png.startswith(b"\x89PNG")
    page.tabs.setCurrentWidget(page.preview_tab)   # the figures go into the browser when their tab is in view
    qtbot.waitUntil(lambda: not page.reading, timeout=WAIT_MS)
    assert "汇总表" in page.preview.toPlainText() and "区发展改革局" in page.preview.toPlainText()
    page.preview_combo.setCurrentIndex(2)
    qtbot.waitUntil(lambda: not page.reading, timeout=WAIT_MS)
    assert "未完成阶段任务目标的任务" in page.preview.toPlainText()
    assert page.ctx.jobs.wait()


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftoppm")), reason="LibreOffice is needed")
def test_print_prints_the_laid_out_file(qtbot, ledger_2026, tmp_path):
    """数据预览 printed a different document (114 pages, a bare “1” footer) from the file: it no longer prints; 打印…
    in the 打印预览 tab prints the pages of the generated file as LibreOffice laid them out (issue 28.6)."""
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QPushButton
    window, page = _open(qtbot, ledger_2026)
    data_tab = page.tabs.widget(page.tabs.indexOf(page.preview.parentWidget()))
    assert not [b for b in data_tab.findChildren(QPushButton) if "打印" in b.text() or "PDF" in b.text()]
    made = _generate(qtbot, page, page.livelihood_button)
    pane = page.file_preview
    qtbot.waitUntil(lambda: len(pane.pages) > 0, timeout=WAIT_MS * 2)
    assert pane.print_button.isEnabled() and made.exists()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    job = pane.print_to(printer)
    assert job is not None
    qtbot.waitUntil(lambda: pane.title.text().startswith("已送打印"), timeout=WAIT_MS * 2)
    info = subprocess.run(["pdfinfo", str(tmp_path / "printed.pdf")], capture_output=True, text=True).stdout
    printed = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))
    assert printed == len(pane.pages)   # the same pages as the preview, not the data preview's own layout
    sizes = next(line for line in info.splitlines() if line.startswith("Page size"))
    assert "842" in sizes and "595" in sizes   # A4 (landscape sheets for the landscape table)
    assert page.ctx.jobs.wait()


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is needed")
def test_convert_generated_file_with_libreoffice(qtbot, ledger_2026):
    window, page = _open(qtbot, ledger_2026)
    made = _generate(qtbot, page, page.leaders_button)
    page.outputs.setCurrentRow(0)
    page.convert_selected()
    qtbot.waitUntil(lambda: page.outputs.count() == 2, timeout=WAIT_MS * 2)
    pdf = made.with_suffix(".pdf")
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    assert page.ctx.jobs.wait()


def test_a_slow_chart_of_an_earlier_quarter_never_lands_over_the_newer_one(qtbot, ledger_2026, monkeypatch):
    """The clerk looks at 第一季度's chart, then picks June before it is drawn: the first quarter's chart, finishing
    last, is dropped; the chart shown is the second quarter's."""
    import time

    import core.reports.data as data
    real = data.bulletin_data

    def slow_first_quarter(ledger, quarter, today):
        if quarter.endswith("Q1"):
            time.sleep(1.5)   # a large year: the first chart is still being drawn when the clerk moves on
        return real(ledger, quarter, today)
    monkeypatch.setattr(data, "bulletin_data", slow_first_quarter)
    window, page = _open(qtbot, ledger_2026)
    page.chart_combo.setCurrentText("按单位")
    page.tabs.setCurrentWidget(page.chart_tab)        # draws 2026Q1 (slowly)
    page.set_period("2026-06")                         # draws 2026Q2
    assert page.quarter == "2026Q2"
    qtbot.waitUntil(lambda: page.chart_quarter == "2026Q2", timeout=WAIT_MS)
    assert page.ctx.jobs.wait()
    qtbot.wait(200)                                    # the first quarter's result is delivered now, and dropped
    # June has no 落实情况 yet on 5月1日: had the first quarter's chart landed, a PNG would show
    assert page.chart_quarter == "2026Q2" and page.chart_png is None
    assert page.chart_label.text() == "该季度还没有落实情况数据。"


def test_coming_back_reads_the_ledger_again_only_after_a_change(qtbot, ledger_2026, monkeypatch):
    """Issue 31: 通报打印 read its year, tasks and month's figures on the window's thread on every visit (0.4 s
    coming back at 630 units); coming back after no change reads nothing, after a change it reads again."""
    import core.ledger.page_reads as page_reads
    import core.reports.data as data
    from sqlalchemy import select

    from core.ledger import schema
    from core.units.edit import set_unit_field
    from ui.operations import write_now
    reads: list[str] = []
    for module, name in ((page_reads, "latest_year_and_tasks"), (data, "summary_data")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _real=real, _name=name, **k: (reads.append(_name), _real(*a, **k))[1])
    drive(ledger_2026)
    window = open_window(qtbot, ledger_2026)
    window.show_page("reports")
    qtbot.waitUntil(lambda: "summary_data" in reads and not window.ctx.jobs.active, timeout=WAIT_MS)
    first = list(reads)
    assert first.count("latest_year_and_tasks") == 1 and first.count("summary_data") == 1
    window.show_page("units")
    window.show_page("reports")
    assert window.ctx.jobs.wait()
    qtbot.wait(100)
    assert reads == first   # nothing changed: what the page shows is still the ledger's
    with ledger_2026.read() as conn:
        unit_id = conn.execute(select(schema.unit.c.id).order_by(schema.unit.c.id)).scalar()
    window.show_page("units")
    write_now(window.ctx, "units", lambda: set_unit_field(ledger_2026, unit_id, "contact", "王晓梅"))
    window.show_page("reports")
    qtbot.waitUntil(lambda: reads.count("summary_data") == 2 and not window.ctx.jobs.active, timeout=WAIT_MS)
    assert reads.count("latest_year_and_tasks") == 2


def test_a_read_in_flight_shows_the_reading_state_and_the_window_stays_free(qtbot, ledger_2026, monkeypatch):
    """The page is shown at once with “正在读取……” and its buttons off while the ledger is read in the background."""
    import threading

    import core.ledger.page_reads as page_reads
    gate = threading.Event()
    real = page_reads.latest_year_and_tasks
    monkeypatch.setattr(page_reads, "latest_year_and_tasks", lambda ledger: (gate.wait(5), real(ledger))[1])
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("reports")   # returns at once: the read waits on the gate
    assert page.reading_label.isVisible() and page.reading_label.text() == "正在读取……"
    assert not any(b.isEnabled() for b in page.generate_buttons) and page.generate("summary") is None
    gate.set()
    qtbot.waitUntil(lambda: not page.reading, timeout=WAIT_MS)
    assert not page.reading_label.isVisible() and page.summary_button.isEnabled() and page.period
    assert page.task_combo.count() == 118 and page.out_label.text() == str(page.out_dir)
    assert page.ctx.jobs.wait()


def test_the_latest_month_asked_for_is_the_one_previewed(qtbot, ledger_2026, monkeypatch):
    """A slow read of an earlier month finishing last never lands over the newer month's figures."""
    import time

    import core.reports.data as data
    real = data.summary_data

    def slow_february(ledger, period, kind, today):
        if period == "2026-02":
            time.sleep(1.0)
        return real(ledger, period, kind, today)
    window, page = _open(qtbot, ledger_2026)
    page.tabs.setCurrentWidget(page.preview_tab)
    monkeypatch.setattr(data, "summary_data", slow_february)
    page.set_period("2026-02")
    page.set_period("2026-03")
    qtbot.waitUntil(lambda: not page.reading, timeout=WAIT_MS)
    assert page.ctx.jobs.wait()
    qtbot.wait(200)   # February's figures arrive now, and are dropped
    assert "2026年3月" in page.preview.toPlainText() and "2026年2月" not in page.preview.toPlainText()
