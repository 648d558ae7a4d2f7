"""备份与检查 page in the real window: back up, preview, retention, restore (ledger swapped), check, export/import, undo merge."""
from __future__ import annotations

from PySide6.QtCore import Qt

from tests.helpers.backup import dump, fill_quarter, stage, unit_tasks
from tests.helpers.tasks import WAIT_MS, open_window


def _page(qtbot, ledger, answers=True):
    window = open_window(qtbot, ledger)
    page = window.show_page("backup")
    page.messages = []
    page._info = page._warn = lambda title, text: page.messages.append(text)
    page._ask = lambda title, text: page.messages.append(text) or answers
    return window, page


def _wait(qtbot, page):
    qtbot.waitUntil(lambda: page.job is None, timeout=WAIT_MS)


def test_backup_preview_retention_and_restore(qtbot, ledger_2026):
    fill_quarter(ledger_2026)
    before = dump(ledger_2026)
    window, page = _page(qtbot, ledger_2026)
    assert window.nav.currentItem().text() == "备份与检查"
    qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, page)
    assert page.table.rowCount() == 1 and "已备份到" in page.result.toPlainText()
    page.table.selectRow(0)
    assert "进展 777 行" in page.preview.toPlainText() or "进展" in page.preview.toPlainText()
    assert "2026-01、2026-02、2026-03" in page.preview.toPlainText()

    # the retention rule is shown and can be changed
    assert "保留最近 3 份" in page.retention_label.text() and "每周保留 1 份" in page.retention_label.text()
    page.keep_last.setValue(5)
    page.keep_days.setValue(14)
    qtbot.mouseClick(page.retention_button, Qt.MouseButton.LeftButton)
    assert "保留最近 5 份" in page.retention_label.text() and "14 天内" in page.retention_label.text()

    # damage, then restore the backup: the window gets a reopened ledger with the old content
    with ledger_2026.begin() as conn:
        conn.exec_driver_sql("DELETE FROM progress_row")
    old_ledger = window.ctx.ledger
    page.refresh()
    page.table.selectRow(page.table.rowCount() - 1)
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    assert window.ctx.ledger is not old_ledger and window.ledger is window.ctx.ledger
    assert any("用这份备份替换当前台账" in m for m in page.messages)
    restored = dump(window.ctx.ledger)
    batches = {r[2] for r in restored["audit"] if r[4] == "restore"}
    after = dump(window.ctx.ledger, batches)
    assert after["progress_row"] == before["progress_row"] and after["task"] == before["task"]
    assert any("恢复前" in page.table.item(r, 1).text() for r in range(page.table.rowCount()))
    window.ctx.ledger.close()


def test_restore_can_be_declined(qtbot, ledger_2026):
    window, page = _page(qtbot, ledger_2026, answers=False)
    qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, page)
    page.table.selectRow(0)
    led = window.ctx.ledger
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    assert window.ctx.ledger is led and page.table.rowCount() == 1


def test_check_export_import_and_undo(qtbot, ledger_2026, tmp_path):
    from core.returns.merge import merge
    fill_quarter(ledger_2026)
    name, uid = unit_tasks(ledger_2026)[0]
    stage(ledger_2026, name, "2026-03", {uid: {"done": "界面撤销测试"}}, content=b"ui")
    before = dump(ledger_2026)
    merge(ledger_2026)
    window, page = _page(qtbot, ledger_2026)

    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, page)
    assert page.last_check.ok and "台账完好" in page.result.toPlainText()

    out = tmp_path / "整本.xlsx"
    page._save_path = lambda title, suggested: str(out)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, page)
    assert out.exists() and "已导出到" in page.result.toPlainText()
    exported = dump(ledger_2026)["progress_row"]

    # importing into a ledger that has data is refused with a message
    page._open_path = lambda title: str(out)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, page)
    assert any("只能导入到空台账" in m for m in page.messages)

    qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, page)
    assert "已撤销上次合并" in page.result.toPlainText()
    after = dump(ledger_2026)
    after.pop("audit"), before.pop("audit")
    after["meta"] = [r for r in after["meta"] if r[0] != "setting:merge_runs"]
    assert after == before
    qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    assert page.messages[-1] == "没有可以撤销的合并。"

    # and the export goes into an empty ledger from the page of a window on that ledger
    from core.ledger.store import Ledger
    ledger = Ledger(tmp_path / "另一台电脑" / "ledger.sqlite3")
    window2, page2 = _page(qtbot, ledger)
    page2._open_path = lambda title: str(out)
    qtbot.mouseClick(page2.import_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, page2)
    assert "已从“整本.xlsx”导入" in page2.result.toPlainText()
    assert dump(ledger)["progress_row"] == exported
    ledger.close()
