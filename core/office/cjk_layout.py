"""The width model for printed sheets: wide (CJK) characters count 2 units, lines per cell from the column width, row heights from lines."""
from __future__ import annotations

import math
import unicodedata

LINE_PT = 15.0        # one line of 10 pt CJK text (Noto/仿宋 line box ≈ 1.45 em), rounded up
PAD_PT = 4.0          # top + bottom padding inside a cell
MAX_ROW_PT = 400.0    # Excel refuses rows above 409 pt
CELL_PAD_UNITS = 1.5  # column units lost to the cell's left/right padding


def char_units(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 1


def text_units(text: str) -> int:
    return sum(char_units(c) for c in text)


def lines_needed(text: str, col_width: float) -> int:
    """Lines a wrapped cell needs: each paragraph wraps at the usable width; latin runs may not break, so round up per paragraph."""
    if not text:
        return 1
    usable = max(col_width - CELL_PAD_UNITS, 1.0)
    total = 0
    for para in str(text).split("\n"):
        lines, used = 1, 0
        for ch in para:  # greedy, as a renderer fills a line: a wide char that does not fit starts the next line
            w = char_units(ch)
            if used + w > usable:
                lines, used = lines + 1, 0
            used += w
        total += lines
    return total


def height_for_lines(lines: int, line_pt: float = LINE_PT) -> float:
    """Rounded up to whole pixels (0.75 pt), as Excel stores row heights."""
    return math.ceil((lines * line_pt + PAD_PT) / 0.75) * 0.75


def split_to_lines(text: str, col_width: float, max_lines: int) -> list[str]:
    """Cut text into pieces that each fit in `max_lines` wrapped lines (for rows that would exceed the row height limit)."""
    usable = max(col_width - CELL_PAD_UNITS, 1.0)
    pieces, current, used_lines, line_units = [], "", 1, 0
    for ch in str(text):
        w = char_units(ch)
        if ch == "\n" or line_units + w > usable:
            if used_lines == max_lines:
                pieces.append(current)
                current, used_lines, line_units = "", 1, 0
                if ch == "\n":
                    continue
            else:
                used_lines += 1
                line_units = 0
                if ch == "\n":
                    current += ch
                    continue
        current += ch
        line_units += w
    pieces.append(current)
    return pieces
