"""The unit table: a QAbstractTableModel over list_units() rows; 联系人/电话/邮箱 are edited in place (audited)."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()   # the invalid index: a table's only parent

COL_NAME = 0
COL_ALIASES = 1
COL_CONTACT = 2
COL_PHONE = 3
COL_EMAIL = 4
COL_LEAD = 5
COL_CO = 6
COL_COLLECTIVE = 7
HEADERS = ("名称", "别名", "联系人", "电话", "邮箱", "牵头任务数", "配合任务数", "集合性")
EDITABLE = {COL_CONTACT: "contact", COL_PHONE: "phone", COL_EMAIL: "email"}

UNIT_ROLE = Qt.ItemDataRole.UserRole + 1


class UnitTableModel(QAbstractTableModel):
    edit_failed = Signal(str)    # a Chinese message when the ledger refused an edit
    edited = Signal(int)         # unit id, after a successful write

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.units: list[dict] = []

    def set_units(self, units: list) -> None:   # UnitRow rows
        self.beginResetModel()
        self.units = list(units)
        self.endResetModel()

    def unit_at(self, row: int) -> dict:
        return self.units[row]

    def row_of_id(self, unit_id: int) -> int:
        for row, u in enumerate(self.units):
            if u["id"] == unit_id:
                return row
        return -1

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.units)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole and section in EDITABLE:
            return "双击修改"
        return None

    def flags(self, index):
        base = super().flags(index)
        if index.isValid() and index.column() in EDITABLE:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        unit = self.units[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == COL_NAME:
                return unit["name"]
            if col == COL_ALIASES:
                return "、".join(unit["aliases"])
            if col in EDITABLE:
                return unit[EDITABLE[col]] or ""
            if col == COL_LEAD:
                return unit["tasks_lead"]
            if col == COL_CO:
                return unit["tasks_co"]
            if col == COL_COLLECTIVE:
                return "是" if unit["collective"] else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_COLLECTIVE and unit["collective"]:
                return "集合性单位（如“各街道办事处”）：作为一个单位保留，不拆分"
            if col == COL_ALIASES and unit["aliases"]:
                return "\n".join(unit["aliases"])
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_LEAD, COL_CO, COL_COLLECTIVE):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == UNIT_ROLE:
            return unit
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() not in EDITABLE:
            return False
        from core.common.errors import UserError
        from core.units.edit import set_unit_field

        from .operations import write_now
        unit = self.units[index.row()]
        field = EDITABLE[index.column()]
        value = str(value or "").strip()
        ledger = self.ctx.ledger
        try:   # refused while a background write runs; other pages (下发 uses e-mail addresses) reload when shown
            changed = write_now(self.ctx, "units",
                                lambda: set_unit_field(ledger, unit["id"], field, value, "单位页面")).value
        except UserError as exc:
            self.edit_failed.emit(exc.message)
            return False
        if changed:
            unit[field] = value
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
            self.edited.emit(unit["id"])
        return True
