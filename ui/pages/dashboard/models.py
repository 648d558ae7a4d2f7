"""Table models for the 督办 page: the unit × period submission matrix and the task list, coloured by state and light."""
from __future__ import annotations

from typing import cast

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from core.common.vocabulary import KIND_NAMES
from core.ledger.row_types import TaskRow
from core.tracking.states import LIGHT_NAMES, STATE_COLORS, MatrixRow, shown_code
from core.tracking.status_view import late_counts

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()   # the invalid index: a table's only parent

LIGHT_COLORS = {"green": "#C8E6C9", "yellow": "#FFF59D", "red": "#FFCDD2", "blue": "#BBDEFB"}


def period_label(form: str, period: str) -> str:
    return "计划表" if form == "plan" else f"{int(period[5:7])}月"


def latest_text(latest: list[dict]) -> str:
    """"牵头：是；配合：是、否" from each unit's latest answer (— when a unit has none yet)."""
    word = {True: "是", False: "否", None: "—"}
    lead = [word[x["on_track"]] for x in latest if x["role"] == "lead"]
    co = [word[x["on_track"]] for x in latest if x["role"] != "lead"]
    parts = []
    if lead:
        parts.append("牵头：" + "、".join(lead))
    if co:
        parts.append("配合：" + "、".join(co))
    return "；".join(parts)


class MatrixModel(QAbstractTableModel):
    """Rows: units in directory order; columns: 单位, 计划表, each month, and (when ranking is allowed) 逾期次数."""

    COL_UNIT = 0

    def __init__(self, parent=None):
        super().__init__(parent)
        self.units: list[tuple[int, str]] = []
        self.columns: list[tuple[str, str]] = []  # (form, period)
        self.cells: dict[tuple[int, str, str], MatrixRow] = {}
        self.late: dict[int, int] = {}
        self.show_late_count = True

    def set_matrix(self, matrix: list[MatrixRow], show_late_count: bool = True, keep: str | None = None) -> None:
        """`keep`: the month looked at, always a column; another month in which no form went out and none came back
        is no column (a new ledger's 1–3月 are not 未下发: no monthly form was due)."""
        used = {r["period"] for r in matrix if r["form"] == "plan" or r["dispatched"] or r["files"]}
        matrix = [r for r in matrix if r["form"] == "plan" or r["period"] in used or r["period"] == keep]
        self.beginResetModel()
        self.show_late_count = show_late_count
        seen: dict[int, str] = {}
        cols: dict[tuple[str, str], None] = {}
        self.cells = {}
        for r in matrix:
            seen.setdefault(r["unit_id"], r["unit"])
            cols.setdefault((r["form"], r["period"]))
            self.cells[(r["unit_id"], r["form"], r["period"])] = r
        self.units = sorted(seen.items())  # unit directory order (ids), never by counts
        self.late = late_counts(matrix)    # core's rule, the same as `status --late-count`
        # 计划表 first, then the months newest first: the month being looked at sits beside the plan
        plan = sorted(c for c in cols if c[0] == "plan")
        self.columns = plan + sorted((c for c in cols if c[0] != "plan"), key=lambda c: c[1], reverse=True)
        self.endResetModel()

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.units)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else 1 + len(self.columns) + (1 if self.show_late_count else 0)

    def late_count_column(self) -> int | None:
        return 1 + len(self.columns) if self.show_late_count else None

    def cell(self, row: int, col: int) -> MatrixRow | None:
        if not 0 <= row < len(self.units) or not 1 <= col <= len(self.columns):
            return None
        form, period = self.columns[col - 1]
        return self.cells.get((self.units[row][0], form, period))

    def late_count(self, row: int) -> int:
        return self.late.get(self.units[row][0], 0)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:  # the unit as row label: it stays put while months scroll
            return self.units[section][1] if 0 <= section < len(self.units) else None
        if section == 0:
            return "责任单位"
        if section <= len(self.columns):
            return period_label(*self.columns[section - 1])
        return "逾期次数"

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if col == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.units[row][1]
            return None
        if self.show_late_count and col == self.late_count_column():
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.UserRole):
                return self.late_count(row)
            return None
        cell = self.cell(row, col)
        if role == Qt.ItemDataRole.DisplayRole:
            return cell["state"] if cell else "—"
        if role == Qt.ItemDataRole.BackgroundRole and cell:
            return QBrush(QColor(STATE_COLORS[shown_code(cell)]))
        if role == Qt.ItemDataRole.ToolTipRole and cell:
            tip = f"{cell['unit']} {period_label(cell['form'], cell['period'])}：{cell['state']}"
            if cell["due"]:
                tip += f"\n截止：{cell['due'].isoformat()}"
            if cell["received"]:
                tip += f"\n收到：{cell['received'].strftime('%Y-%m-%d %H:%M')}"
            if cell["file_name"]:
                tip += f"\n文件：{cell['file_name']}"
            return tip
        if role == Qt.ItemDataRole.UserRole:
            return shown_code(cell) if cell else ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class TaskLightModel(QAbstractTableModel):
    """The year's tasks (序号 order) with their light and reasons."""

    HEADERS = ("灯", "类型", "序号", "任务内容", "牵头单位", "是否完成（最新）", "原因")
    COL_LIGHT, COL_KIND, COL_SEQ, COL_TEXT, COL_LEAD, COL_LATEST, COL_REASONS = range(7)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[dict] = []

    def set_tasks(self, tasks: list[TaskRow], lights: dict[int, dict]) -> None:
        self.beginResetModel()
        self.rows = []
        for t in tasks:
            light = lights.get(t["id"])
            if light is None:
                continue
            self.rows.append({**t, "light": light["light"], "reasons": light["reasons"],
                              "lead": "、".join(u["name"] for u in t["units"] if u["lead"]),
                              "latest": latest_text(light.get("latest", []))})
        self.endResetModel()

    def task_at(self, row: int) -> dict | None:
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
            return (LIGHT_NAMES[t["light"]], KIND_NAMES.get(t["kind"], t["kind"]), t["seq"], t["text"], t["lead"],
                    t["latest"], "；".join(t["reasons"]))[col]
        if role == Qt.ItemDataRole.BackgroundRole and col in (self.COL_LIGHT, self.COL_REASONS):
            return QBrush(QColor(LIGHT_COLORS[t["light"]]))
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
