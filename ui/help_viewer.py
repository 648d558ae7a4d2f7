"""Built-in help: Chinese pages under resources/help shown in a QTextBrowser; F1 opens the current page's topic."""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QListWidget, QListWidgetItem, QMessageBox, QTableWidget,
    QTableWidgetItem, QTextBrowser, QVBoxLayout,
)

from core.common import paths

HELP_DIR = paths.RESOURCES / "help"
# topic file → title, in the order shown in the help's contents list
TOPICS = {
    "index": "开始使用",
    "tasks": "立项导入与台账",
    "units": "单位与通讯录",
    "draft": "立项助手",
    "dispatch": "下发表格",
    "collect": "收文合并",
    "dashboard": "督办催报",
    "reports": "通报打印",
    "backup": "备份与检查",
    "settings": "设置",
    "shortcuts": "快捷键",
}


def topic_path(topic: str) -> Path:
    path = HELP_DIR / f"{topic}.md"
    return path if path.exists() else HELP_DIR / "index.md"


def topic_of(widget) -> str:
    """HELP_TOPIC on the page widget, else its module's PAGE_KEY, else the overview."""
    if widget is None:
        return "index"
    topic = getattr(widget, "HELP_TOPIC", None)
    if not topic:
        import sys
        module = sys.modules.get(type(widget).__module__)
        topic = getattr(module, "PAGE_KEY", None)
        if not topic:
            window = widget.window()
            for m in getattr(window, "page_modules", []):
                if getattr(window, "page_widgets", {}).get(m.PAGE_KEY) is widget:
                    topic = m.PAGE_KEY
    return topic if topic and (HELP_DIR / f"{topic}.md").exists() else "index"


class HelpViewer(QDialog):
    def __init__(self, topic: str = "index", parent=None):
        super().__init__(parent)
        self.setWindowTitle("督查台账 使用帮助")
        self.resize(900, 640)
        self.contents = QListWidget()
        self.contents.setFixedWidth(170)
        self.contents.setSpacing(3)
        for key, title in TOPICS.items():
            if (HELP_DIR / f"{key}.md").exists():
                item = QListWidgetItem(title)
                item.setData(Qt.ItemDataRole.UserRole, key)
                self.contents.addItem(item)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._follow)
        self.contents.currentItemChanged.connect(self._topic_chosen)
        row = QHBoxLayout()
        row.addWidget(self.contents)
        row.addWidget(self.browser, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.topic = ""
        self.show_topic(topic)

    def _topic_chosen(self, item: QListWidgetItem | None, _old: QListWidgetItem | None) -> None:
        if item is not None:
            self.show_topic(item.data(Qt.ItemDataRole.UserRole))

    def show_topic(self, topic: str) -> None:
        path = topic_path(topic)
        self.topic = path.stem
        self.browser.setMarkdown(path.read_text(encoding="utf-8"))
        for i in range(self.contents.count()):
            item = self.contents.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == self.topic and self.contents.currentRow() != i:
                self.contents.setCurrentRow(i)

    def _follow(self, url: QUrl) -> None:
        target = url.toString()
        if target.endswith(".md"):
            self.show_topic(Path(target).stem)
        elif url.scheme() in ("http", "https", "file"):
            from PySide6.QtGui import QDesktopServices
            QDesktopServices.openUrl(url)


_viewers: list[HelpViewer] = []


def show_help(window, topic: str | None = None) -> HelpViewer:
    """F1: a non-modal help window at the current page's topic (one at a time)."""
    topic = topic or topic_of(window.current_page() if hasattr(window, "current_page") else None)
    for viewer in list(_viewers):
        viewer.close()
        _viewers.remove(viewer)
    viewer = HelpViewer(topic, window)
    viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def forget(*_) -> None:
        if viewer in _viewers:
            _viewers.remove(viewer)
    viewer.destroyed.connect(forget)
    _viewers.append(viewer)
    viewer.show()
    window.help_viewer = viewer
    return viewer


def shortcut_rows(window) -> list[tuple[str, str]]:
    """Every shortcut in the window: (what it does, keys), read live from the menus' actions and the pages'
    own QShortcuts (named after the page and the button or hint that mentions the key)."""
    from PySide6.QtGui import QShortcut
    for m in getattr(window, "page_modules", []):   # pages are built when first shown: build the rest to list theirs
        window.page_widgets[m.PAGE_KEY]
    rows, seen = [], set()

    def add(text: str, keys: str) -> None:
        if keys and text and (text, keys) not in seen:
            seen.add((text, keys))
            rows.append((text, keys))
    go_menu = getattr(window, "go_menu", None)
    go = set(go_menu.actions()) if go_menu else set()
    for action in window.findChildren(QAction):
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        text = re.sub(r"\(&\w\)", "", action.text()).replace("&", "").rstrip("…").strip()
        add(f"转到：{text}" if action in go else text, keys)
    titles = {id(w): m.PAGE_TITLE for m in getattr(window, "page_modules", [])
              for w in [getattr(window, "page_widgets", {}).get(m.PAGE_KEY)] if w is not None}
    for sc in window.findChildren(QShortcut):
        keys = sc.key().toString(QKeySequence.SequenceFormat.NativeText)
        page = sc.parent()
        while page is not None and id(page) not in titles:
            page = page.parent()
        if page is None or not keys:
            continue
        add(f"{titles[id(page)]}：{_shortcut_meaning(page, keys)}", keys)
    return rows


def _shortcut_meaning(page, keys: str) -> str:
    from PySide6.QtWidgets import QAbstractButton, QLabel
    alone = rf"(?<![A-Za-z+]){re.escape(keys)}(?![A-Za-z+])"
    for button in page.findChildren(QAbstractButton):
        if button.text() and re.search(alone, button.toolTip()):
            return button.text().replace("&", "").rstrip("…")
    if keys == QKeySequence(QKeySequence.StandardKey.Find).toString(QKeySequence.SequenceFormat.NativeText):
        return "查找"
    for label in page.findChildren(QLabel):  # a hint like "A 接受，R 不接受，J/K 或 ↑/↓ 移动"
        found = re.search(alone + r"([^，,。；;]*)", label.text())
        words = re.findall(r"[\u4e00-\u9fff]+", found.group(1)) if found else []
        if words:
            return words[-1]
    return "本页快捷键"


class ShortcutsDialog(QDialog):
    """快捷键列表: one table of (功能, 快捷键)."""
    table: QTableWidget


def show_shortcuts(window) -> ShortcutsDialog:
    dialog = ShortcutsDialog(window)
    dialog.setWindowTitle("快捷键列表")
    dialog.resize(480, 520)
    rows = shortcut_rows(window)
    table = QTableWidget(len(rows), 2)
    table.setHorizontalHeaderLabels(["功能", "快捷键"])
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    for r, (text, keys) in enumerate(rows):
        table.setItem(r, 0, QTableWidgetItem(text))
        table.setItem(r, 1, QTableWidgetItem(keys))
    table.horizontalHeader().setStretchLastSection(True)
    table.resizeColumnToContents(0)
    layout = QVBoxLayout(dialog)
    layout.addWidget(table)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.table = table
    window.shortcuts_dialog = dialog
    dialog.show()
    return dialog


def show_about(window) -> None:
    from PySide6 import __version__ as pyside_version
    QMessageBox.about(
        window, "关于督查台账",
        "<h3>督查台账 0.1</h3>"
        "<p>区政府督查室的任务台账工具：立项导入、表格下发、收文合并、督办催报、通报打印、备份恢复。</p>"
        "<p>完全离线运行，所有数据保存在本机的台账文件中。</p>"
        f"<p>台账文件：{window.ledger.path}</p>"
        f"<p style='color:gray'>PySide6 {pyside_version}</p>")
