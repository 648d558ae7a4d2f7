"""One form workbook by XlsxWriter from a parsed template: protection, 是/否 lists, CJK row heights, print setup, stamps."""
from __future__ import annotations

import math
import unicodedata
from functools import lru_cache
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from core.forms.rows import FormRow
from core.forms.template import FormTemplate, Style
from core.forms.stamp import STAMP_MAGIC, STAMP_NAME, STAMP_SHEET, Stamp
from core.forms.xlsx_formats import FormatCopies

NOTE_COLOR = "#808080"
INPUT_FILL = "#FFF9E5"  # a light shade on every cell a unit types in
NOTE_FILL = "#EDEDED"   # a grey note cell (e.g. 计划表尚未报送): locked, never input-coloured
INPUT_TEXT_MARKERS = ("填报时间", "填报人", "联系电话", "负责人签字")
MAX_ROW_HEIGHT = 409.0


@dataclass
class SheetSpec:
    """What to write besides the template: rows, which fields are filled in by the unit, which are 是/否."""
    rows: list[FormRow]
    context: dict[str, str]                      # placeholder → text in title/footer rows ({年度} {月份} {填报单位})
    input_fields: set[str]
    yesno_fields: set[str] = field(default_factory=set)
    merge_fields: set[str] = field(default_factory=set)  # merged over a group's rows (quarters as rows)
    notes: dict[str, str] = field(default_factory=dict)  # field → grey note text when FormRow.notes has it
    password: str | None = None
    doc_title: str = ""


# -- CJK-aware text measure --------------------------------------------------------------------------
def text_units(text: str) -> int:
    """Display width in half-width units: East Asian wide/fullwidth characters count 2, others 1.

    Ambiguous ones (“ ” ‘ ’ … — ×) count 2 as well: CJK fonts such as 仿宋_GB2312 draw them full width.
    """
    n = 0
    for ch in text:
        n += 2 if ord(ch) >= 0xA0 and unicodedata.east_asian_width(ch) in "WFA" else 1
    return n


def line_count(text: str, width_chars: float, font_size: float) -> int:
    """Lines a wrapped cell needs: column width (Excel units, ~7 px each) over the font's half-width advance."""
    if not text:
        return 1
    usable_px = max(width_chars * 7.0 + 5 - 8, 8)
    half_px = font_size * 96 / 72 / 2
    # less 2 units per line: a wrap never splits a Latin word and pushes 。，” to the next line (kinsoku)
    capacity = max(int(usable_px / half_px * 0.95) - 2, 2)
    return sum(max(1, math.ceil(text_units(part) / capacity)) for part in text.split("\n"))


def row_height(lines: int, font_size: float) -> float:
    return min(MAX_ROW_HEIGHT, round(lines * font_size * 1.35 + 5, 1))


@lru_cache(maxsize=4096)
def fitted_height(text: str, width_chars: float, font_size: float) -> float:
    """Row height (points) a wrapped cell needs; cached, as one task's text recurs in many units' forms."""
    return row_height(line_count(text, width_chars, font_size), font_size)


# -- the workbook ------------------------------------------------------------------------------------
def _fill(text: str, context: dict[str, str]) -> str:
    for key, value in context.items():
        text = text.replace("{" + key + "}", value)
    return text


def _format_properties(style: Style, locked: bool, note: bool) -> dict:
    props = style.xlsx()
    props["locked"] = locked
    if not locked and not style.bg:
        props["bg_color"] = INPUT_FILL
        props["pattern"] = 1
    if note:
        props["italic"] = True
        props["font_color"] = NOTE_COLOR
        props["locked"] = True
        props["bg_color"] = NOTE_FILL
        props["pattern"] = 1
    return props


class _Formats:
    def __init__(self, wb):
        self.copies = FormatCopies(wb)
        self.cache: dict[tuple, Any] = {}

    def get(self, style: Style, locked: bool = True, note: bool = False):
        key = (style, locked, note)
        fmt = self.cache.get(key)
        if fmt is None:
            fmt = self.cache[key] = self.copies.add(key, lambda: _format_properties(style, locked, note))
        return fmt

    def block_part(self, style: Style, locked: bool, part: str):
        """The format of one row of a task's block: no inner borders between its quarter rows."""
        key = (style, locked, part)
        fmt = self.cache.get(key)
        if fmt is None:
            if part == "top":
                style = replace(style, bottom=0)
            elif part == "middle":
                style = replace(style, top=0, bottom=0)
            elif part == "bottom":
                style = replace(style, top=0)
            fmt = self.cache[key] = self.get(style, locked)
        return fmt


def _write(ws, r: int, c: int, value: Any, fmt) -> None:
    if value is None or value == "":
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, bool):
        ws.write_string(r, c, "是" if value else "否", fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(r, c, value, fmt)
    else:
        ws.write_string(r, c, str(value), fmt)  # never a formula, whatever the text starts with


_ONCE: dict[tuple[int, str], tuple[Any, Any]] = {}   # (id(band), what) → (band, value)
_NO_STYLE = Style()


def _once(block, what: str, compute):
    """compute(block), worked out once per template band: every unit's workbook writes the same bands."""
    hit = _ONCE.get((id(block), what))
    if hit is not None and hit[0] is block:
        return hit[1]
    if len(_ONCE) > 64:   # templates edited while the window stays open: keep only the latest
        _ONCE.clear()
    value = compute(block)
    _ONCE[(id(block), what)] = (block, value)
    return value


def _band_plan(block) -> tuple[list, list]:
    """A template band's cells outside merged ranges and its merged ranges with their top-left cell."""
    in_merge = set()
    for r1, c1, r2, c2 in block.merges:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                in_merge.add((r, c))
    cells = {(cell.row, cell.col): cell for cell in block.cells}
    singles = [(r, c, cell.text, cell.style) for (r, c), cell in cells.items() if (r, c) not in in_merge]
    merges = [(r1, c1, r2, c2, cells.get((r1, c1))) for r1, c1, r2, c2 in block.merges]
    return singles, merges


def _block(ws, fmts: _Formats, tmpl: FormTemplate, block, top: int, context: dict[str, str],
           unlock_markers: bool) -> None:
    singles, merges = _once(block, "plan", _band_plan)

    def fmt_text(text: str, style: Style):
        if "{" in text:
            text = _fill(text, context)
        locked = not (unlock_markers and any(m in text for m in INPUT_TEXT_MARKERS))
        return fmts.get(style, locked), text

    for r, c, text, style in singles:
        fmt, text = fmt_text(text, style)
        _write(ws, top + r, c, text, fmt)
    for r1, c1, r2, c2, cell in merges:
        fmt, text = fmt_text(cell.text, cell.style) if cell else fmt_text("", _NO_STYLE)
        if unlock_markers and r1 == r2 and _split_label(ws, fmts, tmpl, cell, text, top + r1, c1, c2):
            continue
        ws.merge_range(top + r1, c1, top + r2, c2, "", fmt)
        if text:
            ws.write_string(top + r1, c1, text, fmt)
    for i, h in enumerate(block.heights):
        if h:
            ws.set_row(top + i, h)


def _split_label(ws, fmts: _Formats, tmpl: FormTemplate, cell, text: str, row: int, c1: int, c2: int) -> bool:
    """A lone label such as “填报时间：” over several columns becomes the label and its own shaded input cell."""
    label = text.strip()
    if cell is None or not label.endswith(("：", ":")) or label.rstrip("：:") not in INPUT_TEXT_MARKERS:
        return False
    cols = [c for c in range(c1, c2 + 1) if c not in tmpl.hidden_cols]
    need = text_units(label) + 2
    for k in range(1, len(cols)):
        if sum(tmpl.widths[c] for c in cols[:k]) >= need:
            label_style, input_style = _label_styles(cell.style)
            _merge_or_write(ws, row, cols[0], cols[k - 1], label, fmts.get(label_style, True))
            _merge_or_write(ws, row, cols[k], cols[-1], "", fmts.get(input_style, False))
            return True
    return False


@lru_cache(maxsize=64)
def _label_styles(style: Style) -> tuple[Style, Style]:
    """The label's style (right-aligned, one line) and its input cell's (left-aligned, underlined)."""
    return replace(style, align="right", wrap=False), replace(style, align="left", bottom=1)


def _merge_or_write(ws, row: int, c1: int, c2: int, text: str, fmt) -> None:
    if c2 > c1:
        ws.merge_range(row, c1, row, c2, "", fmt)
    if text or c2 == c1:
        _write(ws, row, c1, text, fmt)


def _header_heights(tmpl: FormTemplate) -> list[float | None]:
    """Template heights, raised where a single-cell label would not fit its column."""
    heights = list(tmpl.header.heights)
    spanned = set()
    for r1, c1, r2, c2 in tmpl.header.merges:
        if r1 != r2 or c1 != c2:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    spanned.add((r, c))
    for cell in tmpl.header.cells:
        if not cell.text or (cell.row, cell.col) in spanned or cell.col in tmpl.hidden_cols:
            continue
        need = row_height(line_count(cell.text, tmpl.widths[cell.col], cell.style.font_size), cell.style.font_size)
        current = heights[cell.row]
        if current is None or current < need:
            heights[cell.row] = need
    return heights


PAGE_FILL = 1.0  # the share of a page's height rows are planned into (footer line, rounding in Excel/WPS/LibreOffice)


def _printed_scale(tmpl: FormTemplate) -> tuple[float, float]:
    """(scale, usable row height in points per page) for the template's paper, margins and one-page-wide fit."""
    portrait = tmpl.orientation == "portrait"
    width_pt, height_pt = (595.3, 841.9) if portrait else (841.9, 595.3)
    left, right, top, bottom = tmpl.margins
    cols_pt = sum((w * 7 + 5) * 0.75 for c, w in enumerate(tmpl.widths) if c not in tmpl.hidden_cols)
    scale = min(1.0, (width_pt - (left + right) * 72) / max(cols_pt, 1.0))
    return scale, (height_pt - (top + bottom) * 72) * PAGE_FILL / scale


def group_page_breaks(tmpl: FormTemplate, rows: list[FormRow], heights: list[float], first: int) -> list[int]:
    """Manual page breaks (sheet row indices) so that a task's quarter rows are never split across two pages."""
    _scale, usable = _printed_scale(tmpl)
    header = sum(h or 15.0 for h in _header_heights(tmpl))
    title = sum(h or 15.0 for h in tmpl.title.heights)
    breaks: list[int] = []
    used = title + header
    i = 0
    while i < len(rows):
        j = i
        while j + 1 < len(rows) and rows[j + 1].group == rows[i].group:
            j += 1
        block = sum(heights[i:j + 1])
        if used + block > usable and used > header:
            breaks.append(first + i)
            used = header  # the header rows repeat on every page
        used += block
        i = j + 1
    return breaks


def write_form(path: Path, tmpl: FormTemplate, spec: SheetSpec, stamp: Stamp) -> bytes:
    """Write the workbook at `path` (the caller renames it into place); returns the bytes written.

    The zip is put together in memory and written with one call (XlsxWriter writing a file seeks back over
    every part's header: a dozen small writes per workbook)."""
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    fmts = _Formats(wb)
    ws = wb.add_worksheet(tmpl.sheet_name[:31] or "Sheet1")
    for c, width in enumerate(tmpl.widths):
        ws.set_column(c, c, width, None, {"hidden": True} if c in tmpl.hidden_cols else None)

    _block(ws, fmts, tmpl, tmpl.title, 0, spec.context, unlock_markers=True)
    head_top = tmpl.title.nrows
    _block(ws, fmts, tmpl, tmpl.header, head_top, spec.context, unlock_markers=False)
    for i, h in enumerate(_once(tmpl.header, "heights", lambda _header: _header_heights(tmpl))):
        if h:
            ws.set_row(head_top + i, h)
    first = head_top + tmpl.header.nrows

    col_of = tmpl.fields
    key_col = col_of.get("DCTA_KEY", tmpl.key_col)
    # per column: (name, col, style, visible, is input, {(locked, note): format} filled in as first needed)
    columns: list[tuple[str, int, Style, bool, bool, dict[tuple[bool, bool], Any]]] = []
    for name, c in col_of.items():
        if name == "DCTA_KEY" or name in spec.merge_fields:
            continue
        style = tmpl.data_styles.get(c, Style())
        columns.append((name, c, style, c not in tmpl.hidden_cols, name in spec.input_fields, {}))
    key_fmt = fmts.get(tmpl.data_styles.get(key_col, Style()))
    heights: list[float] = []
    for i, row in enumerate(spec.rows):
        r = first + i
        need = 1.0
        for name, c, style, visible, is_input, formats in columns:
            note = name in row.notes
            value = spec.notes.get(name, "") if note else row.values.get(name, "")
            key = (not (is_input or name in row.unlocked), note)
            fmt = formats.get(key)
            if fmt is None:
                fmt = formats[key] = fmts.get(style, *key)
            _write(ws, r, c, value, fmt)
            if value != "" and visible:
                need = max(need, fitted_height(str(value), tmpl.widths[c], style.font_size))
        _write(ws, r, key_col, row.key, key_fmt)
        heights.append(max(need, tmpl.data_height or 0))
    # per-task cells (quarters as rows): written in the task's first row only and drawn as one block
    # (no inner borders) instead of merged, so a page break between quarters never cuts the text
    if spec.merge_fields:
        groups: dict[int, list[int]] = {}
        for i, row in enumerate(spec.rows):
            groups.setdefault(row.group, []).append(i)
        for idx in groups.values():
            head = spec.rows[idx[0]]
            for name in spec.merge_fields:
                col = col_of.get(name)
                if col is None:
                    continue
                style = tmpl.data_styles.get(col, Style())
                locked = name not in spec.input_fields
                value = head.values.get(name, "")
                n = len(idx)
                for pos, i in enumerate(idx):
                    fmt = fmts.block_part(style, locked, "only" if n == 1 else "top" if pos == 0
                                          else "bottom" if pos == n - 1 else "middle")
                    _write(ws, first + i, col, value if pos == 0 else "", fmt)
                if value != "" and col not in tmpl.hidden_cols:
                    heights[idx[0]] = max(heights[idx[0]], fitted_height(str(value), tmpl.widths[col], style.font_size))
    for i, h in enumerate(heights):
        ws.set_row(first + i, h)
    last = first + len(spec.rows) - 1
    breaks = group_page_breaks(tmpl, spec.rows, heights, first) if spec.merge_fields and spec.rows else []
    if breaks:
        ws.set_h_pagebreaks(breaks)

    for name in spec.yesno_fields:
        col = col_of.get(name)
        if col is not None and spec.rows:
            ws.data_validation(first, col, last, col, {
                "validate": "list", "source": ["是", "否"],
                "input_title": "是否完成阶段任务目标", "input_message": "请选择“是”或“否”",
                "error_title": "请选择“是”或“否”", "error_message": "此格只能填写“是”或“否”，请从下拉列表选择。"})

    _block(ws, fmts, tmpl, tmpl.footer, last + 1, spec.context, unlock_markers=True)

    # print setup, following the template
    if tmpl.orientation == "portrait":
        ws.set_portrait()
    else:
        ws.set_landscape()
    ws.set_paper(tmpl.paper or 9)
    ws.fit_to_pages(tmpl.fit_width, tmpl.fit_height)
    ws.repeat_rows(head_top, first - 1)
    left, right, top, bottom = tmpl.margins
    ws.set_margins(left=left, right=right, top=top, bottom=bottom)
    ws.set_footer(tmpl.page_footer, {"margin": tmpl.footer_margin})
    if tmpl.center_h:
        ws.center_horizontally()
    ws.freeze_panes(first, 0)
    ws.protect(spec.password or "", {"format_rows": True, "format_columns": True, "insert_rows": True,
                                     "select_locked_cells": True, "select_unlocked_cells": True})

    # identity stamp, in all four carriers
    encoded = stamp.encode()
    for name, value in stamp.properties().items():
        wb.set_custom_property(name, value)
    wb.set_properties({"title": spec.doc_title, "subject": spec.doc_title, "company": "督查室",
                       "comments": encoded})
    hidden = wb.add_worksheet(STAMP_SHEET)
    hidden.write_string(0, 0, STAMP_MAGIC)
    hidden.write_string(1, 0, encoded)
    hidden.hide()
    wb.define_name(STAMP_NAME, '="' + encoded.replace('"', '""') + '"')
    ws.activate()
    freed = _free_heights_while_writing(ws, range(first + 1, last + 2))
    wb.close()
    data = buffer.getvalue()
    if len(freed) < len(spec.rows):   # XlsxWriter wrote its rows some other way: rewrite the sheet after
        data = _free_heights(data, range(first + 1, last + 2))
    Path(path).write_bytes(data)
    return data


def _free_heights_while_writing(ws, rows) -> set[int]:
    """Leave customHeight off the <row> tags of `rows` (1-based) as XlsxWriter writes them, sparing the rewrite of
    the whole file (see _free_heights); returns the rows it freed, so the caller can tell when this did not work."""
    wanted, freed = set(rows), set()

    def wrap(write):
        def write_row(tag, attributes):
            if tag == "row" and attributes and attributes[0][0] == "r" and attributes[0][1] in wanted:
                attributes = [a for a in attributes if a[0] != "customHeight"]
                freed.add(attributes[0][1])
            return write(tag, attributes)
        return write_row

    for name in ("_xml_start_tag_unencoded", "_xml_empty_tag_unencoded"):
        if hasattr(ws, name):
            setattr(ws, name, wrap(getattr(ws, name)))
    return freed


def _free_heights(book: bytes, rows) -> bytes:
    """Drop customHeight from the rows units type in: the written height is where they start, and Excel, WPS and
    LibreOffice grow them with the text (XlsxWriter marks every height it writes as custom, which locks it)."""
    import io
    import re
    import zipfile
    wanted = {str(r) for r in rows}
    if not wanted:
        return book
    sheet = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(io.BytesIO(book)) as zf:
        items = [(info, zf.read(info.filename)) for info in zf.infolist()]

    def free(m: re.Match) -> str:
        tag = m.group(0)
        r = re.search(r' r="(\d+)"', tag)
        return tag.replace(' customHeight="1"', "") if r and r.group(1) in wanted else tag
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in items:
            if info.filename == sheet:
                data = re.sub(r"<row [^>]*>", free, data.decode("utf-8")).encode("utf-8")
            zf.writestr(info, data)
    return out.getvalue()
