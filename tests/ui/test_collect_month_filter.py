"""Issue 29 point 2: 收文 opens on the 工作月份 with a month and a status filter (待审核 / 有标记 / 已合并 / 全部),
files with flagged rows first, names elided in the middle with the whole name in the tooltip, and every column of
the list in view on a 1366×768 screen."""
from __future__ import annotations

from pathlib import Path

from tests.helpers import returns as rh
from tests.helpers.tasks import open_window
from tests.helpers.collect import wait_list

UNITS = ["区发展改革局", "区民政局", "区市场监管局"]
LACKING = "项目资金尚未到位，部分子项目前期手续办理周期较长，影响整体推进进度。"


def answers(path: Path, month: int, flagged: bool) -> dict:
    out = {}
    for i, key in enumerate(rh.row_keys(path)):
        out[key] = {"done": (f"{month}月，一是细化工作方案，明确责任分工和时间节点，建立周调度、月通报工作机制；"
                             f"二是加强部门协同，开展现场督导{i + 2}次，协调解决具体问题{i + 3}个；三是强化要素保障，"
                             f"落实专项资金{(i + 1) * 50}万元，完成阶段目标任务的{month * 8}%，各项工作按计划有序推进。"),
                    "problems": "无", "next_steps": "下一步，将加快推进，确保按期完成，及时协调解决推进中的困难和问题。",
                    "on_track": "是"}
    if flagged:   # 填“是”但存在问题写明资金尚未到位: the grid flags the row
        out[next(iter(out))].update(problems=LACKING)
    return out


def collect_month(qtbot, page, ledger, tmp_path, month: int, flagged_unit: str | None) -> list[dict]:
    period = f"2026-{month:02d}"
    forms = rh.generate_forms(ledger, "report", period, tmp_path / f"out{month}", unit_names=UNITS)
    long_name = "（经分管领导审核同意后报送，请督查室查收）"   # units name their files at length
    filled = [rh.fill(Path(f["path"]), tmp_path / f"{f['unit']}-{month}月落实情况表{long_name}.xlsx",
                      answers(Path(f["path"]), month, f["unit"] == flagged_unit)) for f in forms]
    page.last_results = []
    page.collect_paths(filled)
    qtbot.waitUntil(lambda: page.job is None and len(page.last_results) == len(UNITS) and not page.reading, timeout=60000)
    assert {r["status"] for r in page.last_results} == {"staged"}
    return page.last_results


def test_collect_opens_on_the_work_month_flagged_first_all_columns_in_view(qtbot, ledger_2026, tmp_path):
    window = open_window(qtbot, ledger_2026)
    window.resize(1366, 768)
    window.ctx.set_work_month("2026-11")
    page = window.show_page("collect")
    october = collect_month(qtbot, page, ledger_2026, tmp_path, 10, None)
    page.tree.setFocus()
    from core.returns.merge import merge
    from core.returns.review import set_file_decision
    for r in october:
        set_file_decision(ledger_2026, r["submission_id"], "accepted")
    merge(ledger_2026, [r["submission_id"] for r in october])
    november = collect_month(qtbot, page, ledger_2026, tmp_path, 11, "区市场监管局")

    # the page as the clerk opens it again: the 工作月份, flagged file first
    window.show_page("tasks")
    page.refresh()
    wait_list(qtbot, page)
    assert page.file_filter.month_combo.currentText() == "2026年11月（工作月份）"
    shown = [page.tree.topLevelItem(i) for i in range(page.tree.topLevelItemCount())]
    ids = [item.data(0, 0x0100)[1] for item in shown]
    assert sorted(ids) == sorted(r["submission_id"] for r in november)          # not October's
    assert "区市场监管局" in shown[0].text(0) and not shown[0].icon(0).isNull()   # flagged first
    rest = ids[1:]
    assert rest == sorted(rest, reverse=True)                                    # then newest first
    # names: the middle elided, the whole in the tooltip; every column in view
    tree = page.tree
    assert shown[0].toolTip(0).startswith(shown[0].text(0))
    right = tree.header().sectionPosition(2) + tree.header().sectionSize(2)
    assert right <= tree.viewport().width(), (right, tree.viewport().width())
    assert tree.header().sectionSize(2) >= tree.fontMetrics().horizontalAdvance("变化")
    assert tree.header().sectionSize(1) >= tree.fontMetrics().horizontalAdvance("待审核")
    # 状态 is sized to the rows in view (issue 31: not to a thousand rows on every selection): theirs fit
    in_view = [item for item in tree.iter_items() if not tree.visualItemRect(item).isEmpty()]
    assert in_view and all(tree.header().sectionSize(1) >= tree.fontMetrics().horizontalAdvance(item.text(1))
                           for item in in_view)
    assert tree.header().resizeContentsPrecision() == 0
    assert tree.header().sectionSize(0) >= 160   # the name column keeps a readable width

    # the status filter
    page.file_filter.set_filter(status="flagged")
    wait_list(qtbot, page)
    assert [tree.topLevelItem(i).data(0, 0x0100)[1] for i in range(tree.topLevelItemCount())] == [ids[0]]
    page.file_filter.set_filter(month="2026-10", status="merged")
    wait_list(qtbot, page)
    assert sorted(tree.topLevelItem(i).data(0, 0x0100)[1] for i in range(tree.topLevelItemCount())) == \
        sorted(r["submission_id"] for r in october)
    page.file_filter.set_filter(month="", status="all")
    wait_list(qtbot, page)
    assert tree.topLevelItemCount() == 6
    assert page.file_filter.count_label.text() == "6/6 份"

    # the read guesses the files the filter will show (off the window's thread); a filter changed meanwhile wins
    from ui.pages.collect.list_read import Wanted, read_list
    read = read_list(ledger_2026, Wanted(2026, "2026-11", "flagged", "2026-11", None))
    assert [s["id"] for s in read.listed] == [ids[0]] and read.listed_for == ("2026-11", "flagged")
    page.file_filter.set_filter(month="2026-11", status="all")
    wait_list(qtbot, page)
    assert sorted(s["id"] for s in page.file_filter.apply(read.subs, read.months, read)) == sorted(ids)
    page.file_filter.set_filter(status="flagged")
    wait_list(qtbot, page)
    assert page.file_filter.apply(read.subs, read.months, read) is read.listed   # the guess was right: used as is
