"""What a unit put in a workbook besides cell values: comments (legacy, threaded, .ods), text boxes, pictures, struck runs."""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from core.common.textnorm import clean_cell

MAX_MARKS = 2000          # comments, shapes and pictures per sheet: a form has a few dozen at most
MAX_MARK_CHARS = 32_767   # one comment or text box: an Excel cell's limit
MAX_MARK_PART = 8 * 1024 * 1024   # a comments or drawing part of a form is a few kB; a bigger one is not parsed
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_TC = "{http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments}"
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


@dataclass
class SheetMarks:
    comments: dict[tuple[int, int], str] = field(default_factory=dict)    # (row, col) 0-based -> comment text
    shapes: list[tuple[int | None, int | None, str]] = field(default_factory=list)   # text boxes: (row, col, text)
    pictures: list[tuple[int | None, int | None]] = field(default_factory=list)      # (row, col) of each picture
    struck_cells: set[tuple[int, int]] = field(default_factory=set)   # cells struck through as a whole (cell format)
    skipped: list[str] = field(default_factory=list)   # comments/drawing parts too big to read: the clerk is told


@dataclass
class BookMarks:
    sheets: dict[str, SheetMarks] = field(default_factory=dict)
    struck: dict[str, tuple[str, str]] = field(default_factory=dict)   # cell text -> (text not struck, struck text)
    rich: set[str] = field(default_factory=set)   # texts whose runs carry their own font: the cell's font does not apply
    red: dict[str, str] = field(default_factory=dict)   # a text with struck runs -> what it marks in red (the new text)

    def of(self, sheet: str) -> SheetMarks:
        return self.sheets.get(sheet) or SheetMarks()


def cell_ref(ref: str) -> tuple[int, int] | None:
    """"E6" -> (5, 4), 0-based (row, col)."""
    m = _REF.match((ref or "").split(":")[0].upper())
    if not m:
        return None
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def has_xlsx_marks(names: list[str], shared: bytes | None) -> bool:
    """The cheap test: only a workbook with a comment, drawing or struck run has its extra parts opened."""
    return (any(n.startswith(("xl/comments", "xl/threadedComments/", "xl/drawings/drawing")) for n in names)
            or (shared is not None and b"strike" in shared))


def read_xlsx_marks(zf: zipfile.ZipFile, read, names: list[str]) -> BookMarks:
    """read(part) -> bytes (a part already checked by core.common.read_limits). Broken parts are skipped."""
    import defusedxml.ElementTree as DET
    out = BookMarks()
    present = set(names)
    if "xl/sharedStrings.xml" in present:
        shared = read("xl/sharedStrings.xml")
        if b"strike" in shared:
            out.struck, out.red = _struck_runs(DET.fromstring(shared))
    struck_xfs = _struck_styles(DET, read("xl/styles.xml")) if "xl/styles.xml" in present else set()
    if struck_xfs and "xl/sharedStrings.xml" in present:
        out.rich = {clean_cell("".join(t.text or "" for t in si.iter(f"{_MAIN}t")))
                    for si in DET.fromstring(read("xl/sharedStrings.xml")).iter(f"{_MAIN}si")
                    if si.find(f"{_MAIN}r/{_MAIN}rPr") is not None}
    if not struck_xfs and not any(n.startswith(("xl/comments", "xl/threadedComments/", "xl/drawings/drawing"))
                                  for n in names):
        return out
    for sheet_name, part in _sheet_parts(DET, read, present).items():
        rels = _rels(DET, read, present, part)
        marks = SheetMarks()
        if struck_xfs:
            marks.struck_cells = _struck_cells(read(part), struck_xfs)
        threaded: dict[tuple[int, int], str] = {}
        for kind, target in rels:
            if kind.endswith(("/comments", "/threadedComment", "/drawing")) and \
                    zf.getinfo(target).file_size > MAX_MARK_PART:
                marks.skipped.append(target)
                continue
            if kind.endswith("/comments"):
                _legacy_comments(DET.fromstring(read(target)), marks.comments)
            elif kind.endswith("/threadedComment"):
                _threaded_comments(DET.fromstring(read(target)), threaded)
            elif kind.endswith("/drawing"):
                _drawing(DET.fromstring(read(target)), marks)
        marks.comments.update(threaded)   # Excel's legacy copy of a thread only says "[Threaded comment]…"
        if marks.comments or marks.shapes or marks.pictures or marks.struck_cells or marks.skipped:
            out.sheets[sheet_name] = marks
    return out


_CELL_STYLE = re.compile(rb'<c r="([A-Z]{1,3}\d+)"[^>]*?\ss="(\d+)"')


def _struck_styles(DET, styles: bytes) -> set[int]:
    """The cell formats (xf indexes) whose font is struck through (Excel's Ctrl+5 on a whole cell)."""
    if b"strike" not in styles:
        return set()
    root = DET.fromstring(styles)
    fonts = root.find(f"{_MAIN}fonts")
    struck = set()
    for i, font in enumerate(fonts if fonts is not None else []):
        el = font.find(f"{_MAIN}strike")
        if el is not None and (el.get("val") or "true").lower() not in ("false", "0"):
            struck.add(i)
    xfs = root.find(f"{_MAIN}cellXfs")
    return {i for i, xf in enumerate(xfs if xfs is not None else []) if int(xf.get("fontId") or 0) in struck} \
        if struck else set()


def _struck_cells(sheet: bytes, xfs: set[int]) -> set[tuple[int, int]]:
    out: set[tuple[int, int]] = set()
    for m in _CELL_STYLE.finditer(sheet):
        if int(m.group(2)) in xfs:
            at = cell_ref(m.group(1).decode("ascii"))
            if at is not None and len(out) < MAX_MARKS:
                out.add(at)
    return out


def _sheet_parts(DET, read, present: set[str]) -> dict[str, str]:
    """Sheet name -> its worksheet part, from xl/workbook.xml and its rels."""
    if "xl/workbook.xml" not in present or "xl/_rels/workbook.xml.rels" not in present:
        return {}
    targets = {r.get("Id"): _resolve("xl/workbook.xml", r.get("Target") or "")
               for r in DET.fromstring(read("xl/_rels/workbook.xml.rels")).iter(f"{_PKG}Relationship")}
    out = {}
    for sh in DET.fromstring(read("xl/workbook.xml")).iter(f"{_MAIN}sheet"):
        part = targets.get(sh.get(f"{_REL}id"))
        if part in present:
            out[sh.get("name") or ""] = part
    return out


def _rels(DET, read, present: set[str], part: str) -> list[tuple[str, str]]:
    rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    if rels not in present:
        return []
    out = []
    for r in DET.fromstring(read(rels)).iter(f"{_PKG}Relationship"):
        target = _resolve(part, r.get("Target") or "")
        if target in present and r.get("TargetMode") != "External":
            out.append((r.get("Type") or "", target))
    return out


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _text(el) -> str:
    return clean_cell("".join(t.text or "" for t in el.iter() if t.tag in (f"{_MAIN}t", f"{_A}t", f"{_TC}text"))
                      [:MAX_MARK_CHARS])


def _legacy_comments(root, out: dict) -> None:
    for n, c in enumerate(root.iter(f"{_MAIN}comment")):
        at = cell_ref(c.get("ref") or "")
        text_el = c.find(f"{_MAIN}text")
        if n >= MAX_MARKS or at is None or text_el is None:
            continue
        text = _text(text_el)
        if text:
            out[at] = text


def _threaded_comments(root, out: dict) -> None:
    for n, c in enumerate(root.iter(f"{_TC}threadedComment")):
        at = cell_ref(c.get("ref") or "")
        if n >= MAX_MARKS or at is None:
            continue
        text = clean_cell("".join(t.text or "" for t in c.iter(f"{_TC}text")))
        if text:
            out[at] = f"{out[at]}\n{text}" if at in out else text   # replies follow the first comment


def _drawing(root, marks: SheetMarks) -> None:
    for n, anchor in enumerate(a for a in root if a.tag in (f"{_XDR}twoCellAnchor", f"{_XDR}oneCellAnchor",
                                                             f"{_XDR}absoluteAnchor")):
        if n >= MAX_MARKS:
            break
        row = col = None
        start = anchor.find(f"{_XDR}from")
        if start is not None:
            r, c = start.findtext(f"{_XDR}row"), start.findtext(f"{_XDR}col")
            row = int(r) if r and r.strip().isdigit() else None
            col = int(c) if c and c.strip().isdigit() else None
        for sp in anchor.iter(f"{_XDR}sp"):
            body = sp.find(f"{_XDR}txBody")
            if body is None:
                continue
            text = clean_cell("\n".join("".join(t.text or "" for t in p.iter(f"{_A}t")) for p in body.iter(f"{_A}p"))
                              [:MAX_MARK_CHARS]).strip()
            if text:
                marks.shapes.append((row, col, text))
        for _pic in anchor.iter(f"{_XDR}pic"):
            marks.pictures.append((row, col))


def _struck_runs(root) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Shared strings with struck runs: full text -> (what is not struck, what is struck); and full text -> the
    text it marks in red (the new figure typed after the struck one)."""
    out, red = {}, {}
    for si in root.iter(f"{_MAIN}si"):
        kept: list[str] = []
        struck: list[str] = []
        reds: list[str] = []
        any_struck = False
        for r in si.findall(f"{_MAIN}r"):
            text = "".join(t.text or "" for t in r.findall(f"{_MAIN}t"))
            strike = r.find(f"{_MAIN}rPr/{_MAIN}strike")
            on = strike is not None and (strike.get("val") or "true").lower() not in ("false", "0")
            (struck if on else kept).append(text)
            any_struck = any_struck or (on and bool(text.strip()))
            color = r.find(f"{_MAIN}rPr/{_MAIN}color")
            if not on and color is not None and _is_red(color.get("rgb") or ""):
                reds.append(text)
        if any_struck:
            whole = clean_cell("".join(t.text or "" for r in si.findall(f"{_MAIN}r") for t in r.findall(f"{_MAIN}t")))
            out[whole] = (clean_cell("".join(kept)), clean_cell("".join(struck)))
            if "".join(reds).strip():
                red[whole] = clean_cell("".join(reds))
    return out, red


def _is_red(argb: str) -> bool:
    """FFC00000, FFFF0000…: red clearly above green and blue."""
    if len(argb) not in (6, 8):
        return False
    try:
        r, g, b = (int(argb[-6:][i:i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return False
    return r >= 0x99 and g <= 0x66 and b <= 0x66


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def read_ods_marks(content: bytes) -> BookMarks:
    """Cell annotations (office:annotation) of an .ods content.xml, by sheet and (row, col); repeats counted."""
    import defusedxml.ElementTree as DET
    out = BookMarks()
    if b"office:annotation" not in content:
        return out
    root = DET.fromstring(content)
    for table in root.iter(f"{_ODS_TABLE}table"):
        marks = SheetMarks()
        r = 0
        for row in table.iter(f"{_ODS_TABLE}table-row"):
            rrep = int(row.get(f"{_ODS_TABLE}number-rows-repeated") or 1)
            c = 0
            for cell in row:
                if cell.tag not in (f"{_ODS_TABLE}table-cell", f"{_ODS_TABLE}covered-table-cell"):
                    continue
                crep = int(cell.get(f"{_ODS_TABLE}number-columns-repeated") or 1)
                note = cell.find(f"{_ODS_OFFICE}annotation")
                if note is not None and len(marks.comments) < MAX_MARKS:
                    text = clean_cell("\n".join("".join(p.itertext()) for p in note.iter(f"{_ODS_TEXT}p")))
                    if text:
                        marks.comments[(r, c)] = text[:MAX_MARK_CHARS]
                c += min(crep, 1024)
            r += min(rrep, 100_000)
        if marks.comments:
            out.sheets[table.get(f"{_ODS_TABLE}name") or ""] = marks
    return out


def read_xls_marks(data: bytes) -> BookMarks:
    """Cell notes (NOTE → OBJ → TXO text), text boxes and pictures (no row known) of a BIFF8 .xls, per sheet."""
    import struct

    from core.returns.display import _cfb_stream, _xl_string, biff_records
    out = BookMarks()
    stream = _cfb_stream(data, "Workbook") or _cfb_stream(data, "Book")
    if not stream or (b"\xb6\x01" not in stream and b"\x5d\x00" not in stream):   # no TXO, no OBJ: nothing
        return out
    sheets: list[tuple[int, str]] = []
    for rtype, body in biff_records(stream):
        if rtype == 0x0085 and len(body) >= 8:          # BOUNDSHEET
            sheets.append((struct.unpack_from("<I", body, 0)[0], _xl_string(body, 6, 1)))
        elif rtype == 0x000A and sheets:
            break
    for offset, name in sheets:
        marks = SheetMarks()
        texts: dict[int, str] = {}
        kinds: dict[int, int] = {}
        obj = None
        pending: tuple[int, int, list[str]] | None = None   # (object id, characters left, parts) of a TXO's text
        for rtype, body in biff_records(stream, offset):
            if rtype == 0x000A:                              # EOF of this sheet
                break
            if rtype == 0x005D and len(body) >= 8 and struct.unpack_from("<H", body, 0)[0] == 0x15:   # OBJ
                kind, obj = struct.unpack_from("<HH", body, 4)
                kinds[obj] = kind
                if kind == 0x08 and len(marks.pictures) < MAX_MARKS:
                    marks.pictures.append((None, None))
            elif rtype == 0x01B6 and len(body) >= 12 and obj is not None:   # TXO: its text follows in CONTINUE
                left = struct.unpack_from("<H", body, 10)[0]
                pending = (obj, left, []) if left else None
            elif rtype == 0x003C and pending is not None and body:          # CONTINUE with the text
                oid, left, parts = pending
                wide = body[0] & 0x01
                chunk = body[1:].decode("utf-16-le" if wide else "latin-1", "replace")[:left]
                parts.append(chunk)
                left -= len(chunk)
                pending = (oid, left, parts) if left > 0 else None
                if left <= 0:
                    texts[oid] = clean_cell("".join(parts))[:MAX_MARK_CHARS]
            elif rtype == 0x001C and len(body) >= 8:                         # NOTE: row, col, flags, object id
                r, c, _flags, oid = struct.unpack_from("<HHHH", body, 0)
                if texts.get(oid) and len(marks.comments) < MAX_MARKS:
                    marks.comments[(r, c)] = texts[oid]
        for oid, text in texts.items():
            if kinds.get(oid) in (0x06, 0x02) and text and len(marks.shapes) < MAX_MARKS:   # text box, rectangle
                marks.shapes.append((None, None, text))
        if marks.comments or marks.shapes or marks.pictures:
            out.sheets[name] = marks
    return out
