"""立项助手 page: the report beside the draft table; merge, split, reorder, suggestions with reasons, accept, export."""
from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton, QSpinBox,
    QSplitter, QTableView, QTextBrowser, QTextEdit, QVBoxLayout, QWidget,
)

from core.ledger.changes import Area, LedgerChange

from ..draft_table_model import COL_TEXT, DraftTableModel
from ..operations import write_now

PAGE_ORDER = 30
PAGE_TITLE = "立项助手"
PAGE_KEY = "draft"

REPORT_SUFFIXES = {".txt", ".docx"}
EMPTY_TEXT = ("打开当年的《政府工作报告》（.docx 或 .txt），这里会按“工作安排”部分切出候选任务，"
              "并参照往年台账和关键词规则建议责任单位和牵头领导。")
TARGET_COLOR = QColor("#fff2a8")
SPAN_COLOR = QColor("#cfe3ff")


def create(ctx):
    return DraftPage(ctx)


class DraftPage(QWidget):
    HELP_TOPIC = "draft"

    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        self.report = None
        self.table = None
        self.index = None
        self.source_path: Path | None = None
        self.extra_past: list = []   # earlier years' tables loaded for this draft (not written to the ledger)
        self.last_error = ""
        self.model = DraftTableModel()

        self.open_button = QPushButton("打开报告…")
        self.open_button.setToolTip("打开政府工作报告（.docx 或 .txt），也可以把文件拖到窗口中")
        self.open_button.clicked.connect(lambda: self.open_report())
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setPrefix("立项年度 ")
        from datetime import date
        self.year_spin.setValue(date.today().year)
        self.merge_button = self._button("合并下一条", "Ctrl+M", self.merge_next)
        self.split_button = self._button("在光标处拆分", "Ctrl+T", self.split_at_cursor,
                                         "在左侧报告中把光标放在所选任务文字里要拆开的位置，再拆分")
        self.up_button = self._button("上移", "Alt+Up", lambda: self.move(-1))
        self.down_button = self._button("下移", "Alt+Down", lambda: self.move(1))
        self.delete_button = self._button("删除", "Delete", self.delete_current)
        self.undo_button = self._button("撤销", "Ctrl+Z", self.undo)
        self.history_button = QPushButton("载入往年立项表…")
        self.history_button.setToolTip("台账里没有的往年立项表（Word/Excel，或立项通知 PDF 转出的文本），只用于本次建议")
        self.history_button.clicked.connect(lambda: self.load_history())
        self.rules_button = QPushButton("规则…")
        self.rules_button.setToolTip("查看和编辑“关键词 → 责任单位”建议规则（保存在台账中）")
        self.rules_button.clicked.connect(lambda: self.open_rules())
        self.suggest_button = QPushButton("重新建议单位")
        self.suggest_button.setToolTip("按往年台账和关键词规则重新建议所选任务（未选时为全部空白任务）的单位和领导")
        self.suggest_button.clicked.connect(self.resuggest)
        self.accept_button = QPushButton("接受为新立项")
        self.accept_button.clicked.connect(lambda: self.accept_draft())
        self.export_button = QPushButton("导出 Word…")
        self.export_button.setToolTip("导出为通知格式的附件1/附件2 Word 表格（牵头单位加黑）")
        self.export_button.clicked.connect(lambda: self.export_word())
        self.count_label = QLabel()

        # two rows, so the page fits a 1366-pixel office screen: file and suggestion actions, then editing
        bar = QHBoxLayout()
        for w in (self.open_button, self.year_spin, self.history_button, self.rules_button, self.suggest_button):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.accept_button)
        bar.addWidget(self.export_button)
        edit_bar = QHBoxLayout()
        for w in (self.merge_button, self.split_button, self.up_button, self.down_button, self.delete_button,
                  self.undo_button):
            edit_bar.addWidget(w)
        edit_bar.addWidget(self.count_label, 1)
        self.count_label.setWordWrap(True)

        self.report_view = QTextBrowser()
        self.report_view.setOpenLinks(False)
        self.report_view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                                 | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.report_view.setPlaceholderText(EMPTY_TEXT)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.setWordWrap(True)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show_current(cur.row()))
        self.model.dataChanged.connect(lambda *_: self._show_current(self.current_row()))
        self.reasons_view = QTextBrowser()
        self.reasons_view.setMaximumHeight(150)
        self.reasons_view.setPlaceholderText("选中一条任务，这里显示建议单位和领导的依据。")

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.view)
        right.addWidget(self.reasons_view)
        right.setStretchFactor(0, 4)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.report_view)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(edit_bar)
        layout.addWidget(split, 1)
        self._update_buttons()

    def _button(self, label: str, keys: str, slot, tip: str = "") -> QPushButton:
        button = QPushButton(label)
        button.setToolTip(f"{tip or label}（{QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)}）")
        button.clicked.connect(slot)
        shortcut = QShortcut(QKeySequence(keys), self, activated=slot)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        return button

    # -- loading ---------------------------------------------------------------------------------
    def open_report(self, path: Path | str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "打开政府工作报告", "", "政府工作报告 (*.docx *.txt);;所有文件 (*)")
            if not path:
                return
        path = Path(path)
        self.ctx.status_message.emit(f"正在读取“{path.name}”…")
        ledger = self.ctx.ledger

        def job(work):
            from core.draft.model import DraftTable
            from core.draft.report import load_report
            from core.draft.suggest import apply_suggestions, index_for
            report = load_report(path)
            work.step(1, 3, "切分任务")
            year = report.year
            index = index_for(ledger, year, self.extra_past)
            work.step(2, 3, "建议单位")
            table = DraftTable.from_report(report)
            apply_suggestions(index, table.candidates)
            return report, table, index

        self.ctx.jobs.start(job, on_done=lambda result: self._loaded(path, *result), on_error=self._failed)

    def _failed(self, message: str) -> None:
        self.last_error = message
        self.ctx.status_message.emit(message)
        if self.isVisible():  # window-modal but not blocking: the page stays scriptable
            box = QMessageBox(QMessageBox.Icon.Warning, "立项助手", message, QMessageBox.StandardButton.Ok, self)
            box.setWindowModality(Qt.WindowModality.WindowModal)
            box.open()
            self.message_box = box

    def _loaded(self, path: Path, report, table, index) -> None:
        self.source_path, self.report, self.table, self.index = path, report, table, index
        if report.year:
            self.year_spin.setValue(report.year)
        self.report_view.setPlainText(report.text)
        from core.draft.targets import find_targets
        self._target_spans = [(t.start, t.end) for t in
                              find_targets(report.text[report.plan_start:report.plan_end], report.plan_start)]
        self.model.set_table(table)
        self.view.resizeColumnToContents(0)
        for col, width in ((1, 70), (2, 150), (3, 140), (5, 90), (6, 220)):
            self.view.setColumnWidth(col, width)
        self.ctx.status_message.emit(
            f"已从“{path.name}”切出 {len(table.candidates)} 条候选任务，已按往年台账和规则建议责任单位。")
        if table.candidates:
            self.select_row(0)
        self._update_buttons()

    # -- selection and highlighting --------------------------------------------------------------
    def current_row(self) -> int:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else -1

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.view.selectRow(row)
            self.view.setCurrentIndex(self.model.index(row, COL_TEXT))
            self._show_current(row)

    def _show_current(self, row: int) -> None:
        self._update_buttons()
        if self.table is None or not 0 <= row < len(self.table.candidates):
            self.reasons_view.clear()
            self._highlight(None)
            return
        c = self.table.candidates[row]
        self._highlight(c)
        parts = [f"<b>{html.escape(c.area or '（无重点领域）')}</b> · {html.escape(c.category or '--')}"]
        if c.reasons:
            parts.append("<ul>" + "".join(f"<li>{html.escape(r)}</li>" for r in c.reasons) + "</ul>")
        else:
            parts.append("<p>没有建议：往年台账和规则中都没有找到相近的任务。请手工填写责任单位。</p>")
        self.reasons_view.setHtml("".join(parts))

    def _highlight(self, candidate) -> None:
        selections = []
        doc = self.report_view.document()
        for start, end in getattr(self, "_target_spans", []):
            selections.append(self._selection(doc, start, end, TARGET_COLOR, bold=True))
        if candidate is not None and candidate.end > candidate.start:
            selections.insert(0, self._selection(doc, candidate.start, candidate.end, SPAN_COLOR))
            cursor = QTextCursor(doc)
            cursor.setPosition(min(candidate.end, doc.characterCount() - 1))
            self.report_view.setTextCursor(cursor)
            self.report_view.ensureCursorVisible()
            cursor.setPosition(candidate.start)
            self.report_view.setTextCursor(cursor)
            self.report_view.ensureCursorVisible()
        self.report_view.setExtraSelections(selections)

    @staticmethod
    def _selection(doc, start: int, end: int, color: QColor, bold: bool = False):
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(doc)
        last = doc.characterCount() - 1
        cursor.setPosition(min(start, last))
        cursor.setPosition(min(end, last), QTextCursor.MoveMode.KeepAnchor)
        fmt = QTextCharFormat()
        fmt.setBackground(color)
        if bold:
            fmt.setFontWeight(700)
        sel.cursor, sel.format = cursor, fmt
        return sel

    def highlighted_spans(self) -> list[tuple[int, int, str]]:
        """(start, end, colour name) of what the report view shows highlighted (for tests and checks)."""
        return [(s.cursor.selectionStart(), s.cursor.selectionEnd(), s.format.background().color().name())
                for s in self.report_view.extraSelections()]

    # -- operations --------------------------------------------------------------------------------
    def _run(self, fn, select_after=None) -> None:
        from core.common.errors import UserError
        row = self.current_row()
        if self.table is None or row < 0:
            return
        try:
            result = fn(row)
        except UserError as exc:
            self.ctx.status_message.emit(exc.message)
            return
        self.model.reset()
        self.select_row(select_after(row, result) if select_after else min(row, self.model.rowCount() - 1))

    def merge_next(self) -> None:
        self._run(self.table.merge_next if self.table else None)

    def split_at_cursor(self) -> None:
        if self.table is None or self.current_row() < 0:
            return
        c = self.table.candidates[self.current_row()]
        pos = self.report_view.textCursor().position()
        if not (c.start < pos < c.end) or self.report_view.toPlainText()[c.start:c.end] != c.text:
            self.ctx.status_message.emit("请先在左侧报告中，把光标放在所选任务（蓝色）文字里要拆开的位置，再按 Ctrl+T。")
            return
        self._run(lambda row: self.table.split(row, pos - c.start))

    def move(self, delta: int) -> None:
        self._run(lambda row: self.table.move(row, delta), select_after=lambda _row, new: new)

    def delete_current(self) -> None:
        self._run(self.table.delete if self.table else None)

    def undo(self) -> None:
        if self.table is None:
            return
        label = self.table.undo()
        if label:
            row = self.current_row()
            self.model.reset()
            self.select_row(min(max(row, 0), self.model.rowCount() - 1))
            self.ctx.status_message.emit(f"已撤销：{label}")

    def load_history(self, path: Path | str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "载入往年立项表", "",
                                                  "立项表或立项通知 (*.docx *.xlsx *.xls *.ods *.txt);;所有文件 (*)")
            if not path:
                return
        path = Path(path)
        ledger, year, extra = self.ctx.ledger, self.year_spin.value(), list(self.extra_past)

        def job(work):
            from core.draft.history import load_history_file
            from core.draft.suggest import index_for
            seen = {(p.year, p.text) for p in extra}
            loaded = [p for p in load_history_file(path) if (p.year, p.text) not in seen]  # same file twice: once
            return loaded, index_for(ledger, year, extra + loaded)

        def done(result):
            loaded, index = result
            self.extra_past += loaded
            self.index = index
            if self.table is not None:
                from core.draft.suggest import apply_suggestions
                apply_suggestions(index, self.table.candidates, only_empty=False)
                row = self.current_row()
                self.model.reset()
                self.select_row(row)
            self.history_loaded = len(loaded)
            self.ctx.status_message.emit(f"已载入“{path.name}”的 {len(loaded)} 项往年任务，建议已更新（手工改过的单位不变）。")

        self.ctx.jobs.start(job, on_done=done, on_error=self._failed)

    def open_rules(self):
        from ..draft_rules_dialog import RulesDialog
        dialog = RulesDialog(self.ctx, self)
        dialog.finished.connect(lambda _code: self._rules_closed(dialog))
        dialog.open()
        self.rules_dialog = dialog
        return dialog

    def _rules_closed(self, dialog) -> None:
        if not dialog.changed:
            return
        from core.draft.suggest import index_for
        self.index = index_for(self.ctx.ledger, self.year_spin.value(), self.extra_past)
        self.ctx.status_message.emit("规则已更新；点“重新建议单位”可按新规则重新建议。")

    def resuggest(self) -> None:
        if self.table is None or self.index is None:
            return
        from core.draft.suggest import apply_suggestions
        row = self.current_row()
        targets = [self.table.candidates[row]] if row >= 0 else self.table.candidates
        apply_suggestions(self.index, targets, only_empty=row < 0)
        self.model.reset()
        self.select_row(row)

    def _update_buttons(self) -> None:
        has = self.table is not None and bool(self.table.candidates)
        row = self.current_row()
        for b in (self.merge_button, self.split_button, self.up_button, self.down_button, self.delete_button,
                  self.suggest_button):
            b.setEnabled(has and row >= 0)
        self.undo_button.setEnabled(self.table is not None and self.table.can_undo)
        self.accept_button.setEnabled(has)
        self.export_button.setEnabled(has)
        if self.table is not None:
            key = sum(1 for c in self.table.candidates if c.kind == "key")
            live = len(self.table.candidates) - key
            empty = sum(1 for c in self.table.candidates if not c.units)
            self.count_label.setText(f"重点任务 {key} 条" + (f"，民生实事 {live} 条" if live else "")
                                     + (f"，{empty} 条未定单位" if empty else ""))

    # -- accept and export ---------------------------------------------------------------------------
    def accept_draft(self, ask: bool = True) -> dict | None:
        from core.draft.model import accept_as_campaign
        from core.common.errors import UserError
        from core.campaign.importing import file_ref
        if self.table is None:
            return None
        year = self.year_spin.value()
        if ask and QMessageBox.question(
                self, "接受为新立项",
                f"把草稿的 {len(self.table.candidates)} 条任务作为 {year} 年的新立项写入台账？") != QMessageBox.StandardButton.Yes:
            return None
        try:
            ref = file_ref(self.source_path) if self.source_path and self.source_path.exists() else "draft"
            ledger, table = self.ctx.ledger, self.table
            result = write_now(self.ctx, PAGE_KEY, lambda: accept_as_campaign(ledger, table, year, source_ref=ref),
                               LedgerChange.of(Area.CAMPAIGN, Area.TASKS, Area.UNITS))
        except UserError as exc:   # refused (a campaign of that year exists, a write is running): said on the page
            self._failed(exc.message)
            return None
        self.ctx.status_message.emit(f"已建立 {year} 年立项：{result['added']} 项任务。")
        return result

    def export_word(self, path: Path | str | None = None) -> Path | None:
        from core.common.errors import UserError
        from core.campaign.export_docx import export_plan_docx
        if self.table is None:
            return None
        year = self.year_spin.value()
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "导出立项表", f"{year}年立项表（草稿）.docx", "Word 文档 (*.docx)")
            if not path:
                return None
        try:
            out = export_plan_docx(self.table.to_plan(year), Path(path), year)
        except UserError as exc:
            self._failed(exc.message)
            return None
        self.ctx.status_message.emit(f"已导出“{out.name}”。")
        return out

    # -- drops -------------------------------------------------------------------------------------
    def handles_drop(self, paths: list[Path]) -> bool:
        if len(paths) != 1 or Path(paths[0]).suffix.lower() not in REPORT_SUFFIXES or not Path(paths[0]).is_file():
            return False
        from core.draft.report import looks_like_report
        return looks_like_report(paths[0])

    def drop(self, paths: list[Path]) -> None:
        self.open_report(Path(paths[0]))

    def refresh(self) -> None:
        pass
