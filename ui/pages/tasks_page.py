"""台账 page: the year's tasks in a filterable, searchable table with a detail panel; 立项表 import and drops."""
from __future__ import annotations

from typing import TYPE_CHECKING

import html
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QSplitter,
    QStackedWidget, QTableView, QTextBrowser, QVBoxLayout, QWidget,
)

from core.ledger.changes import Area
from core.ledger.row_types import TaskRow

from ..table_select import select_source_index
from ..task_table_model import (
    COL_AREA, COL_CATEGORY, COL_CO_UNITS, COL_KIND, COL_LEAD_UNITS, COL_LEADERS, COL_SEQ, COL_STATUS, COL_TEXT,
    KIND_NAMES, TaskFilterProxy, TaskTableModel, task_status,
)

if TYPE_CHECKING:
    from ..context import AppContext
    from ..import_dialog import ImportDialog

PAGE_ORDER = 10
PAGE_TITLE = "台账"
PAGE_KEY = "tasks"

EMPTY_TEXT = "台账中还没有任务：点击“导入立项表”或把立项表 Word 文件拖到窗口中"
PLAN_TEXT_SUFFIXES = {".docx", ".txt", ".tsv"}
PLAN_SHEET_SUFFIXES = {".xlsx", ".xls", ".ods"}
FIELD_LABELS = {"created": "新建", "text": "任务内容", "area": "重点领域", "category": "类别", "leaders": "牵头领导",
                "units": "责任单位", "seq": "序号", "active": "有效", "closed_on": "办结日期", "unit": "责任单位",
                "closed_note": "办结说明"}
MERGE_FIELD_LABELS = {"done": "完成情况", "problems": "存在问题", "next_steps": "下一步计划", "on_track": "是否完成",
                      "quarter_target": "季度目标"}
SOURCE_LABELS = {"import": "导入", "file": "报送文件", "hand": "手工", "undo": "撤销", "closure": "办结",
                 "system": "系统"}


def create(ctx):
    return TasksPage(ctx)


class TasksPage(QWidget):
    HELP_TOPIC = "tasks"
    SHOWS = (Area.CAMPAIGN, Area.TASKS, Area.UNITS, Area.CLOSURE)   # the window refreshes it after changes to these

    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        self.import_dialog: ImportDialog | None = None
        self._year: int | None = None
        self._loaded = False

        self.import_button = QPushButton("导入立项表…")
        self.import_button.setShortcut(QKeySequence("Ctrl+I"))
        self.import_button.setToolTip("导入立项表（Ctrl+I）：Word、Excel 或制表符分隔文本")
        self.import_button.clicked.connect(lambda: self.open_import())
        self.year_combo = QComboBox()
        self.year_combo.setToolTip("立项年度")
        self.kind_combo = QComboBox()
        self.kind_combo.addItem("全部类型", "")
        self.kind_combo.addItem("重点任务", "key")
        self.kind_combo.addItem("民生实事", "livelihood")
        self.area_combo = QComboBox()
        self.unit_combo = QComboBox()
        self.leader_combo = QComboBox()
        self.role_combo = QComboBox()
        self.role_combo.addItem("牵头和配合", "")
        self.role_combo.addItem("仅牵头", "lead")
        self.role_combo.addItem("仅配合", "co")
        self.role_combo.setToolTip("选定单位时：该单位作为牵头单位还是配合单位")
        for combo, tip in ((self.area_combo, "重点领域"), (self.unit_combo, "责任单位"), (self.leader_combo, "牵头领导")):
            combo.setToolTip(tip)
            combo.setMinimumContentsLength(6)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.unit_combo.setMinimumContentsLength(8)   # the filters fit a 1024-pixel-wide (125 %) screen
        self._setup_unit_search()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("搜索任务内容、单位、领导…（Ctrl+F）")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(120)
        self.count_label = QLabel()

        bar = QHBoxLayout()
        bar.addWidget(self.import_button)
        bar.addWidget(self.year_combo)
        bar.addWidget(self.kind_combo)
        bar.addWidget(self.area_combo)
        bar.addWidget(self.unit_combo)
        bar.addWidget(self.role_combo)
        bar.addWidget(self.leader_combo)
        bar.addWidget(self.search_edit, 1)
        bar.addWidget(self.count_label)

        self.model = TaskTableModel(self)
        self.proxy = TaskFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_SEQ, Qt.SortOrder.AscendingOrder)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        # every column, 牵头单位 and 配合单位 included, fits the table's width (1366-pixel screens too); long
        # names are elided and shown whole in the tooltip and the detail pane
        from ..column_fit import ColumnFitter
        self.column_fitter = ColumnFitter(
            self.table, fixed={COL_KIND: 4, COL_SEQ: 2, COL_LEADERS: 4, COL_LEAD_UNITS: 6.5, COL_CO_UNITS: 7,
                               COL_STATUS: 3.5},
            flexible={COL_AREA: (1, 3), COL_CATEGORY: (1, 3), COL_TEXT: (5, 8)})
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_detail())

        self.detail = QTextBrowser()
        self.detail.setOpenExternalLinks(False)
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(self._link_clicked)   # 来源文件: one click opens the unit's file
        self.opened_files: list[Path] = []
        self.detail.setMinimumWidth(260)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([820, 320])

        self.empty_label = QLabel(EMPTY_TEXT)
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        empty_import = QPushButton("导入立项表…")
        empty_import.clicked.connect(lambda: self.open_import())
        empty_box = QWidget()
        empty_layout = QVBoxLayout(empty_box)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_label)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(empty_import)
        row.addStretch(1)
        empty_layout.addLayout(row)
        empty_layout.addStretch(2)

        self.body = QStackedWidget()
        self.body.addWidget(empty_box)
        self.body.addWidget(self.splitter)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.body, 1)

        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self).activated.connect(self.focus_search)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(120)
        self._search_timer.timeout.connect(self._apply_filters)
        self.search_edit.textChanged.connect(self._search_changed)
        for combo in (self.kind_combo, self.area_combo, self.unit_combo, self.leader_combo, self.role_combo):
            combo.currentIndexChanged.connect(self._apply_filters)
        self.year_combo.currentIndexChanged.connect(self._year_chosen)
        self._set_filter_options([])
        self._update_count()

    # -- loading ----------------------------------------------------------------------
    def refresh(self) -> None:
        from core.ledger.queries import campaign_years, list_tasks
        years = campaign_years(self.ctx.ledger)
        if self._year not in years:
            self._year = years[0] if years else None
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for y in years:
            self.year_combo.addItem(f"{y}年", y)
        if self._year is not None:
            self.year_combo.setCurrentIndex(years.index(self._year))
        self.year_combo.setVisible(len(years) > 1)
        self.year_combo.blockSignals(False)
        tasks = list_tasks(self.ctx.ledger, self._year) if self._year is not None else []
        current = self.current_task()
        self.model.set_tasks(tasks)
        self._set_filter_options(tasks)
        self.body.setCurrentIndex(1 if tasks else 0)
        self._apply_filters()
        if current is not None:
            self.select_uid(current["uid"])
        self._loaded = True

    def _year_chosen(self, index: int) -> None:
        year = self.year_combo.itemData(index)
        if year is not None and year != self._year:
            self._year = year
            self.refresh()

    def _set_filter_options(self, tasks: list[TaskRow]) -> None:
        areas = list(dict.fromkeys(t["area"] for t in tasks if t.get("area")))  # in 立项表 order
        units: dict[str, None] = {}
        leaders: dict[str, None] = {}
        for t in tasks:
            for u in t["units"]:
                units.setdefault(u["name"])
            for name in t["leaders"]:
                leaders.setdefault(name)
        from core.ledger.queries import list_units
        order = {u["name"]: i for i, u in enumerate(list_units(self.ctx.ledger))} if units else {}   # ledger order
        unit_names = sorted(units, key=lambda n: order.get(n, len(order)))
        self.unit_names[:] = unit_names
        for combo, everything, values in ((self.area_combo, "全部领域", areas),
                                          (self.unit_combo, "全部单位", unit_names),
                                          (self.leader_combo, "全部领导", list(leaders))):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, "")
            for v in values:
                combo.addItem(v, v)
            index = combo.findData(chosen) if chosen else 0
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    # -- the unit filter: the ledger's order, found by characters or pinyin -----------------------------
    def _setup_unit_search(self) -> None:
        from PySide6.QtCore import QStringListModel
        from PySide6.QtWidgets import QCompleter
        self.unit_names: list[str] = []
        self.unit_combo.setEditable(True)
        self.unit_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.unit_combo.lineEdit().setPlaceholderText("单位名称或拼音")
        self.unit_combo.setToolTip("责任单位：按台账中的单位顺序；可输入名称或拼音（如 czj、caizheng 找“区财政局”）后回车")
        self.unit_matches = QStringListModel(self)
        completer = QCompleter(self.unit_matches, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setMaxVisibleItems(12)
        self.unit_combo.setCompleter(completer)
        self.unit_completer = completer
        self.unit_combo.lineEdit().textEdited.connect(self._unit_typed)
        self.unit_combo.lineEdit().editingFinished.connect(self._unit_typing_done)

    def _unit_typed(self, text: str) -> None:
        from core.units.pinyin_search import matching
        self.unit_matches.setStringList(matching(self.unit_names, text) if text.strip() else self.unit_names)
        self.unit_completer.complete()

    def _unit_typing_done(self) -> None:
        """Enter after typing: the first unit found (or 全部单位 when the box was cleared)."""
        from core.units.pinyin_search import matching
        text = self.unit_combo.currentText().strip()
        if text == self.unit_combo.itemText(self.unit_combo.currentIndex()):
            return
        found = matching(self.unit_names, text) if text else []
        index = self.unit_combo.findData(found[0]) if found else 0
        if text and not found:
            index = self.unit_combo.currentIndex()
        self.unit_combo.setCurrentIndex(max(index, 0))
        self.unit_combo.setEditText(self.unit_combo.itemText(max(index, 0)))

    # -- filtering -----------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _search_changed(self, _text: str) -> None:
        if self.model.rowCount() <= 300:
            self._apply_filters()      # instant on a year's ledger
        else:
            self._search_timer.start()  # large ledgers: wait for a pause in typing

    def set_filters(self, *, kind=None, area=None, unit=None, leader=None, role=None, search=None) -> None:
        """Set filters as a clerk would through the combo boxes (used by tests and by other pages)."""
        for combo, value in ((self.kind_combo, kind), (self.area_combo, area), (self.unit_combo, unit),
                             (self.leader_combo, leader), (self.role_combo, role)):
            if value is not None:
                index = combo.findData(value)
                if index < 0:
                    raise ValueError(f"no filter value {value!r}")
                combo.blockSignals(True)
                combo.setCurrentIndex(index)
                combo.blockSignals(False)
        if search is not None:
            self.search_edit.blockSignals(True)
            self.search_edit.setText(search)
            self.search_edit.blockSignals(False)
        self._apply_filters()

    def _apply_filters(self) -> None:
        self._search_timer.stop()
        self.proxy.set_filters(kind=self.kind_combo.currentData() or "", area=self.area_combo.currentData() or "",
                               unit=self.unit_combo.currentData() or "", leader=self.leader_combo.currentData() or "",
                               role=self.role_combo.currentData() or "", search=self.search_edit.text())
        self._update_count()
        self._show_detail()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"共 {total} 项" if shown == total else f"显示 {shown} / {total} 项")

    # -- detail -------------------------------------------------------------------------
    def current_task(self) -> dict | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid():
            return None
        source = self.proxy.mapToSource(index)
        return self.model.task_at(source.row()) if source.isValid() else None

    def select_uid(self, uid: str) -> bool:
        row = self.model.row_of_uid(uid)
        if row < 0:
            return False
        return select_source_index(self.table, self.proxy, self.model.index(row, COL_TEXT))

    def _show_detail(self) -> None:
        task = self.current_task()
        self.detail.setVisible(task is not None)   # no empty pane taking a quarter of the width from the columns
        if task is None:
            self.detail.setHtml("<p style='color:#777'>选中一项任务查看详情。</p>")
            return
        from core.ledger.queries import task_history
        esc = html.escape
        units = "、".join(f"<b>{esc(u['name'])}</b>" if u["lead"] else esc(u["name"]) for u in task["units"])
        parts = [
            f"<h3>{esc(KIND_NAMES.get(task['kind'], task['kind']))} 第 {task['seq']} 项</h3>",
            f"<p>{esc(task['text']).replace(chr(10), '<br>')}</p>",
            "<table cellspacing='0' cellpadding='3'>",
        ]
        for label, value in (("重点领域", esc(task.get("area") or "—")), ("类别", esc(task.get("category") or "—")),
                             ("牵头领导", esc("、".join(task["leaders"]) or "—")),
                             ("责任单位", (units or "—") + "<br><span style='color:#777'>（加粗为牵头单位）</span>"),
                             ("状态", esc(task_status(task)))):
            parts.append(f"<tr><td style='color:#555' valign='top'>{label}：</td><td>{value}</td></tr>")
        parts.append("</table>")
        parts += self._year_html(task["uid"])
        parts.append("<h4>痕迹</h4>")
        history = task_history(self.ctx.ledger, task["uid"], task["kind"], task["seq"])
        if not history:
            parts.append("<p style='color:#777'>无记录。</p>")
        else:
            parts.append("<ul>")
            for h in reversed(history):
                field = FIELD_LABELS.get(h["field"], h["field"])
                source = SOURCE_LABELS.get(h["source_kind"], h["source_kind"])
                ref = h["source_ref"].split(":", 1)[-1] if h["source_ref"] else ""
                change = "新建" if h["field"] == "created" else f"{field}：{_short(h['old'])} → {_short(h['new'])}"
                parts.append(f"<li>{esc(h['at'][:16])} {esc(source)} {esc(ref)}<br>{esc(change)}</li>")
            parts.append("</ul>")
        self.detail.setHtml("".join(parts))

    def _year_html(self, uid: str) -> list[str]:
        """各月报送: per month (newest first) and unit, what was merged, its source file and the merge 痕迹."""
        from core.ledger.task_year import task_months
        esc = html.escape
        months = task_months(self.ctx.ledger, uid)
        self.year_rows = months
        parts = ["<h4>各月报送（最近的月份在前）</h4>"]
        if not months:
            return parts + ["<p style='color:#777'>还没有合并进台账的月度报送。</p>"]
        shown = None
        for r in months:
            if r["period"] != shown:
                shown = r["period"]
                parts.append(f"<p style='margin-top:8px;background:#eef3f8'><b>{int(shown[:4])}年{int(shown[5:7])}月</b></p>")
            yes = {True: "是", False: "否"}.get(r["on_track"], r["on_track_raw"] or "未填")
            colour = {True: "#1a7f37", False: "#c62828"}.get(r["on_track"], "#777")
            name = f"<b>{esc(r['unit'])}</b>（牵头）" if r["lead"] else f"{esc(r['unit'])}（配合）"
            parts.append(f"<p>{name}　是否完成：<span style='color:{colour}'><b>{esc(yes)}</b></span></p>")
            parts.append("<table cellspacing='0' cellpadding='2'>")
            for label, key in (("完成情况", "done"), ("存在问题", "problems"), ("下一步计划", "next_steps")):
                text = esc(r[key] or "—").replace(chr(10), "<br>")
                parts.append(f"<tr><td style='color:#555' valign='top' width='76'>{label}：</td><td>{text}</td></tr>")
            parts.append("</table>")
            if r["file_hash"]:
                parts.append(f"<p style='color:#555'>来源文件：<a href='stored:{r['file_hash']}'>{esc(r['file_name'])}</a>"
                             f"（收到 {esc(r['received_at'])}）</p>")
            for m in r["merges"]:
                fields = "、".join(dict.fromkeys(MERGE_FIELD_LABELS.get(f, f) for f in m["fields"]))
                who = f"{esc(m['clerk'])} " if m["clerk"] else ""
                source = esc(m["file_name"] or m["file_hash"][:12])
                parts.append(f"<p style='color:#777'>痕迹：{esc(m['at'])} {who}合并自 {source}（{esc(fields)}）</p>")
        return parts

    def _link_clicked(self, url) -> None:
        """A 来源文件 link: a copy of the stored file opens in the office suite."""
        text = url.toString()
        if not text.startswith("stored:"):
            return
        digest = text.split(":", 1)[1]
        row = next((r for r in getattr(self, "year_rows", []) if r["file_hash"] == digest), None)
        from ..stored_file_open import open_stored
        self.opened_files.append(open_stored(self.ctx.ledger, digest, row["file_name"] if row else ""))

    # -- import and drops -----------------------------------------------------------------
    def open_import(self, path: Path | str | None = None):
        from ..import_dialog import ImportDialog
        if self.import_dialog is not None and self.import_dialog.isVisible():
            self.import_dialog.raise_()
            if path:
                self.import_dialog.set_path(path)
            return self.import_dialog
        self.import_dialog = ImportDialog(self.ctx, path, self.window())
        self.import_dialog.open()
        if path is None:
            self.import_dialog.browse()
        return self.import_dialog

    def handles_drop(self, paths: list[Path]) -> bool:
        if len(paths) != 1:
            return False
        path = Path(paths[0])
        suffix = path.suffix.lower()
        if not path.is_file():
            return False
        if suffix in PLAN_TEXT_SUFFIXES:
            from core.draft.report import looks_like_report
            return not looks_like_report(path)  # a 政府工作报告 goes to the 立项助手 page
        if suffix in PLAN_SHEET_SUFFIXES:
            from core.campaign.read import looks_like_plan
            return looks_like_plan(path)
        return False

    def drop(self, paths: list[Path]) -> None:
        self.open_import(Path(paths[0]))


def _short(value, limit: int = 60) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[:limit] + "…"
