"""A read-only table of plain rows for the 统计 page: sorts numbers as numbers, first column an id kept out of view."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

SORT_ROLE = Qt.ItemDataRole.UserRole + 1


class RowsModel(QAbstractTableModel):
    """rows: [id, value, value, …]; headers name the values."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.headers: list[str] = []
        self.rows: list[list] = []

    def set_rows(self, headers: list[str], rows: list[list]) -> None:
        self.beginResetModel()
        self.headers, self.rows = headers, rows
        self.endResetModel()

    def rowCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.headers)

    def row_id(self, row: int):
        return self.rows[row][0]

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        value = self.rows[index.row()][index.column() + 1]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{value:g}" if isinstance(value, float) else str(value)
        if role == SORT_ROLE:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, (int, float)):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if section < len(self.headers) else None
        return None


class KindFilter(QSortFilterProxyModel):
    """Sorts by value; keeps the rows whose kind column (`kind_column`) is the chosen kind ("" = all)."""

    def __init__(self, kind_column: int, parent=None):
        super().__init__(parent)
        self.kind_column = kind_column
        self.kind = ""
        self.setSortRole(SORT_ROLE)

    def set_kind(self, kind: str) -> None:
        self.kind = kind
        self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent) -> bool:
        model = self.sourceModel()
        assert isinstance(model, RowsModel)
        return not self.kind or model.rows[row][self.kind_column + 1] == self.kind
