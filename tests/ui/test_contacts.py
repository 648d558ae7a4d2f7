"""Issue 16 point 6: 通讯录 — wizard and summary agree, units lacking contacts are listed, two rows on one unit are asked."""
from __future__ import annotations

import xlsxwriter
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWizard

from core.ledger.queries import list_units
from core.units.contacts_import import read_contacts
from core.units.contacts_plan import contact_counts
from tests.conftest import CONTACTS_XLSX, FIXTURE_DOCX
from tests.helpers.tasks import WAIT_MS, open_window

SECOND_ROW = {"name": "区财政局", "contact": "李四（预算科）", "phone": "0531-86660002", "email": "ysk@example.org"}


def _book(path, rows):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("通讯录")
    ws.write_row(0, 0, ["单位名称", "联系人", "办公电话", "电子邮箱"])
    for i, r in enumerate(rows, start=1):
        ws.write_row(i, 0, [r["name"], r["contact"], r["phone"], r["email"]])
    wb.close()
    return path


def _answer_conflicts(answers: list, seen: list):
    """Answer each conflict dialog as it opens: an int (use that row), "both", or None (cancel)."""
    from ui.contact_conflict_dialog import ContactConflictDialog

    def poll():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ContactConflictDialog) and dialog.isVisible():
            seen.append((dialog.unit, [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]))
            answer = answers.pop(0)
            if answer is None:
                dialog.reject()
            else:
                (dialog.both_radio if answer == "both" else dialog.radios[answer]).setChecked(True)
                dialog.accept()
        if answers:
            QTimer.singleShot(20, poll)
    QTimer.singleShot(20, poll)


def _unit(ledger, name):
    return next(u for u in list_units(ledger) if u["name"] == name)


def test_wizard_asks_about_two_rows_and_its_counts_agree(qtbot, tmp_path, monkeypatch):
    import ui.first_run as first_run
    from core.ledger.store import Ledger
    monkeypatch.setattr(first_run, "_import_dialog_class", lambda: None)
    rows = read_contacts(CONTACTS_XLSX)
    book = _book(tmp_path / "通讯录.xlsx", rows[:40] + [SECOND_ROW])      # the book lacks the last units
    target = tmp_path / "新台账.sqlite3"
    wizard = first_run.FirstRunWizard(None, target)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    wizard.plan_page.import_plan_file(FIXTURE_DOCX)
    wizard.next()
    seen: list = []
    _answer_conflicts(["both"], seen)
    summary = wizard.contacts_page.import_contacts(book)
    assert seen == [("区财政局", [next(r["contact"] for r in rows if r["name"] == "区财政局"), SECOND_ROW["contact"]])]
    counts = contact_counts(wizard.ledger)
    said = f"台账中 {counts['units']} 个责任单位，{counts['with_contact']} 个已有联系人"
    assert said in wizard.contacts_page.result.text() and counts["missing"]
    assert f"尚缺 {len(counts['missing'])} 个" in wizard.contacts_page.result.text()
    assert summary["matched"] == len({r["name"] for r in rows[:40]} & {u["name"] for u in list_units(wizard.ledger)})
    wizard.next()
    assert said in wizard.done_page.text.text()                     # the summary says the same as the page before
    for name in counts["missing"][:8]:
        assert name in wizard.done_page.text.text()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    led = Ledger(target)
    try:
        finance = _unit(led, "区财政局")
        assert SECOND_ROW["contact"] in finance["contact"] and "、" in finance["contact"]   # both kept
        assert SECOND_ROW["email"] in finance["email"] and "," in finance["email"]
    finally:
        led.close()


def test_units_page_lists_units_without_contacts_and_asks_on_two_rows(qtbot, ledger_2026, tmp_path):
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("units")
    qtbot.waitUntil(lambda: not page.reading, timeout=WAIT_MS)   # 单位 reads in the background
    from ui.unit_table_model import COL_CONTACT, COL_EMAIL
    for name in ("区商务局", "区投资促进局"):               # the clerk clears two units' contacts in place
        row = page.model.row_of_id(_unit(ledger_2026, name)["id"])
        for col in (COL_CONTACT, COL_EMAIL):
            assert page.model.setData(page.model.index(row, col), "")
    page.refresh()
    qtbot.waitUntil(lambda: not page.reading, timeout=WAIT_MS)
    counts = contact_counts(ledger_2026)
    assert counts["missing"] == ["区商务局", "区投资促进局"]      # in the ledger's unit order
    assert f"{counts['with_contact']} 个已有联系人" in page.contacts_label.text()
    page.missing_check.setChecked(True)
    shown = [page.model.unit_at(page.proxy.mapToSource(page.proxy.index(r, 0)).row())["name"]
             for r in range(page.proxy.rowCount())]
    assert sorted(shown) == sorted(counts["missing"])
    assert f"显示 {len(shown)} /" in page.count_label.text()
    page.missing_check.setChecked(False)

    before = _unit(ledger_2026, "区财政局")
    book = _book(tmp_path / "两行.xlsx", [{"name": "区财政局", "contact": "张三（办公室）", "phone": "0531-86660001",
                                          "email": "bgs@example.org"}, SECOND_ROW])
    seen: list = []
    _answer_conflicts([None], seen)                      # cancel: nothing is written
    page.import_contacts(book)
    qtbot.waitUntil(lambda: bool(seen) and page.contacts_button.isEnabled(), timeout=30000)
    assert _unit(ledger_2026, "区财政局")["contact"] == before["contact"]
    _answer_conflicts([1], seen)                         # the second row
    page.import_contacts(book)
    qtbot.waitUntil(lambda: page.last_contacts_result is not None, timeout=30000)
    after = _unit(ledger_2026, "区财政局")
    assert (after["contact"], after["email"]) == (SECOND_ROW["contact"], SECOND_ROW["email"])
    assert [s[0] for s in seen] == ["区财政局", "区财政局"]
    assert window.ctx.jobs.wait()
