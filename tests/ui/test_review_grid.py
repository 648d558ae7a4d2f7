"""收文 review grid in the real window: the model under QAbstractItemModelTester, keyboard accept/reject by cell, row,
file and all, the two filters, and 退回 in one key press (a real .xlsx read back, an .eml parsed back)."""
from __future__ import annotations

import email
from email import policy
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core.returns.collect import collect
from core.returns.review import submission_detail
from tests.helpers import returns as rh
from tests.helpers.review_grid import make_may
from tests.helpers.tasks import open_window
from tests.helpers.collect import wait_list

SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def may(ledger_2026, tmp_path):
    """April merged, May collected with its flagged rows (tests/helpers/review_grid.py)."""
    return make_may(ledger_2026, tmp_path)


def type_text(editor, text: str) -> None:
    """Chinese typed the way an input method delivers it: one commit of the composed text (QTest types ASCII only)."""
    from PySide6.QtGui import QInputMethodEvent
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(editor, event)


def _decisions(ledger, sid) -> dict[int, str]:
    return {c["id"]: c["decision"] for row in submission_detail(ledger, sid)["rows"] for c in row["changes"]}


def _comments(ledger, sid) -> dict[int, str]:
    return {c["id"]: c["comment"] for row in submission_detail(ledger, sid)["rows"] for c in row["changes"]}


@pytest.fixture
def review(qtbot, ledger_2026, may, tmp_path):   # noqa: F811
    """The window on 收文 with the May file of 区发展改革局 (flags) and a plain May file of 区民政局."""
    sid, keys, april, answers = may
    [other] = rh.generate_forms(ledger_2026, "report", "2026-05", tmp_path / "out-mz", unit_names=["区民政局"])
    filled = rh.fill(Path(other["path"]), tmp_path / "区民政局5月落实情况表.xlsx",
                     {k: {"done": "一是完成年度养老服务设施建设任务的前期工作；二是完成项目立项和资金申请；"
                                  "三是组织开展入户调查，摸清服务需求底数，建立服务对象台账，覆盖全区困难老年人。" * 2,
                          "problems": "部分项目用地手续办理周期较长，需协调自然资源部门加快审批进度。",
                          "next_steps": "下一步，将加快推进项目建设，确保按期完成年度目标任务。", "on_track": "是"}
                      for k in rh.row_keys(Path(other["path"]))})
    [res] = collect(ledger_2026, [filled])
    assert res["status"] == "staged"
    window = open_window(qtbot, ledger_2026)
    window.resize(1366, 768)
    page = window.show_page("collect")
    page.refresh()
    wait_list(qtbot, page)
    assert page.select_submission(sid)
    panel = page.grid_panel
    assert panel.sid == sid and panel.model.rowCount() == len(keys)
    panel.view.setFocus()
    return window, page, panel, sid, res["submission_id"]


def test_model_passes_the_item_model_tester(qtbot, ledger_2026, may):   # noqa: F811
    from PySide6.QtTest import QAbstractItemModelTester

    from core.returns.review_grid import build_grid
    from ui.pages.collect.review_grid_model import HTML_ROLE, ReviewGridModel
    sid, keys, *_ = may
    stored = []
    model = ReviewGridModel(on_comment=lambda row, text: stored.append((row.key, text)))
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    grid = build_grid(ledger_2026, sid)
    model.set_rows(grid, grid.rows)
    assert model.rowCount() == len(keys) and model.columnCount() == 7
    model.set_rows(grid, grid.visible(only_flagged=True))
    assert 0 < model.rowCount() < len(keys)
    assert "text-decoration:line-through" in "".join(model.data(model.index(r, c), HTML_ROLE) or ""
                                                    for r in range(model.rowCount()) for c in range(1, 6)) \
        or any(cell.same_as_last_month for r in grid.rows for cell in r.cells)
    comment = model.index(0, model.comment_column)
    assert model.flags(comment) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(comment, "请补充本月新进展")
    assert stored == [(grid.rows[0].key, "请补充本月新进展")]
    assert model.data(comment) == "请补充本月新进展"
    model.set_rows(None, [])
    assert model.rowCount() == 0
    del tester


def test_keyboard_accept_reject_by_cell_row_file_all(qtbot, review, ledger_2026):
    window, page, panel, sid, other = review
    view = panel.view
    # A on the first flagged cell (the grid opens on it): only that change is accepted, the cursor moves down
    index = view.currentIndex()
    first = panel.model.cell_at(index)
    assert first is not None and first.change_id is not None and first.flags
    qtbot.keyClick(view, Qt.Key.Key_A)
    got = _decisions(ledger_2026, sid)
    assert got[first.change_id] == "accepted" and list(got.values()).count("accepted") == 1
    assert view.currentIndex().row() == index.row() + 1
    # R on the cell below
    below = panel.model.cell_at(view.currentIndex())
    qtbot.keyClick(view, Qt.Key.Key_R)
    assert _decisions(ledger_2026, sid)[below.change_id] == "rejected"
    # Shift+A accepts a whole row
    row = panel.current_row()
    qtbot.keyClick(view, Qt.Key.Key_A, SHIFT)
    got = _decisions(ledger_2026, sid)
    assert all(got[i] == "accepted" for i in row.change_ids)
    # Shift+R rejects a whole row and opens its 退回意见 for typing; Enter stores the comment
    row = panel.current_row()
    qtbot.keyClick(view, Qt.Key.Key_R, SHIFT)
    assert all(_decisions(ledger_2026, sid)[i] == "rejected" for i in row.change_ids)
    editor = QApplication.focusWidget()
    assert editor is not view and view.state() == view.State.EditingState
    type_text(editor, "请如实填写本月进展")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)   # the delegate commits on the next loop turn
    assert {_comments(ledger_2026, sid)[i] for i in row.change_ids} == {"请如实填写本月进展"}
    assert panel.model.index_of(row.key, panel.model.comment_column).data() == "请如实填写本月进展"
    # Ctrl+Shift+R / Ctrl+Shift+A: the whole file
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_R, CTRL | SHIFT)
    assert set(_decisions(ledger_2026, sid).values()) == {"rejected"}
    qtbot.keyClick(view, Qt.Key.Key_A, CTRL | SHIFT)
    assert set(_decisions(ledger_2026, sid).values()) == {"accepted"}
    assert set(_decisions(ledger_2026, other).values()) == {"pending"}   # the other file untouched
    # Ctrl+Alt+A: every pending change of every staged file
    qtbot.keyClick(view, Qt.Key.Key_A, CTRL | ALT)
    assert set(_decisions(ledger_2026, other).values()) == {"accepted"}
    # the tree on the left still lists the files and shows the decisions
    # April's merged file, the two May files: the one with flagged rows first (issue 29), then newest first
    assert page.tree.topLevelItemCount() == 3
    from ui.pages.collect.file_tree import ROLE
    assert [page.tree.topLevelItem(i).data(0, ROLE)[1] for i in range(2)] == [sid, other]
    # N / P walk down / up the list of files with the grid keeping the focus
    qtbot.keyClick(view, Qt.Key.Key_N)
    assert panel.sid == other and view.hasFocus()
    qtbot.keyClick(view, Qt.Key.Key_P)
    assert panel.sid == sid
    # the page shows the keys
    assert "Shift+A/R 整行" in panel.hint.text() and "Ctrl+T 退回" in panel.hint.text()


def test_filters_only_flagged_and_only_changed(qtbot, review, ledger_2026):
    window, page, panel, sid, other = review
    view = panel.view
    all_rows = panel.model.rowCount()
    flagged = sum(r.flagged for r in panel.grid.rows)
    assert 0 < flagged < all_rows
    qtbot.keyClick(view, Qt.Key.Key_F)
    assert panel.only_flagged.isChecked() and panel.model.rowCount() == flagged
    assert all(r.flagged for r in panel.model.rows)
    qtbot.keyClick(view, Qt.Key.Key_F)
    assert panel.model.rowCount() == all_rows
    qtbot.keyClick(view, Qt.Key.Key_G)   # a month's first entry: every row changed
    assert panel.only_changed.isChecked() and panel.model.rowCount() == all_rows
    # a decision keeps the filter and the current row
    qtbot.keyClick(view, Qt.Key.Key_F)
    key = panel.current_row().key
    qtbot.keyClick(view, Qt.Key.Key_A, SHIFT)
    assert panel.only_flagged.isChecked() and panel.model.rowCount() == flagged
    assert panel.model.rows[0].key == key or panel.current_row().key != key


def test_send_back_in_one_key_press(qtbot, review, ledger_2026, tmp_path):
    window, page, panel, sid, other = review
    ledger_2026.set_setting("outbox_dir", str(tmp_path / "发件箱"))
    view = panel.view
    qtbot.keyClick(view, Qt.Key.Key_A, CTRL | SHIFT)       # accept the file, then send two rows back
    comments = ["完成情况与上月完全相同，请如实填写本月进展。", "填“是”但文字写明进度滞后，请核实是否完成。"]
    rows = []
    for comment in comments:
        view.setFocus()
        rows.append(panel.current_row())
        qtbot.keyClick(view, Qt.Key.Key_R, SHIFT)
        editor = QApplication.focusWidget()
        type_text(editor, comment)
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: view.state() != view.State.EditingState)
        view.setFocus()
        qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_T, CTRL)                 # 退回: one key press
    out = page.last_send_back
    assert out is not None and out["rows"] == 2 and not out["returned"]
    from PySide6.QtCore import QUrl
    link = f'<a href="{QUrl.fromLocalFile(str(out["folder"])).toString()}">打开文件夹</a>'
    assert link in page.status_label.text() and out["folder"].is_dir()
    assert "打开文件夹" in window.status_label.text()
    assert out["folder"].parent == tmp_path / "发件箱" / "退回"
    from python_calamine import CalamineWorkbook
    sheet = CalamineWorkbook.from_path(str(out["workbook"])).get_sheet_by_index(0).to_python()
    header = next(r for r in sheet if "督查室意见" in r)
    lines = [r for r in sheet[sheet.index(header) + 1:] if any(r)]
    assert [(line[1], line[header.index("督查室意见")]) for line in lines] == \
        [(r.task_text, c) for r, c in zip(rows, comments, strict=True)]
    assert all(len(line[header.index("完成情况")]) >= 100 for line in lines)   # what the unit wrote, beside
    msg = email.message_from_bytes(Path(out["eml"]).read_bytes(), policy=policy.default)
    names = [p.get_filename() for p in msg.iter_attachments()]
    assert names == [out["workbook"].name, "区发展改革局5月落实情况表.xlsx"]
    assert names[0] == "区发展改革局-2026年5月落实情况表-退回修改意见.xlsx"
    attached = next(msg.iter_attachments()).get_content()
    assert attached == out["workbook"].read_bytes()
    body = msg.get_body(("plain",)).get_content()
    assert all(c in body for c in comments) and msg["Subject"] == "退回修改：区发展改革局2026年5月落实情况表"
    # the rest of the file merges as usual; the two rows do not
    assert page.merge() is not None
    qtbot.waitUntil(lambda: page.job is None, timeout=60000)
    from core.ledger.progress_view import progress_rows
    merged = {r["done"] for r in progress_rows(ledger_2026, "2026-05") if r["unit"] == "区发展改革局"}
    done = [next(c.value for c in r.cells if c.field == "done") for r in rows]
    assert not merged & set(done)
    accepted = [next(c.value for c in r.cells if c.field == "done") for r in panel.grid.rows[2:] if not r.deleted]
    assert set(accepted) - {""} <= merged and len(merged) >= 3


def test_a_decision_rebuilds_only_its_own_file_in_the_list(qtbot, review, ledger_2026):
    """A key press in the grid reads its one file again: the other files' list items are untouched (a month of 60
    files is not rebuilt per key), the decided file's branch shows the new decision, the grid keeps its place."""
    from ui.pages.collect.file_tree import ROLE
    window, page, panel, sid, other = review
    tops = {page.tree.topLevelItem(i).data(0, ROLE)[1]: page.tree.topLevelItem(i)
            for i in range(page.tree.topLevelItemCount())}
    assert sid in tops and other in tops
    before_other = tops[other]
    index = panel.view.currentIndex()
    cell = panel.model.cell_at(index)
    assert cell is not None and cell.change_id is not None
    qtbot.keyClick(panel.view, Qt.Key.Key_R)
    after = {page.tree.topLevelItem(i).data(0, ROLE)[1]: page.tree.topLevelItem(i)
             for i in range(page.tree.topLevelItemCount())}
    assert list(after) == list(tops)                           # same files, same order
    assert after[other] is before_other                        # the other file's item was not rebuilt
    assert after[sid] is not tops[sid]                         # its own branch was
    changes = [it for it in page.tree.iter_items() if (it.data(0, ROLE) or ("",))[0] == "change"
               and it.data(0, ROLE)[2] == cell.change_id]
    assert len(changes) == 1 and changes[0].text(1) == "✘ 不接受"
    assert panel.sid == sid and panel.view.currentIndex().row() == index.row() + 1
    # every waiting file at once (Ctrl+Alt+A) still reads the whole list again
    qtbot.keyClick(panel.view, Qt.Key.Key_A, CTRL | ALT)
    wait_list(qtbot, page)
    assert page.tree.topLevelItem(list(after).index(other)) is not before_other
