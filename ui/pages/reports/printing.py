"""The 通报打印 page's 数据预览: the month's figures as HTML tables on screen (printing is the generated file's, in the
打印预览 tab: the data preview printed a different document from the file, issue 28.6)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date

    from PySide6.QtWidgets import QComboBox, QTextBrowser, QWidget

    from ...context import AppContext
    _Base = QWidget
else:
    _Base = object


class PrintingMixin(_Base):
    """Part of ReportsPage: what the 数据预览 tab shows."""
    ctx: AppContext
    preview_html: str
    preview: QTextBrowser
    preview_combo: QComboBox
    out_dir: Path | None

    if TYPE_CHECKING:
        @property
        def period(self) -> str: ...
        @property
        def quarter(self) -> str: ...
        @property
        def today(self) -> date: ...

    def _fallback_html(self) -> str:
        if not self.preview_html:
            self.load_preview()
        return self.preview_html

    def load_preview(self) -> None:
        if not self.period:
            return
        from core.common.errors import UserError
        from core.reports.data import bulletin_data, summary_data
        from core.reports.html import bulletin_html, summary_html
        index = self.preview_combo.currentIndex()
        try:
            if index == 2:
                self.preview_html = bulletin_html(bulletin_data(self.ctx.ledger, self.quarter, self.today))
            else:
                kind = "key" if index == 0 else "livelihood"
                data = summary_data(self.ctx.ledger, self.period, kind, self.today)
                y, m = data["year"], data["month"]
                title = (f"{y}年{m}月《政府工作报告》重点任务落实情况汇总表" if kind == "key"
                         else f"{y}年{m}月民生实事项目进展情况表")
                self.preview_html = summary_html(data, title)
        except UserError as exc:  # nothing to show yet: said in the preview itself; our bugs reach the window's hook
            self.preview_html = f"<p>{exc.message}</p>"
        self.preview.setHtml(self.preview_html)
