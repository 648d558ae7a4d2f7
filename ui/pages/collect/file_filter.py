"""The 收文 list's filter: month (default the window's 工作月份) and status (待审核 / 有标记 / 已合并 / 全部), flagged first.

The page reads one year's files (`year()`: the chosen month's year, else the 工作月份's; files still to identify or
review come whatever their year); the month list offers every month any file belongs to, and choosing a month of
another year makes the page read that year."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from core.ledger.row_types import ListedSubmission

ALL = ""
PLAN = "plan"
STATUSES = (("全部", "all"), ("待审核", "pending"), ("有标记", "flagged"), ("已合并", "merged"))
PENDING = ("staged", "needs-confirmation")


def period_key(sub: ListedSubmission) -> str:
    """The month a file belongs to ("2026-11"), "plan" for a 计划表, "" when not identified yet."""
    period = sub.get("period") or ""
    return PLAN if sub.get("form") == "plan" or len(period) == 4 else period


def matches(sub: ListedSubmission, month: str, status: str) -> bool:
    key = period_key(sub)
    if month and key and key != month:   # a file not identified yet shows in every month: it needs the clerk
        return False
    if status == "pending":
        return sub["status"] in PENDING
    if status == "flagged":
        return bool(sub.get("flagged")) and sub["status"] in PENDING
    if status == "merged":
        return sub["status"] == "merged"
    return True


def ordered(subs: list[ListedSubmission]) -> list[ListedSubmission]:
    """Files still to review that carry flags first, then the rest; newest first within each (a stable sort)."""
    return sorted(subs, key=lambda s: not (s.get("flagged") and s["status"] in PENDING))


def wanted_month(subs: list[ListedSubmission], chosen: str | None, work: str) -> str:
    """The month the list shows: the one chosen, else the 工作月份, or 全部月份 when nothing came in for it yet."""
    if chosen is not None:
        return chosen
    return work if not subs or any(period_key(s) == work for s in subs) else ALL


class FileFilterBar(QWidget):
    changed = Signal()

    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        self.month_combo = QComboBox()
        self.month_combo.setToolTip("只看某月报回的文件（默认：工作月份）；计划表单列一项")
        self.status_combo = QComboBox()
        for text, data in STATUSES:
            self.status_combo.addItem(text, data)
        self.status_combo.setToolTip("待审核：尚未合并的文件；有标记：审核表中有⚑标记的待审核文件；已合并：已写入台账")
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color:#555")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.month_combo, 1)
        layout.addWidget(self.status_combo)
        layout.addWidget(self.count_label)
        self._months: list[str] = []
        self._chosen: str | None = None    # the month the clerk chose; None: follow the 工作月份
        self._year: int | None = None      # the year whose files are read; None: the 工作月份's
        self._all_months: list[str] = []   # every month a file belongs to (core.returns.review.submission_months)
        self.month_combo.activated.connect(self._month_chosen)
        self.status_combo.activated.connect(lambda _i: self.changed.emit())
        ctx.work_month_changed.connect(self._work_month_changed)

    # -- state ----------------------------------------------------------------------------------
    def month(self) -> str:
        return self.month_combo.currentData() or ALL

    def status(self) -> str:
        return self.status_combo.currentData() or "all"

    def chosen(self) -> str | None:
        """The month the clerk chose (None: the 工作月份's), for a read that guesses the first file shown."""
        return self._chosen

    def year(self) -> int:
        """The year whose files the page reads."""
        return self._year if self._year is not None else int(self.ctx.work_month[:4])

    def _follow(self, month: str | None, sub: ListedSubmission | None = None) -> None:
        """The clerk chose `month` (or a file's month): a month of another year makes that year the one read."""
        period = (sub["period"] if sub is not None else None) or month or ""
        if period[:4].isdigit() and (month not in (ALL, None) or sub is not None):
            self._year = int(period[:4])

    def apply(self, subs: list[ListedSubmission], months: list[str] | None = None,
              read=None) -> list[ListedSubmission]:   # read: a list_read.ListRead (it imports this module)
        """The files shown: the month's (re-reading the months present; `months`: every month any file belongs to,
        so other years can be chosen), the status chosen, flagged first. `read`: a ListRead whose month keys and
        files shown were worked out with the read, off the window's thread (used when the filter still matches)."""
        if months is not None:
            self._all_months = months
        keys = read.keys if read is not None and read.subs is subs else {period_key(s) for s in subs}
        self._set_months(subs, keys)
        wanted = (self.month(), self.status())
        if read is not None and read.subs is subs and read.listed is not None and read.listed_for == wanted:
            shown = read.listed
        else:
            month, status = wanted
            shown = ordered([s for s in subs if matches(s, month, status)])
        self.count_label.setText(f"{len(shown)}/{len(subs)} 份")
        self.count_label.setToolTip(f"显示 {len(shown)} 份，共 {len(subs)} 份")
        return shown

    def _set_months(self, subs: list[ListedSubmission], keys: set[str] | frozenset[str]) -> None:
        work = self.ctx.work_month
        months = sorted((set(keys) - {"", PLAN}) | {work} | set(self._all_months), reverse=True)
        wanted = self._chosen if self._chosen is not None else work if not subs or work in keys else ALL
        blocked = self.month_combo.blockSignals(True)
        if months != self._months or self.month_combo.count() == 0 or self.month_combo.itemText(0)[:4] != str(self.year()):
            self.month_combo.clear()
            self.month_combo.addItem(f"{self.year()}年全部月份", ALL)
            if PLAN in keys:
                self.month_combo.addItem("计划表", PLAN)
            for m in months:
                self.month_combo.addItem(f"{int(m[:4])}年{int(m[5:7])}月" + ("（工作月份）" if m == work else ""), m)
            self._months = months
        index = self.month_combo.findData(wanted)
        self.month_combo.setCurrentIndex(max(index, 0))
        self.month_combo.blockSignals(blocked)

    def _month_chosen(self, _index: int) -> None:
        self._chosen = self.month()
        self._follow(self._chosen)
        self.changed.emit()

    def _work_month_changed(self, _period: str) -> None:
        self._chosen = None
        self._year = None
        self._months = []   # relabel the 工作月份
        self.changed.emit()

    def set_filter(self, month: str | None = None, status: str | None = None) -> None:
        """As the clerk would choose them (tests and other pages)."""
        if month is not None:
            self._chosen = month
            self._follow(month)
            self.month_combo.setCurrentIndex(max(self.month_combo.findData(month), 0))
        if status is not None:
            self.status_combo.setCurrentIndex(max(self.status_combo.findData(status), 0))
        self.changed.emit()

    def show_file(self, sub: ListedSubmission) -> bool:
        """Widen the filter so `sub` shows (its month, every status); whether anything changed."""
        if matches(sub, self.month(), self.status()):
            return False
        self._chosen = period_key(sub) if matches(sub, period_key(sub), "all") else ALL
        self._follow(self._chosen, sub)
        self.status_combo.setCurrentIndex(0)
        return True

    def include(self, subs: list[ListedSubmission]) -> None:
        """After reading files in: make sure they show (their month when they share one, else 全部月份)."""
        hidden = [s for s in subs if not matches(s, self.month(), self.status())]
        if not hidden:
            return
        months = {period_key(s) for s in subs} - {""}
        self._chosen = months.pop() if len(months) == 1 else ALL
        self.status_combo.setCurrentIndex(0)
        self.changed.emit()
