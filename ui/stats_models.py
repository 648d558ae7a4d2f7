"""A read-only table of plain rows for the 统计 page: sorts numbers as numbers, first column an id kept out of view.

The rows sort themselves in Python (`RowsModel.sort`, one key per row): a proxy sorting them asked the model for two
values per comparison, 25,000 calls into Python for 630 units' rows (0.1–0.2 s of the window's thread). The proxies
here filter only and hand a sort to their source."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt


class RowsModel(QAbstractTableModel):
    """rows: [id, value, value, …]; headers name the values."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.headers: list[str] = []
        self.rows: list[list] = []   # in view order

        self._read: list[list] = []   # the rows in the order they were read (sort column -1)
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)

    def set_rows(self, headers: list[str], rows: list[list]) -> None:
        self.beginResetModel()
        self.headers, self._read = headers, rows
        self.rows = self._sorted(*self._sort)
        self.endResetModel()

    def _sorted(self, column: int, order: Qt.SortOrder) -> list[list]:
        if column < 0 or column >= len(self.headers):
            return list(self._read)
        return sorted(self._read, key=lambda row: sort_key(row[column + 1]),
                      reverse=order == Qt.SortOrder.DescendingOrder)   # stable both ways, as Qt's proxy sorts

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """By a column's values (numbers as numbers; -1: as read), keeping the selection on its rows."""
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        new = self._sorted(column, order)
        where = {id(row): i for i, row in enumerate(new)}
        moved = [self.index(where[id(self.rows[index.row()])], index.column()) for index in old]
        self.rows = new
        self.changePersistentIndexList(old, moved)
        self.layoutChanged.emit()

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
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, (int, float)):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if section < len(self.headers) else None
        return None


def sort_key(value) -> tuple:
    """Numbers by value, text by code point, nothing last (as Qt's proxy compared a column's values)."""
    if value is None:
        return (2, 0)
    if isinstance(value, (int, float)):
        return (0, value)
    return (1, str(value))


class SourceSorted(QSortFilterProxyModel):
    """A view's sort goes to the RowsModel beneath (the proxy never sorts, so it never asks Python per comparison)."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        assert isinstance(model, RowsModel)
        model.sort(column, order)


class KindFilter(SourceSorted):
    """Keeps the rows whose kind column (`kind_column`) is the chosen kind ("" = all); sorts by value."""

    def __init__(self, kind_column: int, parent=None):
        super().__init__(parent)
        self.kind_column = kind_column
        self.kind = ""

    def set_kind(self, kind: str) -> None:
        self.kind = kind
        self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent) -> bool:
        model = self.sourceModel()
        assert isinstance(model, RowsModel)
        return not self.kind or model.rows[row][self.kind_column + 1] == self.kind
