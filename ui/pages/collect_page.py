"""收文 page: drop returned files, see each file's status, review each file as its form (the grid), accept/reject, 退回, merge."""
from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QMessageBox,
    QProgressBar, QPushButton, QSplitter, QTextBrowser, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from core.ledger.changes import Area, LedgerChange

from ..jobs import message_of
from ..operations import LedgerOp, write_now

PAGE_ORDER = 50
PAGE_TITLE = "收文"
PAGE_KEY = "collect"

WORKBOOK_SUFFIXES = (".xlsx", ".xls", ".ods", ".et", ".xlsm")
STATUS_COLORS = {"staged": "#1f6feb", "unchanged": "#6e7781", "duplicate": "#6e7781", "needs-confirmation": "#bf8700",
                 "rejected": "#cf222e", "merged": "#1a7f37", "superseded": "#6e7781", "returned": "#8250df",
                 "blank": "#cf222e"}
DECISION_TEXT = {"pending": "待定", "accepted": "✔ 接受", "rejected": "✘ 不接受"}
DECISION_COLORS = {"pending": "#6e7781", "accepted": "#1a7f37", "rejected": "#cf222e"}
ROLE = Qt.ItemDataRole.UserRole
# files whose review is over: their rows are built when the clerk first opens them, so a year of files opens at once
SETTLED = ("merged", "superseded", "unchanged", "returned")


def review_status(sub: dict) -> tuple[str, str]:
    """What the status column says of a file, with its colour: a staged file tells how far its review has got."""
    from core.returns.collect import STATUS_NAMES
    status = sub["status"]
    if status == "staged" and (sub["accepted"] or sub["rejected"]):
        if sub["pending"]:
            return f"审核中（待定 {sub['pending']}）", STATUS_COLORS["staged"]
        if sub["accepted"]:
            return "已接受，待合并", DECISION_COLORS["accepted"]
        return "均不接受", DECISION_COLORS["rejected"]
    return STATUS_NAMES.get(status, status), STATUS_COLORS.get(status, "#000")


def flag_icon():
    """An amber ⚑ before a file whose review grid has flagged rows (drawn once)."""
    global _FLAG_ICON
    if _FLAG_ICON is None:
        from PySide6.QtGui import QIcon, QPainter, QPixmap
        pixmap = QPixmap(16, 16)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setPen(QColor("#bf8700"))
        painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, "⚑")
        painter.end()
        _FLAG_ICON = QIcon(pixmap)
    return _FLAG_ICON


_FLAG_ICON = None


def create(ctx):
    return CollectPage(ctx)


class ConfirmDialog(QDialog):
    """The clerk says which unit, form and period a file without a stamp is."""

    def __init__(self, parent, units: list[tuple[int, str]], unit_id, form: str, period: str, message: str):
        super().__init__(parent)
        self.setWindowTitle("确认报送单位和期间")
        layout = QFormLayout(self)
        info = QLabel(message or "请确认这份文件是哪个单位、哪张表、哪个月份。")
        info.setWordWrap(True)
        layout.addRow(info)
        self.unit_combo = QComboBox()
        for uid, name in units:
            self.unit_combo.addItem(name, uid)
        if unit_id:
            self.unit_combo.setCurrentIndex(max(0, self.unit_combo.findData(unit_id)))
        self.form_combo = QComboBox()
        self.form_combo.addItem("落实情况表（附件4，月报）", "report")
        self.form_combo.addItem("落实计划表（附件3）", "plan")
        self.form_combo.setCurrentIndex(0 if form != "plan" else 1)
        self.period_edit = QLineEdit(period or "")
        self.period_edit.setPlaceholderText("月报：2026-03；计划表：2026")
        layout.addRow("单位", self.unit_combo)
        layout.addRow("表格", self.form_combo)
        layout.addRow("期间", self.period_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确认")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def values(self) -> tuple[int, str, str]:
        return self.unit_combo.currentData(), self.form_combo.currentData(), self.period_edit.text().strip()


def file_label(sub) -> str:
    """The file's name, and the worksheet when the file holds several units' sheets (one submission each)."""
    sheet = sub.get("sheet") or ""
    return f"{sub['file_name']}（工作表「{sheet}」）" if sheet else sub["file_name"]


class CollectPage(QWidget):
    HELP_TOPIC = "collect"

    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        self.job = None
        self.last_results: list[dict] = []
        self.last_error = ""
        self.last_merge: dict | None = None
        self.last_send_back: dict | None = None
        self._merge_count = (0, 0)   # (files merged, files in the run) while a merge job runs

        self.add_files_button = QPushButton("添加文件…")
        self.add_files_button.clicked.connect(self._ask_files)
        self.add_folder_button = QPushButton("添加文件夹…")
        self.add_folder_button.clicked.connect(self._ask_folder)
        self.confirm_button = QPushButton("确认身份…")
        self.confirm_button.setToolTip("为缺少标识的文件选择单位、表格和期间")
        self.confirm_button.clicked.connect(lambda: self.open_confirm())
        self.accept_file_button = QPushButton("本文件全部接受")
        self.accept_file_button.setToolTip("Ctrl+Shift+A")
        self.accept_file_button.clicked.connect(self.accept_all_in_file)
        self.accept_all_button = QPushButton("全部接受")
        self.accept_all_button.setToolTip("接受所有待审核文件中尚未决定的差异（已标为不接受的保持不变）")
        self.accept_all_button.clicked.connect(self.accept_all_staged)
        self.merge_button = QPushButton("合并")
        self.merge_button.setToolTip("把已接受的差异写入台账（合并前自动备份）")
        self.merge_button.clicked.connect(lambda: self.merge())
        self.report_button = QPushButton("导出差异报告…")
        self.report_button.clicked.connect(lambda: self.export_report())
        self.return_button = QPushButton("导出退回表…")
        self.return_button.clicked.connect(lambda: self.export_return())
        self.send_back_button = QPushButton("退回不接受的行")
        self.send_back_button.setToolTip("Ctrl+T：把本文件中标为不接受的行连同退回意见写进退回表，并生成发给该单位的邮件草稿")
        self.send_back_button.clicked.connect(lambda: self.send_back())
        self.original_button = QPushButton("打开原文件")
        self.original_button.clicked.connect(self.open_original)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self._cancel)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status_label = QLabel("把单位报回的文件、文件夹、压缩包（.zip）或邮件（.eml）拖到窗口里。"
                                   "左侧列表：A 接受，R 不接受，J/K 移动；右侧审核表的按键见表上方。")
        self.status_label.setWordWrap(True)
        self.status_label.setOpenExternalLinks(True)   # 退回's 打开文件夹

        top = QHBoxLayout()
        for w in (self.add_files_button, self.add_folder_button, self.confirm_button, self.accept_file_button,
                  self.accept_all_button, self.merge_button, self.report_button, self.return_button, self.original_button):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.progress)
        top.addWidget(self.cancel_button)

        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["文件 / 单位 / 任务 / 项目", "状态", "变化"])
        self.tree.setColumnWidth(0, 170)
        self.tree.setColumnWidth(1, 64)
        self.tree.currentItemChanged.connect(self._show_current)
        self.tree.itemExpanded.connect(lambda item: self._fill_lazy((item.data(0, ROLE) or (None, None))[1]))
        self.tree.setAlternatingRowColors(True)
        self.view = QTextBrowser()
        self.view.setOpenLinks(False)
        from ui.review_grid_panel import ReviewGridPanel
        self.grid_panel = ReviewGridPanel(ctx, can_decide=lambda: not self.merge_running())
        self.grid_panel.decided.connect(self._grid_decided)
        self.grid_panel.detail.connect(self.view.setHtml)
        self.grid_panel.file_step.connect(self.step_file)
        self.grid_panel.filters.addWidget(self.send_back_button)   # beside the grid whose rejected rows it sends
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.grid_panel)
        right.addWidget(self.view)
        right.setStretchFactor(0, 1)
        right.setSizes([520, 130])
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tree)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 1000])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status_label)
        layout.addWidget(splitter, 1)

        for key, slot in (("A", lambda: self.decide("accepted")), ("R", lambda: self.decide("rejected")),
                          ("J", lambda: self.move(1)), ("K", lambda: self.move(-1)),
                          ("Ctrl+Shift+A", self.accept_all_in_file), ("Ctrl+T", lambda: self.send_back()),
                          # the grid's current row (its first flagged row when a file is chosen), from the list too
                          ("Shift+A", lambda: self.grid_panel.decide_row("accepted")),
                          ("Shift+R", lambda: self.grid_panel.decide_row("rejected"))):
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)
        # filled when first shown (the window refreshes the page it shows): the window's start does not wait for
        # a year of 收文 rows on a page the clerk has not opened yet
        self._lazy: dict[int, QTreeWidgetItem] = {}
        self._subs: list[dict] = []
        self._filled = False

    def showEvent(self, event) -> None:   # noqa: N802 - Qt's name
        if not self._filled:
            self.refresh()
        super().showEvent(event)

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
        files, _ = QFileDialog.getOpenFileNames(self, "选择报回的文件", "",
                                                "报送文件 (*.xlsx *.xls *.ods *.et *.zip *.eml);;所有文件 (*)")
        if files:
            self.collect_paths([Path(f) for f in files])

    def _ask_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择收件文件夹")
        if folder:
            self.collect_paths([Path(folder)])

    # -- background work -------------------------------------------------------------------
    def collect_paths(self, paths: list[Path]) -> None:
        from core.returns.collect import collect
        ledger = self.ctx.ledger
        self.last_error = ""
        self._busy(True, "正在读取报回的文件…")
        self.job = (LedgerOp(self.ctx, PAGE_KEY, lambda work: collect(ledger, paths, work), change=LedgerChange.of(Area.RETURNS))
                    .success(self._collected).failure(lambda exc: self._failed(message_of(exc)))
                    .progress(self._progress).cancelled(lambda: self._busy(False, "已取消。")).run())

    def _progress(self, done: int, total: int, label: str = "") -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.status_label.setText(f"正在读取 {done}/{total}：{label}")

    def _collected(self, results: list[dict]) -> None:
        from core.returns.collect import STATUS_NAMES
        self.last_results = results
        counts: dict[str, int] = {}
        for r in results:
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        text = "，".join(f"{STATUS_NAMES.get(k, k)} {v} 份" for k, v in counts.items()) or "没有找到文件"
        self._busy(False, f"读取完成：{text}。")
        self.ctx.status_message.emit(f"收文：{text}")
        self.refresh()   # the other pages learn of it from the operation's change event
        first = next((r["submission_id"] for r in results if r["submission_id"]), None)
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
        staged = [s for s in getattr(self, "_subs", []) if s["status"] == "staged"]
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

    # -- the tree ------------------------------------------------------------------------------
    def refresh(self) -> None:
        from core.returns.review import list_submissions
        current = self._current_ref()
        self.tree.blockSignals(True)
        self.tree.clear()
        self._filled = True
        self._lazy = {}
        self._subs = list_submissions(self.ctx.ledger)   # newest first
        for sub in self._subs:
            self.tree.addTopLevelItem(self._file_item(sub))
        self.tree.blockSignals(False)
        if current:
            self._select_ref(current)
        elif self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self._show_current(self.tree.currentItem(), None)

    def refresh_file(self, sid: int) -> None:
        """After a decision in the grid: read that one file again and rebuild its branch of the list (a month of
        files is not rebuilt on every key press); the grid shows the file again, keeping its current cell."""
        from core.returns.review import list_submissions
        at = next((i for i in range(self.tree.topLevelItemCount())
                   if self.tree.topLevelItem(i).data(0, ROLE) == ("file", sid, None)), None)
        fresh = list_submissions(self.ctx.ledger, ids=[sid])
        if at is None or not fresh:
            self.refresh()
            return
        current = self._current_ref()
        self.tree.blockSignals(True)
        self.tree.takeTopLevelItem(at)
        self._lazy.pop(sid, None)
        self.tree.insertTopLevelItem(at, self._file_item(fresh[0]))
        self._subs = [fresh[0] if sub["id"] == sid else sub for sub in self._subs]
        if not (current and self._select_ref(current)):
            self.tree.setCurrentItem(self.tree.topLevelItem(at))
        self.tree.blockSignals(False)
        self._show_current(self.tree.currentItem(), None)

    def _file_item(self, sub: dict) -> QTreeWidgetItem:
        """One file of the list: its name, review state and count of changes; under it the unit and month, and
        under that the rows and their changes (read when first opened for a file already settled)."""
        label = f"#{sub['id']} {file_label(sub)}"
        status_text, status_color = review_status(sub)
        fitem = QTreeWidgetItem([label, status_text, str(sub["changes"])])
        fitem.setData(0, ROLE, ("file", sub["id"], None))
        fitem.setForeground(1, QBrush(QColor(status_color)))
        if sub.get("flagged") and sub["status"] == "staged":
            fitem.setIcon(0, flag_icon())
        fitem.setToolTip(0, "\n".join(t for t in ((f"⚑ {sub['flagged']} 处有标记（抄上月、填“是”但文字显示未完成、"
                                                  f"必填项为空、任务内容被改动、删去了行等），审核表中排在前面"
                                                  if sub.get("flagged") else ""), sub["message"] or "") if t))
        if sub["status"] in ("rejected", "duplicate"):
            return fitem
        period = sub["period"] or "？"
        uitem = QTreeWidgetItem([f"{sub['unit_name'] or '未识别单位'}  {period}", "", ""])
        uitem.setData(0, ROLE, ("unit", sub["id"], None))
        fitem.addChild(uitem)
        if not sub["changes"] and not sub["pending"] and not sub["accepted"] and not sub["rejected"]:
            return fitem
        if sub["status"] in SETTLED:   # a year of merged files: their rows are read when first opened
            self._lazy[sub["id"]] = uitem
            uitem.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
            return fitem
        self._add_rows(uitem, sub["id"])
        return fitem

    def _add_rows(self, uitem, sid: int) -> None:
        """The rows and field changes of one file under its unit item."""
        from core.returns.collect import FIELD_NAMES, FLAG_NAMES
        from core.returns.review import submission_detail
        for row in submission_detail(self.ctx.ledger, sid)["rows"]:
            seq = ("实事" if row["kind"] == "livelihood" else "") + str(row["seq"] or "")
            quarter = f" 第{row['quarter']}季度" if row.get("quarter") else ""
            ritem = QTreeWidgetItem([f"{seq}. {(row['text'] or '')[:40]}{quarter}", "", str(len(row["changes"]))])
            ritem.setData(0, ROLE, ("row", sid, (row["task_id"], row.get("quarter"))))
            uitem.addChild(ritem)
            for c in row["changes"]:
                flags = "；".join(FLAG_NAMES.get(f, f) for f in (c["flags"] or "").split(",") if f)
                citem = QTreeWidgetItem([FIELD_NAMES.get(c["field"], c["field"]) + (f"  ⚑ {flags}" if flags else ""),
                                         DECISION_TEXT[c["decision"]], ""])
                citem.setData(0, ROLE, ("change", sid, c["id"]))
                citem.setData(1, ROLE, c)
                citem.setForeground(1, QBrush(QColor(DECISION_COLORS[c["decision"]])))
                if flags:
                    citem.setForeground(0, QBrush(QColor("#bf8700")))
                ritem.addChild(citem)

    def _fill_lazy(self, sid: int | None) -> None:
        uitem = self._lazy.pop(sid, None) if sid is not None else None
        if uitem is not None and sid is not None:
            blocked = self.tree.blockSignals(True)
            self._add_rows(uitem, sid)
            self.tree.blockSignals(blocked)

    def _expand_current_file(self, item, previous) -> None:
        """Files stay collapsed but the current one, down to its unit, so a long list is a list of files."""
        def top(it):
            while it is not None and it.parent() is not None:
                it = it.parent()
            return it
        file_item, old = top(item), top(previous)
        if file_item is not None:
            self._fill_lazy((file_item.data(0, ROLE) or (None, None))[1])
        if old is not None and old is not file_item:
            old.setExpanded(False)
        if file_item is not None:
            file_item.setExpanded(True)
            if file_item.childCount():
                file_item.child(0).setExpanded(True)

    def _current_ref(self):
        item = self.tree.currentItem()
        return item.data(0, ROLE) if item else None

    def _iter_items(self):
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            yield item
            stack[0:0] = [item.child(i) for i in range(item.childCount())]

    def _select_ref(self, ref) -> bool:
        if ref:
            self._fill_lazy(ref[1])
        for item in self._iter_items():
            if item.data(0, ROLE) == ref:
                self.tree.setCurrentItem(item)
                return True
        return False

    def select_submission(self, sid: int) -> bool:
        return self._select_ref(("file", sid, None))

    def current_submission(self) -> int | None:
        ref = self._current_ref()
        return ref[1] if ref else None

    def move(self, step: int) -> None:
        items = list(self._iter_items())
        cur = self.tree.currentItem()
        if not items:
            return
        i = items.index(cur) if cur in items else -1
        nxt = items[max(0, min(len(items) - 1, i + step))]
        parent = nxt.parent()
        while parent is not None:
            parent.setExpanded(True)
            parent = parent.parent()
        self.tree.setCurrentItem(nxt)

    def _show_current(self, item, _previous=None) -> None:
        self._expand_current_file(item, _previous)
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
        from core.returns.collect import FIELD_NAMES, FLAG_NAMES
        from core.returns.review import rival_values
        from core.common.text_diff import to_html
        rivals = rival_values(self.ctx.ledger, sid) if sid else {}
        parts = ['<p style="color:#555">红色删除线：删去的文字；<span style="color:#007a33">绿色</span>：新增的文字。</p>']
        for c in changes:
            flags = "；".join(FLAG_NAMES.get(f, f) for f in (c["flags"] or "").split(",") if f)
            parts.append(f"<h3>{html.escape(FIELD_NAMES.get(c['field'], c['field']))}"
                         f" <span style='color:{DECISION_COLORS[c['decision']]}'>（{DECISION_TEXT[c['decision']]}）</span></h3>")
            if flags:
                parts.append(f"<p style='color:#bf8700'>⚑ {html.escape(flags)}</p>")
            parts.append("<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
                         f"<tr><td width='15%'>原内容</td><td>{html.escape(c['old'] or '（空）').replace(chr(10), '<br/>')}</td></tr>"
                         f"<tr><td>新内容</td><td>{html.escape(c['new'] or '（空）').replace(chr(10), '<br/>')}</td></tr>"
                         f"<tr><td>差异</td><td>{to_html(c['old'], c['new']) or '（无变化）'}</td></tr>"
                         + "".join(f"<tr><td>另一份 #{o['submission_id']}<br/>{html.escape(o['file_name'])}</td>"
                                   f"<td>{to_html(c['new'], o['new']) or '（相同）'}</td></tr>"
                                   for o in rivals.get((c["task_id"], c["unit_id"], c["quarter"], c["field"]), []))
                         + "</table>")
            if c.get("comment"):
                parts.append(f"<p>意见：{html.escape(c['comment'])}</p>")
        return "".join(parts)

    def _file_html(self, sid: int) -> str:
        from core.returns.collect import STATUS_NAMES
        from core.returns.review import list_submissions, rivals
        # the list read by refresh() serves here; a file staged since then is read afresh
        sub = next((s for s in getattr(self, "_subs", []) if s["id"] == sid), None) or next(
            (s for s in list_submissions(self.ctx.ledger) if s["id"] == sid), None)
        if sub is None:
            return ""
        status_text, status_color = review_status(sub)
        lines = [f"<h2>{html.escape(file_label(sub))}</h2>",
                 f"<p>状态：<b style='color:{status_color}'>{status_text}</b></p>",
                 f"<p>单位：{html.escape(sub['unit_name'] or '未识别')}　表格：{ {'report': '落实情况表', 'plan': '落实计划表'}.get(sub['form'] or '', '？') }"
                 f"　期间：{sub['period'] or '？'}</p>",
                 f"<p>收到：{sub['received_at']:%Y-%m-%d %H:%M}　识别依据：{html.escape(sub['identified_by'] or '')}</p>",
                 f"<p>变化 {sub['changes']} 处：接受 {sub['accepted']}，不接受 {sub['rejected']}，待定 {sub['pending']}</p>",
                 f"<p>文件指纹（SHA-256）：<code>{sub['file_hash']}</code></p>"]
        if sub["message"]:
            lines.append("<p style='color:#bf8700'>" + html.escape(sub["message"]).replace("\n", "<br/>") + "</p>")
        others = rivals(self.ctx.ledger, sid)
        if others:
            lines.append("<p><b>同一单位同一期的其他文件：</b>" + "、".join(
                f"#{o['id']} {html.escape(o['file_name'])}（{STATUS_NAMES.get(o['status'], o['status'])}）" for o in others)
                + "。请对照后接受其中一份。</p>")
        return "".join(lines)

    # -- the review grid -----------------------------------------------------------------------------
    def _show_grid(self) -> None:
        """The grid shows the current file as its form (not a file that was refused or is a duplicate)."""
        sid = self.current_submission()
        sub = next((s for s in getattr(self, "_subs", []) if s["id"] == sid), None)
        self.grid_panel.show_file(sid if sub is not None and sub["status"] not in ("rejected", "duplicate")
                                  and sub["unit_id"] else None)

    def _grid_decided(self, sid: int | None) -> None:
        if sid is None:
            self.refresh()
        else:
            self.refresh_file(sid)

    def step_file(self, step: int) -> None:
        """N / P in the grid: the next or previous file of the list, the grid keeping the focus."""
        sid = self.current_submission()
        ids = [s["id"] for s in getattr(self, "_subs", [])]
        if not ids:
            return
        i = ids.index(sid) if sid in ids else -1
        self.select_submission(ids[max(0, min(len(ids) - 1, i + step))])
        self.grid_panel.view.setFocus()

    def send_back(self, out_dir: str | Path | None = None) -> dict | None:
        """退回 in one action: the current file's rejected rows with their comments → 退回 workbook + .eml draft."""
        from PySide6.QtCore import QUrl

        from core.common.errors import UserError
        from core.ledger.settings import outbox_dir
        from core.returns.send_back import send_back
        self.grid_panel.finish_editing()   # a comment still being typed is kept, then sent
        sid = self.current_submission()
        if not sid or self.merge_running():
            if not sid:
                self.status_label.setText("请先在左侧选中一份文件，在审核表中把要退回的行标为不接受（Shift+R）。")
            return None
        try:
            out = send_back(self.ctx.ledger, sid, Path(out_dir) if out_dir else outbox_dir(self.ctx.ledger) / "退回")
        except UserError as exc:
            self.status_label.setText(exc.message)
            self.ctx.status_message.emit(exc.message)
            return None
        except OSError as exc:
            from core.common.os_errors import describe_os_error
            message = f"退回表未能写出：{describe_os_error(exc)}"
            self.status_label.setText(message)
            return None
        link = QUrl.fromLocalFile(str(out["folder"])).toString()
        mail = f"发往 {out['email']}" if out["email"] else "该单位没有邮箱，请在“单位”页补充后再发"
        then = "该文件已标为“已退回”，待单位重新报送。" if out["returned"] else "其余已接受的内容点“合并”照常写入台账。"
        text = (f"已退回{out['unit']} {out['rows']} 行：退回表和邮件草稿（{mail}）已保存。{then}"
                f" <a href=\"{link}\">打开文件夹</a>")
        self.status_label.setText(text)
        self.ctx.status_message.emit(text)
        self.last_send_back = out
        self.ctx.ledger_changed.emit()
        self.refresh()
        return out

    # -- decisions -------------------------------------------------------------------------------
    def decide(self, decision: str) -> None:
        from core.returns.review import set_decision, set_file_decision, set_row_decision
        ref = self._current_ref()
        if not ref or self.merge_running():
            return
        kind, sid, key = ref
        if kind == "change":
            set_decision(self.ctx.ledger, [key], decision)
        elif kind == "row":
            set_row_decision(self.ctx.ledger, sid, key[0], decision, quarter=key[1])
        else:
            set_file_decision(self.ctx.ledger, sid, decision)
        self.refresh()
        if kind == "change":
            self.move(1)

    def accept_all_in_file(self) -> None:
        from core.returns.review import set_file_decision
        sid = self.current_submission()
        if sid and not self.merge_running():
            set_file_decision(self.ctx.ledger, sid, "accepted")
            self.refresh()

    def accept_all_staged(self) -> int:
        from core.returns.review import accept_all_staged
        if self.merge_running():
            return 0
        n = accept_all_staged(self.ctx.ledger)
        self.status_label.setText(f"已接受 {n} 处差异。核对后点“合并”写入台账。" if n else "没有待审核的差异。")
        self.refresh()
        return n

    def open_confirm(self, values: tuple | None = None) -> dict | None:
        """Ask (or, in tests, take `values`) which unit/form/period a needs-confirmation file is."""
        from core.ledger.page_reads import unit_choices
        from core.returns.collect import confirm
        from core.returns.review import list_submissions
        sid = self.current_submission()
        sub = next((s for s in list_submissions(self.ctx.ledger) if s["id"] == sid), None)
        if sub is None or sub["status"] not in ("needs-confirmation", "staged", "unchanged"):
            QMessageBox.information(self, "确认身份", "请先在左侧选中一份“待确认”的文件。")
            return None
        if values is None:
            units = unit_choices(self.ctx.ledger)
            dialog = ConfirmDialog(self, units, sub["unit_id"], sub["form"] or "report", sub["period"] or "",
                                   sub["message"])
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            values = dialog.values()
        ledger = self.ctx.ledger
        result = write_now(self.ctx, PAGE_KEY, lambda: confirm(ledger, sid, *values), LedgerChange.of(Area.RETURNS))
        self.refresh()
        self.select_submission(sid)
        return result

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
        self.job = (LedgerOp(self.ctx, PAGE_KEY, lambda work: merge(ledger, ids, work=work),
                             change=LedgerChange.of(Area.PROGRESS, Area.RETURNS))
                    .success(self._merged).failure(lambda exc: self._merge_failed(message_of(exc)))
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
        self._merging(False, f"合并失败：{message}")
        self.ctx.ledger_changed.emit()   # files merged before the failure stay merged
        self.refresh()
        QMessageBox.warning(self, "合并", message)

    # -- exports ------------------------------------------------------------------------------------
    def export_report(self, path: str | Path | None = None) -> Path | None:
        from core.returns.diff_report import write_diff_report
        from core.returns.review import list_submissions
        sid = self.current_submission()
        ids = [sid] if sid else [s["id"] for s in list_submissions(self.ctx.ledger, ("staged",))]
        if not ids:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "导出差异报告", "收文差异报告.xlsx", "Excel 工作簿 (*.xlsx)")
            if not path:
                return None
        out = write_diff_report(self.ctx.ledger, ids, Path(path))
        self.status_label.setText(f"差异报告已保存：{out}")
        return out

    def export_return(self, path: str | Path | None = None) -> Path | None:
        from core.returns.send_back import write_return_workbook
        sid = self.current_submission()
        if not sid:
            QMessageBox.information(self, "导出退回表", "请先选中一份文件。")
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "导出退回表", "退回修改意见.xlsx", "Excel 工作簿 (*.xlsx)")
            if not path:
                return None
        out = write_return_workbook(self.ctx.ledger, sid, Path(path))
        self.status_label.setText(f"退回表已保存：{out}")
        return out

    def open_original(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from core.ledger import file_store
        from core.returns.review import list_submissions
        sid = self.current_submission()
        sub = next((s for s in list_submissions(self.ctx.ledger) if s["id"] == sid), None)
        if sub:
            import tempfile
            folder = Path(tempfile.mkdtemp(prefix="dcta-original-"))
            copy = folder / Path(sub["file_name"]).name   # a copy under its own name, so the office suite opens it
            copy.write_bytes(file_store.read(self.ctx.ledger, sub["file_hash"]))
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy)))
