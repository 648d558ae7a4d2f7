"""下发 page: choose 落实计划表 or a month's 落实情况表 and the units, preview one unit's workbook, generate all with progress.

What it shows (the latest year, the units with their tasks, the 发件箱, the 计划表's deadline) is read off the window's
thread (`LedgerQuery`), a newer read superseding an older one, “正在读取……” meanwhile; the window reads it again only
after a change to what it shows (`SHOWS`)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QHeaderView, QListWidgetItem, QMessageBox, QTableWidgetItem, QWidget


from core.ledger.changes import Area

from ..jobs import message_of
from ..operations import LedgerOp, LedgerQuery
from . import dispatch_layout

if TYPE_CHECKING:
    from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListWidget, QProgressBar, QPushButton, QTableWidget

    from ..context import AppContext
    from ..jobs import Job
    from ..month_picker import MonthPicker

PAGE_ORDER = 40
PAGE_TITLE = "下发"
PAGE_KEY = "dispatch"



def create(ctx):
    return DispatchPage(ctx)


def read_page(ledger, plan_month: bool) -> dict:
    """What the page shows, read in one go off the window's thread; `plan_month`: also the last month the 计划表 is
    due in (None when no campaign says)."""
    from core.common.errors import UserError
    from core.ledger.page_reads import latest_year
    from core.ledger.queries import list_units
    year = latest_year(ledger)
    last_plan_month = None
    if plan_month and year is not None:
        from core.tracking.deadlines import form_due
        try:
            due = form_due(ledger, "plan", str(year))
            last_plan_month = f"{due.year:04d}-{due.month:02d}" if due else f"{year:04d}-03"
        except UserError:
            pass
    return {"year": year, "last_plan_month": last_plan_month, "outbox": str(default_outbox(ledger)),
            "units": list_units(ledger)}


def default_outbox(ledger) -> Path:
    """The ledger's output folder's 下发 subfolder (or the 发件箱 chosen in 设置 / on this page)."""
    from core.ledger.settings import outbox_dir
    return outbox_dir(ledger)


class DispatchPage(QWidget):
    HELP_TOPIC = "dispatch"
    SHOWS = (Area.CAMPAIGN, Area.TASKS, Area.UNITS, Area.SETTINGS)   # the window refreshes it after changes to these
    read_done = Signal()   # the latest read is on the page
    # built by dispatch_layout.build
    form_combo: QComboBox
    month_picker: MonthPicker
    year_label: QLabel
    out_edit: QLineEdit
    unit_list: QListWidget
    count_label: QLabel
    preview_table: QTableWidget
    preview_title: QLabel
    preview_button: QPushButton
    generate_button: QPushButton
    cancel_button: QPushButton
    open_button: QPushButton
    progress: QProgressBar
    result_label: QLabel

    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        self.job: Job | None = None
        self._month_set = False   # opens once on the window's 工作月份, then keeps the clerk's choice
        self.last_results: list[dict] | None = None
        self.last_folder: Path | None = None
        self.last_error = ""
        self.year: int | None = None
        self.reading = False   # a read of the page's data is in flight (“正在读取……”)
        self._reads = 0        # reads asked for so far; only the latest one lands
        self._preview_dir = tempfile.TemporaryDirectory(prefix="dcta-preview-")

        self.previewed: tuple | None = None   # (form, period, unit) of the preview on show
        self._shown_outbox = ""   # the 发件箱 the page shows follows the ledger's until typed over (read when shown)
        dispatch_layout.build(self, self._shown_outbox)
        self.form_combo.currentIndexChanged.connect(self._form_changed)
        self.form_combo.currentIndexChanged.connect(lambda _i: self._refresh_preview())
        self.month_picker.set_reference(ctx.work_month)
        self.month_picker.month_changed.connect(lambda _p: self._refresh_preview())
        ctx.work_month_changed.connect(self._follow_work_month)
        self.unit_list.itemChanged.connect(lambda _item: self._update_count())   # read when first shown

    # -- state ------------------------------------------------------------------------------------
    def form(self) -> str:
        return self.form_combo.currentData()

    def period(self) -> str | None:
        if self.form() == "plan":
            return str(self.year) if self.year else None
        return self.month_picker.month()

    def set_period(self, period: str) -> None:
        if int(period[:4]) not in self.month_picker.years():
            self.month_picker.set_years(self.month_picker.years() + [int(period[:4])])
        self.month_picker.set_month(period)

    def _follow_work_month(self, period: str) -> None:
        self.month_picker.set_reference(period)
        self.set_period(period)

    def checked_units(self) -> list[str]:
        return [self.unit_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.unit_list.count())
                if self.unit_list.item(i).checkState() == Qt.CheckState.Checked]

    def check_all(self, on: bool) -> None:
        """全选 ticks every unit but the collective entries; 全不选 clears all."""
        for i in range(self.unit_list.count()):
            item = self.unit_list.item(i)
            collective = item.text().endswith("（集体条目，默认不下发）")
            item.setCheckState(Qt.CheckState.Checked if on and not collective else Qt.CheckState.Unchecked)

    def set_checked(self, names: list[str]) -> None:
        for i in range(self.unit_list.count()):
            item = self.unit_list.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in names
                               else Qt.CheckState.Unchecked)

    def select_unit(self, name: str) -> bool:
        for i in range(self.unit_list.count()):
            if self.unit_list.item(i).data(Qt.ItemDataRole.UserRole) == name:
                self.unit_list.setCurrentRow(i)
                return True
        return False

    def _default_form(self, last_plan_month: str | None) -> None:
        """附件3 while the plan is what is due (the 工作月份 up to the plan's deadline month), else 附件4: in November
        the page opens on the month's 落实情况表."""
        if self.year is None or last_plan_month is None:
            return
        wanted = "plan" if self.ctx.work_month <= last_plan_month else "report"
        index = self.form_combo.findData(wanted)
        if index >= 0:
            self.form_combo.setCurrentIndex(index)

    def refresh(self) -> None:
        """Read what the page shows in the background; the latest read asked for lands (`_read`)."""
        self._reads += 1
        run, ledger, plan_month = self._reads, self.ctx.ledger, not self._month_set
        self.reading = True
        self._update_count()
        (LedgerQuery(self.ctx, lambda _work: read_page(ledger, plan_month))
         .success(lambda data: self._read(run, data)).failure(lambda exc: self._read_failed(run, exc)).run())

    def _read_failed(self, run: int, exc: BaseException) -> None:
        if run == self._reads:
            self.reading = False
            self._update_count()
            self.read_done.emit()
            from ..error_hook import show_error
            show_error(exc)

    def _read(self, run: int, data: dict) -> None:
        if run != self._reads:   # a newer read was asked for meanwhile
            return
        self.year = data["year"]
        years = ({self.year} if self.year else set()) | {int(self.ctx.work_month[:4])}
        if set(self.month_picker.years()) != years:
            self.month_picker.set_years(years)
        if not self._month_set:   # opens on the window's 工作月份
            self.month_picker.set_month(self.ctx.work_month)
            self._month_set = True
            self._default_form(data["last_plan_month"])
        self.year_label.setText(f"落实计划表：{self.year}年度" if self.year else "尚未导入立项表")
        outbox = data["outbox"]
        if self.out_edit.text().strip() in ("", self._shown_outbox):   # follows 设置 unless typed over here
            self.out_edit.setText(outbox)
        self._shown_outbox = outbox
        self._fill_units(data["units"])
        self.reading = False
        self._form_changed()
        self._update_count()
        self.read_done.emit()

    def _fill_units(self, units: list) -> None:
        checked = set(self.checked_units()) if self.unit_list.count() else None
        current = self.unit_list.currentItem().data(Qt.ItemDataRole.UserRole) if self.unit_list.currentItem() else None
        self.unit_list.blockSignals(True)
        self.unit_list.clear()
        for u in units:
            n = u["tasks_lead"] + u["tasks_co"]
            if not n:
                continue
            text = f"{u['name']}（牵头 {u['tasks_lead']}，配合 {u['tasks_co']}）" + ("" if u["email"] else "  无邮箱")
            if u["collective"]:
                text = f"{u['name']}（集体条目，默认不下发）"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, u["name"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            # a collective entry (各街道办事处, 各行业主管部门) is nobody's inbox: not ticked unless the clerk ticks it
            wanted = not u["collective"] if checked is None else u["name"] in checked
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
            if u["collective"]:
                item.setToolTip("这是集体条目，不是一个收件单位：其任务应由成员单位各自报送。"
                                "请在“单位”页把它合并到成员单位，或确需时再勾选。")
            elif not u["email"]:
                item.setToolTip("通讯录中没有邮箱，邮件草稿不会填收件人")
            self.unit_list.addItem(item)
        self.unit_list.blockSignals(False)
        if current:
            self.select_unit(current)
        elif self.unit_list.count():
            self.unit_list.setCurrentRow(0)

    def _form_changed(self) -> None:
        report = self.form() == "report"
        self.month_picker.setVisible(report)
        self.year_label.setVisible(not report)

    def _update_count(self) -> None:
        n = len(self.checked_units())
        self.count_label.setText("正在读取……" if self.reading else f"已选 {n} / {self.unit_list.count()} 个单位")
        self.generate_button.setEnabled(n > 0 and self.job is None and not self.reading)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择发件箱文件夹", self.out_edit.text())
        if folder:
            self.out_edit.setText(folder)

    # -- preview ------------------------------------------------------------------------------------
    def preview(self) -> bool:
        from core.forms.generate import preview, read_sheet
        item = self.unit_list.currentItem()
        if item is None:
            self._warn("预览", "请先在左侧选中一个单位。")
            return False
        name = item.data(Qt.ItemDataRole.UserRole)
        path = preview(self.ctx.ledger, self.form(), self.period(), name, Path(self._preview_dir.name))
        rows = read_sheet(path)
        self.show_rows(rows)
        self.preview_title.setText(f"预览：{path.name}")
        self.previewed = (self.form(), self.period(), name)
        return True

    def _refresh_preview(self) -> None:
        """A preview on show always matches the form and month chosen now, never the previous choice."""
        if self.previewed is None or self.previewed[:2] == (self.form(), self.period()):
            return
        if not self.preview():
            self.previewed = None
            self.preview_table.clear()
            self.preview_table.setRowCount(0)
            self.preview_title.setText("预览：选中左侧一个单位，点“预览”。")

    def show_rows(self, rows: list[list[str]]) -> None:
        from core.forms.stamp import ROW_KEY_HEADER
        ncols = max((len(r) for r in rows), default=0)
        key_col = next((c for r in rows for c, v in enumerate(r) if v == ROW_KEY_HEADER), None)
        self.preview_table.clear()
        self.preview_table.clearSpans()
        self.preview_table.setRowCount(len(rows))
        self.preview_table.setColumnCount(ncols)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.preview_table.setItem(r, c, QTableWidgetItem(value))
            last = ncols - (1 if key_col is not None else 0)
            filled = [c for c, v in enumerate(row) if v and c < last]
            if key_col is not None and key_col < len(row) and row[key_col]:
                continue  # header and data rows keep their columns
            for i, c in enumerate(filled):  # title and footer lines run across the sheet, as on paper
                end = filled[i + 1] if i + 1 < len(filled) else last
                if end - c > 1:
                    self.preview_table.setSpan(r, c, 1, end - c)
        if key_col is not None:
            self.preview_table.setColumnHidden(key_col, True)
        header = self.preview_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for c in range(ncols):
            self.preview_table.setColumnWidth(c, 60 if c == 0 else 260 if c == 1 else 110)
        self.preview_table.resizeRowsToContents()

    # -- generate -----------------------------------------------------------------------------------
    def start_generate(self):
        from core.forms.generate import generate
        units = self.checked_units()
        if not units or self.job is not None:
            return None
        form, period, out = self.form(), self.period(), Path(self.out_edit.text().strip() or default_outbox(self.ctx.ledger))
        if form == "report" and not self.confirm_missing_plans(units):
            return None
        everyone, ledger, self.last_error = len(units) == self.unit_list.count(), self.ctx.ledger, ""
        self.result_label.setText("正在生成…")
        self.progress.setRange(0, len(units))
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.generate_button.setEnabled(False)
        self.cancel_button.setEnabled(True)

        chosen, typed = None if everyone else units, self.out_edit.text().strip()
        remember = typed if typed and str(default_outbox(ledger)) != typed else ""   # kept once the run succeeded
        from core.tracking.deadlines import form_due

        def job(work):
            from dataclasses import replace

            from core.ledger.settings import set_folder
            results = generate(ledger, form, period, out, chosen, work=work, due=form_due(ledger, form, period))
            if remember:   # the folder typed is kept: the two writes' changes in one
                results = replace(results, change=results.change | set_folder(ledger, "outbox_dir", remember).change)
            return results
        self.job = (LedgerOp(self.ctx, PAGE_KEY, job)
                    .success(self._done).failure(lambda exc: self._failed(message_of(exc)))
                    .progress(self._progress).cancelled(self._cancelled).run())
        return self.job

    def confirm_missing_plans(self, units: list[str]) -> bool:
        """Before 附件4: say which units have no 落实计划表 yet (their 季度目标 would be blank); the clerk decides."""
        from core.forms.readiness import units_without_plan
        missing = units_without_plan(self.ctx.ledger, units)
        if not missing:
            return True
        shown = "、".join(missing[:8]) + (f" 等 {len(missing)} 个单位" if len(missing) > 8 else "")
        text = (f"{shown}的落实计划表（附件3）还没有收回合并，它们的落实情况表中“季度目标”一栏将是空白。\n\n"
                "建议先收回计划表再下发。仍要现在生成吗？")
        answer = QMessageBox.question(self, "计划表尚未收回", text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.result_label.setText("正在取消…")

    def _progress(self, done: int, total: int, label: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.ctx.status_message.emit(f"下发：{label}（{done}/{total}）")

    def _finish(self) -> None:
        self.job = None
        self.cancel_button.setEnabled(False)
        self._update_count()

    def _done(self, results) -> None:
        self._finish()
        self.last_results = list(results)
        self.last_folder = Path(results[0]["path"]).parent if results else None
        self.open_button.setEnabled(self.last_folder is not None)
        missing = [r["unit"] for r in results if not r["email"]]
        text = f"已生成 {len(results)} 份表格和邮件草稿，保存在：{self.last_folder}"
        if missing:
            text += f"\n以下 {len(missing)} 个单位没有邮箱地址，邮件草稿未填收件人：{'、'.join(missing)}"
        self.result_label.setText(text)
        self.ctx.status_message.emit(f"下发完成：{len(results)} 份")

    def _failed(self, message: str) -> None:
        self._finish()
        self.last_error = message
        self.result_label.setText(f"生成失败：{message}")
        self._warn("生成失败", message)

    def _cancelled(self) -> None:
        self._finish()
        self.progress.setValue(0)
        self.result_label.setText("已取消，没有生成任何文件，也没有记录下发。")

    def open_folder(self) -> bool:
        """The last generation's folder; says in Chinese when it is missing or the system cannot open it."""
        from ..open_folder import open_in_file_manager
        return open_in_file_manager(self, self.last_folder)

    def _warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)
