"""One Chinese month picker for every page ("2026年4月", ↑/↓ step a month), and the window's 工作月份 it follows.

A page's picker follows the window's 工作月份; the clerk may still look at another month on one page, and the
picker then shows that it differs (highlighted, tooltip "与工作月份不同").
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox

QUARTER_NAMES = "一二三四"
DIFFERS_STYLE = "QComboBox { background: #FFF3CD; border: 1px solid #E0B252; color: #7A4D00; }"


def month_label(period: str) -> str:
    """"2026-04" → "2026年4月"."""
    return f"{int(period[:4])}年{int(period[5:7])}月"


def quarter_of(period: str) -> str:
    """"2026-04" → "2026Q2"."""
    return f"{period[:4]}Q{(int(period[5:7]) - 1) // 3 + 1}"


def quarter_label(quarter: str) -> str:
    """"2026Q2" → "2026年第二季度"."""
    return f"{quarter[:4]}年第{QUARTER_NAMES[int(quarter[-1]) - 1]}季度"


class MonthPicker(QComboBox):
    """The months of some years as "2026年4月" (data "2026-04"); ↑/↓ and the wheel step one month."""

    month_changed = Signal(str)

    def __init__(self, parent=None, tooltip: str = ""):
        super().__init__(parent)
        self.base_tooltip = tooltip
        self.reference: str | None = None    # the window's 工作月份, to show when this picker differs
        self.setMinimumContentsLength(8)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.currentIndexChanged.connect(self._changed)
        self._mark()

    # -- the months on offer ------------------------------------------------------------------
    def set_years(self, years) -> None:
        """Offer every month of `years` (oldest first); keep the chosen month when it is still on offer."""
        current = self.month()
        self.blockSignals(True)
        self.clear()
        for y in sorted(set(years)):
            for m in range(1, 13):
                self.addItem(f"{y}年{m}月", f"{y:04d}-{m:02d}")
        if current:
            index = self.findData(current)
            if index >= 0:
                self.setCurrentIndex(index)
        self.blockSignals(False)
        self._mark()

    def years(self) -> list[int]:
        return sorted({int(self.itemData(i)[:4]) for i in range(self.count())})

    # -- the chosen month -----------------------------------------------------------------------
    def month(self) -> str | None:
        return self.currentData()

    def set_month(self, period: str | None) -> bool:
        """Choose `period` if it is on offer; otherwise the nearest month on offer. True if it was on offer."""
        if not period or not self.count():
            return False
        index = self.findData(period)
        exact = index >= 0
        if not exact:
            index = 0 if period < self.itemData(0) else self.count() - 1
        self.setCurrentIndex(index)
        return exact

    def set_reference(self, period: str | None) -> None:
        """The window's 工作月份: the picker is highlighted while it shows another month."""
        self.reference = period
        self._mark()

    def differs(self) -> bool:
        return bool(self.reference and self.month() and self.month() != self.reference)

    def _changed(self, _index: int) -> None:
        self._mark()
        if self.month():
            self.month_changed.emit(self.month())

    def _mark(self) -> None:
        shown, reference = self.month(), self.reference
        if shown and reference and shown != reference:
            self.setStyleSheet(DIFFERS_STYLE)
            self.setToolTip(f"与工作月份不同：本页看的是{month_label(shown)}，工作月份是{month_label(reference)}。"
                            "在窗口右上角可更改工作月份。")
        else:
            self.setStyleSheet("")
            self.setToolTip(self.base_tooltip)
