"""The window's 文件 and 帮助 menus (new/open/recent ledgers, settings, help, shortcuts, about), nav icons and the last page.

The window builds its menus by calling install(window); the actions call the window's own methods, so this
module never imports the window (nor the first-run guide).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QIcon, QKeySequence

from core.common import paths

from .recent_ledgers import app_settings, recent_ledgers, recent_servers, remember_ledger

# -- icons ------------------------------------------------------------------------------
def page_icon(key: str) -> QIcon:
    path = paths.RESOURCES / "icons" / f"{key}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


# -- installation -----------------------------------------------------------------------
def install(window) -> None:
    """Called once from MainWindow._build_menus: fills 文件 and 帮助, sets nav icons, remembers the ledger."""
    from .help_viewer import show_about, show_help, show_shortcuts
    from .settings_dialog import open_settings

    file_menu, quit_action = window.file_menu, None
    for action in file_menu.actions():
        quit_action = action  # the lead's 退出 is the menu's only action; ours go before it
    def add(menu, text, slot, shortcut=None, before=None):
        action = QAction(text, window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _=False: slot())
        if before is not None:
            menu.insertAction(before, action)
        else:
            menu.addAction(action)
        return action

    window.new_ledger_action = add(file_menu, "新建台账(&N)…", window.new_ledger,
                                   QKeySequence.StandardKey.New, quit_action)
    window.open_ledger_action = add(file_menu, "打开台账(&O)…", window.open_ledger_dialog,
                                    QKeySequence.StandardKey.Open, quit_action)
    window.server_ledger_action = add(file_menu, "连接共享台账(&D)…", lambda: connect_server_ledger(window),
                                      None, quit_action)
    window.recent_menu = file_menu.addMenu("最近打开(&R)")
    if quit_action is not None:
        file_menu.insertMenu(quit_action, window.recent_menu)
    window.recent_menu.aboutToShow.connect(lambda: _fill_recent(window))
    _fill_recent(window)
    if quit_action is not None:
        file_menu.insertSeparator(quit_action)
    window.output_folder_action = add(file_menu, "打开输出文件夹(&U)", lambda: open_output_folder(window), None,
                                      quit_action)
    window.settings_action = add(file_menu, "设置(&S)…", lambda: open_settings(window), "Ctrl+,", quit_action)
    if quit_action is not None:
        file_menu.insertSeparator(quit_action)

    help_menu = window.help_menu
    window.help_action = add(help_menu, "使用帮助(&H)", lambda: show_help(window), "F1")
    window.shortcuts_action = add(help_menu, "快捷键列表(&K)", lambda: show_shortcuts(window), "Ctrl+F1")
    help_menu.addSeparator()
    window.about_action = add(help_menu, "关于督查台账(&A)", lambda: show_about(window))

    for index, module in enumerate(window.page_modules):
        item = window.nav.item(index)
        if item is not None:
            item.setIcon(page_icon(module.PAGE_KEY))
    window._state_saver = _StateSaver(window)
    window.installEventFilter(window._state_saver)
    remember_ledger(window.ledger.location if getattr(window.ledger, "is_server", False) else window.ledger.path)


def connect_server_ledger(window, url: str = ""):
    """文件 → 连接共享台账…: the dialog, then the shared ledger in a new window (None when cancelled)."""
    from .server_ledger_dialog import open_server_ledger
    ledger = open_server_ledger(window, url)
    return window.switch_ledger(ledger) if ledger is not None else None


def open_output_folder(window) -> bool:
    """文件 → 打开输出文件夹: the ledger's one output folder (下发/通报/催报 made on the way so it is never missing)."""
    from core.ledger.settings import OUTPUT_SUBFOLDERS, output_dir
    from .open_folder import open_in_file_manager
    root = output_dir(window.ledger)
    try:
        for sub in OUTPUT_SUBFOLDERS.values():
            (root / sub).mkdir(parents=True, exist_ok=True)
    except OSError:
        pass   # open_in_file_manager says what is wrong
    return open_in_file_manager(window, root, "打开输出文件夹")


def _fill_recent(window) -> None:
    from core.ledger.location import display_name
    menu = window.recent_menu
    menu.clear()
    current = Path(window.ledger.path).resolve()
    items = recent_ledgers()
    for index, path in enumerate(items):
        text = f"&{index + 1} {path.name}  —  {path.parent}"
        action = menu.addAction(text)
        action.setEnabled(path.resolve() != current)
        action.triggered.connect(lambda _=False, p=path: window.switch_ledger(p))
    servers = recent_servers()
    for url in servers:
        action = menu.addAction(f"共享：{display_name(url)}  —  {url}")
        action.setEnabled(url != getattr(window.ledger, "location", None))
        action.triggered.connect(lambda _=False, u=url: connect_server_ledger(window, u))
    if not items and not servers:
        menu.addAction("（无）").setEnabled(False)


def _save_last_page(window, row: int) -> None:
    if 0 <= row < len(window.page_modules):
        app_settings().setValue("window/last_page", window.page_modules[row].PAGE_KEY)


def restore_last_page(window) -> None:
    """At start-up only (not for every MainWindow, so tests start on the first page): last page and splitters
    (of the pages built so far; a page built later gets its splitters back when it is built)."""
    window._restore_splitters = True
    for key, widget in list(window.page_widgets.items()):
        restore_page_splitters(window, key, widget)
    key = app_settings().value("window/last_page")
    if key and key in [m.PAGE_KEY for m in window.page_modules]:
        window.show_page(key)


def restore_page_splitters(window, key: str, widget) -> None:
    """The splitter positions the clerk left on page `key`, if this window restores them (see restore_last_page)."""
    if not getattr(window, "_restore_splitters", False):
        return
    settings = app_settings()
    for name, splitter in _page_splitters(key, widget):
        state = settings.value(f"splitters/{name}")
        if state is not None:
            splitter.restoreState(state)


def _splitters(window):
    """Each built page's splitters, named page key + position, so a page's layout comes back as the clerk left it."""
    for key, widget in window.page_widgets.items():
        yield from _page_splitters(key, widget)


def _page_splitters(key: str, widget):
    from PySide6.QtWidgets import QSplitter
    for i, splitter in enumerate(widget.findChildren(QSplitter)):
        yield f"{key}-{i}", splitter


def save_splitters(window) -> None:
    settings = app_settings()
    for name, splitter in _splitters(window):
        settings.setValue(f"splitters/{name}", splitter.saveState())


class _StateSaver(QObject):
    """Saves the pages' splitter positions when the window closes (MainWindow saves its own geometry)."""

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Close:
            save_splitters(obj)
            _save_last_page(obj, obj.nav.currentRow())
        return False
