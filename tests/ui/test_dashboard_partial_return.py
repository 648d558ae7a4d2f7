"""督办 in the real window: a file sent back in part shows 退回待改 (purple, “退回 N 行待改”) on its cell and tile."""
from datetime import date

from PySide6.QtCore import Qt

from core.returns.review import set_file_decision, set_row_decision
from core.returns.review_grid import build_grid
from core.returns.send_back import send_back
from tests.helpers.review_grid import UNIT, make_may
from tests.helpers.dashboard import wait_read
from tests.helpers.tasks import open_window
from ui.pages.dashboard.models import STATE_COLORS


def test_a_partly_returned_file_is_purple_and_counted_as_returned(qtbot, ledger_2026, tmp_path):
    sid, *_ = make_may(ledger_2026, tmp_path)
    set_file_decision(ledger_2026, sid, "accepted")
    for row in build_grid(ledger_2026, sid).rows[:3]:
        set_row_decision(ledger_2026, sid, row.task_id, "rejected")
    send_back(ledger_2026, sid, tmp_path / "发件箱")
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("dashboard")
    page.set_today(date(2026, 6, 10))
    page.set_period("2026-05")
    wait_read(qtbot, page)   # the month is read in the background
    assert int(page.tile_labels["退回待改"].text()) == 1
    m = page.matrix_model
    row = next(i for i, (_uid, name) in enumerate(m.units) if name == UNIT)
    col = next(c for c in range(1, m.columnCount()) if (cell := m.cell(row, c)) and cell["period"] == "2026-05")
    index = m.index(row, col)
    assert m.data(index, Qt.ItemDataRole.DisplayRole).startswith("退回 3 行待改（")
    assert m.data(index, Qt.ItemDataRole.BackgroundRole).color().name().upper() == STATE_COLORS["returned"]
    assert m.data(index, Qt.ItemDataRole.UserRole) == "returned"
