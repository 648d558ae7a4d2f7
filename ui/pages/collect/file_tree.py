"""The 收文 list: files newest first, under each its unit and month, then its rows and their changes (read when a file is
first opened or selected: a year of files, 630 units' worth, is a list of files the window builds at once)."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QIcon
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from core.common.vocabulary import Decision, SubmissionStatus
from core.ledger.row_types import ListedSubmission

from .detail_html import DECISION_COLORS, DECISION_TEXT, file_label, flag_text, review_status

ROLE = Qt.ItemDataRole.UserRole
# files whose review is over; their rows, like every file's, are built when the clerk first opens or selects the file
SETTLED = (SubmissionStatus.MERGED, SubmissionStatus.SUPERSEDED, SubmissionStatus.UNCHANGED, SubmissionStatus.RETURNED)
_FLAG_ICON: QIcon | None = None
_BRUSHES: dict[str, QBrush] = {}


def brush(color: str) -> QBrush:
    """One brush per colour for the whole list (thousands of items share a handful)."""
    found = _BRUSHES.get(color)
    if found is None:
        found = _BRUSHES[color] = QBrush(QColor(color))
    return found


def flag_icon() -> QIcon:
    """An amber ⚑ before a file whose review grid has flagged rows (drawn once)."""
    global _FLAG_ICON
    if _FLAG_ICON is None:
        from PySide6.QtGui import QPainter, QPixmap
        pixmap = QPixmap(16, 16)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setPen(QColor("#bf8700"))
        painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, "⚑")
        painter.end()
        _FLAG_ICON = QIcon(pixmap)
    return _FLAG_ICON


def _flag_tip(sub: ListedSubmission) -> str:
    flagged = (f"⚑ {sub['flagged']} 处有标记（抄上月、填“是”但文字显示未完成、必填项为空、任务内容被改动、删去了行等），"
               "审核表中排在前面" if sub.get("flagged") else "")
    return "\n".join(t for t in (flagged, sub["message"] or "") if t)


@dataclass
class Built:
    """File items not in a tree yet, in list order, with the unit items whose rows are not built yet."""
    sids: list[int] = field(default_factory=list)
    items: list[QTreeWidgetItem] = field(default_factory=list)
    lazy: dict[int, QTreeWidgetItem] = field(default_factory=dict)
    reviewing: set[int] = field(default_factory=set)


def build_items(subs: list[ListedSubmission]) -> Built:
    """The items of `subs`, in their order (with a read off the window's thread, or on it)."""
    built = Built(sids=[sub["id"] for sub in subs])
    built.items = [file_item(sub, built.lazy, built.reviewing) for sub in subs]
    return built


def file_item(sub: ListedSubmission, lazy: dict[int, QTreeWidgetItem], reviewing: set[int]) -> QTreeWidgetItem:
    """One file of the list: its name, review state and count of changes; under it the unit and month, and under
    that the rows and their changes (`lazy`: built when the file is first opened or selected). Plain item data, no
    tree: made on any thread (the flag icon is drawn on the window's thread first, `FileTree.__init__`)."""
    status_text, status_color = review_status(sub)
    fitem = QTreeWidgetItem([f"#{sub['id']} {file_label(sub)}", status_text, str(sub["changes"])])
    fitem.setData(0, ROLE, ("file", sub["id"], None))
    fitem.setForeground(1, brush(status_color))
    if sub.get("flagged") and sub["status"] == "staged":
        fitem.setIcon(0, flag_icon())
    fitem.setToolTip(0, "\n".join(t for t in (f"#{sub['id']} {file_label(sub)}", _flag_tip(sub)) if t))
    if sub["status"] in (SubmissionStatus.REJECTED, SubmissionStatus.DUPLICATE):
        return fitem
    period = sub["period"] or "？"
    uitem = QTreeWidgetItem([f"{sub['unit_name'] or '未识别单位'}  {period}", "", ""])
    uitem.setData(0, ROLE, ("unit", sub["id"], None))
    fitem.addChild(uitem)
    if not sub["changes"] and not sub["pending"] and not sub["accepted"] and not sub["rejected"]:
        return fitem
    lazy[sub["id"]] = uitem   # rows read when the file is first opened or selected
    if sub["status"] not in SETTLED:
        reviewing.add(sub["id"])
    uitem.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
    return fitem


class FileTree(QTreeWidget):
    """The tree of returned files; each item's ROLE data is (kind, submission id, key): kind is file/unit/row/change."""

    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        self.lazy: dict[int, QTreeWidgetItem] = {}   # unit items whose rows are not built yet, by file
        self.reviewing: set[int] = set()   # files still in review among them: J/K steps into their rows
        self.setColumnCount(3)
        self.setHeaderLabels(["文件 / 单位 / 任务 / 项目", "状态", "变化"])
        # every column in view (a 1366-pixel screen): names take what is left, elided in the middle ("#510 区市场
        # 监管…月落实情况表.xlsx"), whole in the tooltip; 状态 and 变化 as wide as their text
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.header()
        header.setStretchLastSection(False)
        from PySide6.QtWidgets import QHeaderView
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        # sized to the rows in view: to a thousand rows (Qt's default), every selection and expansion in a 630-unit
        # month's list measured them all again (20–45 ms each)
        header.setResizeContentsPrecision(0)
        header.setMinimumSectionSize(36)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)   # one line per item: the view lays out thousands of files without asking each
        flag_icon()   # drawn here, on the window's thread: items made with a read off it share it
        self.itemExpanded.connect(lambda item: self.fill_lazy((item.data(0, ROLE) or (None, None))[1]))

    def fill(self, subs: list[ListedSubmission], built: Built | None = None) -> None:
        """All files anew (signals blocked by the caller); `built`: their items, made with the read off the window's
        thread (used when they are these files in this order)."""
        if built is None or built.sids != [sub["id"] for sub in subs]:
            built = build_items(subs)
        self.clear()
        self.lazy = built.lazy
        self.reviewing = built.reviewing
        self.addTopLevelItems(built.items)   # one insertion, one layout

    def file_at(self, sid: int) -> int | None:
        return next((i for i in range(self.topLevelItemCount())
                     if self.topLevelItem(i).data(0, ROLE) == ("file", sid, None)), None)

    def replace_file(self, at: int, sub: ListedSubmission) -> None:
        self.takeTopLevelItem(at)
        self.lazy.pop(sub["id"], None)
        self.reviewing.discard(sub["id"])
        self.insertTopLevelItem(at, self.file_item(sub))

    def file_item(self, sub: ListedSubmission) -> QTreeWidgetItem:
        return file_item(sub, self.lazy, self.reviewing)

    def add_rows(self, uitem: QTreeWidgetItem, sid: int) -> None:
        """The rows and field changes of one file under its unit item."""
        from core.returns.collect import FIELD_NAMES
        from core.returns.review import submission_detail
        for row in submission_detail(self.ctx.ledger, sid)["rows"]:
            seq = ("实事" if row["kind"] == "livelihood" else "") + str(row["seq"] or "")
            quarter = f" 第{row['quarter']}季度" if row.get("quarter") else ""
            ritem = QTreeWidgetItem([f"{seq}. {(row['text'] or '')[:40]}{quarter}", "", str(len(row["changes"]))])
            ritem.setData(0, ROLE, ("row", sid, (row["task_id"], row.get("quarter"))))
            uitem.addChild(ritem)
            for c in row["changes"]:
                flags = flag_text(c["flags"])
                citem = QTreeWidgetItem([FIELD_NAMES.get(c["field"], c["field"]) + (f"  ⚑ {flags}" if flags else ""),
                                         DECISION_TEXT[Decision(c["decision"])], ""])
                citem.setData(0, ROLE, ("change", sid, c["id"]))
                citem.setData(1, ROLE, c)
                citem.setForeground(1, brush(DECISION_COLORS[Decision(c["decision"])]))
                if flags:
                    citem.setForeground(0, brush("#bf8700"))
                ritem.addChild(citem)

    def fill_lazy(self, sid: int | None) -> None:
        uitem = self.lazy.pop(sid, None) if sid is not None else None
        self.reviewing.discard(sid)
        if uitem is not None and sid is not None:
            blocked = self.blockSignals(True)
            self.add_rows(uitem, sid)
            self.blockSignals(blocked)

    def expand_current_file(self, item, previous) -> None:
        """Files stay collapsed but the current one, down to its unit, so a long list is a list of files."""
        def top(it):
            while it is not None and it.parent() is not None:
                it = it.parent()
            return it
        file_item, old = top(item), top(previous)
        if file_item is not None:
            self.fill_lazy((file_item.data(0, ROLE) or (None, None))[1])
        if old is not None and old is not file_item:
            old.setExpanded(False)
        if file_item is not None:
            file_item.setExpanded(True)
            if file_item.childCount():
                file_item.child(0).setExpanded(True)

    def current_ref(self):
        item = self.currentItem()
        return item.data(0, ROLE) if item else None

    def iter_items(self) -> Iterator[QTreeWidgetItem]:
        stack = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            yield item
            stack[0:0] = [item.child(i) for i in range(item.childCount())]

    def select_ref(self, ref) -> bool:
        if ref:
            self.fill_lazy(ref[1])
        for item in self.iter_items():
            if item.data(0, ROLE) == ref:
                self.setCurrentItem(item)
                return True
        return False

    def step_to(self, step: int) -> None:
        """The item `step` places down (up when negative) the expanded list, opening its parents."""
        items = list(self.iter_items())
        cur = self.currentItem()
        if not items:
            return
        i = items.index(cur) if cur in items else -1
        nxt = items[max(0, min(len(items) - 1, i + step))]
        above = (nxt.data(0, ROLE) or (None, None))[1]
        if step < 0 and above in self.reviewing:   # back into a file in review: onto its last change, as when its
            self.fill_lazy(above)                    # rows were built with the list
            items = list(self.iter_items())
            nxt = items[max(0, min(len(items) - 1, (items.index(cur) if cur in items else -1) + step))]
        parent = nxt.parent()
        while parent is not None:
            parent.setExpanded(True)
            parent = parent.parent()
        self.setCurrentItem(nxt)
