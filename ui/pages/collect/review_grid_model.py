"""Table model of the 收文 review grid: core.returns.review_grid rows as task, form columns and 退回意见 cells (rich text)."""
from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from core.common.vocabulary import Decision
from core.common.text_diff import DELETED_STYLE, spans_html
from core.returns.grid_columns import REPORT_COLUMNS

HTML_ROLE = Qt.ItemDataRole.UserRole + 1     # the rich text the delegate paints
DECIDABLE_ROLE = Qt.ItemDataRole.UserRole + 2  # True when the cell has a staged change to accept or reject
COMMENT_HINT = "（按 Enter 写退回意见）"
BACKGROUNDS = {Decision.REJECTED: "#fde7e9", Decision.ACCEPTED: "#eaf6ec", "flagged": "#fff8c5"}
DECISION_MARKS = {Decision.ACCEPTED: "✔ 接受", Decision.REJECTED: "✘ 不接受", Decision.PENDING: "待定"}
DECISION_COLORS = {Decision.ACCEPTED: "#1a7f37", Decision.REJECTED: "#cf222e", Decision.PENDING: "#6e7781"}

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()


def diff_html(segments: list[tuple[str, str]]) -> str:
    """Deleted text red and struck through, inserted text green (on light backgrounds: the grid is dense)."""
    return spans_html(segments, deleted=DELETED_STYLE + ";background-color:#ffebe9",
                      inserted="color:#007a33;background-color:#dafbe1")


def _flags_line(names: list[str]) -> str:
    return (f'<div style="color:#9a6700;font-weight:bold">⚑ {html.escape("；".join(names))}</div>' if names else "")


def cell_html(cell) -> str:
    parts = [_flags_line(cell.flag_names + (["与上月相同"] if cell.same_as_last_month and
                                             "copied-from-last-month" not in cell.flags else []))]
    body = diff_html(cell.segments)
    if cell.same_as_last_month:   # copying: the whole text on amber
        body = f'<span style="background-color:#ffe08a">{body}</span>'
    # the value in a block of its own: under the ⚑ line, never run on after it ("…未完成是")
    parts.append("<div>" + (body or '<span style="color:#8c959f">（空）</span>') + "</div>")
    for text in getattr(cell, "struck", []):   # what the unit struck through: shown struck, not merged
        parts.append(f'<div style="color:#6e7781">单位删除线标出的旧内容：<span style="text-decoration:line-through;'
                     f'color:#c00000">{html.escape(text)}</span></div>')
    for text in getattr(cell, "comments", []):   # the unit's comment, beside the answer
        parts.append(f'<div style="color:#0550ae;background-color:#ddf4ff">批注：{html.escape(text)}</div>')
    return "".join(parts)


def row_summary(row) -> str:
    decisions = row.decisions
    if not decisions:
        return ""
    parts = [f'<span style="color:{DECISION_COLORS[d]}">{DECISION_MARKS[d]}'
             + (f" {decisions.count(d)}" if len(set(decisions)) > 1 else "") + "</span>"
             for d in (Decision.REJECTED, Decision.ACCEPTED, Decision.PENDING) if d in decisions]
    return "　".join(parts)


def task_html(row) -> str:
    text = diff_html(row.task_segments) if row.task_segments else html.escape(row.task_text)
    if row.deleted:
        text = f'<span style="color:#c00000;text-decoration:line-through">{html.escape(row.task_text)}</span>'
    quarter = f" 第{row.quarter}季度" if row.quarter else ""
    lines = [f'<b>{html.escape(row.seq)}</b>{quarter} <span style="color:#57606a">[{html.escape(row.role)}]</span> {text}']
    from core.returns.collect import FLAG_NAMES
    names = [FLAG_NAMES.get(f, f) for f in row.row_flags]
    if names:
        lines.insert(0, _flags_line(names))
    for text in getattr(row, "pictures", []):   # first, so a tall task text never hides it
        lines.insert(1 if names else 0, f'<div style="color:#8250df;font-weight:bold">▣ {html.escape(text)}</div>')
    rest = getattr(row, "note_rest", None)
    note = "\n".join(rest) if rest is not None and (rest or getattr(row, "pictures", [])) else row.note
    if note and (rest is None or rest or not row.pictures):
        lines.append(f'<div style="color:#57606a">备注：{html.escape(note)}</div>')
    summary = row_summary(row)
    if summary:
        lines.append(f"<div>{summary}</div>")
    return "".join(lines)


def cell_detail_html(grid, row, cell) -> str:
    """The whole of one cell for the pane under the grid: flags, what it is compared with, the full diff."""
    from core.returns.review_grid import BASE_NAMES
    label = dict(grid.columns).get(cell.field, cell.field)
    base = BASE_NAMES.get(cell.base_kind, "")
    parts = [f"<h3>{html.escape(row.seq)}. {html.escape(row.task_text[:60])} — {html.escape(label)}</h3>",
             '<p style="color:#555">红色删除线：删去的文字；<span style="color:#007a33">绿色</span>：新增的文字'
             + (f"（与{base}的内容比较）" if base else "") + "。</p>"]
    if cell.flag_names:
        parts.append(_flags_line(cell.flag_names))
    if cell.decision:
        parts.append(f'<p style="color:{DECISION_COLORS[cell.decision]}">审核：{DECISION_MARKS[cell.decision]}</p>')
    parts.append(f"<p>{diff_html(cell.segments) or '（空）'}</p>")
    from core.common.text_diff import diff_spans
    for other in cell.rivals:   # another file of the unit and month still waiting: what it says differently
        parts.append(f"<p style='color:#57606a'>另一份文件 #{other['submission_id']} {html.escape(other['file_name'])}"
                     f"（与本文件比较）：</p><p>{diff_html(diff_spans(cell.value, other['new'])) or '（相同）'}</p>")
    if row.comment:
        parts.append(f"<p>退回意见：{html.escape(row.comment)}</p>")
    return "".join(parts)


class ReviewGridModel(QAbstractTableModel):
    """Column 0 the task, then the form's columns, last the clerk's 退回意见 (editable on rows with changes)."""

    def __init__(self, on_comment: Callable[[object, str], None] | None = None, parent=None):
        super().__init__(parent)
        self.grid = None
        self.rows: list = []
        self._columns = len(REPORT_COLUMNS) + 2
        self.on_comment = on_comment

    # -- content --------------------------------------------------------------------------------
    def set_rows(self, grid, rows: list) -> None:
        self.beginResetModel()
        self.grid, self.rows = grid, list(rows)
        self._columns = len(grid.columns if grid is not None else REPORT_COLUMNS) + 2
        self.endResetModel()

    @property
    def comment_column(self) -> int:
        return self.columnCount() - 1

    def row_at(self, i: int):
        return self.rows[i] if 0 <= i < len(self.rows) else None

    def cell_at(self, index: Index):
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None or not 1 <= index.column() <= len(row.cells):
            return None
        return row.cells[index.column() - 1]

    def index_of(self, key: tuple, column: int) -> QModelIndex:
        for i, row in enumerate(self.rows):
            if row.key == key:
                return self.index(i, column)
        return QModelIndex()

    # -- the model interface --------------------------------------------------------------------------
    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else self._columns   # asked thousands of times a layout: kept by set_rows

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if 0 <= section < len(self.rows) else None
        labels = ["任务"] + [label for _f, label in (self.grid.columns if self.grid is not None else REPORT_COLUMNS)] \
            + ["退回意见"]
        return labels[section] if 0 <= section < len(labels) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows) or index.column() >= self._columns:
            return None
        row, col = self.rows[index.row()], index.column()
        if col == 0:
            return self._task_data(row, role)
        if col == self.comment_column:
            return self._comment_data(row, role)
        return self._cell_data(row.cells[col - 1], role)

    def _task_data(self, row, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row.seq} {row.task_text}"
        if role == HTML_ROLE:
            return task_html(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.task_text
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(row.decisions, bool(row.row_flags))
        if role == DECIDABLE_ROLE:
            return bool(row.change_ids)
        return None

    def _comment_data(self, row, role: int):
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return row.comment
        if role == HTML_ROLE:
            if row.comment:
                return f'<span style="color:#cf222e">{html.escape(row.comment)}</span>'
            return f'<span style="color:#8c959f">{COMMENT_HINT}</span>' if row.rejected else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return "退回意见：选中后按 Enter 填写，写进退回表，与这一行并列。"
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(BACKGROUNDS[Decision.REJECTED])) if row.rejected else None
        if role == DECIDABLE_ROLE:
            return False
        return None

    def _cell_data(self, cell, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.value
        if role == HTML_ROLE:
            return cell_html(cell)
        if role == Qt.ItemDataRole.ToolTipRole:
            from core.returns.review_grid import BASE_NAMES
            base = BASE_NAMES.get(cell.base_kind, "")
            tips = [f"与{base}比较" if base else "", "；".join(cell.flag_names),
                    DECISION_MARKS.get(cell.decision, "")]
            notes = "<br>".join(html.escape(t) for t in tips if t)
            whole = html.escape(str(cell.value or "")).replace("\n", "<br>")   # the whole text of a capped row
            return "".join(part for part in (f"<p>{whole}</p>" if whole else "",
                                             f"<p style='color:#57606a'>{notes}</p>" if notes else "")) or None
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background([cell.decision] if cell.decision else [], bool(cell.flags) or cell.same_as_last_month)
        if role == DECIDABLE_ROLE:
            return cell.change_id is not None
        return None

    @staticmethod
    def _background(decisions: list[str], flagged: bool):
        if Decision.REJECTED in decisions:
            return QBrush(QColor(BACKGROUNDS[Decision.REJECTED]))
        if decisions and all(d == Decision.ACCEPTED for d in decisions):
            return QBrush(QColor(BACKGROUNDS[Decision.ACCEPTED]))
        if flagged:
            return QBrush(QColor(BACKGROUNDS["flagged"]))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        row = self.row_at(index.row())
        if index.column() == self.comment_column and row is not None and row.change_ids:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != self.comment_column:
            return False
        row = self.row_at(index.row())
        if row is None or not row.change_ids:
            return False
        row.comment = str(value or "").strip()
        if self.on_comment is not None:
            self.on_comment(row, row.comment)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, HTML_ROLE])
        return True
