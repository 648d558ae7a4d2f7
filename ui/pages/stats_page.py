"""统计 page: each unit's year in figures (sortable, by year, month range and unit kind), its months on a click, the
考评 ranking with every deduction, and the month trend and area charts drawn as the reports draw them."""
from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QScrollArea, QSplitter,
    QTableView, QTabWidget, QTextBrowser, QVBoxLayout, QWidget,
)

from core.ledger.changes import Area

from ..jobs import message_of
from ..operations import LedgerQuery
from ..stats_models import KindFilter, RowsModel
from .stats_years_tab import YearsTab, table_view

PAGE_ORDER = 75
PAGE_TITLE = "统计"
PAGE_KEY = "stats"
KINDS = ("部门", "街道", "集体")
EMPTY_TEXT = "台账中还没有立项任务：请先在“台账”页导入立项表。"


def create(ctx):
    return StatsPage(ctx)


class StatsPage(QWidget):
    loaded = Signal()         # the figures of the latest reload are on screen
    years_loaded = Signal()   # the year-over-year tab is filled (or taken away: fewer than two years)
    HELP_TOPIC = "stats"
    SHOWS = (Area.CAMPAIGN, Area.UNITS, Area.DISPATCH, Area.RETURNS, Area.PROGRESS, Area.CLOSURE, Area.SETTINGS)

    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        self.year: int | None = None
        self.stats = None
        self.today = date.today()
        bar = self._bar()
        self._tabs()
        self._detail()
        self.warning_label = QLabel()
        self.warning_label.setStyleSheet("background:#FFF3CD;color:#7A4D00;padding:4px;")
        self.warning_label.setVisible(False)
        self.busy_label = QLabel()
        self.busy_label.setVisible(False)
        self.empty_label = QLabel(EMPTY_TEXT)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.busy_label)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.empty_label)

        self.year_combo.currentIndexChanged.connect(self._year_chosen)
        self.first_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.last_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.kind_combo.currentIndexChanged.connect(self._kind_chosen)
        self.stats_button.clicked.connect(lambda: self.export(kaoping=False))
        self.kaoping_button.clicked.connect(lambda: self.export(kaoping=True))
        self.rules_button.clicked.connect(self._edit_rules)
        self._charts_drawn = False
        self.generation = 0   # which reload the figures on screen answer

    def _bar(self) -> QHBoxLayout:
        """年度, 从…至 months and the kind of unit; 考评规则 and the two exports."""
        self.year_combo = QComboBox()
        self.year_combo.setToolTip("立项年度")
        self.first_combo, self.last_combo = QComboBox(), QComboBox()
        self.first_combo.setToolTip("从哪个月起")
        self.last_combo.setToolTip("到哪个月止（默认上个月）")
        self.kind_combo = QComboBox()
        self.kind_combo.addItem("全部单位", "")
        for kind in KINDS:
            self.kind_combo.addItem(kind, kind)
        self.stats_button = QPushButton("导出统计表…")
        self.stats_button.setToolTip("各单位、任务、领导、领域的统计和报送情况表（.xlsx，A4 打印）")
        self.kaoping_button = QPushButton("导出考评表…")
        self.kaoping_button.setToolTip("按考评规则计分、排名，逐条列出扣分（.xlsx，A4 打印）")
        self.rules_button = QPushButton("考评规则…")
        self.rules_button.setToolTip("在“设置”中修改考评规则；改后本页重新计分")
        bar = QHBoxLayout()
        for w in (self.year_combo, QLabel("从"), self.first_combo, QLabel("至"), self.last_combo, self.kind_combo):
            bar.addWidget(w)
        bar.addStretch(1)
        for button in (self.rules_button, self.stats_button, self.kaoping_button):
            bar.addWidget(button)
        return bar

    def _tabs(self) -> None:
        """单位统计, 考评 (with its rules) and 图表, over the models the figures fill."""
        self.unit_model, self.score_model, self.month_model = RowsModel(self), RowsModel(self), RowsModel(self)
        self.unit_proxy, self.score_proxy = KindFilter(1, self), KindFilter(2, self)
        self.unit_proxy.setSourceModel(self.unit_model)
        self.score_proxy.setSourceModel(self.score_model)
        self.unit_view, self.score_view = table_view(self.unit_proxy), table_view(self.score_proxy)
        for view in (self.unit_view, self.score_view):
            view.setSortingEnabled(True)
            view.clicked.connect(lambda index, v=view: self._unit_clicked(v, index))
        self.rules_label = QLabel()
        self.rules_label.setWordWrap(True)
        score_box = QWidget()
        score_layout = QVBoxLayout(score_box)
        score_layout.setContentsMargins(0, 0, 0, 0)
        score_layout.addWidget(self.score_view, 1)
        score_layout.addWidget(self.rules_label)
        self.trend_chart, self.area_chart = QLabel(), QLabel()
        charts = QWidget()
        charts_layout = QVBoxLayout(charts)
        charts_layout.addWidget(self.trend_chart)
        charts_layout.addWidget(self.area_chart)
        charts_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(charts)
        scroll.setWidgetResizable(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.unit_view, "单位统计")
        self.tabs.addTab(score_box, "考评")
        self.tabs.addTab(scroll, "图表")
        self.tabs.currentChanged.connect(lambda _i: self._tab_changed())
        self.years_box = YearsTab(self)   # its tab is there only while the ledger holds two years or more
        self.years = None
        self.years_generation = 0
        self._years_due: int | None = None   # campaign years counted at the last refresh, until their job starts

    def _detail(self) -> None:
        """The unit clicked: its months and its deductions, beside the tabs."""
        self.unit_title = QLabel("点击左表中的单位，查看该单位逐月情况和扣分明细。")
        self.unit_title.setWordWrap(True)
        self.month_view = table_view(self.month_model)
        self.deductions = QTextBrowser()
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.unit_title)
        detail_layout.addWidget(self.month_view, 3)
        detail_layout.addWidget(self.deductions, 2)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(detail)
        self.detail = detail   # a unit's months: beside the year's tabs, not beside 历年对比 (which takes the width)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

    # -- loading ----------------------------------------------------------------------------
    def refresh(self) -> None:
        from core.ledger.queries import campaign_years
        years = campaign_years(self.ctx.ledger)
        self._years_due = len(years)   # year over year follows once the year's own figures are on screen
        if self.year not in years:
            self.year = years[0] if years else None
        for combo in (self.year_combo, self.first_combo, self.last_combo):
            combo.blockSignals(True)
        self.year_combo.clear()
        for y in years:
            self.year_combo.addItem(f"{y}年", y)
        if self.year is not None:
            self.year_combo.setCurrentIndex(years.index(self.year))
        self._fill_months()
        for combo in (self.year_combo, self.first_combo, self.last_combo):
            combo.blockSignals(False)
        self.reload()

    def _fill_months(self) -> None:
        for combo, default in ((self.first_combo, 0), (self.last_combo, 11)):
            combo.clear()
            if self.year is None:
                continue
            for m in range(1, 13):
                combo.addItem(f"{m}月", f"{self.year:04d}-{m:02d}")
            combo.setCurrentIndex(default)

    def _year_chosen(self, index: int) -> None:
        year = self.year_combo.itemData(index)
        if year is not None and year != self.year:
            self.year = year
            for combo in (self.first_combo, self.last_combo):
                combo.blockSignals(True)
            self._fill_months()
            for combo in (self.first_combo, self.last_combo):
                combo.blockSignals(False)
            self.reload()

    def _kind_chosen(self, _index: int) -> None:
        kind = self.kind_combo.currentData() or ""
        self.unit_proxy.set_kind(kind)
        self.score_proxy.set_kind(kind)

    def reload(self) -> None:
        """Compute the year's statistics (core.stats, the 督办 states themselves) and show them."""
        has_data = self.year is not None
        self.splitter.setVisible(has_data)
        self.empty_label.setVisible(not has_data)
        for w in (self.stats_button, self.kaoping_button):
            w.setEnabled(has_data)
        if not has_data:
            self.stats = None
            self.generation += 1
            self.unit_model.set_rows([], [])
            self.score_model.set_rows([], [])
            self._start_years()
            return
        first, last = self.first_combo.currentData(), self.last_combo.currentData()
        if first and last and first > last:
            first, last = last, first
        self.generation += 1
        generation, ledger, year, today = self.generation, self.ctx.ledger, self.year, self.today
        self.busy_label.setText(f"正在统计 {year} 年……")
        self.busy_label.setVisible(True)

        def job(_work):
            from core.stats.page import page_stats
            return page_stats(ledger, year, today, first, last)
        LedgerQuery(self.ctx, job).success(lambda result: self._show(generation, result)) \
            .failure(lambda exc: self._failed(message_of(exc))).run()

    def _failed(self, message: str) -> None:
        self.busy_label.setText(f"统计未完成：{message}")
        self._start_years()

    def _start_years(self) -> None:
        if self._years_due is not None:
            n_years, self._years_due = self._years_due, None
            self._reload_years(n_years)

    def _reload_years(self, n_years: int) -> None:
        """Year over year, in the background beside the year's figures, when the ledger holds two years or more."""
        self.years_generation += 1
        if n_years < 2:
            self._show_years(self.years_generation, None)
            return
        generation, ledger, today = self.years_generation, self.ctx.ledger, self.today

        def job(_work):
            from core.stats.page import page_years
            return page_years(ledger, today)
        (LedgerQuery(self.ctx, job).success(lambda result: self._show_years(generation, result))
         .failure(lambda exc: self.years_box.title.setText(f"历年对比未完成：{message_of(exc)}")).run())

    def _show_years(self, generation: int, years) -> None:
        if generation != self.years_generation:
            return
        self.years = years
        index = self.tabs.indexOf(self.years_box)
        if years is None:
            if index >= 0:
                self.tabs.removeTab(index)
        elif index < 0:
            self.tabs.addTab(self.years_box, "历年对比")
        self.years_box.fill(years)
        self.years_loaded.emit()

    def _show(self, generation: int, stats) -> None:
        """The figures of the latest request (an older one finishing late is dropped)."""
        if generation != self.generation:
            return
        from core.stats.page import SCORE_HEADERS
        self.busy_label.setVisible(False)
        self.stats = stats
        self.unit_model.set_rows(self.stats.unit_headers, self.stats.unit_rows)
        self.score_model.set_rows(SCORE_HEADERS, self.stats.score_rows)
        self.score_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.unit_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.unit_proxy.sort(-1)
        for view, widths in ((self.unit_view, {0: 170}), (self.score_view, {1: 170})):
            metrics = view.horizontalHeader().fontMetrics()
            for col in range(view.model().columnCount()):
                header = str(view.model().headerData(col, Qt.Orientation.Horizontal))
                view.setColumnWidth(col, widths.get(col, max(44, metrics.horizontalAdvance(header) + 22)))
        self.rules_label.setText(self.stats.rules_text)
        self.warning_label.setText(f"⚠ {self.stats.warning}" if self.stats.warning else "")
        self.warning_label.setVisible(bool(self.stats.warning))
        self._charts_drawn = False
        self._draw_charts()
        self.loaded.emit()
        self._start_years()

    def _tab_changed(self) -> None:
        self.detail.setVisible(self.tabs.currentWidget() is not self.years_box)
        self._draw_charts()

    def _draw_charts(self) -> None:
        """The charts are drawn when their tab is first looked at (core.office.charts, as the reports draw them)."""
        if self._charts_drawn or self.stats is None or self.tabs.currentIndex() != 2:
            return
        from core.office import charts
        month = self.stats.area_month
        area_title = f"各重点领域任务推进情况（{int(month[5:7])}月）" if month else "各重点领域任务推进情况"
        width = max(320, self.tabs.width() - 48)
        for label, rows, draw in ((self.trend_chart, self.stats.trend_rows,
                                   lambda rows: charts.by_month(rows, "逐月任务按计划推进占比")),
                                  (self.area_chart, self.stats.area_rows, lambda rows: charts.by_area(rows, area_title))):
            if not rows:   # no month has most of its tasks reported yet
                label.setText("尚无大多数任务已填报的月份，暂不绘图。")
                continue
            pixmap = QPixmap()
            pixmap.loadFromData(draw(rows))
            label.setPixmap(pixmap.scaledToWidth(min(pixmap.width(), width), Qt.TransformationMode.SmoothTransformation))
        self._charts_drawn = True

    # -- a unit's months ------------------------------------------------------------------------
    def _unit_clicked(self, view: QTableView, index) -> None:
        if not index.isValid() or self.stats is None:
            return
        proxy = self.unit_proxy if view is self.unit_view else self.score_proxy
        model = self.unit_model if view is self.unit_view else self.score_model
        self.show_unit(model.row_id(proxy.mapToSource(index).row()))

    def show_unit(self, unit_id: int) -> None:
        from core.stats.page import MONTH_HEADERS, unit_deductions, unit_month_rows
        assert self.stats is not None
        name = next(r[1] for r in self.stats.unit_rows if r[0] == unit_id)
        score = next((r for r in self.stats.score_rows if r[0] == unit_id), None)
        self.unit_title.setText(f"<b>{html.escape(name)}</b>" + (f"　得分 {score[4]:g}，第 {score[1]} 名" if score else ""))
        self.month_model.set_rows(MONTH_HEADERS, [[i] + r for i, r in enumerate(unit_month_rows(self.stats, unit_id))])
        self.month_view.setColumnWidth(2, 170)
        lines = unit_deductions(self.stats, unit_id)
        items = "".join(f"<li>{p:+g}　{html.escape(what)}" + (f"（{html.escape(task)}）" if task else "") + "</li>"
                        for p, what, task in lines)
        self.deductions.setHtml("<p><b>扣分、加分明细</b></p>" + (f"<ul>{items}</ul>" if items else "<p>无扣分。</p>"))

    # -- output ------------------------------------------------------------------------------------
    def _edit_rules(self) -> None:
        window = self.ctx.window
        if window is not None:
            from ..settings_dialog import open_settings
            open_settings(window)

    def export(self, kaoping: bool, path: str | None = None) -> Path | None:
        if self.stats is None:
            return None
        from core.common.errors import UserError
        from core.ledger import settings
        what = "考评表" if kaoping else "统计表"
        if path is None:
            folder = settings.output_folder(self.ctx.ledger, "reports")
            path, _ = QFileDialog.getSaveFileName(self, f"导出{what}", str(folder / f"{self.year}年{what}.xlsx"),
                                                  "Excel 工作簿 (*.xlsx)")
            if not path:
                return None
        from core.stats.workbook import write_kaoping, write_stats
        try:
            written = (write_kaoping if kaoping else write_stats)(self.stats.stats, Path(path),
                                                                   settings.office_name(self.ctx.ledger), self.today)
        except UserError as exc:
            QMessageBox.warning(self, f"{what}未导出", exc.message)
            return None
        except OSError as exc:
            from core.common.os_errors import describe_os_error
            QMessageBox.warning(self, f"{what}未导出", describe_os_error(exc, path))
            return None
        self.ctx.status_message.emit(f"已导出{what}：{written}")
        return written
