"""The 收文 page's review actions: accept/reject from the list, 确认身份, 退回 in one action, exports, the original file."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QMessageBox

from core.common.vocabulary import Decision

from ...operations import write_now
from . import PAGE_KEY
from .confirm_dialog import ConfirmDialog

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QWidget

    from ...context import AppContext
    from .file_tree import FileTree
    from .review_grid_panel import ReviewGridPanel


    _Base = QWidget
else:
    _Base = object


class DecisionsMixin(_Base):
    """Part of CollectPage: what the clerk decides about the current file, row or change."""
    ctx: AppContext
    tree: FileTree
    grid_panel: ReviewGridPanel
    status_label: QLabel
    last_send_back: dict | None

    if TYPE_CHECKING:
        def current_submission(self) -> int | None: ...
        def refresh(self, then=None) -> None: ...
        def refresh_file(self, sid: int) -> None: ...
        def merge_running(self) -> bool: ...

    def send_back(self, out_dir: str | Path | None = None) -> dict | None:
        """退回 in one action: the current file's rejected rows with their comments → 退回 workbook + .eml draft."""
        from core.common.errors import UserError
        from core.ledger.settings import outbox_dir
        from core.returns.send_back import send_back
        self.grid_panel.finish_editing()   # a comment still being typed is kept, then sent
        sid = self.current_submission()
        if not sid or self.merge_running():
            if not sid:
                self.status_label.setText("请先在左侧选中一份文件，在审核表中把要退回的行标为不接受（Shift+R）。")
            return None
        ledger, folder = self.ctx.ledger, Path(out_dir) if out_dir else outbox_dir(self.ctx.ledger) / "退回"
        try:
            out = write_now(self.ctx, PAGE_KEY, lambda: send_back(ledger, sid, folder)).value
        except UserError as exc:
            self.status_label.setText(exc.message)
            self.ctx.status_message.emit(exc.message)
            return None
        except OSError as exc:
            from core.common.os_errors import describe_os_error
            self.status_label.setText(f"退回表未能写出：{describe_os_error(exc)}")
            return None
        self._sent_back(out)
        return out

    def _sent_back(self, out: dict) -> None:
        from PySide6.QtCore import QUrl
        link = QUrl.fromLocalFile(str(out["folder"])).toString()
        mail = f"发往 {out['email']}" if out["email"] else "该单位没有邮箱，请在“单位”页补充后再发"
        then = "该文件已标为“已退回”，待单位重新报送。" if out["returned"] else "其余已接受的内容点“合并”照常写入台账。"
        text = (f"已退回{out['unit']} {out['rows']} 行：退回表和邮件草稿（{mail}）已保存。{then}"
                f" <a href=\"{link}\">打开文件夹</a>")
        self.status_label.setText(text)
        self.ctx.status_message.emit(text)
        self.last_send_back = out
        self.refresh()

    # -- decisions -------------------------------------------------------------------------------
    def decide(self, decision: str) -> None:
        from core.returns.review import set_decision, set_file_decision, set_row_decision
        ref = self.tree.current_ref()
        if not ref or self.merge_running():
            return
        kind, sid, key = ref
        ledger = self.ctx.ledger
        if kind == "change":
            write_now(self.ctx, PAGE_KEY, lambda: set_decision(ledger, [key], decision))
        elif kind == "row":
            write_now(self.ctx, PAGE_KEY, lambda: set_row_decision(ledger, sid, key[0], decision, quarter=key[1]))
        else:
            write_now(self.ctx, PAGE_KEY, lambda: set_file_decision(ledger, sid, decision))
        self.refresh_file(sid)   # one file decided: its branch read again at once, J/K go on from it
        if kind == "change":
            self.tree.step_to(1)

    def accept_all_in_file(self) -> None:
        from core.returns.review import set_file_decision
        sid = self.current_submission()
        if sid and not self.merge_running():
            ledger = self.ctx.ledger
            write_now(self.ctx, PAGE_KEY, lambda: set_file_decision(ledger, sid, Decision.ACCEPTED))
            self.refresh_file(sid)

    def accept_all_staged(self) -> int:
        from core.returns.review import accept_all_staged
        if self.merge_running():
            return 0
        ledger = self.ctx.ledger
        n = write_now(self.ctx, PAGE_KEY, lambda: accept_all_staged(ledger)).value
        self.status_label.setText(f"已接受 {n} 处差异。核对后点“合并”写入台账。" if n else "没有待审核的差异。")
        self.refresh()
        return n

    def open_confirm(self, values: tuple | None = None) -> dict | None:
        """Ask (or, in tests, take `values`) which unit/form/period a needs-confirmation file is."""
        from core.ledger.page_reads import unit_choices
        from core.returns.collect import confirm, form_sheets
        from core.returns.review import list_submissions
        sid = self.current_submission()
        sub = next(iter(list_submissions(self.ctx.ledger, ids=[sid])), None) if sid is not None else None
        if sid is None or sub is None or sub["status"] not in ("needs-confirmation", "staged", "unchanged"):
            QMessageBox.information(self, "确认身份", "请先在左侧选中一份“待确认”的文件。")
            return None
        if values is None:
            units = unit_choices(self.ctx.ledger)
            sheets, sheet = form_sheets(self.ctx.ledger, sid)
            dialog = ConfirmDialog(self, units, sub["unit_id"], sub["form"] or "report", sub["period"] or "",
                                   sub["message"], sheets, sheet)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            values = dialog.values()
        ledger = self.ctx.ledger
        result = write_now(self.ctx, PAGE_KEY, lambda: confirm(ledger, sid, *values)).value
        self.refresh(then=lambda: self.tree.select_ref(("file", sid, None)))
        return result

    # -- exports ------------------------------------------------------------------------------------
    def export_report(self, path: str | Path | None = None) -> Path | None:
        from core.returns.diff_report import write_diff_report
        from core.returns.review import list_submissions
        sid = self.current_submission()
        ids = [sid] if sid else [s["id"] for s in list_submissions(self.ctx.ledger, ("staged",))]
        if not ids:
            return None
        if path is None:
            from ...file_dialogs import save_file
            path = save_file(self, "导出差异报告", "export", "收文差异报告.xlsx", "Excel 工作簿 (*.xlsx)")
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
            from ...file_dialogs import save_file
            path = save_file(self, "导出退回表", "export", "退回修改意见.xlsx", "Excel 工作簿 (*.xlsx)")
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
        sub = next(iter(list_submissions(self.ctx.ledger, ids=[sid])), None) if sid is not None else None
        if sub:
            import tempfile
            folder = Path(tempfile.mkdtemp(prefix="dcta-original-"))
            copy = folder / Path(sub["file_name"]).name   # a copy under its own name, so the office suite opens it
            copy.write_bytes(file_store.read(self.ctx.ledger, sub["file_hash"]))
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy)))
