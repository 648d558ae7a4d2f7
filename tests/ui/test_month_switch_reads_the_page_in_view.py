"""A new 工作月份 reads the page in view only (issue 31): the pages out of view take the month at once (their pickers
and quarter follow) and read it when the clerk shows them. At 630 units the reads of every built page landing together
held the window up to 0.4 s after each month switch."""
from __future__ import annotations

from tests.helpers.dashboard import WAIT_MS, wait_read
from tests.helpers.tasks import open_window


def _visit(qtbot, window, keys):
    pages = {}
    for key in keys:
        pages[key] = window.show_page(key)
        qtbot.waitUntil(lambda p=pages[key]: not p.reading, timeout=WAIT_MS)
    return pages


def test_a_month_switch_reads_the_page_in_view_and_the_others_when_shown(qtbot, ledger_2026):
    window = open_window(qtbot, ledger_2026)
    window.set_work_month("2026-03")
    pages = _visit(qtbot, window, ("collect", "reports", "dashboard"))
    dashboard, collect, reports = pages["dashboard"], pages["collect"], pages["reports"]
    assert dashboard.data["period"] == "2026-03"
    before = (collect._generation, reports._preview_runs)

    window.set_work_month("2026-05")   # 督办 in view: it reads now, the others wait
    assert dashboard.reading
    wait_read(qtbot, dashboard)
    assert dashboard.data["period"] == "2026-05"
    assert (collect._generation, reports._preview_runs) == before
    assert not collect.reading and not reports.reading
    # their choices followed at once: only the read waits
    assert reports.period == "2026-05" and reports.quarter == "2026Q2" and "第二季度" in reports.quarter_label.text()

    # a second switch before they are shown: still nothing read for them, and each reads once when shown
    window.set_work_month("2026-06")
    wait_read(qtbot, dashboard)
    assert (collect._generation, reports._preview_runs) == before
    window.show_page("reports")
    qtbot.waitUntil(lambda: not reports.reading, timeout=WAIT_MS)
    assert reports._preview_runs == before[1] + 1
    assert "2026年6月" in reports.preview_html
    window.show_page("collect")
    qtbot.waitUntil(lambda: not collect.reading, timeout=WAIT_MS)
    assert collect._generation == before[0] + 1
    assert collect.file_filter.month() == "2026-06"   # the list is the new month's
    # shown again without another switch: nothing read again
    window.show_page("reports")
    assert not reports.reading and reports._preview_runs == before[1] + 1


def test_a_page_out_of_view_and_changed_meanwhile_reads_once_with_the_new_month(qtbot, ledger_2026):
    """A write marks the hidden pages stale and a month switch asks them for a read: shown, they read once, and the
    chart in view on 通报打印 is of the new quarter."""
    from core.ledger.changes import LedgerChange
    window = open_window(qtbot, ledger_2026)
    window.set_work_month("2026-03")
    pages = _visit(qtbot, window, ("reports", "dashboard"))
    reports, dashboard = pages["reports"], pages["dashboard"]
    window.show_page("reports")
    reports.tabs.setCurrentWidget(reports.chart_tab)
    qtbot.waitUntil(lambda: not reports.reading and reports.chart_job is None, timeout=WAIT_MS)
    window.show_page("dashboard")
    wait_read(qtbot, dashboard)
    charts_before, meta_before = reports._chart_runs, reports._meta_runs

    window.ctx.notify(LedgerChange.everything())   # e.g. a merge on another page
    window.set_work_month("2026-07")               # another quarter
    wait_read(qtbot, dashboard)
    assert (reports._chart_runs, reports._meta_runs) == (charts_before, meta_before)
    window.show_page("reports")
    qtbot.waitUntil(lambda: not reports.reading, timeout=WAIT_MS)
    assert reports._meta_runs == meta_before + 1          # read once, as a refresh
    assert reports._chart_runs == charts_before + 1       # the chart of 2026Q3, once
    assert reports.quarter == "2026Q3" and "2026年7月" in reports.preview_html
