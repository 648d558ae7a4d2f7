"""The main window: left navigation of pages, a stack of pages, drag-and-drop of files, status bar."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication, QFileDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QMessageBox, QStackedWidget,
    QWidget,
)

from core.ledger.changes import Area

from . import pages
from .context import AppContext
from .jobs import JobRunner

MONTH_AREAS = (Area.CAMPAIGN, Area.BACKUPS)   # what the 工作月份 picker's years follow


class MainWindow(QMainWindow):
    def __init__(self, ledger):
        super().__init__()
        self.ledger = ledger
        self._fitted_once = False   # set once the window has been fitted to its pages
        self.jobs = JobRunner()
        self.ctx = AppContext(ledger, self.jobs, self)
        self.setWindowTitle(f"督查台账 — {ledger.display_name}")
        self.setAcceptDrops(True)
        fit_to_screen(self)

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(150)
        self.stack = QStackedWidget()
        self.page_modules = pages.discover()
        self.page_widgets = BuiltPages(self._build_page)   # a page is built when first shown (or asked for by key)
        self._stale: set[str] = set()   # built pages to refresh when next shown
        self._reads_on_show: dict[str, Callable[[], object]] = {}   # a new 工作月份's read of a page out of view
        for index, module in enumerate(self.page_modules):
            self.stack.addWidget(QWidget())   # stands in for the page until it is built: no minimum size of its own
            item = QListWidgetItem(module.PAGE_TITLE)
            shortcut = f"Ctrl+{index + 1}" if index < 9 else ""
            item.setToolTip(f"{module.PAGE_TITLE}（{shortcut}）" if shortcut else module.PAGE_TITLE)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._show_page)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.status_label = QLabel()
        self.status_label.setOpenExternalLinks(True)   # a page may end its message with a link (收文 退回: 打开文件夹)
        self.statusBar().addWidget(self.status_label, 1)
        self.ctx.status_message.connect(self.status_label.setText)
        self.ctx.changed.connect(self._on_change)
        self._build_menus()
        self._build_work_month()
        self._restore_state()
        if self.page_modules:
            self.nav.setCurrentRow(0)

    def set_ledger(self, ledger) -> None:
        """Swap in another (or a reopened) ledger, e.g. after 恢复备份; pages read ctx.ledger and refresh."""
        self.ledger = ledger
        self.setWindowTitle(f"督查台账 — {ledger.display_name}")
        self.ctx.swap_ledger(ledger)

    # -- navigation ----------------------------------------------------------------
    def show_page(self, key: str) -> QWidget:
        for index, module in enumerate(self.page_modules):
            if key == module.PAGE_KEY:
                self.nav.setCurrentRow(index)
                return self.page_widgets[key]
        raise KeyError(key)

    def _build_page(self, key: str) -> QWidget:
        """Create the page `key` in its place in the stack; it reads the ledger when first shown."""
        index = next((i for i, m in enumerate(self.page_modules) if key == m.PAGE_KEY), None)
        if index is None:
            raise KeyError(key)
        widget = self.page_modules[index].create(self.ctx)
        stand_in = self.stack.widget(index)
        was_current = self.stack.currentWidget() is stand_in
        self.stack.insertWidget(index, widget)
        self.stack.removeWidget(stand_in)
        stand_in.deleteLater()
        if was_current:
            self.stack.setCurrentWidget(widget)
        self._stale.add(key)
        if self._fitted_once:   # the window is up: a page built now must not push it off screen
            from PySide6.QtCore import QTimer
            from shiboken6 import isValid
            QTimer.singleShot(0, lambda: fit_to_screen(self, keep_size=True) if isValid(self) else None)
        from . import menus
        menus.restore_page_splitters(self, key, widget)
        return widget

    def current_page(self) -> QWidget | None:
        return self.stack.currentWidget()

    def _show_page(self, row: int) -> None:
        if row < 0:
            return
        self.page_widgets[self.page_modules[row].PAGE_KEY]   # built on first show
        self.stack.setCurrentIndex(row)
        # a page built just now: the window takes its minimum size, and the page its real size, before the page
        # reads the ledger and scrolls its tables
        for layout in (self.layout(), self.stack.currentWidget().layout()):
            if layout is not None:
                layout.activate()
        self.status_label.clear()  # a message belongs to the page that showed it
        self._refresh_current(on_show=True)

    def _refresh_current(self, on_show: bool = False) -> None:
        """Refresh the page in view if a change it shows happened since (a page not declaring SHOWS: on every show)."""
        widget = self.stack.currentWidget()
        if widget is None or not hasattr(widget, "refresh"):
            return
        key = next((k for k, w in self.page_widgets.items() if w is widget), "")
        others = on_show and self.ledger.is_server   # other clerks' changes are not announced here
        waiting = self._reads_on_show.pop(key, None)
        if key in self._stale or others or (on_show and getattr(widget, "SHOWS", None) is None):
            self._stale.discard(key)
            widget.refresh()   # reads what the page's choices (its month among them) show now
        elif waiting is not None:
            waiting()

    def read_when_shown(self, widget: QWidget, read: Callable[[], object]) -> bool:
        """True when `widget` is a built page out of view in the shown window: `read` then runs when the clerk shows
        it (the latest one asked for), not now (AppContext.read_when_shown)."""
        key = next((k for k, w in self.page_widgets.items() if w is widget), None)
        if key is None or not self.isVisible() or widget.isVisible():
            return False
        self._reads_on_show[key] = read
        return True

    def refresh_page_now(self) -> None:
        """F5: read the page in view again, whatever this window knows (another clerk may have changed the ledger)."""
        widget = self.stack.currentWidget()
        key = next((k for k, w in self.page_widgets.items() if w is widget), "")
        self._stale.add(key)
        self._refresh_current()

    def _on_change(self, change) -> None:
        """A LedgerChange: mark the pages that show any of its areas, refresh the one in view now.

        The page that started the change brought itself up to date in its success callback: it is not refreshed again."""
        for key, widget in self.page_widgets.items():
            shows = getattr(widget, "SHOWS", None)
            if key != change.source and (shows is None or change.touches(shows)):
                self._stale.add(key)
        self._refresh_current()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        quit_action = QAction("退出(&Q)", self)
        quit_action.setShortcuts([QKeySequence("Ctrl+Q")])  # StandardKey.Quit is empty on Windows
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.file_menu = file_menu
        go_menu = self.menuBar().addMenu("转到(&G)")
        for index, module in enumerate(self.page_modules[:9]):
            action = QAction(module.PAGE_TITLE, self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, i=index: self.nav.setCurrentRow(i))
            go_menu.addAction(action)
        go_menu.addSeparator()
        self.refresh_action = QAction("刷新本页(&R)", self)   # a shared ledger: what other clerks changed meanwhile
        self.refresh_action.setShortcut(QKeySequence("F5"))
        self.refresh_action.triggered.connect(self.refresh_page_now)
        go_menu.addAction(self.refresh_action)
        self.go_menu = go_menu
        self.help_menu = self.menuBar().addMenu("帮助(&H)")
        # the window builds its menus: 文件: new/open/recent/settings; 帮助: F1, shortcuts, about; nav icons
        from . import menus
        menus.install(self)

    # -- the window's 工作月份 ------------------------------------------------------------
    def _build_work_month(self) -> None:
        """One 工作月份 for the whole window, at the right of the menu bar; the quarter follows it."""
        from PySide6.QtCore import Qt

        from .month_picker import MonthPicker
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(4, 0, 8, 0)
        caption = QLabel("工作月份")
        self.work_month_picker = MonthPicker(tooltip="下发、督办、通报打印都按这个月份；各页仍可临时查看别的月份")
        self.work_month_picker.setObjectName("workMonth")
        self.work_quarter_label = QLabel()
        self.work_quarter_label.setToolTip("季度随工作月份（季度通报、一事一通报按此季度）")
        for w in (caption, self.work_month_picker, self.work_quarter_label):
            row.addWidget(w)
        self.work_month_box = box   # PySide does not hand a corner widget to the menu bar: keep it alive here
        self.menuBar().setCornerWidget(box, Qt.Corner.TopRightCorner)
        self._work_month_range()
        self.work_month_picker.month_changed.connect(self.ctx.set_work_month)
        self.ctx.work_month_changed.connect(self._show_work_month)
        self.ctx.changed.connect(lambda change: self._work_month_range() if change.touches(MONTH_AREAS) else None)
        self._show_work_month(self.ctx.work_month)

    def _work_month_range(self) -> None:
        from shiboken6 import isValid

        from core.ledger.queries import campaign_years
        if not isValid(self.work_month_picker):   # a job ended after the window closed
            return
        years = set(campaign_years(self.ledger)) | {int(self.ctx.work_month[:4])}
        self.work_month_picker.blockSignals(True)
        self.work_month_picker.set_years(years)
        self.work_month_picker.set_month(self.ctx.work_month)
        self.work_month_picker.blockSignals(False)

    def _show_work_month(self, period: str) -> None:
        from shiboken6 import isValid

        from .month_picker import quarter_label, quarter_of
        if not isValid(self.work_month_picker):
            return
        if self.work_month_picker.month() != period:
            self.work_month_picker.blockSignals(True)
            self.work_month_picker.set_month(period)
            self.work_month_picker.blockSignals(False)
        self.work_quarter_label.setText(quarter_label(quarter_of(period))[5:])   # "第二季度"

    def set_work_month(self, period: str) -> None:
        self.ctx.set_work_month(period)

    # -- opening another ledger (the 文件 menu's actions) ---------------------------
    def open_ledger_dialog(self) -> None:
        from .recent_ledgers import LEDGER_FILTER
        start = str(Path(self.ledger.path).parent)
        chosen, _ = QFileDialog.getOpenFileName(self, "打开台账", start, LEDGER_FILTER)
        if chosen:
            switch_ledger(self, Path(chosen))

    def new_ledger(self) -> None:
        from .first_run import FirstRunWizard
        wizard = FirstRunWizard(self, default_path=None)
        if wizard.exec() and wizard.ledger_path:
            switch_ledger(self, wizard.ledger_path)

    def switch_ledger(self, path: Path):
        return switch_ledger(self, path)

    # -- drag and drop -------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.handle_dropped(paths)
            event.acceptProposedAction()

    def handle_dropped(self, paths: list[Path]) -> bool:
        """Give the files to the current page if it takes them, else to the first page that does."""
        current = self.current_page()
        candidates = [current] + [self.page_widgets[m.PAGE_KEY] for m in self.page_modules]
        for widget in candidates:
            if widget is not None and hasattr(widget, "handles_drop") and widget.handles_drop(paths):
                self.stack.setCurrentWidget(widget)
                self.nav.setCurrentRow(self.stack.currentIndex())
                widget.drop(paths)
                return True
        QMessageBox.information(self, "无法识别的文件", "拖入的文件不是立项表或报送表格。"
                                "请拖入 .docx/.xlsx/.xls/.ods/.zip/.eml 文件或文件夹。")
        return False

    # -- window state ---------------------------------------------------------------
    def _restore_state(self) -> None:
        settings = QSettings("DuchaShi", "DuchaTaizhang")
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
            fit_to_screen(self, keep_size=True)   # saved on a bigger screen (a projector, a docked laptop)?

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._fitted_once:   # pages are polished now: their real minimum sizes are known
            self._fitted_once = True
            from PySide6.QtCore import QTimer
            QTimer.singleShot(0, lambda: fit_to_screen(self, keep_size=True))

    def closeEvent(self, event) -> None:
        QSettings("DuchaShi", "DuchaTaizhang").setValue("window/geometry", self.saveGeometry())
        if self.jobs.active:
            self.status_label.setText("正在停止后台工作……")
            QApplication.processEvents()
        self.jobs.shutdown()   # 取消 every job and wait for it to stop: a write ends whole or not at all
        super().closeEvent(event)


class BuiltPages(dict):
    """The window's pages built so far, by key; asking for one not built yet (pages[key]) builds it.

    Iterating, `in` and get() see only the built pages: a change marks those stale, the others read the ledger when
    they are built."""

    def __init__(self, build):
        super().__init__()
        self._build = build

    def __missing__(self, key: str) -> QWidget:
        widget = self._build(key)
        self[key] = widget
        return widget


def fit_to_screen(window, keep_size: bool = False, preferred=(1280, 800)) -> None:
    """Size and place the window inside the screen's available area (taskbar excluded), so the status bar,
    where results appear, is never off screen on a 1366×768 laptop or a 125 % scaled 1280×720 one."""
    screen = window.screen() or QApplication.primaryScreen()
    if screen is None:
        return
    area = screen.availableGeometry()
    frame_w = max(0, window.frameGeometry().width() - window.width()) or 2
    frame_h = max(0, window.frameGeometry().height() - window.height()) or 32
    max_w, max_h = area.width() - frame_w, area.height() - frame_h
    want_w, want_h = (window.width(), window.height()) if keep_size else preferred
    width, height = min(want_w, max_w), min(want_h, max_h)
    window.resize(width, height)
    x = min(max(window.x(), area.left()), area.right() - width - frame_w + 1) if keep_size else \
        area.left() + (area.width() - width - frame_w) // 2
    y = min(max(window.y(), area.top()), area.bottom() - height - frame_h + 1) if keep_size else \
        area.top() + (area.height() - height - frame_h) // 2
    window.move(max(x, area.left()), max(y, area.top()))


_open_windows: list = []  # windows opened from the 文件 menu stay alive here


def switch_ledger(window, path):
    """Open `path` (or an opened Ledger) in a new window, close the current one; a bad file gets a message, nothing changes."""
    from core.common.errors import UserError
    from core.ledger.store import Ledger
    if isinstance(path, Ledger):
        ledger, path = path, path.path
    else:
        try:
            ledger = Ledger(path)
        except UserError as exc:
            QMessageBox.warning(window, "无法打开台账", exc.message)
            return None
    new_window = MainWindow(ledger)
    _open_windows.append(new_window)
    new_window.show()
    if window is not None:
        window.close()
        if window in _open_windows:
            _open_windows.remove(window)
        old = getattr(window, "ledger", None)
        if old is not None and old is not ledger and Path(old.path).resolve() != Path(path).resolve():
            old.close()
    QApplication.processEvents()
    return new_window
