"""The 收文 page's 合并: a background job merging the accepted files one transaction each, with progress and 取消."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox


from ...jobs import message_of
from ...operations import LedgerOp
from . import PAGE_KEY

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QWidget

    from ...context import AppContext
    from ...jobs import Job
    _Base = QWidget
else:
    _Base = object


class MergingMixin(_Base):
    """Part of CollectPage: the 合并 job and what the page shows while it runs."""
    ctx: AppContext
    job: Job | None
    last_merge: dict | None
    last_error: str
    _merge_count: tuple[int, int]
    progress: QProgressBar
    cancel_button: QPushButton
    add_files_button: QPushButton
    add_folder_button: QPushButton
    confirm_button: QPushButton
    status_label: QLabel

    if TYPE_CHECKING:
        def refresh(self, then=None) -> None: ...
        def _update_buttons(self, busy: bool = False) -> None: ...

    def merge(self, confirm_first: bool = True):
        """Start 合并 as a background job (progress bar, 取消); returns the job, or None when there is nothing to merge.

        The job merges the staged files with accepted differences one transaction per file; 取消 stops between
        files. The summary lands in `last_merge`; the review buttons stay disabled while it runs.
        """
        from core.returns.merge import merge
        from core.returns.review import list_submissions
        if self.job is not None:
            return None
        staged = [s for s in list_submissions(self.ctx.ledger, ("staged",)) if s["accepted"]]
        if not staged:
            QMessageBox.information(self, "合并", "没有已接受的差异。请先按 A 接受要合并的内容。")
            return None
        ids = [s["id"] for s in staged]
        ledger = self.ctx.ledger
        self.last_merge = None
        self.last_error = ""
        self._merge_count = (0, len(ids))
        self._merging(True, f"正在合并 {len(ids)} 份文件（合并前自动备份）…")
        self.job = (LedgerOp(self.ctx, PAGE_KEY, lambda work: merge(ledger, ids, work=work))
                    .success(lambda merged: self._merged(merged.value)).failure(lambda exc: self._merge_failed(message_of(exc)))
                    .progress(self._merge_progress).cancelled(self._merge_cancelled).run())
        return self.job

    def _merging(self, busy: bool, text: str) -> None:
        """While a merge runs: progress and 取消 shown, files and decisions locked (the job reads them)."""
        self.progress.setVisible(busy)
        if busy:
            self.progress.setRange(0, self._merge_count[1])
            self.progress.setValue(0)
        self.cancel_button.setVisible(busy)
        self.cancel_button.setEnabled(True)   # 取消 disables it until the job stops
        for b in (self.add_files_button, self.add_folder_button, self.confirm_button):
            b.setEnabled(not busy)
        self.status_label.setText(text)
        if not busy:
            self.job = None
        self._update_buttons(busy)

    def merge_running(self) -> bool:
        """True (and says so) while a merge job runs: decisions wait until it is done."""
        if self.job is not None and self._merge_count[1]:
            self.status_label.setText("正在合并，请等合并完成或点“取消”后再审核。")
            return True
        return False

    def _merge_progress(self, done: int, total: int, label: str = "") -> None:
        self._merge_count = (done, total)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status_label.setText(f"正在合并 {done}/{total}：{label}")

    def _merge_finished(self, text: str) -> None:
        self._merge_count = (0, 0)
        self._merging(False, text)
        self.ctx.status_message.emit(text)
        self.refresh()

    def _merged(self, summary: dict) -> None:
        self.last_merge = summary
        self._merge_finished(f"已合并 {summary['files']} 份文件，写入 {summary['fields']} 处；"
                             f"尚待审核 {summary['pending']} 处。")

    def _merge_cancelled(self) -> None:
        done, total = self._merge_count
        self._merge_finished(f"已取消合并：{done} 份文件已完整合并，其余 {total - done} 份未动，仍待审核。"
                             if done else "已取消合并，台账没有改动。")

    def _merge_failed(self, message: str) -> None:
        self.last_error = message
        self._merge_count = (0, 0)
        self._merging(False, f"合并失败：{message}")   # files merged before it stay merged: LedgerOp announces them
        self.refresh()
        QMessageBox.warning(self, "合并", message)
