"""The task table: a QAbstractTableModel over list_tasks() rows and a filter proxy (kind, area, unit, leader, role, search)."""
from __future__ import annotations

from typing import cast

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont

from core.common.vocabulary import KIND_NAMES  # one list of the words, kept in core

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()   # the invalid index: a table's only parent

COL_KIND = 0
COL_SEQ = 1
COL_AREA = 2
COL_CATEGORY = 3
COL_TEXT = 4
COL_LEADERS = 5
COL_LEAD_UNITS = 6
COL_CO_UNITS = 7
COL_STATUS = 8
HEADERS = ("类型", "序号", "重点领域", "类别", "任务内容", "牵头领导", "牵头单位", "配合单位", "状态")

TASK_ROLE = Qt.ItemDataRole.UserRole + 1      # the task dict
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2    # lower-cased text searched by the filter


def task_status(task: dict) -> str:
    if not task.get("active", True):
        return "已撤销"
    if task.get("closed_on"):
        return f"已办结（{task['closed_on']}）"
    return "进行中"


def search_text(task: dict) -> str:
    """Everything a clerk may type to find a task: 类型, 序号, 领域, 类别, 内容, 领导, 单位."""
    parts = [KIND_NAMES.get(task["kind"], task["kind"]), str(task["seq"]), task.get("area") or "",
             task.get("category") or "", task.get("text") or "", " ".join(task.get("leaders") or []),
             " ".join(u["name"] for u in task.get("units") or [])]
    return "\n".join(parts).lower()


class TaskTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.tasks: list[dict] = []
        self._search: list[str] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_tasks(self, tasks: list) -> None:   # TaskRow rows
        self.beginResetModel()
        self.tasks = list(tasks)
        self._search = [search_text(t) for t in self.tasks]
        self.endResetModel()

    def task_at(self, row: int) -> dict:
        return self.tasks[row]

    def row_of_uid(self, uid: str) -> int:
        for row, t in enumerate(self.tasks):
            if t["uid"] == uid:
                return row
        return -1

    # -- Qt model ------------------------------------------------------------------
    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.tasks)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        task = self.tasks[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(task, col)
        if role == Qt.ItemDataRole.ToolTipRole and col in (COL_TEXT, COL_LEAD_UNITS, COL_CO_UNITS):
            return self._display(task, col)
        if role == Qt.ItemDataRole.EditRole and col == COL_SEQ:
            return task["seq"]
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_SEQ, COL_KIND):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == TASK_ROLE:
            return task
        if role == SEARCH_ROLE:
            return self._search[index.row()]
        return None

    @staticmethod
    def _display(task: dict, col: int):
        if col == COL_KIND:
            return KIND_NAMES.get(task["kind"], task["kind"])
        if col == COL_SEQ:
            return task["seq"]
        if col == COL_AREA:
            return task.get("area") or ""
        if col == COL_CATEGORY:
            return task.get("category") or ""
        if col == COL_TEXT:
            return task.get("text") or ""
        if col == COL_LEADERS:
            return "、".join(task.get("leaders") or [])
        if col == COL_LEAD_UNITS:
            return "、".join(u["name"] for u in task.get("units") or [] if u["lead"])
        if col == COL_CO_UNITS:
            return "、".join(u["name"] for u in task.get("units") or [] if not u["lead"])
        if col == COL_STATUS:
            return task_status(task)
        return None


class TaskFilterProxy(QSortFilterProxyModel):
    """Filters on the task dicts themselves (not on displayed strings), so each test is exact."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.kind = ""        # "" | key | livelihood
        self.area = ""
        self.unit = ""
        self.leader = ""
        self.role = ""        # "" | lead | co  (with a unit: its role; without: tasks having such units at all)
        self.terms: list[str] = []
        self.setSortRole(Qt.ItemDataRole.EditRole)

    def set_filters(self, *, kind=None, area=None, unit=None, leader=None, role=None, search=None) -> None:
        if hasattr(self, "beginFilterChange") and hasattr(self, "endFilterChange"):  # Qt ≥ 6.10
            self.beginFilterChange()
            self._apply(kind, area, unit, leader, role, search)
            self.endFilterChange()
        else:
            self._apply(kind, area, unit, leader, role, search)
            self.invalidateFilter()

    def _apply(self, kind, area, unit, leader, role, search) -> None:
        if kind is not None:
            self.kind = kind
        if area is not None:
            self.area = area
        if unit is not None:
            self.unit = unit
        if leader is not None:
            self.leader = leader
        if role is not None:
            self.role = role
        if search is not None:
            self.terms = [t for t in search.lower().split() if t]

    def tasks_model(self) -> TaskTableModel:
        """The source model: the tasks page always sets a TaskTableModel."""
        return cast(TaskTableModel, self.sourceModel())

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        model = self.tasks_model()
        task = model.tasks[source_row]
        if self.kind and task["kind"] != self.kind:
            return False
        if self.area and (task.get("area") or "") != self.area:
            return False
        if self.leader and self.leader not in (task.get("leaders") or []):
            return False
        units = task.get("units") or []
        if self.unit:
            mine = [u for u in units if u["name"] == self.unit]
            if not mine:
                return False
            if self.role and not any(u["lead"] == (self.role == "lead") for u in mine):
                return False
        elif self.role == "co" and all(u["lead"] for u in units):
            return False
        if self.terms:
            hay = model._search[source_row]
            if not all(term in hay for term in self.terms):
                return False
        return True

    def lessThan(self, left, right) -> bool:
        if left.column() == COL_SEQ:
            lt = self.tasks_model().tasks[left.row()]
            rt = self.tasks_model().tasks[right.row()]
            return (lt["kind"] != "key", lt["seq"]) < (rt["kind"] != "key", rt["seq"])
        return super().lessThan(left, right)
