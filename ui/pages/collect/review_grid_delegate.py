"""Paints the review grid's cells as rich text (character diffs, flags) with QTextDocument; rows as tall as the text, capped."""
from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from .review_grid_model import HTML_ROLE

MAX_HEIGHT = 180   # a long 完成情况 shows its first lines; the pane under the grid shows all of it
MORE = "…全文"


class DiffDelegate(QStyledItemDelegate):
    """Rich-text cells; the default line editor for the 退回意见 column."""

    def _document(self, option: QStyleOptionViewItem, text: str, width: int) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(4)
        doc.setHtml(text)
        doc.setTextWidth(max(width, 20))
        return doc

    def _width(self, option: QStyleOptionViewItem, index) -> int:
        view = self.parent()
        if view is not None and hasattr(view, "columnWidth"):
            return view.columnWidth(index.column())
        return option.rect.width()

    def paint(self, painter, option, index) -> None:
        text = index.data(HTML_ROLE)
        if text is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        doc = self._document(opt, text, opt.rect.width())
        painter.save()
        painter.translate(opt.rect.topLeft())
        clip = QRectF(0, 0, opt.rect.width(), opt.rect.height())
        painter.setClipRect(clip)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(QPalette.ColorRole.Text))
        doc.documentLayout().draw(painter, context)
        if doc.size().height() > opt.rect.height() + 1:   # cut: say where the rest is
            metrics = opt.fontMetrics
            w = metrics.horizontalAdvance(MORE) + 8
            box = QRectF(opt.rect.width() - w, opt.rect.height() - metrics.height() - 2, w, metrics.height() + 2)
            painter.fillRect(box, QColor("#ffffff"))
            painter.setPen(QColor("#0969da"))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, MORE)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        text = index.data(HTML_ROLE)
        if text is None:
            return super().sizeHint(option, index)
        width = self._width(option, index)
        doc = self._document(option, text, width)
        return QSize(width, min(MAX_HEIGHT, max(24, math.ceil(doc.size().height()))))
