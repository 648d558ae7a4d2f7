"""Fitting a table's columns to its width: some columns a set number of characters wide, the rest sharing what is left."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QTableView


class ColumnFitter(QObject):
    """fixed: {column: width in characters}; flexible: {column: (weight, minimum characters)}. Refits when the
    table's width changes, so every column shows without a horizontal scroll bar whenever the minimums allow it."""

    def __init__(self, table: QTableView, fixed: dict[int, float], flexible: dict[int, tuple[float, float]]):
        super().__init__(table)
        self.table, self.fixed, self.flexible = table, fixed, flexible
        self._width: tuple[int, int] = (-1, -1)
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        width = self.table.viewport().width()
        em = self.table.fontMetrics().horizontalAdvance("中")
        if (width, em) == self._width or width <= 0:
            return
        self._width = (width, em)
        widths = {col: int(chars * em + 12) for col, chars in self.fixed.items()}
        left = width - sum(widths.values())
        minimums = {col: int(m * em + 12) for col, (_w, m) in self.flexible.items()}
        total_weight = sum(w for w, _m in self.flexible.values()) or 1
        if left <= sum(minimums.values()):   # a narrow screen: everything a little narrower, still no scroll bar
            widths.update(minimums)
            scale = width / sum(widths.values())
            widths = {col: int(w * scale) for col, w in widths.items()}
        else:
            spare = left - sum(minimums.values())
            for col, (weight, _m) in self.flexible.items():
                widths[col] = minimums[col] + int(spare * weight / total_weight)
        for col, w in widths.items():
            self.table.setColumnWidth(col, w)
        # the header keeps each section at least its minimum (bold titles, padding): the widest flexible column
        # gives back what that added
        excess = sum(self.table.columnWidth(c) for c in widths) - width
        if excess > 0 and self.flexible:
            widest = max(self.flexible, key=self.table.columnWidth)
            self.table.setColumnWidth(widest, max(self.table.columnWidth(widest) - excess, 1))
