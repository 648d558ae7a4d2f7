"""收文's file list (issue 16, point 9): statuses follow the decisions, newest first but only the current file
expanded, and 合并 / 全部接受 / 本文件全部接受 usable only when something is staged for them."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.helpers import returns as rh
from tests.helpers.returns import PERIOD, answers_for
from tests.helpers.tasks import open_window
from tests.helpers.collect import wait_list

WAIT_MS = 60000


def _top(page):
    return [page.tree.topLevelItem(i) for i in range(page.tree.topLevelItemCount())]


def test_file_list_follows_the_review(qtbot, ledger_2026, tmp_path):
    names = ["区发展改革局", "区民政局", "区教育体育局"]
    forms = rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "out", unit_names=names)
    filled = [rh.fill(Path(f["path"]), tmp_path / f"{f['unit']}.xlsx", answers_for(Path(f["path"]))) for f in forms]
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("collect")
    buttons = (page.merge_button, page.accept_all_button, page.accept_file_button)
    # an empty list: nothing to accept or merge
    assert page.tree.topLevelItemCount() == 0
    assert not any(b.isEnabled() for b in buttons)

    page.collect_paths(filled)
    qtbot.waitUntil(lambda: page.job is None and len(page.last_results) == 3 and not page.reading, timeout=WAIT_MS)
    assert [r["status"] for r in page.last_results] == ["staged"] * 3
    files = _top(page)
    ids = [int(i.text(0).split()[0][1:]) for i in files]
    assert ids == sorted(ids, reverse=True)                       # newest first
    assert [i.text(1) for i in files] == ["待审核"] * 3
    # not fully expanded: only the current file is open
    current = page.current_submission()
    assert [i.isExpanded() for i in files] == [i_id == current for i_id in ids]
    assert page.accept_all_button.isEnabled() and page.accept_file_button.isEnabled()
    assert not page.merge_button.isEnabled()                       # nothing accepted yet
    # moving to another file opens it and closes the one left
    page.select_submission(ids[-1])
    assert [i.isExpanded() for i in _top(page)] == [False, False, True]

    # one file accepted by hand, then all the rest
    qtbot.mouseClick(page.accept_file_button, Qt.MouseButton.LeftButton)
    assert _top(page)[-1].text(1) == "已接受，待合并" and _top(page)[0].text(1) == "待审核"
    assert not page.accept_file_button.isEnabled() and page.merge_button.isEnabled()
    qtbot.mouseClick(page.accept_all_button, Qt.MouseButton.LeftButton)
    wait_list(qtbot, page)
    assert [i.text(1) for i in _top(page)] == ["已接受，待合并"] * 3
    assert not page.accept_all_button.isEnabled() and not page.accept_file_button.isEnabled()
    assert page.merge_button.isEnabled()
    assert "已接受，待合并" in page.view.toPlainText()

    qtbot.mouseClick(page.merge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.job is None and [i.text(1) for i in _top(page)] == ["已合并"] * 3, timeout=WAIT_MS)
    assert not any(b.isEnabled() for b in buttons)                 # nothing staged any more
