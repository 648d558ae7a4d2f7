"""The 收文 page's layout and wiring: buttons, the file tree, the review grid and the detail pane; reading files in."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QMessageBox, QProgressBar, QPushButton, QSplitter, QTextBrowser, QVBoxLayout,
    QWidget,
)

from core.common.vocabulary import Decision, SubmissionStatus
from core.ledger.changes import Area

from ...jobs import message_of
from ...operations import LedgerOp
from . import PAGE_KEY
from .decisions import DecisionsMixin
from .detail_html import change_html, file_html
from .file_tree import ROLE, FileTree
from .list_read import ListRead
from .listing import ListingMixin
from .merging import MergingMixin

if TYPE_CHECKING:
    from collections.abc import Callable

    from core.ledger.row_types import ListedSubmission
    from core.returns.collect import CollectedFile

    from ...context import AppContext

WORKBOOK_SUFFIXES = (".xlsx", ".xls", ".ods", ".et", ".xlsm")


class EchoLabel(QLabel):
    """The page's status line; what it says, the window's status bar says too (never two lines that disagree)."""

    def __init__(self, ctx, text: str = ""):
        super().__init__(text)
        self.ctx = ctx

    def setText(self, text: str) -> None:   # noqa: N802 - Qt's name
        super().setText(text)
        if text and not text.startswith("正在"):   # progress stays on the page; results reach the status bar
            self.ctx.status_message.emit(_plain(text))


def _plain(html_text: str) -> str:
    import re
    return re.sub(r"<[^>]+>", "", html_text)


class CollectPage(ListingMixin, DecisionsMixin, MergingMixin, QWidget):
    HELP_TOPIC = "collect"
    # the window refreshes it after changes to these, not on every show
    SHOWS = tuple(a for a in Area if a is not Area.BACKUPS)
    READING = "正在读取收文……"
    read_done = Signal()   # the list the newest read brought is on screen (refresh() reads off the window's thread)

    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        self.job = None
        self.last_results: list[CollectedFile] = []
        self.last_error = ""
        self.last_merge: dict | None = None
        self.last_send_back: dict | None = None
        self._merge_count = (0, 0)   # (files merged, files in the run) while a merge job runs
        # filled when first shown (the window refreshes the page it shows): the window's start does not wait for
        # a year of 收文 rows on a page the clerk has not opened yet
        self._subs: list[ListedSubmission] = []
        self._filled = False
        self._read_year: int | None = None   # the year of files in self._subs (the filter's year when read)
        self._generation = 0                 # the newest read asked for; an older one's list is never shown
        self._shown_generation = 0
        self._after_read: list[Callable[[], object]] = []   # run once the newest read's list is shown
        self._prefetched: ListRead | None = None            # while that list is shown: its prebuilt grid
        self._build_buttons()
        self._build_layout()
        self._bind_keys()
        self._update_buttons()   # nothing to accept or merge until the list is read

    def _button(self, text: str, slot, tip: str = "") -> QPushButton:
        button = QPushButton(text)
        if tip:
            button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    def _build_buttons(self) -> None:
        self.add_files_button = self._button("添加文件…", self._ask_files)
        self.add_folder_button = self._button("添加文件夹…", self._ask_folder)
        self.confirm_button = self._button("确认身份…", lambda: self.open_confirm(), "为缺少标识的文件选择单位、表格和期间")
        self.accept_file_button = self._button("本文件全部接受", self.accept_all_in_file, "Ctrl+Shift+A")
        self.accept_all_button = self._button("全部接受", self.accept_all_staged,
                                              "接受所有待审核文件中尚未决定的差异（已标为不接受的保持不变）")
        self.merge_button = self._button("合并", lambda: self.merge(), "把已接受的差异写入台账（合并前自动备份）")
        self.report_button = self._button("导出差异报告…", lambda: self.export_report())
        self.return_button = self._button("导出退回表…", lambda: self.export_return())
        self.send_back_button = self._button(
            "退回不接受的行", lambda: self.send_back(),
            "Ctrl+T：把本文件中标为不接受的行连同退回意见写进退回表，并生成发给该单位的邮件草稿")
        self.original_button = self._button("打开原文件", self.open_original)
        self.cancel_button = self._button("取消", self._cancel)
        self.cancel_button.setVisible(False)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status_label = EchoLabel(self.ctx, "把单位报回的文件、文件夹、压缩包（.zip）或邮件（.eml）拖到窗口里。"
                                                "左侧列表：A 接受，R 不接受，J/K 移动；右侧审核表的按键见表上方。")
        self.status_label.setWordWrap(True)
        self.status_label.setOpenExternalLinks(True)   # 退回's 打开文件夹

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        for w in (self.add_files_button, self.add_folder_button, self.confirm_button, self.accept_file_button,
                  self.accept_all_button, self.merge_button, self.report_button, self.return_button, self.original_button):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.progress)
        top.addWidget(self.cancel_button)
        self.tree = FileTree(self.ctx)
        self.tree.currentItemChanged.connect(self._show_current)
        from .file_filter import FileFilterBar
        self.file_filter = FileFilterBar(self.ctx)
        self.file_filter.changed.connect(self._filter_changed)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.file_filter)
        self.reading_label = QLabel(self.READING)   # while a read runs the list shown so far stays usable
        self.reading_label.setStyleSheet("color:#555")
        self.reading_label.setVisible(False)
        left_layout.addWidget(self.reading_label)
        left_layout.addWidget(self.tree, 1)
        self.view = QTextBrowser()
        self.view.setOpenLinks(False)
        from .review_grid_panel import ReviewGridPanel
        self.grid_panel = ReviewGridPanel(self.ctx, can_decide=lambda: not self.merge_running())
        self.grid_panel.decided.connect(self._grid_decided)
        self.grid_panel.detail.connect(self.view.setHtml)
        self.grid_panel.file_step.connect(self.step_file)
        self.grid_panel.filters.addWidget(self.send_back_button)   # beside the grid whose rejected rows it sends
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.grid_panel)
        right.addWidget(self.view)
        right.setStretchFactor(0, 1)
        right.setSizes([520, 130])
        right.setCollapsible(1, True)
        self.detail_splitter = right
        self.detail_button = QPushButton("收起详情")   # the pane under the grid: the whole text of the current cell
        self.detail_button.setCheckable(True)
        self.detail_button.setToolTip("收起或展开审核表下方的详情（当前格的全文、文件信息），给审核表更多行（Ctrl+D）")
        self.detail_button.toggled.connect(self.collapse_detail)
        self.grid_panel.filters.addWidget(self.detail_button)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 1000])   # 文件, 状态 and 变化 all visible at 1366 (names elided in the middle)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status_label)
        layout.addWidget(splitter, 1)

    def _bind_keys(self) -> None:
        for key, slot in (("A", lambda: self.decide(Decision.ACCEPTED)), ("R", lambda: self.decide(Decision.REJECTED)),
                          ("J", lambda: self.step_through(1)), ("K", lambda: self.step_through(-1)),
                          ("Ctrl+Shift+A", self.accept_all_in_file), ("Ctrl+T", lambda: self.send_back()),
                          ("Ctrl+D", self.detail_button.toggle),
                          # the grid's current row (its first flagged row when a file is chosen), from the list too
                          ("Shift+A", lambda: self.grid_panel.decide_row(Decision.ACCEPTED)),
                          ("Shift+R", lambda: self.grid_panel.decide_row(Decision.REJECTED))):
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)

    def collapse_detail(self, collapsed: bool) -> None:
        """收起详情: the pane under the grid folds away (its text stays in each cell's tooltip); 展开详情 brings it back."""
        self.view.setVisible(not collapsed)
        self.detail_button.setText("展开详情" if collapsed else "收起详情")

    def showEvent(self, event) -> None:   # noqa: N802 - Qt's name
        # filled once the show is done: the window refreshes a page it shows right after showing it, and the list
        # (a year of files) is then read once, not twice; a page shown on its own fills here
        super().showEvent(event)
        if not self._filled:
            QTimer.singleShot(0, self._fill_if_empty)

    def _fill_if_empty(self) -> None:
        if not self._filled and self.isVisible():
            self.refresh()

    # -- drag and drop ---------------------------------------------------------------------
    def handles_drop(self, paths) -> bool:
        from core.returns.read import looks_like_return
        for p in map(Path, paths):
            if p.is_dir() or p.suffix.lower() in (".zip", ".eml"):
                return True
            if p.suffix.lower() in WORKBOOK_SUFFIXES and looks_like_return(p):
                return True
        return False

    def drop(self, paths) -> None:
        self.collect_paths([Path(p) for p in paths])

    def _ask_files(self) -> None:
        from ...file_dialogs import open_files
        files = open_files(self, "选择报回的文件", "returns",
                           "报送文件 (*.xlsx *.xls *.ods *.et *.zip *.eml);;所有文件 (*)")
        if files:
            self.collect_paths([Path(f) for f in files])

    def _ask_folder(self) -> None:
        from ...file_dialogs import existing_dir
        folder = existing_dir(self, "选择收件文件夹", "returns")
        if folder:
            self.collect_paths([Path(folder)])

    # -- background work -------------------------------------------------------------------
    def collect_paths(self, paths: list[Path]) -> None:
        from core.returns.collect import collect
        ledger = self.ctx.ledger
        self.last_error = ""
        self._busy(True, "正在读取报回的文件…")
        self.job = (LedgerOp(self.ctx, PAGE_KEY, lambda work: collect(ledger, paths, work))
                    .success(self._collected).failure(lambda exc: self._failed(message_of(exc)))
                    .progress(self._progress).cancelled(lambda: self._busy(False, "已取消。")).run())

    def _progress(self, done: int, total: int, label: str = "") -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.status_label.setText(f"正在读取 {done}/{total}：{label}")

    def _collected(self, results: Sequence[CollectedFile]) -> None:
        from core.common.vocabulary import SUBMISSION_STATUS_NAMES as STATUS_NAMES
        self.last_results = list(results)
        counts: dict[str, int] = {}
        for r in results:
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        text = "，".join(f"{STATUS_NAMES.get(k, k)} {v} 份" for k, v in counts.items()) or "没有找到文件"
        self._busy(False, f"读取完成：{text}。")
        self.ctx.status_message.emit(f"收文：{text}")
        # the other pages learn of it from the operation's change event
        self.refresh(then=lambda: self._show_collected(results))

    def _show_collected(self, results: Sequence[CollectedFile]) -> None:
        """The files just read in, in the list: shown by the filter, the first of them selected."""
        self.file_filter.include([s for s in self._subs if s["id"] in {r["submission_id"] for r in results}])
        read = {r["submission_id"] for r in results if r["submission_id"]}
        # the first of them as the list shows them (flagged files first): the list stays at its top
        first = next((s["id"] for s in self.file_filter.apply(self._subs) if s["id"] in read), None)
        if first is None and read:
            first = next(r["submission_id"] for r in results if r["submission_id"])
        if first:
            self.select_submission(first)

    def _failed(self, message: str) -> None:
        self.last_error = message
        self._busy(False, message)
        QMessageBox.warning(self, "收文", message)

    def _busy(self, busy: bool, text: str) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        for b in (self.add_files_button, self.add_folder_button):
            b.setEnabled(not busy)
        self.status_label.setText(text)
        if not busy:
            self.job = None
        self._update_buttons(busy)

    def _update_buttons(self, busy: bool = False) -> None:
        """合并, 全部接受 and 本文件全部接受 only when there is something staged for them to act on."""
        staged = [s for s in self._subs if s["status"] == "staged"]
        current = self.current_submission()
        self.accept_all_button.setEnabled(not busy and any(s["pending"] for s in staged))
        self.merge_button.setEnabled(not busy and any(s["accepted"] for s in staged))
        self.accept_file_button.setEnabled(not busy and any(s["pending"] and s["id"] == current for s in staged))

    def _cancel(self) -> None:
        if self.job:
            self.job.cancel()
            if self._merge_count[1]:
                self.cancel_button.setEnabled(False)
                self.status_label.setText("正在取消合并：正在写入的这一份文件写完后停止…")

    # -- the tree (reading it: listing.ListingMixin) ------------------------------------------------
    def current_submission(self) -> int | None:
        ref = self.tree.current_ref()
        return ref[1] if ref else None

    def step_through(self, step: int) -> None:
        """J/K: the next/previous place in the tree (file → unit → row → field)."""
        self.tree.step_to(step)

    def _show_current(self, item, _previous=None) -> None:
        self.tree.expand_current_file(item, _previous)
        self._update_buttons(self.job is not None)
        self._show_grid()
        if item is None:
            self.view.setHtml("")
            return
        kind, sid, ref = item.data(0, ROLE)
        if kind == "change":
            self.view.setHtml(self._change_html([item.data(1, ROLE)], sid))
        elif kind == "row":
            self.view.setHtml(self._change_html([item.child(i).data(1, ROLE) for i in range(item.childCount())], sid))
        else:
            self.view.setHtml(self._file_html(sid))

    def _change_html(self, changes: list[dict], sid: int | None = None) -> str:
        from core.returns.review import rival_values
        return change_html(changes, rival_values(self.ctx.ledger, sid) if sid else {})

    def _file_html(self, sid: int) -> str:
        from core.returns.review import list_submissions, rivals
        # the list read by refresh() serves here; a file staged since then is read afresh
        sub = next((s for s in self._subs if s["id"] == sid), None) or next(
            iter(list_submissions(self.ctx.ledger, ids=[sid])), None)
        if sub is None:
            return ""
        return file_html(sub, rivals(self.ctx.ledger, sid))

    # -- the review grid -----------------------------------------------------------------------------
    def _show_grid(self) -> None:
        """The grid shows the current file as its form (not a file that was refused or is a duplicate)."""
        sid = self.current_submission()
        sub = next((s for s in self._subs if s["id"] == sid), None)
        refused = (SubmissionStatus.REJECTED, SubmissionStatus.DUPLICATE)
        shown = sid if sub is not None and sub["status"] not in refused and sub["unit_id"] else None
        read = self._prefetched   # the list just read brought this file's grid: not built again here
        self.grid_panel.show_file(shown, read.grid if read is not None and shown is not None and read.grid_sid == shown
                                  else None)

    def _grid_decided(self, sid: int | None) -> None:   # one file: read again here; every file: in the background
        if sid is None:
            self.refresh()
        else:
            self.refresh_file(sid)

    def step_file(self, step: int) -> None:
        """N / P in the grid: the next or previous file of the list, the grid keeping the focus."""
        sid = self.current_submission()
        ids = [s["id"] for s in self.file_filter.apply(self._subs)]
        if not ids:
            return
        i = ids.index(sid) if sid in ids else -1
        self.select_submission(ids[max(0, min(len(ids) - 1, i + step))])
        self.grid_panel.view.setFocus()
