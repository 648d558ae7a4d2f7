"""统计's tables sort their own rows (issue 31): numbers as numbers, text by code point, ties in the order read both
ways, -1 back to the order read, a kind filter kept, the selected row still selected after a sort and after new rows
of the same order — and no proxy asks Python for values per comparison (630 units' rows took 0.1–0.2 s that way)."""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt

from ui.stats_models import KindFilter, RowsModel
from ui.pages.stats_years_tab import table_view

HEADERS = ["单位", "类别", "逾期"]
ROWS = [[1, "区民政局", "区直部门", 9], [2, "区财政局", "区直部门", 17], [3, "城关街道", "街道", 9],
        [4, "区教育局", "区直部门", None], [5, "东城街道", "街道", 0], [6, "区卫健局", "区直部门", 17]]


class Counting(RowsModel):
    """Counts what the proxy asks of the rows while sorting."""
    asked = 0

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        Counting.asked += 1
        return super().data(index, role)


def _shown(proxy, column=0) -> list:
    return [proxy.data(proxy.index(r, column)) for r in range(proxy.rowCount())]


def test_rows_sort_themselves_and_the_filter_and_selection_follow(qtbot):
    model = Counting()
    proxy = KindFilter(1)
    proxy.setSourceModel(model)
    view = table_view(proxy)
    qtbot.addWidget(view)
    view.setSortingEnabled(True)
    model.set_rows(HEADERS, [list(r) for r in ROWS])
    Counting.asked = 0
    view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    view.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert proxy.sortColumn() == -1 and Counting.asked == 0   # the proxy never sorted: nothing asked per comparison
    view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    # 17 > 9, ties as read; nothing is above every number (as Qt's proxy had it)
    assert _shown(proxy) == ["区教育局", "区财政局", "区卫健局", "区民政局", "城关街道", "东城街道"]
    assert _shown(proxy, 2) == ["None", "17", "17", "9", "9", "0"]
    view.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert _shown(proxy) == ["东城街道", "区民政局", "城关街道", "区财政局", "区卫健局", "区教育局"]

    # the kind filter stays on a sorted table; the selected row stays selected through a sort
    proxy.set_kind("街道")
    assert _shown(proxy) == ["东城街道", "城关街道"]
    proxy.set_kind("")
    row = _shown(proxy).index("区财政局")
    view.selectionModel().setCurrentIndex(proxy.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)   # text by code point
    assert _shown(proxy) == sorted(r[1] for r in ROWS)
    assert proxy.data(view.currentIndex()) == "区财政局"

    # new rows keep the clerk's order; -1 is the order read
    model.set_rows(HEADERS, [list(r) for r in reversed(ROWS)])
    assert _shown(proxy) == sorted(r[1] for r in ROWS)
    proxy.sort(-1)
    assert _shown(proxy) == [r[1] for r in reversed(ROWS)]
