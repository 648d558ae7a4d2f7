"""Selecting and revealing one source-model row in a table view that shows it through a filter proxy."""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel


def select_source_index(table, proxy, source_index) -> bool:
    """Make the row of `source_index` current, selected and visible; False when the filter hides it."""
    index = proxy.mapFromSource(source_index)
    if not index.isValid():
        return False
    table.selectionModel().setCurrentIndex(
        index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    table.scrollTo(index)
    return True
