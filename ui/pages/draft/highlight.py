"""The 立项助手's report view: the 目标 sentences and the chosen task highlighted, the reasons for a suggestion."""
from __future__ import annotations

import html
from typing import Any

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QTextEdit

TARGET_COLOR = QColor("#fff2a8")
SPAN_COLOR = QColor("#cfe3ff")


def highlight(view: QTextBrowser, target_spans: list[tuple[int, int]], candidate) -> None:
    """The report's 目标 sentences in yellow (bold), the candidate's own text in blue and scrolled into view."""
    doc = view.document()
    selections = [selection(doc, start, end, TARGET_COLOR, bold=True) for start, end in target_spans]
    if candidate is not None and candidate.end > candidate.start:
        selections.insert(0, selection(doc, candidate.start, candidate.end, SPAN_COLOR))
        cursor = QTextCursor(doc)
        cursor.setPosition(min(candidate.end, doc.characterCount() - 1))
        view.setTextCursor(cursor)
        view.ensureCursorVisible()
        cursor.setPosition(candidate.start)
        view.setTextCursor(cursor)
        view.ensureCursorVisible()
    view.setExtraSelections(selections)


def selection(doc, start: int, end: int, color: QColor, bold: bool = False) -> QTextEdit.ExtraSelection:
    sel = QTextEdit.ExtraSelection()
    cursor = QTextCursor(doc)
    last = doc.characterCount() - 1
    cursor.setPosition(min(start, last))
    cursor.setPosition(min(end, last), QTextCursor.MoveMode.KeepAnchor)
    fmt = QTextCharFormat()
    fmt.setBackground(color)
    if bold:
        fmt.setFontWeight(700)
    sel.cursor, sel.format = cursor, fmt   # type: ignore[attr-defined]  # PySide's stubs lack these two fields
    return sel


def spans_shown(view: QTextBrowser) -> list[tuple[int, int, str]]:
    """(start, end, colour name) of what the report view shows highlighted."""
    shown: list[Any] = view.extraSelections()   # ExtraSelection's cursor and format are missing from PySide's stubs
    return [(s.cursor.selectionStart(), s.cursor.selectionEnd(), s.format.background().color().name()) for s in shown]


def reasons_html(candidate) -> str:
    """The candidate's area and category, and why its units and leaders were suggested (or that nothing was found)."""
    parts = [f"<b>{html.escape(candidate.area or '（无重点领域）')}</b> · {html.escape(candidate.category or '--')}"]
    if candidate.reasons:
        parts.append("<ul>" + "".join(f"<li>{html.escape(r)}</li>" for r in candidate.reasons) + "</ul>")
    else:
        parts.append("<p>没有建议：往年台账和规则中都没有找到相近的任务。请手工填写责任单位。</p>")
    return "".join(parts)
