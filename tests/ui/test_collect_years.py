"""收文 on a ten-year ledger (issue 31): the list reads the 工作月份's year of files, the month list still offers every
year, and choosing a month of another year (or opening one of its files from elsewhere) reads that year."""
from __future__ import annotations

from core.returns.review import list_submissions
from tests.helpers.backup import fill_quarter
from tests.helpers.tasks import open_window
from tests.helpers.years import age_files
from tests.helpers.collect import wait_list


def _shown_ids(page) -> list[int]:
    tree = page.tree
    return sorted(tree.topLevelItem(i).data(0, 0x0100)[1] for i in range(tree.topLevelItemCount()))


def test_collect_reads_one_year_and_reaches_the_others(qtbot, ledger_2026):
    fill_quarter(ledger_2026)   # 2026-01…03 files, merged
    age_files(ledger_2026, range(2017, 2026))
    everything = list_submissions(ledger_2026)
    window = open_window(qtbot, ledger_2026)
    window.resize(1366, 768)
    window.ctx.set_work_month("2026-03")
    page = window.show_page("collect")
    wait_list(qtbot, page)
    assert page.file_filter.year() == 2026
    assert {s["period"][:4] for s in page._subs} == {"2026"}   # one year read, not ten
    assert len(page._subs) * 10 == len(everything)
    combo = page.file_filter.month_combo
    months = [combo.itemData(i) for i in range(combo.count())]
    assert "2017-02" in months and "2026-03" in months and combo.itemText(0) == "2026年全部月份"

    # a month of 2019: that year's files are read and shown
    combo.setCurrentIndex(combo.findData("2019-02"))
    combo.activated.emit(combo.currentIndex())
    wait_list(qtbot, page)
    assert page.file_filter.year() == 2019 and {s["period"][:4] for s in page._subs} == {"2019"}
    assert _shown_ids(page) == sorted(s["id"] for s in everything if s["period"] == "2019-02")
    assert combo.itemText(0) == "2019年全部月份"

    # 全部月份 of that year, then the 工作月份 again
    page.file_filter.set_filter(month="", status="all")
    wait_list(qtbot, page)
    assert _shown_ids(page) == sorted(s["id"] for s in everything if s["period"].startswith("2019"))
    window.ctx.set_work_month("2026-02")
    wait_list(qtbot, page)
    assert page.file_filter.year() == 2026 and {s["period"][:4] for s in page._subs} == {"2026"}

    # a file of 2021 opened from elsewhere (督办, 台账): its year is read and the file selected
    old = next(s for s in everything if s["period"] == "2021-03")
    assert page.select_submission(old["id"])
    wait_list(qtbot, page)
    assert page.file_filter.year() == 2021 and page.current_submission() == old["id"]
