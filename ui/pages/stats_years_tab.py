"""统计 page's 历年对比 tab: one row per campaign year, and each unit's late or missing forms year by year (sortable)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableView, QVBoxLayout, QWidget

from ..stats_models import RowsModel, SourceSorted


def table_view(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(24)
    view.setWordWrap(False)
    return view


class YearsTab(QWidget):
    """The tables core.stats.page.page_years fills; shown by the 统计 page while the ledger holds two years or more."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.years_model, self.unit_years_model = RowsModel(self), RowsModel(self)
        self.unit_years_proxy = SourceSorted(self)
        self.unit_years_proxy.setSourceModel(self.unit_years_model)
        self.years_view, self.unit_years_view = table_view(self.years_model), table_view(self.unit_years_proxy)
        self.unit_years_view.setSortingEnabled(True)
        self.title = QLabel("各年度报送与推进情况（全部立项年度）")
        unit_title = QLabel("各单位逐年逾期和未报表数（单位按台账目录合并各年名称，曾用名、简称计入同一单位）")
        unit_title.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.years_view, 2)
        layout.addWidget(unit_title)
        layout.addWidget(self.unit_years_view, 3)

    def fill(self, years) -> None:
        """The year table as tall as its years (up to twelve), the units below; None empties both."""
        if years is None:
            self.years_model.set_rows([], [])
            self.unit_years_model.set_rows([], [])
            return
        self.title.setText(f"各年度报送与推进情况（{years.rows[0][0]}—{years.rows[-1][0]}年，共 {len(years.rows)} 年）")
        self.years_model.set_rows(years.headers, years.rows)
        shown = min(len(years.rows), 12)
        self.years_view.setMaximumHeight(self.years_view.horizontalHeader().sizeHint().height() + 24 * shown + 6)
        self.unit_years_model.set_rows(years.unit_headers, years.unit_rows)
        self.unit_years_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.unit_years_proxy.sort(-1)
        for view, first in ((self.years_view, 52), (self.unit_years_view, 170)):
            metrics = view.horizontalHeader().fontMetrics()
            for col in range(view.model().columnCount()):
                header = str(view.model().headerData(col, Qt.Orientation.Horizontal))
                view.setColumnWidth(col, first if col == 0 else max(44, metrics.horizontalAdvance(header) + 22))
