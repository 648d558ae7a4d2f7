"""The 导入立项表 dialog: pick or drop a file, read and preview it in the background, confirm to apply."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPushButton, QSpinBox, QTabWidget, QVBoxLayout, QWidget,
)

from core.common.vocabulary import KIND_NAMES  # one list of the words, kept in core

from .jobs import message_of
from .operations import LedgerOp, LedgerQuery
FILE_FILTER = ("立项表 (*.docx *.xlsx *.xls *.ods *.txt *.tsv);;Word 文档 (*.docx);;"
               "Excel 表格 (*.xlsx *.xls *.ods);;制表符分隔文本 (*.txt *.tsv);;所有文件 (*)")


def _read_and_preview(ledger, path: Path, year: int | None, swap: bool = False):
    """Worker-thread job: read the file (its two tables swapped when the clerk asked), then compare it with the ledger."""
    from core.campaign.importing import file_ref, preview_import
    from core.campaign.read import read_plan_file

    def job(work):
        work.step(0, 2, "正在读取立项表…")
        plan = read_plan_file(path, swap=swap)
        work.step(1, 2, "正在与台账比对…")
        return preview_import(ledger, plan, year, file_ref(path))
    return job


UNITS_HINT_LEDGER = "下列名称与台账中（或文件中另一个）单位名称相近。勾选的将作为该单位的别名合并；不勾选则新建为单独的单位。"
UNITS_HINT_EMPTY = ("台账中还没有单位，文件中的单位将全部新建。下列名称与文件中另一个名称相近，可能是同一单位的不同写法："
                    "勾选的将合并为一个单位（作为别名）；不勾选则分别新建。")


class ImportDialog(QDialog):
    imported = Signal(dict)   # apply_import's summary

    def __init__(self, ctx, path: Path | str | None = None, parent=None):
        super().__init__(parent or ctx.window)
        self.ctx = ctx
        self.setWindowTitle("导入立项表")
        self.setModal(True)
        self.resize(820, 640)
        self.path: Path | None = None
        self.preview = None
        self.error_text = ""
        self.result_summary: dict | None = None
        self._job = None
        self._busy = False
        self._writing = False
        self._generation = 0
        self.swap = False   # the clerk's 对调两表: read 附件1 as 民生实事 and 附件2 as 重点任务

        file_row, form = self._file_row(), self._summary_form()
        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(self.status_label)
        layout.addLayout(form)
        layout.addWidget(self._tabs(), 1)
        layout.addLayout(self._buttons())
        self.setAcceptDrops(True)
        if path:
            self.set_path(path)

    def _file_row(self) -> QHBoxLayout:
        """The file's path (typed, chosen or dropped) and 选择文件."""
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("选择或拖入立项表文件（Word .docx、Excel .xlsx/.xls/.ods、制表符分隔文本）")
        self.path_edit.returnPressed.connect(lambda: self.set_path(self.path_edit.text()))
        self.browse_button = QPushButton("选择文件(&B)…")
        self.browse_button.clicked.connect(self.browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.browse_button)
        return file_row

    def _summary_form(self) -> QFormLayout:
        """The status line, then 年度, 概况 and which table was read as which (with 对调两表)."""
        self.status_label = QLabel("请选择立项表文件。")
        self.status_label.setWordWrap(True)
        self.status_label.setObjectName("importStatus")
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.year_spin = QSpinBox()
        self.year_spin.setRange(1999, 2100)
        self.year_spin.setSpecialValueText("—")   # nothing read yet: no year is shown (1999 is never a campaign)
        self.year_spin.setValue(1999)
        self.year_spin.setFixedWidth(110)
        self.year_spin.setEnabled(False)
        self.year_spin.setToolTip("立项年度：从文件标题读出，可改")
        self.year_spin.editingFinished.connect(self._year_changed)
        self.counts_label = QLabel("")
        self.counts_label.setWordWrap(True)
        self.tables_label = QLabel("")   # which table was read as which, and why
        self.tables_label.setWordWrap(True)
        self.tables_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.swap_button = QPushButton("对调两表(&S)")
        self.swap_button.setToolTip("把读作重点任务的表改读作民生实事，反之亦然，然后重新预览")
        self.swap_button.setEnabled(False)
        self.swap_button.setAutoDefault(False)
        self.swap_button.clicked.connect(self.swap_tables)
        tables_row = QHBoxLayout()
        tables_row.addWidget(self.tables_label, 1)
        tables_row.addWidget(self.swap_button, 0, Qt.AlignmentFlag.AlignTop)
        form = QFormLayout()
        year_label = QLabel("年度(&Y)：")
        year_label.setBuddy(self.year_spin)
        form.addRow(year_label, self.year_spin)
        form.addRow("概况：", self.counts_label)
        form.addRow("表格：", tables_row)
        return form

    def _tabs(self) -> QTabWidget:
        """新增, 修改, 删除, 提示 and 单位合并建议, each a list."""
        self.added_list = QListWidget()
        self.changed_list = QListWidget()
        self.removed_list = QListWidget()
        self.warnings_list = QListWidget()
        self.units_list = QListWidget()
        for lst in (self.added_list, self.changed_list, self.removed_list, self.warnings_list, self.units_list):
            lst.setWordWrap(True)
            lst.setTextElideMode(Qt.TextElideMode.ElideNone)
        units_box = QWidget()
        units_layout = QVBoxLayout(units_box)
        units_layout.setContentsMargins(0, 0, 0, 0)
        hint = QLabel(UNITS_HINT_LEDGER)
        hint.setWordWrap(True)
        self.units_hint = hint
        units_layout.addWidget(hint)
        units_layout.addWidget(self.units_list, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.added_list, "新增")
        self.tabs.addTab(self.changed_list, "修改")
        self.tabs.addTab(self.removed_list, "删除")
        self.tabs.addTab(self.warnings_list, "提示")
        self.tabs.addTab(units_box, "单位合并建议")
        return self.tabs

    def _buttons(self) -> QHBoxLayout:
        self.confirm_button = QPushButton("确定导入(&O)")
        # the &O mnemonic stays (setShortcut would replace it); Ctrl+Enter is a separate shortcut
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.confirm)
        self.confirm_button.setToolTip("确定导入（Ctrl+Enter 或 Alt+O）")
        self.confirm_button.setEnabled(False)
        self.confirm_button.clicked.connect(self.confirm)
        self.cancel_button = QPushButton("取消(&C)")
        self.cancel_button.setToolTip("取消（Esc）")
        self.cancel_button.clicked.connect(self.reject)
        self.confirm_button.setAutoDefault(False)
        self.cancel_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.cancel_button)
        return buttons

    # -- choosing the file -----------------------------------------------------------
    def browse(self) -> None:
        from .file_dialogs import open_file, remember
        if self.path:
            remember("plan", self.path)   # the folder of the file dropped or chosen before
        chosen = open_file(self, "选择立项表", "plan", FILE_FILTER)
        if chosen:
            self.set_path(chosen)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.set_path(paths[0])
            event.acceptProposedAction()

    def set_path(self, path: Path | str) -> None:
        """Read `path` and preview it (background job); the preview replaces any earlier one."""
        path = Path(str(path).strip().strip('"'))
        if not str(path) or str(path) == ".":
            return
        self.path = path
        self.path_edit.setText(str(path))
        self.swap = False
        self._start_preview(None)

    def swap_tables(self) -> None:
        """Read the file again with its two tables the other way round."""
        if self.preview is None or self._busy:
            return
        self.swap = not self.swap
        self._start_preview(self.preview.year)

    def _year_changed(self) -> None:
        if (self.preview is not None and self.year_spin.value() != self.preview.year and not self._busy
                and self.year_spin.value() != self.year_spin.minimum()):
            self._start_preview(self.year_spin.value())

    def _start_preview(self, year: int | None) -> None:
        if self._job is not None:
            self._job.cancel()
        self.preview = None
        self.error_text = ""
        path = self.path
        assert path is not None, "a preview starts only once a file is chosen"
        self._set_busy(True, f"正在读取“{path.name}”…")
        self._clear_lists()
        self._generation += 1
        gen = self._generation
        self._job = (LedgerQuery(self.ctx, _read_and_preview(self.ctx.ledger, path, year, self.swap))
                     .success(lambda p: self._show_preview(p, gen))
                     .failure(lambda exc: self._show_error(message_of(exc), gen))
                     .progress(lambda d, t, label: self.status_label.setText(label) if self._busy else None).run())

    # -- showing the preview -----------------------------------------------------------
    def _set_busy(self, busy: bool, message: str = "") -> None:
        self._busy = busy
        self.confirm_button.setEnabled(not busy and self.preview is not None)
        self.browse_button.setEnabled(not busy)
        self.year_spin.setEnabled(not busy and self.preview is not None)
        self.swap_button.setEnabled(not busy and self.preview is not None and len(self.preview.plan.readings) >= 2)
        if message:
            self.status_label.setText(message)

    TAB_TITLES = ("新增", "修改", "删除", "提示", "单位合并建议")

    def _clear_lists(self) -> None:
        for lst in (self.added_list, self.changed_list, self.removed_list, self.warnings_list, self.units_list):
            lst.clear()
        self.counts_label.setText("")
        self.tables_label.setText("")
        for index, title in enumerate(self.TAB_TITLES):
            self.tabs.setTabText(index, title)

    def _show_error(self, message: str, generation: int) -> None:
        if generation != self._generation:
            return
        self._job = None
        self.preview = None
        self.error_text = message
        self._set_busy(False)
        self.status_label.setProperty("error", True)
        self.status_label.setStyleSheet("color: #b3261e;")
        self.status_label.setText(f"无法导入：{message}")

    def _show_preview(self, preview, generation: int) -> None:
        if generation != self._generation:
            return
        self._job = None
        self.preview = preview
        self.error_text = ""
        self.status_label.setStyleSheet("")
        self._clear_lists()
        self.year_spin.blockSignals(True)
        self.year_spin.setValue(preview.year)
        self.year_spin.blockSignals(False)
        plan = preview.plan
        key = len(plan.of_kind("key"))
        live = len(plan.of_kind("livelihood"))
        head = f"文件中有重点任务 {key} 项、民生实事 {live} 项。"
        if preview.campaign_exists:
            head += (f"与台账中{preview.year}年的任务相比：新增 {len(preview.added)} 项，修改 {len(preview.changed)} 项，"
                     f"删除 {len(preview.removed)} 项，序号变动 {len(preview.renumbered)} 项，"
                     f"未变 {len(preview.unchanged)} 项。")
        else:
            head += f"台账中还没有{preview.year}年的任务，将全部新建。"
        if preview.new_units:
            head += f"新单位 {len(preview.new_units)} 个。"
        self.counts_label.setText(head)
        self.tables_label.setText("\n".join(preview.table_lines))
        self.tables_label.setStyleSheet("color: #b3261e;" if preview.tables_disagree else "")
        self._fill_lists(preview)
        lists = (self.added_list, self.changed_list, self.removed_list, self.warnings_list, self.units_list)
        for index, (lst, title) in enumerate(zip(lists, self.TAB_TITLES, strict=True)):
            self.tabs.setTabText(index, f"{title}（{lst.count()}）")
        nothing = preview.change_count == 0 and not preview.renumbered and preview.campaign_exists
        existing = len(preview.removed) + len(preview.changed) + len(preview.renumbered) + len(preview.unchanged)
        if nothing:
            self._set_busy(False, "与台账一致，没有需要导入的改动。")
        elif preview.removed and len(preview.removed) * 2 > existing:
            self._set_busy(False, f"请注意：导入后将撤销台账中{preview.year}年的 {len(preview.removed)} 项任务"
                                  f"（共 {existing} 项）。请确认选对了文件和年度；确认无误再点击“确定导入”。")
            self.status_label.setStyleSheet("color: #b3261e;")
            self.tabs.setCurrentIndex(2)
        else:
            name = self.path.name if self.path is not None else ""
            self._set_busy(False, f"已读取“{name}”。核对无误后点击“确定导入”。")

    def _fill_lists(self, preview) -> None:
        """Each tab's list from the preview; unit merge proposals as unticked boxes."""
        def label(kind: str, seq: int, text: str) -> str:
            return f"{KIND_NAMES.get(kind, kind)}{seq}：{text}"
        for t in preview.added:
            self.added_list.addItem(label(t.kind, t.seq, t.text))
        from core.campaign.importing import FIELD_NAMES
        for ch in preview.changed:
            fields = "、".join(FIELD_NAMES.get(f, f) for f in ch.fields)
            self.changed_list.addItem(f"{label(ch.new.kind, ch.new.seq, ch.new.text)}\n　　改动：{fields}")
        for r in preview.removed:
            self.removed_list.addItem(label(r["kind"], r["seq"], r["text"]))
        for w in preview.warnings:
            self.warnings_list.addItem(w)
        from core.ledger.queries import list_units
        in_ledger = {u["name"] for u in list_units(self.ctx.ledger)}
        self.units_hint.setText(UNITS_HINT_LEDGER if in_ledger else UNITS_HINT_EMPTY)
        for p in preview.unit_proposals:
            where = "台账中的" if p.canonical in in_ledger else "文件中的"
            item = QListWidgetItem(f"“{p.name}” → 合并为{where}“{p.canonical}”的别名（{p.reason}）")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, (p.name, p.canonical))
            self.units_list.addItem(item)

    def accepted_merges(self) -> dict[str, str]:
        out = {}
        for i in range(self.units_list.count()):
            item = self.units_list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                name, canonical = item.data(Qt.ItemDataRole.UserRole)
                out[name] = canonical
        return out

    # -- applying ---------------------------------------------------------------------
    def confirm(self) -> None:
        if self.preview is None or self._busy:
            return
        from core.campaign.importing import apply_import
        preview, merges, ledger = self.preview, self.accepted_merges(), self.ctx.ledger
        self._set_busy(True, "正在写入台账…")
        self._writing = True
        self._job = (LedgerOp(self.ctx, "import", lambda work: apply_import(ledger, preview, merges))
                     .success(lambda applied: self._applied(applied.value, preview.year))
                     .failure(lambda exc: self._apply_failed(message_of(exc))).run())

    def _applied(self, summary: dict, year: int) -> None:
        self._job = None
        self._writing = False
        self.result_summary = summary
        self._busy = False
        self.ctx.status_message.emit(
            f"已导入{year}年立项表：新增 {summary['added']} 项，修改 {summary['changed']} 项，"
            f"删除 {summary['removed']} 项。")
        self.imported.emit(summary)
        self.accept()

    def _apply_failed(self, message: str) -> None:
        self._job = None
        self._writing = False
        self._set_busy(False)
        self.error_text = message
        self.status_label.setStyleSheet("color: #b3261e;")
        self.status_label.setText(f"导入失败，台账未改动：{message}")

    def reject(self) -> None:
        if self._writing:
            return  # a write is under way; it finishes in one transaction
        if self._job is not None:
            self._job.cancel()
        super().reject()
