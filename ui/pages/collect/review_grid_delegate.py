"""Paints the review grid's cells as rich text (character diffs, flags) with QTextDocument; rows as tall as the text, capped."""
from __future__ import annotations

import math
from typing import Protocol, cast

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QFont, QFontMetrics, QKeyEvent, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemDelegate, QApplication, QPlainTextEdit, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget,
)

from .review_grid_model import HTML_ROLE

MAX_HEIGHT = 180   # a long 完成情况 shows its first lines; the pane under the grid shows all of it
MIN_HEIGHT = 48    # at least two lines, however short the window
ROWS_IN_VIEW = 4   # the cap follows the grid's height: at least four task rows in view (1366×768)
MORE = "…全文"
EDITOR_WIDTH = 360   # the 退回意见 editor: wide enough to read a sentence while typing it
EDITOR_LINES = 4


class OptionFields(Protocol):
    """The data members of a QStyleOptionViewItem this delegate reads: they exist at runtime, PySide6 6.8's stubs omit them."""
    rect: QRect
    font: QFont
    fontMetrics: QFontMetrics
    palette: QPalette
    text: str
    widget: QWidget | None


def fields(option: QStyleOptionViewItem) -> OptionFields:
    return cast(OptionFields, option)


class CommentEditor(QPlainTextEdit):
    """The 退回意见 editor: several lines, wider than its column; Enter keeps it, Shift+Enter starts a new line,
    Esc drops it."""

    def __init__(self, delegate: QStyledItemDelegate, parent=None):
        super().__init__(parent)
        self.delegate = delegate
        self.setTabChangesFocus(True)
        self.setPlaceholderText("退回意见（Enter 保存，Shift+Enter 换行）")
        self.setToolTip("写给该单位的退回意见：Enter 保存，Shift+Enter 换行，Esc 放弃")

    def text(self) -> str:   # as the line editor it replaces
        return self.toPlainText()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.delegate.commitData.emit(self)
            self.delegate.closeEditor.emit(self, QAbstractItemDelegate.EndEditHint.NoHint)
            return
        super().keyPressEvent(event)


class DiffDelegate(QStyledItemDelegate):
    """Rich-text cells, rows capped so that ROWS_IN_VIEW fit; a multi-line editor for the 退回意见 column."""

    max_height = MAX_HEIGHT   # set by the panel from the grid's height

    def __init__(self, parent=None):
        super().__init__(parent)
        # a cell's laid-out height by (font, width, text): the grid sizes its rows to their contents on every fill and
        # resize, laying out each cell's HTML again (~0.1 s a file at 630 units); the text decides the height
        self._heights: dict[tuple[str, int, str], int] = {}

    def createEditor(self, parent, option, index):
        model = index.model()
        if index.column() == getattr(model, "comment_column", -1):
            return CommentEditor(self, parent)
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor, index) -> None:
        if isinstance(editor, CommentEditor):
            editor.setPlainText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            editor.moveCursor(editor.textCursor().MoveOperation.End)
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor, model, index) -> None:
        if isinstance(editor, CommentEditor):
            model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)

    def updateEditorGeometry(self, editor, option, index) -> None:
        if not isinstance(editor, CommentEditor):
            super().updateEditorGeometry(editor, option, index)
            return
        area = editor.parentWidget().rect() if editor.parentWidget() is not None else option.rect
        line = option.fontMetrics.lineSpacing()
        width = min(max(option.rect.width(), EDITOR_WIDTH), area.width())
        height = min(max(option.rect.height(), line * EDITOR_LINES + 12), area.height())
        x = max(0, min(option.rect.x(), area.width() - width))     # grows to the left, inside the grid
        y = max(0, min(option.rect.y(), area.height() - height))
        editor.setGeometry(QRect(x, y, width, height))

    def _document(self, option: QStyleOptionViewItem, text: str, width: int) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(fields(option).font)
        doc.setDocumentMargin(4)
        doc.setHtml(text)
        doc.setTextWidth(max(width, 20))
        return doc

    def _width(self, option: QStyleOptionViewItem, index) -> int:
        view = self.parent()
        if view is not None and hasattr(view, "columnWidth"):
            return view.columnWidth(index.column())
        return fields(option).rect.width()

    def paint(self, painter, option, index) -> None:
        text = index.data(HTML_ROLE)
        if text is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        f = fields(opt)
        f.text = ""
        widget = f.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = f.rect
        doc = self._document(opt, text, rect.width())
        painter.save()
        painter.translate(rect.topLeft())
        clip = QRectF(0, 0, rect.width(), rect.height())
        painter.setClipRect(clip)
        context = QAbstractTextDocumentLayout.PaintContext()
        palette: QPalette = context.palette  # type: ignore[attr-defined]  # a PaintContext member the 6.8 stubs omit
        palette.setColor(QPalette.ColorRole.Text, f.palette.color(QPalette.ColorRole.Text))
        doc.documentLayout().draw(painter, context)
        if doc.size().height() > rect.height() + 1:   # cut: say where the rest is
            metrics = f.fontMetrics
            w = metrics.horizontalAdvance(MORE) + 8
            box = QRectF(rect.width() - w, rect.height() - metrics.height() - 2, w, metrics.height() + 2)
            painter.fillRect(box, QColor("#ffffff"))
            painter.setPen(QColor("#0969da"))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, MORE)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        text = index.data(HTML_ROLE)
        if text is None:
            return super().sizeHint(option, index)
        width = self._width(option, index)
        key = (fields(option).font.key(), width, text)
        height = self._heights.get(key)
        if height is None:
            if len(self._heights) > 5_000:   # a few files' cells (their HTML is the key): start again rather than grow
                self._heights.clear()
            height = self._heights[key] = math.ceil(self._document(option, text, width).size().height())
        return QSize(width, min(self.max_height, max(24, height)))
