"""Qt's own QAbstractItemModelTester on every table model of the window (ui/*_model*.py), fed the real 2026 ledger:
the structure, the roles, the headers and each reset and edit must follow Qt's model rules."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QtMsgType, Qt, qInstallMessageHandler
from PySide6.QtTest import QAbstractItemModelTester

from tests.helpers.dashboard import wait_read
from tests.helpers.tasks import WAIT_MS, open_window
from tests.helpers.tracking import assigned_units, campaign_id, dispatch, submit


@pytest.fixture
def model_failures():
    """Qt's tester reports a broken rule as a warning starting "FAIL!"; collect them (and pass the rest on)."""
    failures: list[str] = []

    def handler(kind, _context, message):
        if kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg) and "FAIL" in message:
            failures.append(message)
    previous = qInstallMessageHandler(handler)
    yield failures
    qInstallMessageHandler(previous)


def _tested(model):
    return QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)


def _ledger_with_returns(led):
    cid = campaign_id(led)
    units = assigned_units(led, cid)
    for form, period in (("plan", "2026"), ("report", "2026-02"), ("report", "2026-03")):
        dispatch(led, cid, form, period, units)
    for n, u in enumerate(units):
        submit(led, cid, u, "plan", "2026", datetime(2026, 3, 5, 9))
        if n % 4:
            submit(led, cid, u, "report", "2026-03", datetime(2026, 4, 7 + n % 3, 9), "returned" if n % 7 == 0 else "merged")


def test_dashboard_models(qtbot, ledger_2026, model_failures):
    _ledger_with_returns(ledger_2026)
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("dashboard")
    testers = [_tested(m) for m in (page.matrix_model, page.matrix_proxy, page.task_model, page.light_proxy)]
    page.set_today(date(2026, 4, 13))
    page.set_period("2026-03")                     # both models reset with the month's data
    wait_read(qtbot, page)                         # (read in the background)
    assert page.matrix_model.rowCount() > 10 and page.task_model.rowCount() == 118
    page.light_proxy.set_light("red")
    page.light_proxy.set_light("")
    page.matrix_view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    page.set_period("2026-02")
    wait_read(qtbot, page)
    assert testers and model_failures == []


def test_task_and_unit_models(qtbot, ledger_2026, model_failures):
    window = open_window(qtbot, ledger_2026)
    tasks = window.show_page("tasks")
    testers = [_tested(tasks.model), _tested(tasks.proxy)]
    tasks.refresh()
    tasks.set_filters(kind="livelihood")
    tasks.set_filters(kind=None, search="养老")
    assert tasks.proxy.rowCount() >= 1
    units = window.show_page("units")
    testers += [_tested(units.model), _tested(units.proxy)]
    units.refresh()
    qtbot.waitUntil(lambda: not units.reading, timeout=WAIT_MS)   # 单位 reads in the background
    from ui.unit_table_model import COL_PHONE
    index = units.model.index(0, COL_PHONE)
    assert units.model.setData(index, "0531-88886666", Qt.ItemDataRole.EditRole)   # an edit: dataChanged checked too
    assert model_failures == []


def test_draft_model(qtbot, ledger_2026, model_failures):
    from tests.helpers.draft import open_draft_page
    window, page = open_draft_page(qtbot, ledger_2026)
    tester = _tested(page.model)
    page.model.reset()
    assert page.model.rowCount() > 20 and tester is not None
    assert model_failures == []
