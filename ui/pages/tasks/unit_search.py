"""The 台账 page's unit filter: the ledger's order, found by characters or pinyin (czj, caizheng → 区财政局)."""
from __future__ import annotations

from PySide6.QtCore import QObject, QStringListModel
from PySide6.QtWidgets import QComboBox, QCompleter


class UnitSearch(QObject):
    """Makes the unit combo editable: typing offers the matching units, Enter chooses the first one found."""

    def __init__(self, combo: QComboBox, parent: QObject):
        super().__init__(parent)
        self.combo = combo
        self.names: list[str] = []   # the units of the year's tasks, in ledger order
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.lineEdit().setPlaceholderText("单位名称或拼音")
        combo.setToolTip("责任单位：按台账中的单位顺序；可输入名称或拼音（如 czj、caizheng 找“区财政局”）后回车")
        self.matches = QStringListModel(self)
        self.completer = QCompleter(self.matches, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(12)
        combo.setCompleter(self.completer)
        combo.lineEdit().textEdited.connect(self.typed)
        combo.lineEdit().editingFinished.connect(self.typing_done)

    def typed(self, text: str) -> None:
        from core.units.pinyin_search import matching
        self.matches.setStringList(matching(self.names, text) if text.strip() else self.names)
        self.completer.complete()

    def typing_done(self) -> None:
        """Enter after typing: the first unit found (or 全部单位 when the box was cleared)."""
        from core.units.pinyin_search import matching
        combo = self.combo
        text = combo.currentText().strip()
        if text == combo.itemText(combo.currentIndex()):
            return
        found = matching(self.names, text) if text else []
        index = combo.findData(found[0]) if found else 0
        if text and not found:
            index = combo.currentIndex()
        combo.setCurrentIndex(max(index, 0))
        combo.setEditText(combo.itemText(max(index, 0)))
