"""备份与检查 page: backups with previews, back up now, restore, retention, check, whole-ledger export/import, undo merge."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QFileDialog, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPlainTextEdit,
    QPushButton, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)


from ..jobs import message_of
from ..operations import LedgerOp, LedgerQuery, write_now

if TYPE_CHECKING:
    from ..context import AppContext
    from core.ledger.backup import BackupInfo

    from ..jobs import Job

PAGE_ORDER = 80
PAGE_TITLE = "备份与检查"
PAGE_KEY = "backup"

XLSX_FILTER = "Excel 工作簿 (*.xlsx)"


def create(ctx):
    return BackupPage(ctx)


class BackupPage(QWidget):
    HELP_TOPIC = "backup"

    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        self.job: Job | None = None
        self.backups: list[BackupInfo] = []
        self.last_check = None

        self.backup_button = self._button("立即备份", "把台账复制一份到备份文件夹（一致性副本）", self.backup_now)
        self.restore_button = self._button("恢复所选备份…", "用所选备份替换当前台账（先自动备份当前台账）", self.restore_selected)
        self.check_button = self._button("检查台账", "检查数据库结构、外键，以及收到的文件是否齐全、未被改动", self.check)
        self.export_button = self._button("导出整个台账…", "把整个台账导出为一个 .xlsx 工作簿，可拷到另一台电脑导入", self.export)
        self.import_button = self._button("从导出文件导入…", "把“导出整个台账”生成的工作簿导入到空台账", self.import_export)
        self.undo_button = self._button("撤销上次合并", "把上次合并改动的内容恢复为合并前的值，报送回到待审核", self.undo_merge)
        bar = QHBoxLayout()
        for b in (self.backup_button, self.restore_button, self.check_button, self.export_button,
                  self.import_button, self.undo_button):
            bar.addWidget(b)
        bar.addStretch(1)

        box = self._retention_box()

        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["时间", "原因", "大小", "文件"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._show_preview)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setPlaceholderText("选择一份备份，查看其中的内容")
        self.result = QPlainTextEdit()
        self.result.setReadOnly(True)
        self.result.setPlaceholderText("检查、导出、导入和撤销的结果显示在这里")
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.preview)
        right.addWidget(self.result)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        self.path_label = QLabel()
        self.path_label.setWordWrap(True)   # a long folder path wraps instead of widening the whole window
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.path_label)
        layout.addLayout(bar)
        layout.addWidget(box)
        layout.addWidget(split, 1)
        self.refresh()

    def _retention_box(self) -> QGroupBox:
        """How many backups are kept: the last N, and one a day for N days."""
        self.keep_last = QSpinBox()
        self.keep_last.setRange(1, 999)
        self.keep_last.setSuffix(" 份")
        self.keep_days = QSpinBox()
        self.keep_days.setRange(0, 3650)
        self.keep_days.setSuffix(" 天")
        self.retention_button = self._button("保存保留规则", "旧备份按此规则自动清理", self.save_retention)
        self.retention_label = QLabel()
        keep = QHBoxLayout()
        keep.addWidget(QLabel("保留最近"))
        keep.addWidget(self.keep_last)
        keep.addWidget(QLabel("，另外按日保留"))
        keep.addWidget(self.keep_days)
        keep.addWidget(QLabel("内每天 1 份"))
        keep.addWidget(self.retention_button)
        keep.addStretch(1)
        self.retention_label.setWordWrap(True)   # the whole rule (weekly copies, the copies always kept) on its own line
        rule_box = QVBoxLayout()
        rule_box.addLayout(keep)
        rule_box.addWidget(self.retention_label)
        box = QGroupBox("备份保留规则（每天首次启动时、导入立项表和升级结构前、恢复前自动备份；合并不必整本备份）")
        box.setLayout(rule_box)
        return box

    # -- small seams the tests replace ----------------------------------------------------
    def _button(self, text, tip, slot) -> QPushButton:
        b = QPushButton(text)
        b.setToolTip(tip)
        b.clicked.connect(lambda: slot())
        return b

    def _info(self, title: str, text: str) -> None:
        QMessageBox.information(self, title, text)

    def _warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)

    def _ask(self, title: str, text: str) -> bool:
        return QMessageBox.question(self, title, text) == QMessageBox.StandardButton.Yes

    def _save_path(self, title: str, suggested: str) -> str:
        return QFileDialog.getSaveFileName(self, title, suggested, XLSX_FILTER)[0]

    def _open_path(self, title: str) -> str:
        from ..file_dialogs import open_file
        return open_file(self, title, "backup", XLSX_FILTER)

    # -- state ------------------------------------------------------------------------------
    @property
    def ledger(self):
        return self.ctx.ledger

    def refresh(self) -> None:
        from core.ledger.backup import describe_retention, get_retention, list_backups
        where = f"共享台账：{self.ledger.location}" if self.ledger.is_server else f"台账文件：{self.ledger.path}"
        self.path_label.setText(f"{where}\n备份文件夹：{self.ledger.backup_dir}")
        rule = get_retention(self.ledger)
        self.keep_last.setValue(rule["keep_last"])
        self.keep_days.setValue(rule["keep_daily_days"])
        self.retention_label.setText("当前：" + describe_retention(rule))
        selected = self.selected_backup()
        self.backups = list_backups(self.ledger.path)
        self.table.setRowCount(len(self.backups))
        for r, b in enumerate(self.backups):
            for c, text in enumerate([f"{b.taken_at:%Y-%m-%d %H:%M:%S}", b.reason, _size(b.size), b.path.name]):
                self.table.setItem(r, c, QTableWidgetItem(text))
            if selected is not None and b.path == selected:
                self.table.selectRow(r)
        self.table.resizeColumnsToContents()
        self._set_busy(self.job is not None)

    def selected_backup(self) -> Path | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.backups):
            return None
        return self.backups[rows[0].row()].path

    def _show_preview(self) -> None:
        from core.ledger.backup import preview_backup
        from core.common.errors import UserError
        path = self.selected_backup()
        if path is None:
            self.preview.clear()
            return
        try:
            self.preview.setPlainText(f"{path.name}\n\n{preview_backup(path).summary()}")
        except UserError as exc:
            self.preview.setPlainText(exc.message)

    def _set_busy(self, busy: bool) -> None:
        for b in (self.backup_button, self.restore_button, self.check_button, self.export_button,
                  self.import_button, self.undo_button, self.retention_button):
            b.setEnabled(not busy)

    def _start(self, fn, on_done, label: str, writes: bool = True) -> None:
        """A write (LedgerOp: its result says what changed) or a read (LedgerQuery), with the buttons off meanwhile."""
        self.ctx.status_message.emit(label + "…")
        self._set_busy(True)

        def done(result):
            self.job = None
            self._set_busy(False)
            on_done(result)

        def failed(message):
            self.job = None
            self._set_busy(False)
            self.result.setPlainText(message)
            self.ctx.status_message.emit(f"{label}未完成")
            self._warn(label, message)

        def cancelled():
            self.job = None
            self._set_busy(False)
            self.ctx.status_message.emit(f"{label}已取消")
        self.job = ((LedgerOp(self.ctx, PAGE_KEY, fn) if writes else LedgerQuery(self.ctx, fn))
                    .success(done).failure(lambda exc: failed(message_of(exc))).cancelled(cancelled)
                    .progress(lambda d, t, text: self.ctx.status_message.emit(f"{label}：{text}")).run())

    # -- actions ----------------------------------------------------------------------------
    def backup_now(self) -> None:
        from core.ledger.backup import take_backup
        ledger = self.ledger

        def done(taken):
            self.result.setPlainText(f"已备份到：{taken.value}")
            self.ctx.status_message.emit("备份完成")
            self.refresh()
        self._start(lambda work: take_backup(ledger), done, "备份")

    def save_retention(self) -> None:
        from core.ledger.backup import describe_retention, set_retention
        ledger, last, days = self.ledger, self.keep_last.value(), self.keep_days.value()
        rule = write_now(self.ctx, PAGE_KEY, lambda: set_retention(ledger, last, days)).value
        self.ctx.status_message.emit("保留规则已保存：" + describe_retention(rule))
        self.refresh()

    def restore_selected(self) -> None:
        from core.ledger.backup import preview_backup, restore_backup
        path = self.selected_backup()
        if path is None:
            self._info("恢复备份", "请先在列表中选择一份备份。")
            return
        summary = preview_backup(path).summary()
        if not self._ask("恢复备份", f"用这份备份替换当前台账？\n\n{path.name}\n{summary}\n\n"
                                    "当前台账会先自动备份（“恢复前”），恢复后仍可再换回来。"):
            return
        if self.job is not None or self.ctx.jobs.active:
            self._info("恢复备份", "还有后台工作在进行，请等它完成后再恢复。")
            return
        old = self.ledger
        ledger_path = old.location if old.is_server else Path(old.path)
        old.close()
        # refused or failed: the ledger stays as it was (its engine reconnects)
        safety = restore_backup(ledger_path, path, password=old._password)
        new = old.reopen()
        window = self.ctx.window
        if window is not None and hasattr(window, "set_ledger"):
            window.set_ledger(new)
        else:
            self.ctx.swap_ledger(new)
        text = f"已从“{path.name}”恢复。恢复前的台账已备份为“{safety.name if safety else '（无）'}”。"
        self.result.setPlainText(text)
        self.ctx.status_message.emit("恢复完成")
        self.refresh()
        self._info("恢复备份", text)

    def check(self) -> None:
        from core.ledger.integrity import check_ledger
        ledger = self.ledger

        def done(result):
            self.last_check = result
            self.result.setPlainText(result.summary())
            self.ctx.status_message.emit("台账完好" if result.ok else "台账检查发现问题")
            if not result.ok:
                self._warn("检查台账", result.summary())
        self._start(lambda work: check_ledger(ledger, work=work), done, "检查台账", writes=False)

    def export(self) -> None:
        from core.ledger.export_xlsx import export_ledger
        suggested = str(Path(self.ledger.path).with_name(Path(self.ledger.path).stem + "-整本导出.xlsx"))
        target = self._save_path("导出整个台账", suggested)
        if not target:
            return
        out = Path(target) if target.lower().endswith(".xlsx") else Path(target + ".xlsx")
        ledger = self.ledger

        def done(counts):
            text = (f"已导出到：{out}\n任务 {counts.get('task', 0)} 项，单位 {counts.get('unit', 0)} 个，"
                    f"进展 {counts.get('progress_row', 0)} 行，痕迹 {counts.get('audit', 0)} 条。\n"
                    f"收到的原始文件在“{ledger.store_dir.name}”文件夹中，拷贝时请一并带上。")
            self.result.setPlainText(text)
            self.ctx.status_message.emit("导出完成")
        self._start(lambda work: export_ledger(ledger, out, work), done, "导出整个台账", writes=False)

    def import_export(self) -> None:
        from core.ledger.import_xlsx import import_ledger
        source = self._open_path("从导出文件导入")
        if not source:
            return
        ledger = self.ledger

        def done(imported):
            counts = imported.value
            text = (f"已从“{Path(source).name}”导入：任务 {counts.get('task', 0)} 项，单位 {counts.get('unit', 0)} 个，"
                    f"进展 {counts.get('progress_row', 0)} 行，痕迹 {counts.get('audit', 0)} 条。")
            self.result.setPlainText(text)
            self.ctx.status_message.emit("导入完成")
            self.refresh()
        self._start(lambda work: import_ledger(ledger, Path(source), work), done, "从导出文件导入")

    def undo_merge(self) -> None:
        from core.returns.merge_undo import find_last_merge, undo_last_merge
        found = find_last_merge(self.ledger)
        if found is None:
            self._info("撤销上次合并", "没有可以撤销的合并。")
            return
        if not self._ask("撤销上次合并",
                         f"撤销上次合并：{len(found['submissions'])} 份报送，{found['fields']} 个字段将恢复为合并前的值，"
                         "这些报送回到“待审核”（可再次合并）。撤销本身也记入痕迹。继续吗？"):
            return
        ledger = self.ledger

        def done(undone):
            result = undone.value
            text = (f"已撤销上次合并：{result['files']} 份报送，恢复 {result['fields']} 个字段"
                    + (f"，删除合并新增的 {result['rows_deleted']} 行" if result["rows_deleted"] else "")
                    + (f"。今日备份：{Path(result['backup']).name}" if result["backup"] else "。"))
            self.result.setPlainText(text)
            self.ctx.status_message.emit("已撤销上次合并")
            self.refresh()
        self._start(lambda work: undo_last_merge(ledger), done, "撤销上次合并")


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"
