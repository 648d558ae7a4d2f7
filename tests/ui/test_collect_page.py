"""收文 page in the real window: drop files, statuses, tree of files → units → rows → fields, keyboard review, merge, exports."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from core.ledger.progress_view import progress_rows
from tests import returns_helpers as rh
from tests.core.returns.test_collect import PERIOD, answers_for
from tests.tasks_helpers import open_window
from ui.pages.collect_page import ROLE

WAIT_MS = 60000


def _files(ledger, tmp_path):
    forms = rh.generate_forms(ledger, "report", PERIOD, tmp_path / "out", unit_names=["区发展改革局", "区民政局"])
    filled = [rh.fill(Path(f["path"]), tmp_path / f"{f['unit']}.xlsx", answers_for(Path(f["path"]))) for f in forms]
    bare = rh.strip_stamp(filled[1], tmp_path / "重新录入-区民政局3月.xlsx")
    return forms, filled, bare


def _items(page):
    return list(page._iter_items())


def test_drop_review_with_keyboard_merge_and_export(qtbot, ledger_2026, tmp_path):
    forms, filled, bare = _files(ledger_2026, tmp_path)
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("collect")
    assert page.handles_drop([tmp_path]) and page.handles_drop([filled[0]]) and page.handles_drop([bare])
    junk = tmp_path / "随便.txt"
    junk.write_text("hello")
    assert not page.handles_drop([junk])
    assert window.handle_dropped([filled[0], bare])
    qtbot.waitUntil(lambda: len(page.last_results) == 2, timeout=WAIT_MS)
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
    ref = page._current_ref()
    assert ref[0] in ("change", "row", "unit", "file")
    page._select_ref(("file", sid, None))
    page.move(3)   # file → unit → row → first field
    assert page._current_ref()[0] == "change"
    first_change = page._current_ref()[2]
    qtbot.keyClick(page.tree, Qt.Key.Key_R)
    from core.returns.review import submission_detail
    decisions = {c["id"]: c["decision"] for row in submission_detail(ledger_2026, sid)["rows"] for c in row["changes"]}
    assert decisions[first_change] == "rejected"
    assert sum(1 for d in decisions.values() if d == "accepted") == len(decisions) - 1
    report = page.export_report(tmp_path / "差异报告.xlsx")
    back = page.export_return(tmp_path / "退回.xlsx")
    assert report.exists() and back.exists()
    summary = page.merge()
    assert summary["files"] == 1
    rows = progress_rows(ledger_2026, PERIOD)
    assert rows and all(r["unit"] == "区发展改革局" for r in rows)
    # the stamp-less file: confirm its identity, accept all, merge
    page.select_submission(page.last_results[1]["submission_id"])
    result = page.open_confirm(values=(_unit_id(ledger_2026, "区民政局"), "report", PERIOD))
    assert result["status"] == "staged"
    page.accept_all_in_file()
    page.merge()
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
    qtbot.waitUntil(lambda: len(page.last_results) == 1, timeout=WAIT_MS)
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
    qtbot.waitUntil(lambda: len(page.last_results) == 2, timeout=WAIT_MS)
    sid = page.last_results[1]["submission_id"]
    item = next(i for i in page._iter_items() if i.data(0, ROLE)[0] == "change" and i.data(0, ROLE)[1] == sid
                and i.data(1, ROLE)["new"] == "乙稿：完成四项")
    page.tree.setCurrentItem(item)
    text = page.view.toPlainText()
    assert "另一份" in text and "甲" in text and "乙" in text


def test_one_file_two_units_shows_each_sheet(qtbot, ledger_2026, tmp_path):
    from tests import returns_messy as mx
    _forms, filled, _bare = _files(ledger_2026, tmp_path)
    book = mx.second_unit_sheet(filled[0], filled[1], tmp_path / "两块牌子.xlsx", title="民政")
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("collect")
    page.collect_paths([book])
    qtbot.waitUntil(lambda: len(page.last_results) == 2, timeout=WAIT_MS)
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

    from tests import returns_messy as mx
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
    qtbot.waitUntil(lambda: len(page.last_results) == 2, timeout=WAIT_MS)
    assert [r["status"] for r in page.last_results] == ["staged", "blank"]
    labels = [i.text(0) for i in page._iter_items()]
    assert any("隐藏序号与任务内容不符" in t for t in labels)
    assert any("新增列的内容作为备注保存" in t for t in labels)
    page.select_submission(page.last_results[1]["submission_id"])
    assert page.tree.currentItem().text(1) == "未填写"
    assert "不计为已报" in page.view.toPlainText()
