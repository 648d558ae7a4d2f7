"""The 立项助手 page's wiring: opening a report (read off the window's thread), editing the draft table, suggestions,
accepting it as a new campaign, exporting Word; the layout is built by `layout`, the highlighting by `highlight`."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from ...draft_table_model import COL_TEXT, DraftTableModel
from ...jobs import message_of
from ...operations import LedgerQuery, write_now
from . import PAGE_KEY, layout
from .highlight import highlight, reasons_html, spans_shown

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QPushButton, QSpinBox, QTableView, QTextBrowser

    from core.draft.model import DraftTable
    from core.draft.suggest import SuggestIndex

    from ...context import AppContext

REPORT_SUFFIXES = {".txt", ".docx"}


class DraftPage(QWidget):
    HELP_TOPIC = "draft"
    # built by layout.build
    open_button: QPushButton
    year_spin: QSpinBox
    history_button: QPushButton
    rules_button: QPushButton
    suggest_button: QPushButton
    accept_button: QPushButton
    export_button: QPushButton
    merge_button: QPushButton
    split_button: QPushButton
    up_button: QPushButton
    down_button: QPushButton
    delete_button: QPushButton
    undo_button: QPushButton
    count_label: QLabel
    report_view: QTextBrowser
    view: QTableView
    reasons_view: QTextBrowser

    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        self.report = None
        self.table: DraftTable | None = None
        self.index: SuggestIndex | None = None
        self.source_path: Path | None = None
        self._target_spans: list[tuple[int, int]] = []   # where the report's 目标 sentences are, for highlighting
        self.extra_past: list = []   # earlier years' tables loaded for this draft (not written to the ledger)
        self.last_error = ""
        self.model = DraftTableModel()
        layout.build(self)
        self.view.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show_current(cur.row()))
        self.model.dataChanged.connect(lambda *_: self._show_current(self.current_row()))
        self._update_buttons()

    # -- loading ---------------------------------------------------------------------------------
    def open_report(self, path: Path | str | None = None) -> None:
        if path is None:
            from ...file_dialogs import open_file
            path = open_file(self, "打开政府工作报告", "report", "政府工作报告 (*.docx *.txt);;所有文件 (*)")
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

        LedgerQuery(self.ctx, job).success(lambda result: self._loaded(path, *result)) \
            .failure(lambda exc: self._failed(message_of(exc))).run()

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
        layout.size_columns(self.view)
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
            highlight(self.report_view, self._target_spans, None)
            return
        c = self.table.candidates[row]
        highlight(self.report_view, self._target_spans, c)
        self.reasons_view.setHtml(reasons_html(c))

    def highlighted_spans(self) -> list[tuple[int, int, str]]:
        """(start, end, colour name) of what the report view shows highlighted (for tests and checks)."""
        return spans_shown(self.report_view)

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

    def move(self, delta: int) -> None:   # type: ignore[override]  # 上移/下移 (Alt+Up/Down), not QWidget.move
        table = self.table
        if table is not None:
            self._run(lambda row: table.move(row, delta), select_after=lambda _row, new: new)

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
            from ...file_dialogs import open_file
            path = open_file(self, "载入往年立项表", "plan",
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

        LedgerQuery(self.ctx, job).success(done).failure(lambda exc: self._failed(message_of(exc))).run()

    def open_rules(self):
        from ...draft_rules_dialog import RulesDialog
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
        from core.campaign.importing import file_ref
        from core.common.errors import UserError
        from core.draft.model import accept_as_campaign
        if self.table is None:
            return None
        year = self.year_spin.value()
        question = f"把草稿的 {len(self.table.candidates)} 条任务作为 {year} 年的新立项写入台账？"
        if ask and QMessageBox.question(self, "接受为新立项", question) != QMessageBox.StandardButton.Yes:
            return None
        try:
            ref = file_ref(self.source_path) if self.source_path and self.source_path.exists() else "draft"
            ledger, table = self.ctx.ledger, self.table
            result = write_now(self.ctx, PAGE_KEY, lambda: accept_as_campaign(ledger, table, year, source_ref=ref)).value
        except UserError as exc:   # refused (a campaign of that year exists, a write is running): said on the page
            self._failed(exc.message)
            return None
        self.ctx.status_message.emit(f"已建立 {year} 年立项：{result['added']} 项任务。")
        return result

    def export_word(self, path: Path | str | None = None) -> Path | None:
        from core.campaign.export_docx import export_plan_docx
        from core.common.errors import UserError
        if self.table is None:
            return None
        year = self.year_spin.value()
        if path is None:
            from ...file_dialogs import save_file
            path = save_file(self, "导出立项表", "export", f"{year}年立项表（草稿）.docx", "Word 文档 (*.docx)")
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
