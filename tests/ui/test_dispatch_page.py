"""下发 page in the real window: choose form, month and units, preview a workbook as a table, generate with progress, cancel."""
from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from sqlalchemy import select

from core.ledger import schema
from tests.helpers.generate import calamine_rows
from tests.helpers.tasks import open_window

WAIT_MS = 60000


def _page(qtbot, ledger, tmp_path, monkeypatch, answer_plans_missing=True):
    from PySide6.QtWidgets import QMessageBox
    asked = []

    def question(*args, **kwargs):   # "计划表尚未收回": the clerk's answer, recorded
        asked.append(args[2])
        return QMessageBox.StandardButton.Yes if answer_plans_missing else QMessageBox.StandardButton.No
    monkeypatch.setattr(QMessageBox, "question", question)
    window = open_window(qtbot, ledger)
    page = window.show_page("dispatch")
    qtbot.waitUntil(lambda: not page.reading, timeout=WAIT_MS)   # the units are read in the background
    page._warn = lambda title, text: page.__dict__.setdefault("messages", []).append(text)
    page.out_edit.setText(str(tmp_path / "outbox"))
    page.asked = asked
    return window, page


def test_page_lists_units_and_previews_one_workbook(qtbot, ledger_2026, tmp_path, monkeypatch):
    from core.ledger.queries import list_units
    window, page = _page(qtbot, ledger_2026, tmp_path, monkeypatch)
    units = [u for u in list_units(ledger_2026) if u["tasks_lead"] + u["tasks_co"]]
    assert page.unit_list.count() == len(units)
    collective = [u["name"] for u in units if u["collective"]]
    assert collective   # 各街道办事处 and the like: nobody's inbox
    assert sorted(page.checked_units()) == sorted(u["name"] for u in units if not u["collective"])  # all real units
    no_email = next(u["name"] for u in units if not u["email"])
    item = next(page.unit_list.item(i) for i in range(page.unit_list.count())
                if page.unit_list.item(i).data(Qt.ItemDataRole.UserRole) == no_email)
    assert "无邮箱" in item.text()

    page.form_combo.setCurrentIndex(1)  # 落实情况表
    assert page.month_picker.isVisibleTo(page) and not page.year_label.isVisibleTo(page)
    page.set_period("2026-03")
    assert page.period() == "2026-03"
    assert page.select_unit("区财政局")
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    table = page.preview_table
    cells = [table.item(r, c).text() for r in range(table.rowCount()) for c in range(table.columnCount())
             if table.item(r, c)]
    assert "填报单位：区财政局" in cells and "（3月）" in cells and "完成情况" in cells
    key_col = next(c for c in range(table.columnCount()) for r in range(table.rowCount())
                   if table.item(r, c) and table.item(r, c).text() == "DCTA_KEY")
    assert table.isColumnHidden(key_col)
    assert "财政局" in page.preview_title.text()
    with ledger_2026.read() as conn:  # a preview records nothing
        assert conn.execute(select(schema.dispatch)).first() is None

    page.form_combo.setCurrentIndex(0)  # 落实计划表: the preview on show follows the form by itself
    assert page.period() == "2026" and page.year_label.isVisibleTo(page)
    assert any(table.item(r, 3) and table.item(r, 3).text() == "一季度" for r in range(table.rowCount()))
    assert "计划表" in page.preview_title.text() or "附件3" in page.preview_title.text()
    page.form_combo.setCurrentIndex(1)
    page.set_period("2026-05")             # and the month
    cells = [table.item(r, c).text() for r in range(table.rowCount()) for c in range(table.columnCount())
             if table.item(r, c)]
    assert "（5月）" in cells and "（3月）" not in cells


def test_report_round_asks_when_plans_are_missing(qtbot, ledger_2026, tmp_path, monkeypatch):
    window, page = _page(qtbot, ledger_2026, tmp_path, monkeypatch, answer_plans_missing=False)
    page.form_combo.setCurrentIndex(1)
    page.set_period("2026-04")
    page.set_checked(["区财政局"])
    assert page.start_generate() is None                 # the clerk said 否: nothing generated, nothing recorded
    assert len(page.asked) == 1 and "区财政局" in page.asked[0] and "季度目标" in page.asked[0]
    with ledger_2026.read() as conn:
        assert conn.execute(select(schema.dispatch)).first() is None
    page.form_combo.setCurrentIndex(0)                   # the plan round itself is never held back
    assert page.start_generate() is not None and len(page.asked) == 1
    qtbot.waitUntil(lambda: page.job is None, timeout=WAIT_MS)


def test_generate_checked_units_with_progress_and_open_folder(qtbot, ledger_2026, tmp_path, monkeypatch):
    window, page = _page(qtbot, ledger_2026, tmp_path, monkeypatch)
    page.form_combo.setCurrentIndex(1)
    page.set_period("2026-04")
    chosen = ["区发展改革局", "区财政局"]
    from core.ledger.queries import list_units
    no_email = next(u["name"] for u in list_units(ledger_2026) if not u["email"] and u["tasks_lead"] + u["tasks_co"])
    chosen.append(no_email)
    page.set_checked(chosen)
    assert sorted(page.checked_units()) == sorted(chosen)
    seen = []
    page.progress.valueChanged.connect(seen.append)
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.last_results is not None or bool(page.last_error), timeout=WAIT_MS)
    assert not page.last_error
    assert sorted(r["unit"] for r in page.last_results) == sorted(chosen)
    assert seen and seen[-1] == 3 and page.progress.maximum() == 3
    folder = page.last_folder
    assert folder.parent == tmp_path / "outbox" and len(list(folder.glob("*.xlsx"))) == 3
    assert len(list(folder.glob("*.eml"))) == 3
    assert no_email in page.result_label.text() and "没有邮箱" in page.result_label.text()
    assert str(folder) in page.result_label.text()
    rows = calamine_rows(next(folder.glob("*财政局*.xlsx")))
    assert "（4月）" in [str(v) for row in rows for v in row]
    assert ledger_2026.get_setting("outbox_dir") == str(tmp_path / "outbox")
    with ledger_2026.read() as conn:
        assert len(conn.execute(select(schema.dispatch_item)).all()) == 3
    opened = []
    monkeypatch.setattr("ui.open_folder.QDesktopServices.openUrl",
                        lambda url: opened.append(url.toLocalFile()) or True)
    assert page.open_button.isEnabled()
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert opened == [str(folder)]


def test_cancel_stops_generation_and_records_nothing(qtbot, ledger_2026, tmp_path, monkeypatch):
    import core.forms.generate as gen
    gate = threading.Event()
    real = gen.write_form

    def slow(*args, **kwargs):  # hold the worker after the first workbook until 取消 was pressed
        written = real(*args, **kwargs)
        gate.wait(10)
        return written

    monkeypatch.setattr(gen, "write_form", slow)
    window, page = _page(qtbot, ledger_2026, tmp_path, monkeypatch)
    page.form_combo.setCurrentIndex(1)
    page.set_period("2026-03")
    page.start_generate()
    assert page.cancel_button.isEnabled() and not page.generate_button.isEnabled()
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: page.job is None, timeout=WAIT_MS)
    assert "已取消" in page.result_label.text()
    assert page.last_results is None
    outbox = tmp_path / "outbox"
    assert not outbox.exists() or list(outbox.iterdir()) == []
    with ledger_2026.read() as conn:
        assert conn.execute(select(schema.dispatch)).first() is None
    assert page.generate_button.isEnabled()


def test_the_units_are_read_in_the_background_and_not_again_when_nothing_changed(qtbot, ledger_2026, monkeypatch):
    """Issue 31: 下发 read its units on the window's thread on every visit (and twice on the first); now it shows
    “正在读取……” while they are read in the background, and coming back after no change reads nothing."""
    import sys

    import core.ledger.queries as queries
    from core.units.edit import set_unit_field
    from ui.operations import write_now
    gate, reads = threading.Event(), []
    real = queries.list_units

    def counted(ledger, *a, **k):   # the 下发 page's reads only (单位 reads the units too)
        if sys._getframe(1).f_code.co_filename.endswith("dispatch_page.py"):
            reads.append(1)
            gate.wait(5)
        return real(ledger, *a, **k)
    monkeypatch.setattr(queries, "list_units", counted)
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("dispatch")   # returns at once: the read waits on the gate
    assert page.count_label.text() == "正在读取……" and not page.generate_button.isEnabled()
    gate.set()
    qtbot.waitUntil(lambda: not page.reading, timeout=WAIT_MS)
    assert page.unit_list.count() > 0 and page.generate_button.isEnabled() and len(reads) == 1
    window.show_page("units")
    window.show_page("dispatch")
    assert window.ctx.jobs.wait()
    qtbot.wait(100)
    assert len(reads) == 1 and not page.reading   # nothing changed: the list shown is still the ledger's
    name = page.unit_list.item(0).data(Qt.ItemDataRole.UserRole)
    unit_id = next(u["id"] for u in real(ledger_2026) if u["name"] == name)
    window.show_page("units")
    write_now(window.ctx, "units", lambda: set_unit_field(ledger_2026, unit_id, "email", ""))
    window.show_page("dispatch")
    qtbot.waitUntil(lambda: len(reads) == 2 and not page.reading, timeout=WAIT_MS)
    assert page.unit_list.item(0).text().endswith("无邮箱")
