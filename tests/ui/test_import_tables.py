"""The import preview names which table was read as which (red when the evidence disagrees); 对调两表 swaps them."""
from __future__ import annotations

from PySide6.QtCore import Qt

from tests.helpers.tasks import open_window, wait_preview
from tests.helpers.year_tables import load_expected, write_xlsx

TITLES_2021 = ("2021年《政府工作报告》重点任务责任分解立项表", "2021年“12100”民生工程责任分解表")


def test_preview_names_the_tables_and_swap_reads_them_the_other_way(qtbot, ledger, tmp_path):
    from core.ledger.queries import list_tasks
    src = write_xlsx(load_expected(2025), tmp_path / "2021年立项表.xlsx", live_header="“12100”民生工程",
                     titles=TITLES_2021, sheets=("附件2", "附件1"))   # sheet names the wrong way round
    window = open_window(qtbot, ledger)
    dialog = window.show_page("tasks").open_import(src)
    wait_preview(qtbot, dialog)
    assert dialog.preview is not None, dialog.error_text
    lines = dialog.tables_label.text().split("\n")
    assert lines[0].startswith("工作表“附件2”（109 项）读作重点任务表，依据：表格上方标题、表头、列")
    assert "但工作表名“附件2”→民生实事" in lines[0] and "对调两表" in lines[0]
    assert lines[1].startswith("工作表“附件1”（20 项）读作民生实事表")
    assert "b3261e" in dialog.tables_label.styleSheet()          # red: the evidence disagrees
    assert dialog.swap_button.isEnabled()
    assert "依据不一致" in "\n".join(dialog.warnings_list.item(i).text() for i in range(dialog.warnings_list.count()))
    dialog.grab().save(str(tmp_path / "import-tables.png"))

    qtbot.mouseClick(dialog.swap_button, Qt.MouseButton.LeftButton)
    wait_preview(qtbot, dialog)
    assert [r.kind for r in dialog.preview.plan.readings] == ["livelihood", "key"]
    assert "（已手动对调）" in dialog.tables_label.text() and dialog.tables_label.styleSheet() == ""
    assert "重点任务 20 项、民生实事 109 项" in dialog.counts_label.text()

    qtbot.mouseClick(dialog.swap_button, Qt.MouseButton.LeftButton)   # back as read
    wait_preview(qtbot, dialog)
    assert [r.kind for r in dialog.preview.plan.readings] == ["key", "livelihood"]
    with qtbot.waitSignal(dialog.imported, timeout=60000):
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    tasks = list_tasks(ledger, 2021)
    assert sum(t["kind"] == "key" for t in tasks) == 109 and sum(t["kind"] == "livelihood" for t in tasks) == 20
