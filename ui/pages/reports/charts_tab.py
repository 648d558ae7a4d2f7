"""The 通报打印 page's 图表 tab: the chart of the quarter drawn in the background; only the latest one asked for lands."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap

if TYPE_CHECKING:
    from datetime import date

    from PySide6.QtWidgets import QComboBox, QLabel, QScrollArea, QWidget

    from ...context import AppContext
    _Base = QWidget
else:
    _Base = object

CHARTS = {"按重点领域": "area", "逐月": "month", "按单位": "unit"}


class ChartMixin(_Base):
    """Part of ReportsPage: the chart job (numbered, so a slow earlier chart never lands over a newer one)."""
    ctx: AppContext
    chart_combo: QComboBox
    chart_label: QLabel
    chart_scroll: QScrollArea
    chart_png: bytes | None
    chart_job: object
    chart_quarter: str
    _chart_runs: int

    if TYPE_CHECKING:
        @property
        def quarter(self) -> str: ...
        @property
        def today(self) -> date: ...

    def load_chart(self) -> None:
        if not self.quarter:
            return
        ledger, quarter, today, kind = self.ctx.ledger, self.quarter, self.today, CHARTS[self.chart_combo.currentText()]

        def job(work):
            from core.office import charts
            from core.reports.data import bulletin_data
            d = bulletin_data(ledger, quarter, today)
            if kind == "area":
                return charts.by_area(d["by_area"]) if d["by_area"] else None
            if kind == "unit":
                return charts.by_unit(d["by_unit"]) if d["by_unit"] else None
            return charts.by_month(d["by_month"]) if d["by_month"] else None

        self.chart_label.setText("正在绘制…")
        self._chart_runs += 1
        run = self._chart_runs
        from ...jobs import message_of
        from ...operations import LedgerQuery
        self.chart_job = (LedgerQuery(self.ctx, job).success(lambda png: self._chart_done(png, quarter, run))
                          .failure(lambda exc: self._chart_failed(message_of(exc), run)).run())

    def show_chart(self) -> None:
        self.load_chart()

    def _chart_failed(self, message: str, run: int) -> None:
        if run == self._chart_runs:
            self.chart_job = None
            self.chart_label.setText(message)

    def _chart_done(self, png: bytes | None, quarter: str, run: int) -> None:
        if run != self._chart_runs:   # a newer chart was asked for meanwhile: this one is stale
            return
        self.chart_job = None
        self.chart_png = png
        self.chart_quarter = quarter
        if not png:
            self.chart_label.setText("该季度还没有落实情况数据。")
            return
        pix = QPixmap()
        pix.loadFromData(png)
        room = self.chart_scroll.viewport().width() - 4   # within the tab: on a 1366-pixel screen too, nothing cut
        width = min(pix.width(), 900, room) if room > 200 else min(pix.width(), 900)
        self.chart_label.setPixmap(pix.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation))
