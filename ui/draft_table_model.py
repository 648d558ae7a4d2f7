"""Qt table model over the draft 立项表 (core.draft.model.DraftTable): editable cells, reasons as tooltips."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from core.draft.targets import find_targets
from core.campaign.rows import units_from_text
from core.common.textnorm import split_leaders
from core.common.vocabulary import KIND_NAMES

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()   # the invalid index: a table's only parent

COL_SEQ, COL_KIND, COL_AREA, COL_CATEGORY, COL_TEXT, COL_LEADERS, COL_UNITS = range(7)
HEADERS = ("序号", "类型", "重点领域", "类别", "任务内容", "牵头领导", "责任单位（牵头在前）")
FIELD_OF = {COL_AREA: "area", COL_CATEGORY: "category", COL_TEXT: "text"}


def units_display(units: list[dict]) -> str:
    return "、".join(u["name"] + ("（牵头）" if u["lead"] else "") for u in units)


class DraftTableModel(QAbstractTableModel):
    def __init__(self, table=None):
        super().__init__()
        self.table = table

    def set_table(self, table) -> None:
        self.beginResetModel()
        self.table = table
        self.endResetModel()

    def reset(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() or self.table is None else len(self.table.candidates)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def candidate(self, row: int):
        return self.table.candidates[row]

    def _seq(self, row: int) -> int:
        kind = self.table.candidates[row].kind
        return sum(1 for c in self.table.candidates[:row + 1] if c.kind == kind)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.table is None:
            return None
        c = self.table.candidates[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == COL_SEQ:
                return self._seq(index.row())
            if col == COL_KIND:
                return KIND_NAMES.get(c.kind, c.kind)
            if col in FIELD_OF:
                return getattr(c, FIELD_OF[col])
            if col == COL_LEADERS:
                return "、".join(c.leaders)
            if col == COL_UNITS:
                return units_display(c.units)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col in (COL_LEADERS, COL_UNITS) and c.reasons:
                return "建议依据：\n" + "\n".join(c.reasons)
            if col == COL_TEXT:
                targets = [t.text for t in find_targets(c.text)]
                return c.text + ("\n\n量化目标：" + "、".join(targets) if targets else "")
        if role == Qt.ItemDataRole.BackgroundRole and col == COL_UNITS and not c.units:
            return QBrush(QColor("#fde2e2"))
        return None

    def flags(self, index):
        if not index.isValid():   # the root is no cell (Qt's model rules)
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (COL_AREA, COL_CATEGORY, COL_TEXT, COL_LEADERS, COL_UNITS):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row, col = index.row(), index.column()
        value = "" if value is None else str(value)
        if col in FIELD_OF:
            self.table.edit(row, FIELD_OF[col], value.strip())
        elif col == COL_LEADERS:
            self.table.edit(row, "leaders", split_leaders(value))
        elif col == COL_UNITS:
            units = [{"name": u.name, "lead": u.lead} for u in units_from_text(value)]
            if units and not any(u["lead"] for u in units):
                units[0]["lead"] = True
            self.table.edit(row, "units", units)
        else:
            return False
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))
        return True
