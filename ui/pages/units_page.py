"""单位 page: the unit directory with contacts edited in place, 通讯录 import, aliases, merges, and each unit's tasks.

The window's refresh reads the units, tasks and contact counts off its thread (`LedgerQuery`, a newer read superseding
an older one, “正在读取……” meanwhile); after the page's own write it reads them at once (`reload_now`)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QMessageBox, QPushButton,
    QSplitter, QTableView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from core.common.vocabulary import KIND_NAMES
from core.ledger.changes import Area
from core.ledger.row_types import TaskRow

from ..jobs import message_of
from ..operations import LedgerOp, LedgerQuery, write_now
from ..table_select import select_source_index
from ..unit_table_model import (
    COL_ALIASES, COL_CO, COL_COLLECTIVE, COL_CONTACT, COL_EMAIL, COL_LEAD, COL_NAME, COL_PHONE, UnitTableModel,
)

if TYPE_CHECKING:
    from ..context import AppContext

PAGE_ORDER = 20
PAGE_TITLE = "单位"
PAGE_KEY = "units"

CONTACTS_FILTER = "通讯录 (*.xlsx *.xls *.ods);;所有文件 (*)"


def read_page(ledger) -> tuple[list, list[TaskRow], dict]:
    """What the page shows: every unit, the campaign's tasks, the contact counts."""
    from core.ledger.queries import list_tasks, list_units
    from core.units.contacts_plan import contact_counts
    return list_units(ledger), list_tasks(ledger), contact_counts(ledger)


def create(ctx):
    return UnitsPage(ctx)


class UnitFilter(QSortFilterProxyModel):
    """The search text, and optionally only the units that still lack a contact (collective names left out)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.missing_only = False

    def set_missing_only(self, on: bool) -> None:
        if hasattr(self, "beginFilterChange") and hasattr(self, "endFilterChange"):  # Qt >= 6.10
            self.beginFilterChange()
            self.missing_only = on
            self.endFilterChange()
        else:
            self.missing_only = on
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent) -> bool:
        if self.missing_only:
            from core.units.contacts_plan import has_contact
            model = self.sourceModel()
            assert isinstance(model, UnitTableModel)
            unit = model.unit_at(row)
            if unit["collective"] or has_contact(unit):
                return False
        return super().filterAcceptsRow(row, parent)


class UnitsPage(QWidget):
    HELP_TOPIC = "units"
    SHOWS = (Area.UNITS, Area.CAMPAIGN, Area.TASKS)   # the window refreshes it after changes to these
    read_done = Signal()   # the latest read is on the page

    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        self._tasks: list[TaskRow] = []
        self.contacts_counts: dict | None = None
        self.reading = False   # a read of the page's data is in flight (“正在读取……”)
        self._reads = 0        # reads asked for so far; only the latest one lands
        self.last_contacts_result: dict | None = None

        bar = self._bar()
        self.model = UnitTableModel(ctx, self)
        self.model.edit_failed.connect(lambda msg: QMessageBox.warning(self, "无法修改", msg))
        self.model.edited.connect(self._edited)
        self.proxy = UnitFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter_edit.textChanged.connect(self._filter_changed)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in ((COL_NAME, 220), (COL_ALIASES, 160), (COL_CONTACT, 80), (COL_PHONE, 130),
                           (COL_EMAIL, 180), (COL_LEAD, 80), (COL_CO, 80), (COL_COLLECTIVE, 60)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_unit_tasks())
        lower = self._unit_tasks()

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        hint = QLabel("双击“联系人”“电话”“邮箱”单元格可直接修改；每次修改都记入痕迹。")
        hint.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.contacts_label)
        layout.addWidget(splitter, 1)
        layout.addWidget(hint)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.filter_edit.setFocus)
        find.activated.connect(self.filter_edit.selectAll)

    def _bar(self) -> QHBoxLayout:
        """通讯录, 别名, 合并 and the search over the units, with how many are shown."""
        self.contacts_button = QPushButton("导入通讯录…")
        self.contacts_button.setToolTip("从通讯录表格（单位名称、联系人、电话、邮箱）填入联系方式")
        self.contacts_button.clicked.connect(lambda: self.import_contacts())
        self.alias_button = QPushButton("添加别名…")
        self.alias_button.setToolTip("给选中的单位添加简称或旧称，导入和收文时按别名识别")
        self.alias_button.clicked.connect(lambda: self.add_alias())
        self.merge_button = QPushButton("合并到…")
        self.merge_button.setToolTip("把选中的单位合并到另一个单位：任务移过去，名称成为别名")
        self.merge_button.clicked.connect(lambda: self.merge_into())
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("查找单位（Ctrl+F）")
        self.filter_edit.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.missing_check = QCheckBox("只看缺联系人的单位")
        self.missing_check.setToolTip("没有联系人也没有邮箱的单位（集合名称如“各街道办事处”除外）")
        self.missing_check.toggled.connect(self._missing_toggled)
        self.contacts_label = QLabel()
        bar = QHBoxLayout()
        for w in (self.contacts_button, self.alias_button, self.merge_button):
            bar.addWidget(w)
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.missing_check)
        bar.addWidget(self.count_label)
        return bar

    def _unit_tasks(self) -> QWidget:
        """Below the units: the chosen unit's tasks (double-click opens one on the 台账 page)."""
        self.tasks_title = QLabel("选中一个单位查看它的任务。")
        self.tasks_table = QTableWidget(0, 4)
        self.tasks_table.setHorizontalHeaderLabels(["类型", "序号", "角色", "任务内容"])
        self.tasks_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tasks_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tasks_table.verticalHeader().setVisible(False)
        self.tasks_table.horizontalHeader().setStretchLastSection(True)
        self.tasks_table.setColumnWidth(0, 80)
        self.tasks_table.setColumnWidth(1, 50)
        self.tasks_table.setColumnWidth(2, 60)
        self.tasks_table.doubleClicked.connect(self._open_task)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.tasks_title)
        lower_layout.addWidget(self.tasks_table, 1)
        return lower

    # -- loading ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the page's data in the background (the window asks after a change this page shows)."""
        self._reads += 1
        run, ledger = self._reads, self.ctx.ledger
        self.reading = True
        self._update_count()
        LedgerQuery(self.ctx, lambda _work: read_page(ledger)).success(lambda data: self._read(run, data)) \
            .failure(lambda exc: self._read_failed(run, exc)).run()

    def reload_now(self) -> None:
        """After this page's own write: read at once, superseding a read in flight (the clerk waits for it)."""
        self._reads += 1
        self._read(self._reads, read_page(self.ctx.ledger))

    def _read_failed(self, run: int, exc: BaseException) -> None:
        if run == self._reads:
            self.reading = False
            self._update_count()
            self.read_done.emit()
            from ..error_hook import show_error
            show_error(exc)

    def _read(self, run: int, data: tuple) -> None:
        if run != self._reads:   # a newer read was asked for meanwhile
            return
        units, self._tasks, self.contacts_counts = data
        current = self.current_unit()
        self.model.set_units(units)
        self.reading = False
        self._update_count()
        if current is not None:
            self.select_unit(current["id"])
        self._show_unit_tasks()
        self.read_done.emit()

    def _filter_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._update_count()

    def _missing_toggled(self, on: bool) -> None:
        self.proxy.set_missing_only(on)
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText("正在读取……" if self.reading else
                                 f"共 {total} 个单位" if shown == total else f"显示 {shown} / {total} 个单位")
        if self.contacts_counts is not None:
            from core.units.contacts_plan import counts_sentence
            self.contacts_label.setText("联系人：" + counts_sentence(self.contacts_counts))

    def current_unit(self) -> dict | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid():
            return None
        return self.model.unit_at(self.proxy.mapToSource(index).row())

    def select_unit(self, unit_id: int) -> bool:
        row = self.model.row_of_id(unit_id)
        if row < 0:
            return False
        return select_source_index(self.table, self.proxy, self.model.index(row, COL_NAME))

    def _show_unit_tasks(self) -> None:
        unit = self.current_unit()
        self.tasks_table.setRowCount(0)
        if unit is None:
            self.tasks_title.setText("选中一个单位查看它的任务。")
            return
        rows = []
        for t in self._tasks:
            for u in t["units"]:
                if u["name"] == unit["name"]:
                    rows.append((t, "牵头" if u["lead"] else "配合"))
                    break
        lead = sum(1 for _, r in rows if r == "牵头")
        self.tasks_title.setText(f"{unit['name']}：牵头 {lead} 项，配合 {len(rows) - lead} 项"
                                 if rows else f"{unit['name']}：本年度没有任务。")
        self.tasks_table.setRowCount(len(rows))
        for i, (t, role) in enumerate(rows):
            for col, value in enumerate((KIND_NAMES.get(t["kind"], t["kind"]), str(t["seq"]), role, t["text"])):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, t["uid"])
                if col == 3:
                    item.setToolTip(t["text"])
                if role == "牵头" and col == 2:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.tasks_table.setItem(i, col, item)

    def _open_task(self, index) -> None:
        uid = self.tasks_table.item(index.row(), 0).data(Qt.ItemDataRole.UserRole)
        window = self.ctx.window
        if window is not None and hasattr(window, "show_page"):
            page = window.show_page("tasks")
            if hasattr(page, "set_filters"):
                page.set_filters(kind="", area="", unit="", leader="", role="", search="")
            if hasattr(page, "select_uid"):
                page.select_uid(uid)

    def _edited(self, unit_id: int) -> None:
        from core.units.contacts_plan import contact_counts
        self.contacts_counts = contact_counts(self.ctx.ledger)   # the clerk's own edit: counted at once
        self._update_count()
        unit = self.model.unit_at(self.model.row_of_id(unit_id))
        self.ctx.status_message.emit(f"已修改“{unit['name']}”的联系方式。")

    # -- actions ---------------------------------------------------------------------------
    def import_contacts(self, path: Path | str | None = None) -> None:
        if path is None:
            from ..file_dialogs import open_file
            chosen = open_file(self, "选择通讯录", "contacts", CONTACTS_FILTER)
            if not chosen:
                return
            path = chosen
        path = Path(path)
        ledger = self.ctx.ledger

        def job(work):
            from core.units.contacts_import import read_contacts
            from core.units.contacts_plan import plan_contacts
            rows = read_contacts(path)
            return rows, plan_contacts(ledger, rows)

        self.contacts_button.setEnabled(False)
        self.ctx.status_message.emit(f"正在导入通讯录“{path.name}”…")
        LedgerQuery(self.ctx, job).success(lambda r: self._contacts_read(r, path)) \
            .failure(lambda exc: self._contacts_failed(message_of(exc))).run()

    def _contacts_read(self, read: tuple, path: Path) -> None:
        """Two rows on one unit: ask which (or both) before anything is written; cancel leaves the ledger as it was."""
        from ..contact_conflict_dialog import ask_conflicts
        rows, plan = read
        choices = ask_conflicts(self, plan["conflicts"])
        if choices is None:
            self.contacts_button.setEnabled(True)
            self.ctx.status_message.emit("已取消导入通讯录，台账未改动。")
            return
        ledger = self.ctx.ledger

        def job(work):
            from core.campaign.importing import file_ref
            from core.units.contacts_import import apply_contacts
            return apply_contacts(ledger, rows, file_ref(path), choices=choices)

        LedgerOp(self.ctx, PAGE_KEY, job).success(lambda r: self._contacts_done(r.value, path)) \
            .failure(lambda exc: self._contacts_failed(message_of(exc))).run()

    def _contacts_done(self, result: dict, path: Path) -> None:
        from core.units.contacts_plan import contact_counts, counts_sentence
        self.contacts_button.setEnabled(True)
        self.last_contacts_result = result
        self.reload_now()
        message = (f"已从“{path.name}”对上 {result['matched']} 个单位，更新 {result['updated']} 个单位的联系方式。"
                   + counts_sentence(contact_counts(self.ctx.ledger)))
        self.ctx.status_message.emit(message)
        if result["unknown"]:
            message += ("\n\n下列名称在台账中找不到对应单位，未导入（可在单位页给相应单位添加别名后重新导入）：\n"
                        + "\n".join(result["unknown"]))
            self._info("通讯录导入完成", message)

    def _contacts_failed(self, message: str) -> None:
        self.contacts_button.setEnabled(True)
        self.ctx.status_message.emit("通讯录导入失败。")
        self._warn("无法导入通讯录", message)

    def add_alias(self, alias: str | None = None) -> bool:
        unit = self.current_unit()
        if unit is None:
            self._info("添加别名", "请先在表中选中一个单位。")
            return False
        if alias is None:
            alias, ok = QInputDialog.getText(self, "添加别名", f"“{unit['name']}”的别名（简称或旧称）：")
            if not ok:
                return False
        from core.units.edit import add_unit_alias
        ledger = self.ctx.ledger   # a refused alias raises UserError: the window's hook shows it
        write_now(self.ctx, PAGE_KEY, lambda: add_unit_alias(ledger, unit["id"], alias))
        self.ctx.status_message.emit(f"已给“{unit['name']}”添加别名“{alias.strip()}”。")
        self.reload_now()
        return True

    def merge_into(self, target_name: str | None = None) -> bool:
        unit = self.current_unit()
        if unit is None:
            self._info("合并单位", "请先在表中选中要合并掉的单位。")
            return False
        others = sorted((u for u in self.model.units if u["id"] != unit["id"]), key=lambda u: u["name"])
        if target_name is None:
            target_name, ok = QInputDialog.getItem(
                self, "合并单位", f"把“{unit['name']}”合并到（其名称将成为该单位的别名）：",
                [u["name"] for u in others], 0, False)
            if not ok:
                return False
            answer = QMessageBox.question(
                self, "确认合并", f"把“{unit['name']}”的 {unit['tasks_lead'] + unit['tasks_co']} 项任务移到"
                f"“{target_name}”，并把“{unit['name']}”作为“{target_name}”的别名？")
            if answer != QMessageBox.StandardButton.Yes:
                return False
        target = next((u for u in others if u["name"] == target_name), None)
        if target is None:
            self._warn("合并单位", f"找不到单位“{target_name}”。")
            return False
        from core.units.edit import merge_unit
        ledger = self.ctx.ledger
        write_now(self.ctx, PAGE_KEY, lambda: merge_unit(ledger, unit["id"], target["id"]))
        self.ctx.status_message.emit(f"已把“{unit['name']}”合并到“{target['name']}”。")
        self.reload_now()
        self.select_unit(target["id"])
        return True

    # message boxes go through these so tests can replace them
    def _info(self, title: str, text: str) -> None:
        QMessageBox.information(self, title, text)

    def _warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)
