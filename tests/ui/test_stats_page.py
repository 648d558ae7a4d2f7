"""统计 in the real window: the unit table sorts by any column and filters by unit kind, a click opens the unit's
months with the 督办 state of each and its deductions, 考评 ranks, the charts draw, a changed rule recomputes."""
from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt

from core.ledger import settings
from core.ledger.changes import Area, LedgerChange
from core.tracking.states import submission_matrix
from tests.helpers import tracking as th
from tests.helpers.review_grid import UNIT, make_may
from tests.helpers.tasks import open_window

TODAY = date(2026, 6, 20)
LATE, MISSING = "区财政局", "区教育体育局"


def _open(qtbot, ledger):
    window = open_window(qtbot, ledger)
    page = window.page_widgets["stats"]
    page.today = TODAY
    with qtbot.waitSignal(page.loaded, timeout=60_000):
        window.show_page("stats")
    return window, page


def _column(model, header: str) -> int:
    return next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == header)


def test_the_stats_page_sorts_filters_and_opens_a_unit(qtbot, ledger_2026, tmp_path):
    make_may(ledger_2026, tmp_path)
    cid = th.campaign_id(ledger_2026)
    late, missing = th.unit_id(ledger_2026, LATE), th.unit_id(ledger_2026, MISSING)
    th.dispatch(ledger_2026, cid, "report", "2026-05", [late, missing])
    th.submit(ledger_2026, cid, late, "report", "2026-05", datetime(2026, 6, 19, 9, 30))   # 9 working days late
    th.dispatch(ledger_2026, cid, "report", "2026-04", [late])
    th.submit(ledger_2026, cid, late, "report", "2026-04", datetime(2026, 5, 20, 9, 30))   # and April's, late too
    window, page = _open(qtbot, ledger_2026)
    assert "pandas" not in page.__class__.__module__
    view, proxy = page.unit_view, page.unit_proxy
    units = {proxy.index(r, 0).data() for r in range(proxy.rowCount())}
    assert {UNIT, LATE, MISSING} <= units

    col = _column(proxy, "未报")
    view.sortByColumn(col, Qt.SortOrder.DescendingOrder)
    assert proxy.index(0, 0).data() == MISSING and proxy.index(0, col).data() == "1"
    col = _column(proxy, "逾期工作日合计")
    view.sortByColumn(col, Qt.SortOrder.DescendingOrder)
    values = [int(proxy.index(r, col).data()) for r in range(proxy.rowCount())]
    # numbers sort as numbers (“9” before “17” would be text order)
    assert values == sorted(values, reverse=True) and values[0] >= 10 > values[1]

    page.kind_combo.setCurrentIndex(page.kind_combo.findData("街道"))
    kinds = {proxy.index(r, 1).data() for r in range(proxy.rowCount())}
    assert kinds == {"街道"} and proxy.rowCount() < len(units)
    page.kind_combo.setCurrentIndex(0)

    # a click opens the unit's months: each state is the 督办 matrix's
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 0).data() == MISSING)
    view.clicked.emit(proxy.index(row, 0))
    months = {page.month_model.rows[r][2]: page.month_model.rows[r][3] for r in range(page.month_model.rowCount())}
    matrix = submission_matrix(ledger_2026, cid, ["2026-05"], TODAY, forms=("report",))
    assert months["2026-05"] == next(r["state"] for r in matrix if r["unit"] == MISSING)
    assert MISSING in page.unit_title.text() and "未报（逾期" in page.deductions.toPlainText()

    # 考评: ranked best first, the rules under it; the charts draw
    score = page.score_proxy
    ranks = [int(score.index(r, 0).data()) for r in range(score.rowCount())]
    assert ranks == sorted(ranks) and "考评规则：基础分 100 分" in page.rules_label.text()
    page.tabs.setCurrentIndex(2)
    for label, rows in ((page.trend_chart, page.stats.trend_rows), (page.area_chart, page.stats.area_rows)):
        # drawn for the months most tasks reported; here only one unit has reported, so it says why there is none
        assert not label.pixmap().isNull() if rows else "暂不绘图" in label.text()

    # a changed rule recomputes when the ledger says settings changed
    settings.save_settings(ledger_2026, settings={"kaoping_rules": {"missing": 10}})
    with qtbot.waitSignal(page.loaded, timeout=60_000):
        window.ctx.notify(LedgerChange.of(Area.SETTINGS))   # what a saved 设置 announces
    row = next(r for r in page.stats.score_rows if r[2] == MISSING)
    assert row[4] == 100 - 10 - sum(1 for x in page.stats.stats.deductions.itertuples()
                                    if x.unit == MISSING and x.item == "behind")
    assert "逾期未报每表扣 10 分" in page.rules_label.text()


def test_settings_edit_the_kaoping_rules_and_the_office_name(qtbot, ledger_2026):
    from ui.settings_dialog import SettingsDialog
    dialog = SettingsDialog(ledger_2026)
    qtbot.addWidget(dialog)
    assert dialog.kaoping["missing"].value() == settings.DEFAULT_KAOPING["missing"]   # the declared default shown
    dialog.fit_to(728)   # a 1366×768 screen less its taskbar (the offscreen test screen is another size)
    assert dialog.sizeHint().height() + 30 <= 728   # its title bar included, whatever CJK font the PC has
    dialog.kaoping["missing"].setValue(3)
    dialog.kaoping["copied"].setValue(0.5)
    dialog.office_name.setText("某区人民政府督查室")
    dialog.accept()
    rules = settings.kaoping_rules(ledger_2026)
    assert rules["missing"] == 3 and rules["copied"] == 0.5 and rules["late"] == settings.DEFAULT_KAOPING["late"]
    assert settings.office_name(ledger_2026) == "某区人民政府督查室"


def test_the_stats_page_shows_year_over_year_once_the_ledger_holds_several_years(qtbot, ledger_2026):
    """One year: no 历年对比 tab. Two more years added (the 2025 立项表 naming 区发展改革局 by its 简称 区发改局):
    the tab comes, filled in the background after the year's figures, each year as core.stats.years counts it and
    the unit on one row across the years under its current name."""
    from core.stats.years import year_over_year
    from core.units.edit import add_unit_alias
    from tests.core.stats.test_stats_years import OLD_NAME, UNIT, _import_2025_under_old_name
    from tests.helpers.years import pad_years

    window = open_window(qtbot, ledger_2026)
    page = window.page_widgets["stats"]
    page.today = TODAY
    with qtbot.waitSignal(page.years_loaded, timeout=60_000):
        window.show_page("stats")
    assert page.years is None and page.tabs.indexOf(page.years_box) == -1

    add_unit_alias(ledger_2026, th.unit_id(ledger_2026, UNIT), OLD_NAME)
    _import_2025_under_old_name(ledger_2026)
    pad_years(ledger_2026, years=1, last=2024)
    uid = th.unit_id(ledger_2026, UNIT)
    for year, received in ((2024, datetime(2024, 5, 30, 10)), (2025, datetime(2025, 5, 20, 10)),
                           (2026, datetime(2026, 5, 6, 10))):   # late, late, on time
        cid = th.campaign_id(ledger_2026, year)
        th.dispatch(ledger_2026, cid, "report", f"{year}-04", [uid])
        th.submit(ledger_2026, cid, uid, "report", f"{year}-04", received)
    with qtbot.waitSignal(page.loaded, timeout=60_000), qtbot.waitSignal(page.years_loaded, timeout=120_000):
        window.ctx.notify(LedgerChange.of(Area.CAMPAIGN))
    assert page.tabs.tabText(page.tabs.indexOf(page.years_box)) == "历年对比"
    page.tabs.setCurrentWidget(page.years_box)   # the tables take the width; a unit's months come back with its tabs
    assert page.detail.isHidden()
    page.tabs.setCurrentIndex(0)
    assert not page.detail.isHidden()
    table, per_unit = year_over_year(ledger_2026, TODAY)
    model = page.years_box.years_model
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["2024", "2025", "2026"]
    for r, row in enumerate(table.to_dict("records")):
        for key in ("units", "tasks", "forms_due", "on_time", "late", "missing"):
            col = _column(model, {"units": "责任单位", "tasks": "任务", "forms_due": "应报表数", "on_time": "按时报送",
                                  "late": "逾期报送", "missing": "未报"}[key])
            assert model.index(r, col).data() == str(row[key]), (row["year"], key)
    assert model.index(1, _column(model, "逾期报送")).data() == "1"
    share = model.index(2, _column(model, "按时率")).data()
    assert share.endswith("%") and float(share[:-1]) == round(table.loc[2, "on_time_share"] * 100, 1)

    units = page.years_box.unit_years_proxy
    names = [units.index(r, 0).data() for r in range(units.rowCount())]
    assert UNIT in names and OLD_NAME not in names
    row = names.index(UNIT)
    assert [units.index(row, _column(units, f"{y}年")).data() for y in (2024, 2025, 2026)] == ["1", "1", "0"]
    assert per_unit.loc[UNIT, 2025] == 1
    total = _column(units, "合计")
    page.years_box.unit_years_view.sortByColumn(total, Qt.SortOrder.DescendingOrder)
    totals = [int(units.index(r, total).data()) for r in range(units.rowCount())]
    assert totals == sorted(totals, reverse=True)
