"""Table models for the 督办 page: the unit × period submission matrix and the task list, coloured by state and light."""
from __future__ import annotations

from typing import cast

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from core.tracking.dashboard_view import (
    LIGHT_COLORS, LightRow, MatrixGrid, cell_tip, latest_text, period_label,
)
from core.tracking.states import STATE_COLORS, MatrixRow

__all__ = ["LIGHT_COLORS", "STATE_COLORS", "latest_text", "period_label", "MatrixModel", "TaskLightModel",
           "LightFilterProxy"]

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()   # the invalid index: a table's only parent
EMPTY_GRID = MatrixGrid([], [], {}, [], [], [], True)
_brushes: dict[str, QBrush] = {}


def brush(colour: str) -> QBrush:
    """One brush per colour, made once."""
    made = _brushes.get(colour)
    if made is None:
        made = _brushes[colour] = QBrush(QColor(colour))
    return made


def make_brushes() -> None:
    """The brushes of every state and light, made ahead: the page's background read calls this, so the first
    QBrush of the run (PySide sets up its enums then, ~60 ms) is not made on the window's thread. QBrush and QColor
    are plain values Qt lets any thread make."""
    if not _brushes:
        for colour in (*STATE_COLORS.values(), *LIGHT_COLORS.values()):
            brush(colour)


class MatrixModel(QAbstractTableModel):
    """Rows: units in directory order; columns: 单位, 计划表, each month, and (when ranking is allowed) 逾期次数.

    It shows a `core.tracking.dashboard_view.MatrixGrid`, whose texts and colours were made in the background read:
    data() looks them up (a tooltip is made for the one cell the pointer rests on)."""

    COL_UNIT = 0

    def __init__(self, parent=None):
        super().__init__(parent)
        self.grid = EMPTY_GRID

    @property
    def units(self) -> list[tuple[int, str]]:
        return self.grid.units

    @property
    def columns(self) -> list[tuple[str, str]]:  # (form, period)
        return self.grid.columns

    @property
    def cells(self) -> dict[tuple[int, str, str], MatrixRow]:  # (unit_id, form, period) → its row
        return self.grid.cells

    @property
    def show_late_count(self) -> bool:
        return self.grid.show_late_count

    def set_grid(self, grid: MatrixGrid) -> None:
        self.beginResetModel()
        self.grid = grid
        self.endResetModel()

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.grid.units)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else 1 + len(self.grid.columns) + (1 if self.grid.show_late_count else 0)

    def late_count_column(self) -> int | None:
        return 1 + len(self.grid.columns) if self.grid.show_late_count else None

    def cell(self, row: int, col: int) -> MatrixRow | None:
        grid = self.grid
        if not 0 <= row < len(grid.units) or not 1 <= col <= len(grid.columns):
            return None
        form, period = grid.columns[col - 1]
        return grid.cells.get((grid.units[row][0], form, period))

    def late_count(self, row: int) -> int:
        count = self.grid.texts[row][-1] if self.grid.show_late_count else 0
        return count if isinstance(count, int) else 0

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        units, columns = self.grid.units, self.grid.columns
        if orientation == Qt.Orientation.Vertical:  # the unit as row label: it stays put while months scroll
            return units[section][1] if 0 <= section < len(units) else None
        if section == 0:
            return "责任单位"
        if section <= len(columns):
            return period_label(*columns[section - 1])
        return "逾期次数"

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        grid, row, col = self.grid, index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return grid.texts[row][col]
        if col == 0:
            return None
        if col > len(grid.columns):   # 逾期次数
            return grid.texts[row][col] if role == Qt.ItemDataRole.UserRole else None
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = grid.colours[row][col]
            return brush(colour) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole:
            cell = self.cell(row, col)
            return cell_tip(cell) if cell else None
        if role == Qt.ItemDataRole.UserRole:
            return grid.codes[row][col]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class TaskLightModel(QAbstractTableModel):
    """The year's tasks (序号 order) with their light and reasons."""

    HEADERS = ("灯", "类型", "序号", "任务内容", "牵头单位", "是否完成（最新）", "原因")
    COL_LIGHT, COL_KIND, COL_SEQ, COL_TEXT, COL_LEAD, COL_LATEST, COL_REASONS = range(7)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[LightRow] = []

    def set_tasks(self, rows: list[LightRow]) -> None:
        """The rows `core.tracking.dashboard_view.light_rows` made (texts and colours ready)."""
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def task_at(self, row: int) -> LightRow | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        t = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return t["shown"][col]
        if role == Qt.ItemDataRole.BackgroundRole and col in (self.COL_LIGHT, self.COL_REASONS):
            return brush(t["colour"])
        if role == Qt.ItemDataRole.ToolTipRole and col in (self.COL_TEXT, self.COL_REASONS):
            return t["text"] if col == self.COL_TEXT else "\n".join(t["reasons"])
        if role == Qt.ItemDataRole.UserRole:
            return t["light"]
        return None


class LightFilterProxy(QSortFilterProxyModel):
    """Shows one light (or all); keeps 序号 order."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.light = ""

    def set_light(self, light: str) -> None:
        if hasattr(self, "beginFilterChange") and hasattr(self, "endFilterChange"):  # Qt >= 6.10
            self.beginFilterChange()
            self.light = light
            self.endFilterChange()
        else:
            self.light = light
            self.invalidateFilter()

    def filterAcceptsRow(self, row, parent) -> bool:
        if not self.light:
            return True
        t = cast(TaskLightModel, self.sourceModel()).task_at(row)   # the page sets a TaskLightModel as source
        return t is not None and t["light"] == self.light
