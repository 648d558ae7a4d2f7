"""The 导入立项表 dialog: preview, year, unit-merge checkboxes, bad files (Chinese message, ledger unchanged), Esc."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt

from tests.conftest import FIXTURE_DOCX
from tests.helpers.tasks import import_through_dialog, open_window, wait_preview


def _ledger_state(ledger):
    from core.ledger import schema
    from core.ledger.store import count_rows
    from core.ledger.queries import list_tasks
    with ledger.read() as conn:
        counts = tuple(count_rows(conn, t) for t in (schema.task, schema.unit, schema.audit, schema.campaign))
    return counts, list_tasks(ledger)


@pytest.mark.parametrize("make", [
    lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
    lambda p: p.write_bytes(FIXTURE_DOCX.read_bytes()[:5000]),
    lambda p: p.write_bytes(b""),
    lambda p: p.write_text("没有表格的普通文本\n第二行", encoding="utf-8"),
], ids=["not-office", "truncated", "empty", "no-table"])
def test_bad_file_shows_chinese_error_and_leaves_ledger(qtbot, ledger_2026, tmp_path, make):
    window = open_window(qtbot, ledger_2026)
    before = _ledger_state(ledger_2026)
    bad = tmp_path / "立项表.docx"
    make(bad)
    dialog = window.show_page("tasks").open_import(bad)
    wait_preview(qtbot, dialog)
    assert dialog.preview is None
    assert re.search(r"[\u4e00-\u9fff]", dialog.error_text), dialog.error_text
    assert dialog.error_text in dialog.status_label.text()
    assert "内部错误" not in dialog.error_text
    assert not dialog.confirm_button.isEnabled()
    dialog.confirm()  # even if forced, nothing to apply
    assert _ledger_state(ledger_2026) == before
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert _ledger_state(ledger_2026) == before


def test_reimport_shows_no_changes_and_changes_nothing(qtbot, ledger_2026):
    window = open_window(qtbot, ledger_2026)
    before = _ledger_state(ledger_2026)

    def check(dialog):
        assert dialog.preview.campaign_exists and dialog.preview.change_count == 0
        assert dialog.added_list.count() == dialog.changed_list.count() == dialog.removed_list.count() == 0
        assert "没有需要导入的改动" in dialog.status_label.text()

    import_through_dialog(qtbot, window, FIXTURE_DOCX, check)
    assert _ledger_state(ledger_2026) == before


def test_changed_and_removed_tasks_listed_and_merge_applied_only_when_ticked(qtbot, ledger_2026, tmp_path):
    from core.ledger import schema
    from core.ledger.queries import list_tasks, list_units
    tasks = list_tasks(ledger_2026)
    lines = []
    for kind, label in (("key", "重点任务"), ("livelihood", "民生实事内容")):
        lines.append("\t".join(["序号", "重点领域", "类别", label, "牵头领导", "责任单位"]))
        for t in tasks:
            if t["kind"] != kind or (kind == "key" and t["seq"] == 7):
                continue  # key task 7 removed
            text = t["text"] + ("（修订）" if kind == "key" and t["seq"] == 3 else "")
            names = [u["name"] for u in t["units"]]
            if kind == "key" and t["seq"] == 3:
                names = ["区发改局" if n == "区发展改革局" else n for n in names]
                if "区发改局" not in names:
                    names.append("区发改局")
            leads = {u["name"] for u in t["units"] if u["lead"]} | ({"区发改局"} if "区发展改革局" in
                                                                   {u["name"] for u in t["units"] if u["lead"]} else set())
            units = "、".join(("*" if n in leads else "") + n for n in names)
            lines.append("\t".join([str(t["seq"]), t["area"], t["category"], text, "、".join(t["leaders"]), units]))
    src = tmp_path / "2026年修订.tsv"
    src.write_text("\n".join(lines), encoding="utf-8")

    window = open_window(qtbot, ledger_2026)
    page = window.show_page("tasks")
    dialog = page.open_import(src)
    wait_preview(qtbot, dialog)
    assert dialog.preview is not None, dialog.error_text
    assert dialog.removed_list.count() == 1 and "重点任务7" in dialog.removed_list.item(0).text()
    assert dialog.changed_list.count() == 1
    changed = dialog.changed_list.item(0).text()
    assert "重点任务3" in changed and "任务内容" in changed
    proposals = [dialog.units_list.item(i) for i in range(dialog.units_list.count())]
    target = [p for p in proposals if p.data(Qt.ItemDataRole.UserRole) == ("区发改局", "区发展改革局")]
    assert target and all(p.checkState() == Qt.CheckState.Unchecked for p in proposals)
    target[0].setCheckState(Qt.CheckState.Checked)
    assert dialog.accepted_merges() == {"区发改局": "区发展改革局"}
    with qtbot.waitSignal(dialog.imported, timeout=60000):
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 117, timeout=10000)
    units = {u["name"]: u for u in list_units(ledger_2026)}
    assert "区发改局" not in units and "区发改局" in units["区发展改革局"]["aliases"]
    t3 = next(t for t in list_tasks(ledger_2026) if t["kind"] == "key" and t["seq"] == 3)
    assert t3["text"].endswith("（修订）")
    with ledger_2026.read() as conn:
        fields = {r.field for r in conn.execute(schema.audit.select().where(schema.audit.c.source_kind == "import")
                                                .where(schema.audit.c.row_key == t3["uid"]))}
    assert "text" in fields


def test_year_spin_reruns_the_preview(qtbot, ledger_2026):
    window = open_window(qtbot, ledger_2026)
    dialog = window.show_page("tasks").open_import(FIXTURE_DOCX)
    wait_preview(qtbot, dialog)
    assert dialog.preview.campaign_exists and dialog.preview.year == 2026
    dialog.year_spin.setValue(2027)
    dialog.year_spin.editingFinished.emit()
    qtbot.waitUntil(lambda: dialog.preview is not None and dialog.preview.year == 2027, timeout=60000)
    assert not dialog.preview.campaign_exists and len(dialog.preview.added) == 118
    dialog.reject()


def test_keyboard_alt_o_confirms(qtbot, ledger):
    from core.ledger.queries import list_tasks
    window = open_window(qtbot, ledger)
    dialog = window.show_page("tasks").open_import(FIXTURE_DOCX)
    wait_preview(qtbot, dialog)
    from PySide6.QtWidgets import QApplication
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    with qtbot.waitSignal(dialog.imported, timeout=60000):
        qtbot.keyClick(dialog, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    assert len(list_tasks(ledger)) == 118
