"""The 收文 review grid panel: one returned file as its form, filters, keyboard accept/reject by cell, row, file, all."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from core.common.vocabulary import Decision

from ...operations import write_now
from .review_grid_delegate import DiffDelegate
from .review_grid_model import ReviewGridModel, cell_detail_html, task_html

if TYPE_CHECKING:   # core.returns.review_grid is imported by the list's read, off the window's thread
    from core.returns.review_grid import ReviewGrid

NO = Qt.KeyboardModifier.NoModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
# (key, modifiers) → (what the panel does, its argument); the hint line and README list the same keys
KEYS: dict[tuple[int, object], tuple[str, str]] = {
    (Qt.Key.Key_A, NO): ("cell", Decision.ACCEPTED), (Qt.Key.Key_R, NO): ("cell", Decision.REJECTED),
    (Qt.Key.Key_A, SHIFT): ("row", Decision.ACCEPTED), (Qt.Key.Key_R, SHIFT): ("row", Decision.REJECTED),
    (Qt.Key.Key_A, CTRL | SHIFT): ("file", Decision.ACCEPTED), (Qt.Key.Key_R, CTRL | SHIFT): ("file", Decision.REJECTED),
    (Qt.Key.Key_A, CTRL | ALT): ("all", Decision.ACCEPTED), (Qt.Key.Key_R, CTRL | ALT): ("all", Decision.REJECTED),
    (Qt.Key.Key_F, NO): ("filter", "flagged"), (Qt.Key.Key_G, NO): ("filter", "changed"),
    (Qt.Key.Key_N, NO): ("file-step", "1"), (Qt.Key.Key_P, NO): ("file-step", "-1"),
    (Qt.Key.Key_Return, NO): ("comment", ""), (Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier): ("comment", ""),
    (Qt.Key.Key_F2, NO): ("comment", ""),
}
LEGEND = ("　<span style='color:#57606a'>与台账比较，本月第一次报送的与该单位上月比较；"
          "<span style='background-color:#ffe08a'>黄底</span>与上月相同，<span style='background-color:#fff8c5'>浅黄格</span>"
          "有标记</span>")
HINT = ("键盘：A 接受本格　R 不接受本格　Shift+A/R 整行　Ctrl+Shift+A/R 本文件　"
        "Ctrl+Alt+A/R 全部文件　Enter 写退回意见　F 只看有标记　G 只看有改动　N/P 下/上一份文件　Ctrl+T 退回")
# shares of the grid's width (the columns follow the window; nothing scrolls sideways at 1366×768)
COLUMN_SHARES = {"task": 14, "quarter_target": 10, "done": 28, "problems": 14, "next_steps": 14, "on_track": 9,
                 "target": 35, "owner": 9, "supervisor": 9, "remark": 15, "comment": 11}


class GridView(QTableView):
    """The table: the review keys are its own (they override the page's tree shortcuts while it has the focus)."""

    key_action = Signal(str, str)
    resized = Signal()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.resized.emit()

    def _action(self, event: QKeyEvent):
        mods = event.modifiers() & (SHIFT | CTRL | ALT | Qt.KeyboardModifier.KeypadModifier)
        return KEYS.get((Qt.Key(event.key()), mods))

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and self.state() != QAbstractItemView.State.EditingState \
                and self._action(event) is not None:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        action = self._action(event) if self.state() != QAbstractItemView.State.EditingState else None
        if action is None:
            super().keyPressEvent(event)
            return
        event.accept()
        self.key_action.emit(*action)


class ReviewGridPanel(QWidget):
    """Shows one file's grid; decisions go to core.returns.review and `decided` tells the page to refresh."""

    decided = Signal(object)      # the file decided on (int), or None after a decision on every waiting file
    detail = Signal(str)          # the html of the current cell, for the pane under the grid
    file_step = Signal(int)       # N / P: the next or previous file in the list

    def __init__(self, ctx, can_decide: Callable[[], bool] = lambda: True, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.can_decide = can_decide
        self.grid: ReviewGrid | None = None
        self.sid: int | None = None
        self.title = QLabel("在左侧选择一份文件，这里按报送表格的样子逐行显示单位填报的内容与差异。")
        self.title.setWordWrap(True)
        self.only_flagged = QCheckBox("只看有标记 (F)")
        self.only_changed = QCheckBox("只看有改动 (G)")
        for box in (self.only_flagged, self.only_changed):
            box.toggled.connect(lambda _on: self._fill())
        self.counts = QLabel("")
        self.hint = QLabel(HINT)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color:#57606a")
        self.model = ReviewGridModel(on_comment=self._comment_typed, parent=self)
        self.view = GridView()
        self.view.setModel(self.model)
        self.delegate = DiffDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        self.view.setWordWrap(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.key_action.connect(self._key)
        self.view.resized.connect(self._size_columns)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.filters = filters = QHBoxLayout()
        filters.addWidget(self.only_flagged)
        filters.addWidget(self.only_changed)
        filters.addStretch(1)
        filters.addWidget(self.counts)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(filters)
        layout.addWidget(self.hint)
        layout.addWidget(self.view, 1)

    # -- showing a file -------------------------------------------------------------------------------
    def show_file(self, sid: int | None, grid=None) -> None:
        """Build the grid of `sid` (None: empty; `grid`: that file's grid, built off the window's thread with the list);
        the same file again keeps the current cell."""
        from core.returns.review_grid import build_grid
        keep = self._position() if sid == self.sid else None
        self.sid = sid
        self.grid = None if sid is None else grid if grid is not None else build_grid(self.ctx.ledger, sid)
        self._fill(keep)

    def _position(self):
        index = self.view.currentIndex()
        row = self.model.row_at(index.row()) if index.isValid() else None
        return (row.key, index.column()) if row is not None else None

    def _fill(self, keep=None) -> None:
        keep = keep or self._position()
        grid = self.grid
        rows: list = grid.visible(self.only_flagged.isChecked(), self.only_changed.isChecked()) if grid else []
        self.model.set_rows(grid, rows)
        if grid is None:
            self.title.setText("在左侧选择一份文件，这里按报送表格的样子逐行显示单位填报的内容与差异。")
            self.counts.setText("")
            return
        n = grid.counts
        self.title.setText(f"<b>{grid.unit_name or '未识别单位'}</b>　{grid.period}　{grid.file_name}{LEGEND}")
        self.counts.setText(f"{n['rows']} 行：有标记 {n['flagged']}，有改动 {n['changed']}；"
                            f"接受 {n['accepted']}，不接受 {n['rejected']}，待定 {n['pending']}")
        self._size_columns()
        target = self.model.index_of(*keep) if keep else QModelIndex()
        if not target.isValid() and rows:
            target = self.model.index(0, self._first_decidable_column(0))
        if target.isValid():
            self.view.setCurrentIndex(target)
            self.view.scrollTo(target)

    def _size_columns(self) -> None:
        fields: list[str] = ["task"] + [f for f, _l in self.grid.columns] + ["comment"] if self.grid else []
        width = self.view.viewport().width() - 2
        if not fields or width < 200:
            return
        total = sum(COLUMN_SHARES.get(f, 10) for f in fields)
        for c, f in enumerate(fields):
            self.view.setColumnWidth(c, max(48, width * COLUMN_SHARES.get(f, 10) // total))
        # rows capped so that four task rows are in view; the whole text is in the pane below and the tooltip
        from .review_grid_delegate import MAX_HEIGHT, MIN_HEIGHT, ROWS_IN_VIEW
        self.delegate.max_height = max(MIN_HEIGHT, min(MAX_HEIGHT, self.view.viewport().height() // ROWS_IN_VIEW - 1))
        self.view.resizeRowsToContents()

    def _first_decidable_column(self, row: int) -> int:
        r = self.model.row_at(row)
        if r is None:
            return 0
        flagged = [i for i, c in enumerate(r.cells, start=1) if c.flags]
        changed = [i for i, c in enumerate(r.cells, start=1) if c.change_id is not None]
        return (flagged or changed or [0])[0]

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        cell = self.model.cell_at(current)
        if row is None:
            return
        self.detail.emit(cell_detail_html(self.grid, row, cell) if cell is not None else task_html(row)
                         + (f"<p>退回意见：{row.comment}</p>" if row.comment else ""))

    # -- keys and decisions ------------------------------------------------------------------------------
    def _key(self, what: str, arg: str) -> None:
        if what == "filter":
            box = self.only_flagged if arg == "flagged" else self.only_changed
            box.setChecked(not box.isChecked())
        elif what == "file-step":
            self.file_step.emit(int(arg))
        elif what == "comment":
            self.edit_comment()
        else:
            {"cell": self.decide_cell, "row": self.decide_row, "file": self.decide_file, "all": self.decide_all}[what](arg)

    def current_row(self):
        return self.model.row_at(self.view.currentIndex().row())

    def decide_cell(self, decision: str) -> bool:
        """A / R: the current cell (on the task or comment column: the whole row); then the next row."""
        from core.returns.review import set_decision
        index = self.view.currentIndex()
        cell = self.model.cell_at(index)
        if cell is None or cell.change_id is None:
            return self.decide_row(decision)
        if not self.can_decide():
            return False
        ledger, change_id = self.ctx.ledger, cell.change_id
        write_now(self.ctx, "collect", lambda: set_decision(ledger, [change_id], decision))
        self.decided.emit(self.sid)
        self._move_down(index.column())
        return True

    def decide_row(self, decision: str) -> bool:
        """Shift+A / Shift+R: every change of the current row; rejecting opens its 退回意见 for typing."""
        from core.returns.review import set_decision
        row = self.current_row()
        if row is None or not row.change_ids or not self.can_decide():
            return False
        column = self.view.currentIndex().column()
        ledger, ids = self.ctx.ledger, row.change_ids
        write_now(self.ctx, "collect", lambda: set_decision(ledger, ids, decision))
        key = row.key
        self.decided.emit(self.sid)
        if decision == Decision.REJECTED:
            self.edit_comment(key)
        else:
            self._move_down(column)
        return True

    def decide_file(self, decision: str) -> bool:
        from core.returns.review import set_file_decision
        if self.sid is None or not self.can_decide():
            return False
        ledger, sid = self.ctx.ledger, self.sid
        write_now(self.ctx, "collect", lambda: set_file_decision(ledger, sid, decision))
        self.decided.emit(self.sid)
        return True

    def decide_all(self, decision: str) -> bool:
        """Ctrl+Alt+A / Ctrl+Alt+R: every still-pending change of every staged file (decisions made stand)."""
        from core.returns.review import accept_all_staged, reject_all_staged
        if not self.can_decide():
            return False
        ledger, decide = self.ctx.ledger, accept_all_staged if decision == Decision.ACCEPTED else reject_all_staged
        n = write_now(self.ctx, "collect", lambda: decide(ledger)).value
        self.ctx.status_message.emit(f"已{'接受' if decision == 'accepted' else '不接受'}所有待审核文件中 {n} 处待定的差异。")
        self.decided.emit(None)
        return True

    def _move_down(self, column: int) -> None:
        index = self.view.currentIndex()
        if index.isValid() and index.row() + 1 < self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(index.row() + 1, column))

    def edit_comment(self, key: tuple | None = None) -> bool:
        """Enter: type the 退回意见 of the current row (or of row `key`) in the grid."""
        row = self.current_row() if key is None else next((r for r in self.model.rows if r.key == key), None)
        if row is None or not row.change_ids:
            return False
        index = self.model.index_of(row.key, self.model.comment_column)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        self.view.setFocus()
        self.view.edit(index)
        return True

    def finish_editing(self) -> None:
        """Keep what is typed in an open 退回意见 editor (Ctrl+T while typing sends the comment too)."""
        from PySide6.QtWidgets import QAbstractItemDelegate, QApplication
        editor = QApplication.focusWidget()
        if self.view.state() == QAbstractItemView.State.EditingState and editor is not None \
                and self.view.isAncestorOf(editor):
            self.view.commitData(editor)
            self.view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def _comment_typed(self, row, comment: str) -> None:
        from core.returns.review import set_comments
        ledger, ids = self.ctx.ledger, row.change_ids
        write_now(self.ctx, "collect", lambda: set_comments(ledger, ids, comment))
        self.view.resizeRowToContents(self.model.index_of(row.key, 0).row())
