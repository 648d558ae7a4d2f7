"""The window's shell: settings dialog, first-run guide, 文件/帮助 menus, F1 help per page, shortcuts, icons, recent ledgers."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QSplitter, QWizard

from core.ledger import settings as core_settings
from tests.conftest import CONTACTS_XLSX, FIXTURE_DOCX, ROOT

HELP_DIR = ROOT / "resources" / "help"


@pytest.fixture
def window(qtbot, ledger_2026):
    from ui.main_window import MainWindow
    win = MainWindow(ledger_2026)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.jobs.wait(5000)


def test_settings_dialog_saves_through_core(qtbot, ledger_2026, tmp_path):
    from ui.settings_dialog import SettingsDialog
    dialog = SettingsDialog(ledger_2026)
    qtbot.addWidget(dialog)
    assert dialog.report_workdays.value() == 5
    assert dialog.keep_last.value() == 3
    dialog.plan_due_none.setChecked(False)
    dialog.plan_due.setDate(QDate(2026, 3, 9))
    dialog.report_workdays.setValue(6)
    dialog.plan_layout.setCurrentIndex(dialog.plan_layout.findData("columns"))
    dialog.lead_gathering.setChecked(True)
    dialog.outbox.setText(str(tmp_path))
    dialog.keep_last.setValue(4)
    dialog.no_ranking.setChecked(True)
    dialog.password.setText("ds")
    dialog.font_size.setValue(12)
    dialog.accept()
    assert dialog.result() == 1
    opts = core_settings.campaign_options(ledger_2026)
    assert (opts["plan_due"], opts["report_workdays"], opts["plan_layout"], opts["lead_gathering"]) == \
        (date(2026, 3, 9), 6, "columns", True)
    assert core_settings.outbox_dir(ledger_2026) == tmp_path
    assert core_settings.backup_retention(ledger_2026) == {"keep_last": 4, "keep_daily_days": 7}
    assert core_settings.no_ranking(ledger_2026) and core_settings.form_password(ledger_2026) == "ds"
    assert core_settings.form_font(ledger_2026)["size"] == 12
    qtbot.keyClick(dialog, Qt.Key.Key_F1)
    assert dialog.help_viewer.topic == "settings" and "发件箱" in dialog.help_viewer.browser.toPlainText()
    # a second dialog shows what was saved
    again = SettingsDialog(ledger_2026)
    qtbot.addWidget(again)
    assert again.report_workdays.value() == 6 and again.keep_last.value() == 4 and again.no_ranking.isChecked()
    assert again.plan_due.date() == QDate(2026, 3, 9)


def test_the_clerks_name_set_in_settings_is_in_later_audit_rows(qtbot, ledger_2026, monkeypatch):
    """设置's 姓名 is saved for this PC user (not in the ledger) and every later audit row names that clerk."""
    from sqlalchemy import select

    from core.ledger import clerk, schema
    from ui.settings_dialog import SettingsDialog
    monkeypatch.delenv("DUCHA_CLERK", raising=False)
    dialog = SettingsDialog(ledger_2026)
    qtbot.addWidget(dialog)
    assert dialog.clerk.isEnabled() and dialog.clerk.text() == clerk.clerk_name()
    dialog.clerk.setText("  王 小明 ")
    dialog.no_ranking.setChecked(not core_settings.no_ranking(ledger_2026))   # a change that writes an audit row
    dialog.accept()
    assert clerk.clerk_name() == "王 小明"
    with ledger_2026.read() as conn:
        last = conn.execute(select(schema.audit.c.clerk).order_by(schema.audit.c.id.desc()).limit(1)).scalar()
    assert last == "王 小明"
    assert SettingsDialog(ledger_2026).clerk.text() == "王 小明"       # shown again next time
    clerk.set_clerk_name("")                                           # back to the OS user for the other tests
    assert clerk.clerk_name() != "王 小明"


def test_settings_dialog_refuses_a_file_as_outbox(qtbot, ledger_2026, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox
    from ui.settings_dialog import SettingsDialog
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    not_a_folder = tmp_path / "x.txt"
    not_a_folder.write_text("x")
    dialog = SettingsDialog(ledger_2026)
    qtbot.addWidget(dialog)
    dialog.outbox.setText(str(not_a_folder))
    dialog.report_workdays.setValue(9)
    dialog.accept()
    assert warnings and "文件夹" in warnings[0]
    assert core_settings.campaign_options(ledger_2026)["report_workdays"] == 5  # nothing saved


def test_first_run_wizard_creates_imports_and_fills_contacts(qtbot, tmp_path, monkeypatch):
    import ui.first_run as first_run
    from core.ledger.store import Ledger
    from core.ledger.queries import list_tasks, list_units
    monkeypatch.setattr(first_run, "_import_dialog_class", lambda: None)
    target = tmp_path / "新台账.sqlite3"
    wizard = first_run.FirstRunWizard(None, target)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.start_page.new_radio.isChecked()
    assert wizard.start_page.path_edit.text() == str(target)
    wizard.next()
    assert wizard.currentId() == first_run.PLAN and target.exists()
    wizard.plan_page.import_plan_file(FIXTURE_DOCX)
    assert wizard.plan_page.summary == {"key": 98, "livelihood": 20, "units": wizard.plan_page.summary["units"]}
    assert "重点任务 98 项" in wizard.plan_page.result.text()
    wizard.next()
    assert wizard.currentId() == first_run.CONTACTS
    summary = wizard.contacts_page.import_contacts(CONTACTS_XLSX)
    assert summary["updated"] > 30
    wizard.next()
    assert wizard.currentId() == first_run.DONE
    assert "任务 118 项" in wizard.done_page.text.text()
    wizard.button(QWizard.WizardButton.HelpButton).click()
    assert wizard.help_viewer.topic == "index"
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.ledger_path == target
    led = Ledger(target)
    try:
        assert len(list_tasks(led)) == 118
        assert sum(1 for u in list_units(led) if u["email"]) > 30
    finally:
        led.close()


def test_first_run_open_missing_file_is_refused(qtbot, tmp_path, monkeypatch):
    import ui.first_run as first_run
    from PySide6.QtWidgets import QMessageBox
    messages = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: messages.append(a[2]))
    wizard = first_run.FirstRunWizard(None, tmp_path / "a.sqlite3")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.start_page.open_radio.setChecked(True)
    wizard.start_page.path_edit.setText(str(tmp_path / "没有这个文件.sqlite3"))
    wizard.next()
    assert wizard.currentId() == first_run.START
    assert messages and "找不到台账文件" in messages[0]
    not_ledger = tmp_path / "note.sqlite3"
    not_ledger.write_text("hello")
    wizard.start_page.path_edit.setText(str(not_ledger))
    wizard.next()
    assert wizard.currentId() == first_run.START and "不是台账文件" in messages[-1]


def test_menus_list_shortcuts_and_f1_opens_the_page_help(qtbot, window):
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles[0].startswith("文件") and titles[-1].startswith("帮助")
    assert window.new_ledger_action.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert window.open_ledger_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Open)
    assert window.help_action.shortcut().toString() == "F1"
    # F1 on each page opens that page's help topic
    for module in window.page_modules:
        window.show_page(module.PAGE_KEY)
        qtbot.keyClick(window, Qt.Key.Key_F1)
        viewer = window.help_viewer
        assert viewer.isVisible()
        expected = getattr(window.page_widgets[module.PAGE_KEY], "HELP_TOPIC", None) or module.PAGE_KEY
        assert viewer.topic == expected, module.PAGE_KEY
        assert viewer.browser.toPlainText().strip()
        viewer.close()
    from ui.help_viewer import show_shortcuts
    dialog = show_shortcuts(window)
    qtbot.addWidget(dialog)
    rows = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}
    assert rows["使用帮助"] == "F1" and rows["打开台账"] == "Ctrl+O" and rows["新建台账"] == "Ctrl+N"
    assert rows["转到：" + window.page_modules[0].PAGE_TITLE] == "Ctrl+1" and "Ctrl+O" in rows.values()
    titles = {m.PAGE_TITLE for m in window.page_modules}
    page_rows = [t for t in rows if t.split("：")[0] in titles]   # the pages' own QShortcuts are listed too
    if "collect" in window.page_widgets:
        assert any(t.startswith("收文：") for t in page_rows), rows
    dialog.close()


def test_every_page_has_help_and_an_icon(window):
    from ui.help_viewer import TOPICS
    for module in window.page_modules:
        assert (HELP_DIR / f"{module.PAGE_KEY}.md").exists(), module.PAGE_KEY
        assert (ROOT / "resources" / "icons" / f"{module.PAGE_KEY}.svg").exists(), module.PAGE_KEY
    for index in range(window.nav.count()):
        assert not window.nav.item(index).icon().isNull()
    for topic in ("tasks", "dispatch", "collect", "dashboard", "reports", "backup", "draft", "shortcuts"):
        assert topic in TOPICS and (HELP_DIR / f"{topic}.md").exists()
    for path in HELP_DIR.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# "), path.name
        for link in re.findall(r"\]\(([^)]+\.md)\)", text):
            assert (HELP_DIR / link).exists(), f"{path.name} → {link}"


def test_recent_ledgers_and_switching(qtbot, window, tmp_path):
    from core.ledger.store import Ledger
    from ui.main_window import switch_ledger
    from ui.recent_ledgers import recent_ledgers
    other_path = tmp_path / "other" / "其他台账.sqlite3"
    Ledger(other_path).close()
    assert Path(window.ledger.path).resolve() in [p.resolve() for p in recent_ledgers()]
    new_window = switch_ledger(window, other_path)
    qtbot.addWidget(new_window)
    assert new_window.isVisible() and not window.isVisible()
    assert new_window.windowTitle().endswith("其他台账.sqlite3")
    assert recent_ledgers()[0].resolve() == other_path.resolve()
    new_window.recent_menu.aboutToShow.emit()   # the clerk opens 文件 → 最近打开
    texts = [a.text() for a in new_window.recent_menu.actions()]
    assert any("其他台账" in t for t in texts) and len(texts) >= 2
    new_window.close()
    new_window.ledger.close()
    # a file that is not a ledger: a message, no new window
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("not sqlite")
    from PySide6.QtWidgets import QMessageBox
    import unittest.mock as mock
    with mock.patch.object(QMessageBox, "warning") as warn:
        assert switch_ledger(None, bad) is None
    assert "不是台账文件" in warn.call_args[0][2]


def test_last_page_and_splitters_come_back(qtbot, ledger_2026):
    from ui import menus
    from ui.main_window import MainWindow
    first = MainWindow(ledger_2026)
    qtbot.addWidget(first)
    first.show()
    key = first.page_modules[-1].PAGE_KEY
    first.show_page(key)
    splitters = first.page_widgets[key].findChildren(QSplitter)
    if splitters:
        splitter = splitters[0]
        sizes = splitter.sizes()
        splitter.setSizes([sizes[0] + 37] + sizes[1:])
        wanted = splitter.sizes()
    first.close()
    second = MainWindow(ledger_2026)
    qtbot.addWidget(second)
    second.show()
    assert second.current_page() is second.page_widgets[second.page_modules[0].PAGE_KEY]  # a new window starts on page 1
    menus.restore_last_page(second)                                                       # app start-up restores
    assert second.current_page() is second.page_widgets[key]
    if splitters:
        assert second.page_widgets[key].findChildren(QSplitter)[0].sizes() == wanted
    second.close()


def test_first_run_imports_through_the_import_dialog(qtbot, tmp_path, monkeypatch):
    import ui.first_run as first_run
    from ui.import_dialog import ImportDialog
    driven: list = []

    def drive(dialog):
        driven.append(dialog)
        dialog.set_path(FIXTURE_DOCX)
        qtbot.waitUntil(lambda: dialog.preview is not None or bool(dialog.error_text), timeout=60000)
        assert dialog.preview is not None, dialog.error_text
        with qtbot.waitSignal(dialog.imported, timeout=60000):
            qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
        return 1
    monkeypatch.setattr(ImportDialog, "exec", drive)
    wizard = first_run.FirstRunWizard(None, tmp_path / "台账.sqlite3")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    qtbot.mouseClick(wizard.plan_page.choose_button, Qt.MouseButton.LeftButton)
    assert wizard.plan_page.summary["key"] == 98 and wizard.plan_page.summary["livelihood"] == 20
    assert len(driven) == 1   # the wizard's 选择立项表 went through the window's own import dialog
    wizard.reject()
    assert wizard.ledger_path is None   # cancelled: the caller opens nothing


def test_ctrl_comma_opens_settings_and_a_save_refreshes_pages(qtbot, window, monkeypatch):
    from ui.settings_dialog import SettingsDialog
    seen = []

    def fake_exec(dialog):
        seen.append(dialog)
        dialog.report_workdays.setValue(8)
        dialog.accept()
        return dialog.result()
    monkeypatch.setattr(SettingsDialog, "exec", fake_exec)
    with qtbot.waitSignal(window.ctx.changed, timeout=5000):
        qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    assert len(seen) == 1
    assert core_settings.campaign_options(window.ledger)["report_workdays"] == 8
    assert "设置已保存" in window.status_label.text()


def test_settings_dialog_fits_the_screen_and_scrolls_to_every_section(qtbot, ledger_2026):
    """The dialog grew past a laptop's 768 pixels (民生实事通报, 考评 rules): on a 1366×768 screen with a 40-pixel
    taskbar it is no taller than the 728 pixels free, its 确定/取消 on screen, every section reachable by scrolling;
    on the test's own 800-pixel screen it fits too."""
    from PySide6.QtWidgets import QGroupBox
    from ui.settings_dialog import SettingsDialog
    dialog = SettingsDialog(ledger_2026)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.frameGeometry().height() <= dialog.screen().availableGeometry().height()
    dialog.fit_to(728)
    qtbot.wait(50)
    assert dialog.sizeHint().height() + 30 <= 728 and dialog.height() + 30 <= 728, (dialog.sizeHint(), dialog.size())
    ok = dialog.buttons.buttons()[0]
    assert dialog.rect().contains(ok.geometry().translated(dialog.buttons.pos()))
    area = dialog.sections_area
    boxes = area.widget().findChildren(QGroupBox)
    assert [b.title()[:2] for b in boxes][-1] == "统计", [b.title() for b in boxes]
    assert area.widget().height() > area.viewport().height()   # the sections scroll at this height
    for box in boxes:
        area.ensureWidgetVisible(box, 0, 0)
        top = box.mapTo(area.viewport(), box.rect().topLeft())
        assert 0 <= top.y() < area.viewport().height(), (box.title(), top.y(), area.viewport().height())
