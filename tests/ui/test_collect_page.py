"""收文 page in the real window: drop files, statuses, tree of files → units → rows → fields, keyboard review, merge, exports."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from core.ledger.progress_view import progress_rows
from tests.helpers import returns as rh
from tests.helpers.collect import wait_list
from tests.helpers.returns import PERIOD, answers_for
from tests.helpers.tasks import open_window
from ui.pages.collect.file_tree import ROLE

WAIT_MS = 60000


def _files(ledger, tmp_path):
    forms = rh.generate_forms(ledger, "report", PERIOD, tmp_path / "out", unit_names=["区发展改革局", "区民政局"])
    filled = [rh.fill(Path(f["path"]), tmp_path / f"{f['unit']}.xlsx", answers_for(Path(f["path"]))) for f in forms]
    bare = rh.strip_stamp(filled[1], tmp_path / "重新录入-区民政局3月.xlsx")
    return forms, filled, bare


def _items(page):
    return list(page.tree.iter_items())


def test_drop_review_with_keyboard_merge_and_export(qtbot, ledger_2026, tmp_path):
    forms, filled, bare = _files(ledger_2026, tmp_path)
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("collect")
    assert page.handles_drop([tmp_path]) and page.handles_drop([filled[0]]) and page.handles_drop([bare])
    junk = tmp_path / "随便.txt"
    junk.write_text("hello")
    assert not page.handles_drop([junk])
    assert window.handle_dropped([filled[0], bare])
    qtbot.waitUntil(lambda: len(page.last_results) == 2 and not page.reading, timeout=WAIT_MS)
    assert [r["status"] for r in page.last_results] == ["staged", "needs-confirmation"]
    # the tree: file → unit → rows → fields
    sid = page.last_results[0]["submission_id"]
    assert page.select_submission(sid)
    file_item = page.tree.currentItem()
    unit_item = file_item.child(0)
    assert unit_item.childCount() == len(rh.row_keys(Path(forms[0]["path"])))
    row_item = unit_item.child(0)
    page.tree.setCurrentItem(row_item.child(0))
    assert "原内容" in page.view.toHtml()
    # keyboard: R rejects the current field, J moves, Ctrl+Shift+A accepts the whole file, then A/R again
    page.tree.setFocus()
    qtbot.keyClick(page.tree, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    ref = page.tree.current_ref()
    assert ref[0] in ("change", "row", "unit", "file")
    page.tree.select_ref(("file", sid, None))
    page.step_through(3)   # file → unit → row → first field
    assert page.tree.current_ref()[0] == "change"
    first_change = page.tree.current_ref()[2]
    qtbot.keyClick(page.tree, Qt.Key.Key_R)
    from core.returns.review import submission_detail
    decisions = {c["id"]: c["decision"] for row in submission_detail(ledger_2026, sid)["rows"] for c in row["changes"]}
    assert decisions[first_change] == "rejected"
    assert sum(1 for d in decisions.values() if d == "accepted") == len(decisions) - 1
    report = page.export_report(tmp_path / "差异报告.xlsx")
    back = page.export_return(tmp_path / "退回.xlsx")
    assert report.exists() and back.exists()
    assert page.merge() is not None   # a background job
    qtbot.waitUntil(lambda: page.job is None, timeout=WAIT_MS)
    assert page.last_merge["files"] == 1 and "已合并 1 份文件" in page.status_label.text()
    rows = progress_rows(ledger_2026, PERIOD)
    assert rows and all(r["unit"] == "区发展改革局" for r in rows)
    # the stamp-less file: confirm its identity, accept all, merge
    page.select_submission(page.last_results[1]["submission_id"])
    result = page.open_confirm(values=(_unit_id(ledger_2026, "区民政局"), "report", PERIOD))
    assert result["status"] == "staged"
    page.accept_all_in_file()
    page.merge()
    qtbot.waitUntil(lambda: page.job is None, timeout=WAIT_MS)
    assert any(r["unit"] == "区民政局" for r in progress_rows(ledger_2026, PERIOD))


def _unit_id(ledger, name):
    from sqlalchemy import select

    from core.ledger import schema
    with ledger.read() as conn:
        return conn.execute(select(schema.unit.c.id).where(schema.unit.c.name == name)).scalar()


def test_hostile_drop_shows_rejected_with_reason(qtbot, ledger_2026, tmp_path):
    bad = rh.truncated(rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "o", unit_names=["区民政局"])[0]["path"],
                       tmp_path / "坏.xlsx")
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("collect")
    page.collect_paths([bad])
    qtbot.waitUntil(lambda: len(page.last_results) == 1 and not page.reading, timeout=WAIT_MS)
    assert page.last_results[0]["status"] == "rejected"
    page.select_submission(page.last_results[0]["submission_id"])
    assert "损坏" in page.view.toPlainText() or "已拒收" in page.view.toPlainText()


def test_two_files_same_unit_side_by_side(qtbot, ledger_2026, tmp_path):
    forms = rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "out", unit_names=["区民政局"])
    src = Path(forms[0]["path"])
    key0 = rh.row_keys(src)[0]
    a = rh.fill(src, tmp_path / "甲.xlsx", {key0: {"done": "甲稿：完成三项"}})
    b = rh.fill(src, tmp_path / "乙.xlsx", {key0: {"done": "乙稿：完成四项"}})
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("collect")
    page.collect_paths([a, b])
    qtbot.waitUntil(lambda: len(page.last_results) == 2 and not page.reading, timeout=WAIT_MS)
    sid = page.last_results[1]["submission_id"]
    item = next(i for i in page.tree.iter_items() if i.data(0, ROLE)[0] == "change" and i.data(0, ROLE)[1] == sid
                and i.data(1, ROLE)["new"] == "乙稿：完成四项")
    page.tree.setCurrentItem(item)
    text = page.view.toPlainText()
    assert "另一份" in text and "甲" in text and "乙" in text


def test_one_file_two_units_shows_each_sheet(qtbot, ledger_2026, tmp_path):
    from tests.helpers import returns_messy as mx
    _forms, filled, _bare = _files(ledger_2026, tmp_path)
    book = mx.second_unit_sheet(filled[0], filled[1], tmp_path / "两块牌子.xlsx", title="民政")
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("collect")
    page.collect_paths([book])
    qtbot.waitUntil(lambda: len(page.last_results) == 2 and not page.reading, timeout=WAIT_MS)
    assert [r["status"] for r in page.last_results] == ["staged", "staged"], page.last_results
    labels = {}
    for r in page.last_results:
        assert page.select_submission(r["submission_id"])
        labels[r["unit"]] = page.tree.currentItem().text(0)
    assert "两块牌子.xlsx（工作表「民政」）" in labels["区民政局"]
    assert "两块牌子.xlsx（工作表「" in labels["区发展改革局"] and "民政" not in labels["区发展改革局"]
    assert "工作表「民政」" in page.view.toPlainText() or "工作表「" in page.view.toPlainText()


def test_messy_returns_show_their_reasons(qtbot, ledger_2026, tmp_path):
    import openpyxl

    from tests.helpers import returns_messy as mx
    forms = rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "out", unit_names=["区发展改革局", "区民政局"])
    src = Path(forms[0]["path"])
    answers = mx.answers(src)
    filled = rh.fill(src, tmp_path / "f.xlsx", answers)
    sorted_ = mx.sort_visible(filled, tmp_path / "s.xlsx", list(reversed(range(len(answers)))))
    messy = mx.add_column(sorted_, tmp_path / "发改局-排序加列.xlsx", "备注", dict.fromkeys(answers, "以住建局口径为准"))
    blank = tmp_path / "民政局-空表.xlsx"
    openpyxl.load_workbook(forms[1]["path"]).save(blank)
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("collect")
    page.collect_paths([messy, blank])
    qtbot.waitUntil(lambda: len(page.last_results) == 2 and not page.reading, timeout=WAIT_MS)
    assert [r["status"] for r in page.last_results] == ["staged", "blank"]
    labels = [i.text(0) for i in page.tree.iter_items()]
    assert any("隐藏序号与任务内容不符" in t for t in labels)
    assert any("新增列的内容作为备注保存" in t for t in labels)
    page.select_submission(page.last_results[1]["submission_id"])
    assert page.tree.currentItem().text(1) == "未填写"
    assert "不计为已报" in page.view.toPlainText()


def test_merge_runs_in_the_background_with_progress_and_cancel(qtbot, ledger_2026, tmp_path, monkeypatch):
    """合并 on three staged files: a job on the pool, the bar moves, 取消 stops between files, whole files only."""
    import threading

    from sqlalchemy import func, select

    import core.returns.merge as merge_mod
    from core.ledger import schema
    names = ["区发展改革局", "区民政局", "区财政局"]
    forms = rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "out", unit_names=names)
    filled = [rh.fill(Path(f["path"]), tmp_path / f"{f['unit']}.xlsx", answers_for(Path(f["path"]), f["unit"]))
              for f in forms]
    rows_of = {f["unit"]: len(rh.row_keys(Path(f["path"]))) for f in forms}
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("collect")
    page.collect_paths(filled)
    qtbot.waitUntil(lambda: page.job is None and len(page.last_results) == 3 and not page.reading, timeout=WAIT_MS)
    qtbot.mouseClick(page.accept_all_button, Qt.MouseButton.LeftButton)
    wait_list(qtbot, page)

    gate, held, threads = threading.Event(), threading.Event(), []
    real = merge_mod._merge_one

    def slow(ledger, sid, accept_all, *run):   # hold the worker at the start of the second file until 取消 was pressed
        threads.append(threading.get_ident())
        if len(threads) == 2:
            held.set()
            gate.wait(10)
        return real(ledger, sid, accept_all, *run)

    monkeypatch.setattr(merge_mod, "_merge_one", slow)
    qtbot.mouseClick(page.merge_button, Qt.MouseButton.LeftButton)
    assert page.job is not None and page.cancel_button.isVisible() and page.cancel_button.isEnabled()
    assert not page.merge_button.isEnabled() and not page.accept_all_button.isEnabled()
    # the window keeps handling events while the worker is held: the bar shows the first file merged
    qtbot.waitUntil(lambda: held.is_set() and page.progress.value() == 1, timeout=WAIT_MS)
    assert page.progress.isVisible() and page.progress.maximum() == 3 and "1/3" in page.status_label.text()
    assert threads[0] != threading.get_ident()   # the merge ran on the pool, not on the window's thread
    assert page.select_submission(page.last_results[2]["submission_id"])
    page.decide("rejected")                       # decisions wait while the job reads them
    assert "请等合并完成" in page.status_label.text()
    with ledger_2026.read() as conn:
        assert not conn.execute(select(schema.change.c.id).where(schema.change.c.decision == "rejected")).first()
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: page.job is None, timeout=WAIT_MS)
    assert "已取消合并：2 份文件已完整合并，其余 1 份未动" in page.status_label.text()
    assert page.last_merge is None and page.merge_button.isEnabled() and not page.cancel_button.isVisible()

    # the ledger holds whole files only: the file being written when 取消 came finished, the third is untouched
    sids = [r["submission_id"] for r in page.last_results]
    with ledger_2026.read() as conn:
        status = dict(conn.execute(select(schema.submission.c.id, schema.submission.c.status)
                                   .where(schema.submission.c.id.in_(sids))).all())
        per_sub = dict(conn.execute(select(schema.progress_row.c.submission_id, func.count())
                                    .group_by(schema.progress_row.c.submission_id)).all())
    units = [r["unit"] for r in page.last_results]
    assert [status[s] for s in sids] == ["merged", "merged", "staged"]
    assert per_sub == {sids[0]: rows_of[units[0]], sids[1]: rows_of[units[1]]}

    # 合并 again finishes the rest
    monkeypatch.setattr(merge_mod, "_merge_one", real)
    qtbot.mouseClick(page.merge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.job is None, timeout=WAIT_MS)
    assert page.last_merge["files"] == 1 and "已合并 1 份文件" in page.status_label.text()
