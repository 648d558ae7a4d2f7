"""Width models for print: character units (CJK 2) for the forms; a print model at a font size (em, px, pitch) for summaries."""
from __future__ import annotations

import math
from functools import lru_cache
import re
import unicodedata

PAD_PT = 4.0          # top + bottom padding inside a cell


def char_units(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 1


def text_units(text: str) -> int:
    return sum(char_units(c) for c in text)


# -- the print model at a given font size (pixels at 96 dpi, as Excel and LibreOffice lay out columns) --------------
LINE_EM = 1.5          # Noto Sans CJK, what LibreOffice falls back to for 仿宋/黑体, has a 1.448 em line box
CELL_PAD_PX = 6        # left + right inside a cell
NO_LINE_START = set("，。、；：？！）》」』】〕”’…—·%,.;:?!)]}")
NO_LINE_END = set("（《「『【〔“‘([{")


def column_px(width: float) -> int:
    """Excel's pixel width of a column of `width` character units (Calibri 11: 7 px a digit, 5 px padding)."""
    return int(width * 7 + 0.5) + 5 if width >= 1 else int(width * 12 + 0.5)


@lru_cache(maxsize=65536)
def glyph_em(ch: str) -> float:
    """Advance width in em, on the wide side: CJK 1; Latin as DejaVu Sans draws it (wider than a half-width 仿宋)."""
    if unicodedata.east_asian_width(ch) in ("W", "F", "A"):
        return 1.0
    if ch.isupper() or ch in "%@&mwMW":
        return 0.9
    return 0.66


def wrap(text: str, width: float, font_pt: float) -> list[str]:
    """Lines as a renderer fills them: greedy, Latin/digit runs kept whole, no closing mark at a line start."""
    usable = max(column_px(width) - CELL_PAD_PX, 1) / (font_pt * 4 / 3)  # in em
    lines: list[str] = []
    for tokens in _tokens(str(text)):
        line, used = "", 0.0
        for tok, w in tokens:
            if used + w <= usable or not line:
                if w > usable and not line:  # a run longer than a line breaks anywhere
                    for c in tok:
                        cw = glyph_em(c)
                        if used + cw > usable and line:
                            lines.append(line)
                            line, used = "", 0.0
                        line, used = line + c, used + cw
                    continue
                line, used = line + tok, used + w
                continue
            carry = ""
            if tok[0] in NO_LINE_START and len(line) > 1:  # the mark pulls the last character down with it
                carry, line = line[-1], line[:-1]
            while len(line) > 1 and line[-1] in NO_LINE_END:
                carry, line = line[-1] + carry, line[:-1]
            lines.append(line)
            line = carry + tok
            used = sum(glyph_em(c) for c in line)
        lines.append(line)
    return lines


_TOKEN = re.compile(r"[A-Za-z0-9.\-+/%]+|.")


@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[tuple[tuple[str, float], ...], ...]:
    """Each paragraph's tokens with their widths in em (a text is wrapped at many widths while columns are fitted)."""
    return tuple(tuple((tok, sum(glyph_em(c) for c in tok)) for tok in _TOKEN.findall(para)) for para in text.split("\n"))


def lines_at(text: str, width: float, font_pt: float) -> int:
    return len(wrap(text, width, font_pt)) if text else 1


def row_pt(lines: int, font_pt: float) -> float:
    """A row holding `lines` lines, rounded up to whole pixels (0.75 pt) as row heights are stored."""
    return math.ceil((lines * font_pt * LINE_EM + PAD_PT) / 0.75) * 0.75
