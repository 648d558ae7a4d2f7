"""The 台账 page's wiring: the year's tasks read on show, filters, the chosen task's detail, 立项表 import and drops;
the widgets are built by `layout`, the detail HTML by `detail_html`."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from core.ledger.changes import Area
from core.ledger.row_types import TaskRow

from ...table_select import select_source_index
from ...task_table_model import COL_TEXT, TaskFilterProxy, TaskTableModel
from . import layout
from .detail_html import NOTHING_CHOSEN, task_html

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import (
        QComboBox,
        QLabel,
        QLineEdit,
        QPushButton,
        QSplitter,
        QStackedWidget,
        QTableView,
        QTextBrowser,
    )

    from ...column_fit import ColumnFitter
    from ...context import AppContext
    from ...import_dialog import ImportDialog
    from .unit_search import UnitSearch

PLAN_TEXT_SUFFIXES = {".docx", ".txt", ".tsv"}
PLAN_SHEET_SUFFIXES = {".xlsx", ".xls", ".ods"}


class TasksPage(QWidget):
    HELP_TOPIC = "tasks"
    SHOWS = (Area.CAMPAIGN, Area.TASKS, Area.UNITS, Area.CLOSURE)   # the window refreshes it after changes to these
    # built by layout.build
    import_button: QPushButton
    year_combo: QComboBox
    kind_combo: QComboBox
    area_combo: QComboBox
    unit_combo: QComboBox
    leader_combo: QComboBox
    role_combo: QComboBox
    unit_search: UnitSearch
    search_edit: QLineEdit
    search_timer: QTimer
    count_label: QLabel
    table: QTableView
    column_fitter: ColumnFitter
    detail: QTextBrowser
    splitter: QSplitter
    empty_label: QLabel
    body: QStackedWidget

    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        self.import_dialog: ImportDialog | None = None
        self._year: int | None = None
        self._loaded = False
        self.opened_files: list[Path] = []
        self.year_rows: list[dict] = []   # the chosen task's months, as the detail pane shows them
        self.model = TaskTableModel(self)
        self.proxy = TaskFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        layout.build(self)
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
        self.apply_filters()
        if current is not None:
            self.select_uid(current["uid"])
        self._loaded = True

    def year_chosen(self, index: int) -> None:
        year = self.year_combo.itemData(index)
        if year is not None and year != self._year:
            self._year = year
            self.refresh()

    def _set_filter_options(self, tasks: list[TaskRow]) -> None:
        areas = list(dict.fromkeys(t["area"] or "" for t in tasks if t.get("area")))  # in 立项表 order
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
        self.unit_search.names[:] = unit_names
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

    # -- filtering -----------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def search_changed(self, _text: str) -> None:
        if self.model.rowCount() <= 300:
            self.apply_filters()      # instant on a year's ledger
        else:
            self.search_timer.start()  # large ledgers: wait for a pause in typing

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
        self.apply_filters()

    def apply_filters(self) -> None:
        """Show the tasks the filters and the search words pick (the combos and the search box call it)."""
        self.search_timer.stop()
        self.proxy.set_filters(kind=self.kind_combo.currentData() or "", area=self.area_combo.currentData() or "",
                               unit=self.unit_combo.currentData() or "", leader=self.leader_combo.currentData() or "",
                               role=self.role_combo.currentData() or "", search=self.search_edit.text())
        self._update_count()
        self.show_detail()

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

    def show_detail(self) -> None:
        """The chosen task's fields, months and history in the detail pane (hidden while no task is chosen)."""
        task = self.current_task()
        self.detail.setVisible(task is not None)   # no empty pane taking a quarter of the width from the columns
        if task is None:
            self.detail.setHtml(NOTHING_CHOSEN)
            return
        from core.ledger.queries import task_history
        from core.ledger.task_year import task_months
        self.year_rows = task_months(self.ctx.ledger, task["uid"])
        history = task_history(self.ctx.ledger, task["uid"], task["kind"], task["seq"])
        self.detail.setHtml(task_html(task, self.year_rows, history))

    def open_link(self, url) -> None:
        """A 来源文件 link: a copy of the stored file opens in the office suite."""
        text = url.toString()
        if not text.startswith("stored:"):
            return
        digest = text.split(":", 1)[1]
        row = next((r for r in self.year_rows if r["file_hash"] == digest), None)
        from ...stored_file_open import open_stored
        self.opened_files.append(open_stored(self.ctx.ledger, digest, row["file_name"] if row else ""))

    # -- import and drops -----------------------------------------------------------------
    def open_import(self, path: Path | str | None = None):
        from ...import_dialog import ImportDialog
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

