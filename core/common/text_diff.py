"""Character-level difference of two texts: equal / insert / delete spans, for highlighting."""
from __future__ import annotations

import difflib
import html


def diff_spans(old: str, new: str) -> list[tuple[str, str]]:
    """[(op, text)] with op in equal/insert/delete; a replacement is a delete then an insert."""
    old, new = old or "", new or ""
    if old == new:
        return [("equal", old)] if old else []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    spans: list[tuple[str, str]] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            spans.append(("equal", old[a0:a1]))
        else:
            if a1 > a0:
                spans.append(("delete", old[a0:a1]))
            if b1 > b0:
                spans.append(("insert", new[b0:b1]))
    return spans


def counts(old: str, new: str) -> tuple[int, int]:
    """(characters inserted, characters deleted)."""
    ins = dele = 0
    for op, text in diff_spans(old, new):
        if op == "insert":
            ins += len(text)
        elif op == "delete":
            dele += len(text)
    return ins, dele


DELETED_STYLE = "color:#c00000;text-decoration:line-through"
INSERTED_STYLE = "color:#007a33;font-weight:bold"


def spans_html(spans: list[tuple[str, str]], deleted: str = DELETED_STYLE, inserted: str = INSERTED_STYLE) -> str:
    """Spans from diff_spans as HTML: deletions and insertions in their CSS styles, line breaks kept."""
    out = []
    for op, text in spans:
        t = html.escape(text).replace("\n", "<br/>")
        if op == "delete":
            out.append(f'<span style="{deleted}">{t}</span>')
        elif op == "insert":
            out.append(f'<span style="{inserted}">{t}</span>')
        else:
            out.append(t)
    return "".join(out)


def to_html(old: str, new: str) -> str:
    """Deletions red struck through, insertions green, line breaks kept."""
    return spans_html(diff_spans(old, new))
