"""The 督办 page's actions: correct 收到时间, 退回待改, 办结 and its undo, 催报单 and 催报邮件, 补充节假日, 亮灯规则."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from core.tracking.reminders import ReminderRow

from ...operations import LedgerOp
from . import PAGE_KEY
from .dialogs import ClosureDialog, HolidayDialog, ReceivedDialog

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QWidget

    from core.tracking.dashboard_view import LightRow
    from core.tracking.states import DashboardData, MatrixRow

    from ...context import AppContext
    _Base = QWidget
else:
    _Base = object


class ActionsMixin(_Base):
    """Part of DashboardPage: the writes (each a LedgerOp) and the 催报 outputs."""
    ctx: AppContext
    cid: int | None
    year: int | None
    data: DashboardData | None
    current_cell: MatrixRow | None
    closure_dialog: ClosureDialog | None
    received_dialog: ReceivedDialog | None
    holiday_dialog: HolidayDialog | None

    if TYPE_CHECKING:
        @property
        def today(self) -> date: ...
        @property
        def period(self) -> str | None: ...
        def reload(self, then: Callable[[], object] | None = None) -> None: ...
        def select_cell(self, unit_id: int, form: str, period: str) -> MatrixRow | None: ...
        def selected_task(self) -> LightRow | None: ...

    def open_received_dialog(self) -> ReceivedDialog | None:
        cell = self.current_cell
        if cell is None or cell["submission_id"] is None:
            return None
        dialog = ReceivedDialog(cell, self)
        dialog.accepted.connect(lambda: self._set_received(cell, dialog))
        self.received_dialog = dialog
        dialog.open()
        return dialog

    def _set_received(self, cell: MatrixRow, dialog: ReceivedDialog) -> None:
        from core.tracking.states import set_received_at
        when, note = dialog.values()
        ledger, sid = self.ctx.ledger, cell["submission_id"]
        assert sid is not None, "the dialog opens only for a cell with a file"
        self._write(lambda work: set_received_at(ledger, sid, when, note),
                    f"已更正{cell['unit']}的收到时间。", cell)

    def return_current(self) -> None:
        from core.tracking.states import mark_returned
        cell = self.current_cell
        if cell is None or cell["submission_id"] is None:
            return
        ledger = self.ctx.ledger
        self._write(lambda work: mark_returned(ledger, cell["submission_id"], "督办页退回"),
                    f"已将{cell['unit']}的“{cell['file_name']}”标记为退回待改。", cell)

    def _write(self, fn, done_text: str, cell: MatrixRow | None = None, then=None):
        """Run a ledger write as an operation; when it is done, read the page again once and keep the cell in view.

        A refused write (UserError) is shown by the operation's error dialog and leaves the page as it was."""
        def done(_result) -> None:
            self.ctx.status_message.emit(done_text)
            keep = cell
            self.reload(then=None if keep is None else
                        lambda: self.select_cell(keep["unit_id"], keep["form"], keep["period"]))
            if then is not None:   # what follows a write that succeeded (the 办结通报 after a 办结), whatever is read
                then()
        return LedgerOp(self.ctx, PAGE_KEY, fn).success(done).run()

    def show_rules(self) -> QMessageBox:
        from core.tracking.states import LIGHT_RULES
        box = QMessageBox(QMessageBox.Icon.Information, "亮灯规则", LIGHT_RULES, QMessageBox.StandardButton.Ok, self)
        box.open()
        return box

    def open_close_dialog(self, task: LightRow | None = None) -> ClosureDialog | None:
        task = task or self.selected_task()
        if task is None:
            return None
        dialog = ClosureDialog(task, self.today, self)
        dialog.accepted.connect(lambda: self._do_close(task, dialog))
        self.closure_dialog = dialog
        dialog.open()
        return dialog

    def _do_close(self, task: LightRow, dialog: ClosureDialog) -> None:
        from core.tracking.closure import close_task
        day, note, evidence = dialog.values()
        ledger = self.ctx.ledger
        self._write(lambda work: close_task(ledger, task["id"], day, note, evidence), f"任务 {task['seq']} 已办结。",
                    then=lambda: self._draft_closure_notice(task))

    def _draft_closure_notice(self, task: LightRow) -> None:
        """办结通报 drafted the moment a task is closed (“完成的事项第一时间通报”), in the ledger's 通报 folder; the clerk
        is told where, and reviews it before it is printed."""
        from core.ledger.settings import output_folder
        from core.reports.notices import write_closure_notice
        from ...jobs import message_of
        from ...operations import LedgerQuery
        ledger, today, year = self.ctx.ledger, self.today, self.year
        ref = f"{task['kind']}:{task['seq']}"
        out = output_folder(ledger, "reports") / f"办结通报-{ref.replace(':', '')}.docx"
        self.closure_notice_job = (
            LedgerQuery(self.ctx, lambda work: write_closure_notice(ledger, ref, out, today=today, year=year, work=work))
            .success(lambda made: self.ctx.status_message.emit(
                f"任务 {task['seq']} 已办结，办结通报已起草：{made['path']}（请核改后印发）"))
            .failure(lambda exc: self.ctx.status_message.emit(
                f"任务 {task['seq']} 已办结；办结通报未能起草：{message_of(exc)}")).run())

    def reopen_selected(self) -> None:
        from core.tracking.closure import reopen_task
        task = self.selected_task()
        if task is None:
            return
        ledger = self.ctx.ledger
        self._write(lambda work: reopen_task(ledger, task["id"]), f"已撤销任务 {task['seq']} 的办结。")

    def reminder_rows(self) -> list[ReminderRow]:
        """Who to 催报 today: everything still owed, the plan and every month (core's one rule; `status --remind`
        uses it too), whichever month is shown."""
        from core.tracking.reminders import outstanding_rows
        if not self.data or self.cid is None or self.period is None:
            return []
        return outstanding_rows(self.ctx.ledger, self.cid, self.today)

    def write_sheet(self, path: Path) -> Path:
        from core.tracking.reminders import outstanding_title, write_reminder_sheet
        return write_reminder_sheet(self.reminder_rows(), path, self.today, outstanding_title(self.today),
                                    per_unit=True)

    def write_drafts(self, folder: Path) -> list[dict]:
        from core.ledger.settings import mail_from
        from core.tracking.reminders import write_reminder_emls
        sender = mail_from(self.ctx.ledger)
        return write_reminder_emls(self.reminder_rows(), folder, self.today, sender=sender, per_unit=True)

    def _ask_sheet(self) -> None:
        from core.ledger.settings import output_folder
        folder = output_folder(self.ctx.ledger, "reminders")   # the ledger's output folder, 催报 subfolder
        folder.mkdir(parents=True, exist_ok=True)
        default = str(folder / f"催报单-{self.today.isoformat()}.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "保存催报单", default, "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        out = self.write_sheet(Path(path))
        self.ctx.status_message.emit(f"催报单已保存：{out}")
        from ...open_folder import open_in_file_manager
        open_in_file_manager(self, out, "打开催报单")

    def _ask_emls(self) -> None:
        from core.ledger.settings import output_folder
        start = output_folder(self.ctx.ledger, "reminders")
        start.mkdir(parents=True, exist_ok=True)
        folder = QFileDialog.getExistingDirectory(self, "催报邮件草稿保存到", str(start))
        if not folder:
            return
        drafts = self.write_drafts(Path(folder))
        self.ctx.status_message.emit(f"已写出 {len(drafts)} 封催报邮件草稿：{folder}")

    def open_holidays(self) -> HolidayDialog:
        year = self.year or date.today().year
        if self.data and self.data["estimated_years"]:   # the year the calendar warning is about
            year = self.data["estimated_years"][0]
        dialog = HolidayDialog(self.ctx, year, self)
        dialog.finished.connect(lambda _r: self.reload())
        self.holiday_dialog = dialog
        dialog.open()
        return dialog
