"""Cell values as the unit saw them: number formats read from .xlsx styles, .xls XF records and .ods display text."""
from __future__ import annotations

import functools
import io
import math
import re
import struct
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

# Excel's built-in number formats, as a zh-CN Excel/WPS shows them
BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 5: "#,##0;-#,##0", 6: "#,##0;-#,##0",
    7: "#,##0.00;-#,##0.00", 8: "#,##0.00;-#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?",
    13: "# ??/??", 14: "yyyy/m/d", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM",
    20: "h:mm", 21: "h:mm:ss", 22: "yyyy/m/d h:mm", 27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"',
    30: "m-d-yy", 31: 'yyyy"年"m"月"d"日"', 32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"', 34: 'AM/PMh"时"mm"分"',
    35: 'AM/PMh"时"mm"分"ss"秒"', 36: 'yyyy"年"m"月"', 37: "#,##0;-#,##0", 38: "#,##0;-#,##0", 39: "#,##0.00;-#,##0.00",
    40: "#,##0.00;-#,##0.00", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mm:ss.0", 48: "##0.0E+0", 49: "@",
    50: 'yyyy"年"m"月"', 51: 'm"月"d"日"', 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"', 54: 'm"月"d"日"',
    55: 'AM/PMh"时"mm"分"', 56: 'AM/PMh"时"mm"分"ss"秒"', 57: 'yyyy"年"m"月"', 58: 'm"月"d"日"',
}
EPOCH = datetime(1899, 12, 30)
_DATE_TOKENS = re.compile(r"yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|AM/PM|上午/下午|e", re.I)


def is_general(code: str) -> bool:
    return not code or code.strip().lower() in ("general", "@", "g/通用格式", "通用格式")


def format_value(value, code: str) -> str | None:
    """The text Excel/WPS shows for a number or date under format `code`; None when the code is not understood
    (the caller keeps its own text)."""
    try:
        return _format(value, code)
    except Exception:  # noqa: BLE001 - an odd format code must never lose the value: the caller falls back
        return None


def _sections(code: str) -> list[str]:
    out, cur, quoted, i = [], "", False, 0
    while i < len(code):
        ch = code[i]
        if ch == '"':
            quoted = not quoted
        elif ch == "\\" and not quoted and i + 1 < len(code):
            cur += code[i:i + 2]
            i += 2
            continue
        elif ch == ";" and not quoted:
            out.append(cur)
            cur = ""
            i += 1
            continue
        cur += ch
        i += 1
    out.append(cur)
    return out


def _unquoted(section: str) -> str:
    """The section without quoted literals, escapes and [..] blocks: what decides its kind."""
    return re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.', "", section)


def _format(value, code: str) -> str | None:
    if is_general(code):
        return None
    if "[DBNum" in code or "[dbnum" in code.lower():
        return None   # Chinese numerals: keep the plain value
    sections = _sections(code)
    if isinstance(value, (datetime, date, time, timedelta)):
        return _format_date(value, sections[0])
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    if len(sections) >= 3 and number == 0:
        section, sign = sections[2], ""
    elif len(sections) >= 2 and number < 0:
        section, sign, number = sections[1], "", -number
    else:
        section, sign = sections[0], "-" if number < 0 else ""
        number = abs(number)
    section = re.sub(r"\[(?!\$)[^\]]*\]", "", section)   # colours and conditions; [$¥-804] stays
    bare = _unquoted(section)
    if re.search(r"[yYdD]|[hH]|[sS]", bare) or (re.search(r"[mM]", bare) and not re.search(r"[0#?]", bare)):
        if "E" in bare.upper() and re.search(r"[0#]E", bare.upper()):
            return None
        return _format_date(EPOCH + timedelta(days=number if not sign else -number), section)
    if re.search(r"[eE][+-]|\?/|/\?", bare):
        return None   # scientific and fractions: keep the plain value
    return sign + _format_number(number, section)


def _literal_at(section: str, i: int, pad: str) -> tuple[str, int] | None:
    """A literal in a number format at `i` — "text", \\x, or a _x/*x padding (shown as `pad`) — with where it ends."""
    ch = section[i]
    if ch == '"':
        j = section.index('"', i + 1)
        return section[i + 1:j], j + 1
    if ch == "\\" and i + 1 < len(section):
        return section[i + 1], i + 2
    if ch in "_*" and i + 1 < len(section):
        return (pad if ch == "_" else ""), i + 2
    return None


def _format_number(number: float, section: str) -> str:
    # split the section into literal text and the number pattern (the run of 0 # ? , . %)
    tokens: list[tuple[str, str]] = []   # (kind, text): lit | num | pct
    i = 0
    while i < len(section):
        ch = section[i]
        literal = _literal_at(section, i, pad=" ")
        if literal:
            tokens.append(("lit", literal[0]))
            i = literal[1]
        elif ch == "[":
            j = section.index("]", i)
            m = re.match(r"\[\$([^-\]]*)", section[i:j + 1])
            if m:
                tokens.append(("lit", m.group(1)))
            i = j + 1
        elif ch == "%":
            tokens.append(("pct", "%"))
            i += 1
        elif ch in "0#?.,":
            j = i
            while j < len(section) and section[j] in "0#?.,":
                j += 1
            tokens.append(("num", section[i:j]))
            i = j
        else:
            tokens.append(("lit", ch))
            i += 1
    pattern = "".join(t for k, t in tokens if k == "num")
    number *= 100 ** sum(1 for k, _t in tokens if k == "pct")
    trailing = len(pattern) - len(pattern.rstrip(","))
    number /= 1000 ** trailing
    pattern = pattern.rstrip(",")
    int_part, _dot, frac = pattern.partition(".")
    places = sum(1 for ch in frac if ch in "0#?")
    min_places = sum(1 for ch in frac if ch == "0")
    text = f"{round(number + 0.0, places):.{places}f}" if places else str(int(math.floor(number + 0.5)))
    whole, _d, decimals = text.partition(".")
    if places > min_places:
        decimals = decimals.rstrip("0")
        decimals = decimals + "0" * max(0, min_places - len(decimals))
    min_int = sum(1 for ch in int_part if ch == "0")
    if whole == "0" and min_int == 0:
        whole = ""
    whole = whole.zfill(min_int) if min_int else whole
    if "," in int_part and whole:
        whole = f"{int(whole):,}"
    shown = whole + ("." + decimals if decimals else ("." if _dot else ""))
    if not shown:
        shown = "0" if not places else shown
    out, placed = "", False
    for k, t in tokens:
        if k == "num":
            if not placed:
                out += shown
                placed = True
        else:
            out += t
    return out


def _format_date(value, section: str) -> str | None:
    if isinstance(value, timedelta):
        value = EPOCH + value
    if isinstance(value, time):
        value = datetime.combine(date(1899, 12, 31), value)
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time())
    section = re.sub(r"\[\$[^\]]*\]|\[[A-Za-z]+\]|\[h+\]|\[m+\]|\[s+\]", "", section)
    if re.search(r"\[DBNum|\[dbnum", section):
        return None
    has_ampm = bool(re.search(r"AM/PM|上午/下午", section, re.I))
    # split into literals and tokens
    parts: list[tuple[str, str]] = []
    i = 0
    while i < len(section):
        ch = section[i]
        literal = _literal_at(section, i, pad="")
        if literal:
            if literal[0]:
                parts.append(("lit", literal[0]))
            i = literal[1]
            continue
        m = _DATE_TOKENS.match(section, i)
        if m:
            parts.append(("tok", m.group(0)))
            i = m.end()
            continue
        if ch == "0" and parts and parts[-1] == ("lit", "."):
            j = i
            while j < len(section) and section[j] == "0":
                j += 1
            parts.append(("frac", section[i:j]))
            i = j
            continue
        parts.append(("lit", ch))
        i += 1
    out = []
    toks = [n for n, (k, _t) in enumerate(parts) if k == "tok"]
    for n, (kind, t) in enumerate(parts):
        if kind == "lit":
            out.append(t)
            continue
        if kind == "frac":
            out.append(f"{value.microsecond / 1e6:.{len(t)}f}"[2:])
            continue
        low = t.lower()
        if low in ("m", "mm"):
            pos = toks.index(n)
            prev = parts[toks[pos - 1]][1].lower() if pos > 0 else ""
            nxt = parts[toks[pos + 1]][1].lower() if pos + 1 < len(toks) else ""
            if prev.startswith("h") or nxt.startswith("s"):
                out.append(f"{value.minute:02d}" if low == "mm" else str(value.minute))
            else:
                out.append(f"{value.month:02d}" if low == "mm" else str(value.month))
        elif low == "yyyy" or low == "e":
            out.append(str(value.year))
        elif low == "yy":
            out.append(f"{value.year % 100:02d}")
        elif low == "mmm":
            out.append(value.strftime("%b"))
        elif low == "mmmm":
            out.append(value.strftime("%B"))
        elif low == "d":
            out.append(str(value.day))
        elif low == "dd":
            out.append(f"{value.day:02d}")
        elif low == "ddd":
            out.append("一二三四五六日"[value.weekday()])
        elif low == "dddd":
            out.append("星期" + "一二三四五六日"[value.weekday()])
        elif low in ("h", "hh"):
            hour = value.hour % 12 or 12 if has_ampm else value.hour
            out.append(f"{hour:02d}" if low == "hh" else str(hour))
        elif low in ("s", "ss"):
            out.append(f"{value.second:02d}" if low == "ss" else str(value.second))
        elif low == "am/pm":
            out.append("AM" if value.hour < 12 else "PM")
        elif t == "上午/下午":
            out.append("上午" if value.hour < 12 else "下午")
    return "".join(out)


# --- where the formats are: .xlsx styles and sheets ---------------------------------------------------
Formats = dict[str, dict[tuple[int, int], str]]   # sheet name -> (row, col) 0-based -> format code or shown text


def _ref(ref: str) -> tuple[int, int]:
    m = re.match(r"([A-Z]+)(\d+)", ref)
    assert m is not None, f"not a cell reference: {ref!r}"
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def xlsx_formats(data: bytes, opened: zipfile.ZipFile | None = None, checked: dict[str, bytes] | None = None) -> Formats:
    """Number-format codes of the numeric and date cells whose format is not General, per sheet.
    opened: the workbook's zip when the caller has it open already (it stays open); checked: parts already
    unpacked by core.common.read_limits (read from there, not unpacked again)."""
    import contextlib
    out: Formats = {}
    checked = checked or {}
    with contextlib.nullcontext(opened) if opened else zipfile.ZipFile(io.BytesIO(data)) as zf:
        def read(part: str) -> bytes:
            return checked[part] if part in checked else zf.read(part)

        names = set(zf.namelist())
        if "xl/styles.xml" not in names or "xl/workbook.xml" not in names:
            return out
        special = _special_styles(read("xl/styles.xml"))
        if not special:
            return out
        rels_xml = read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in names else b""
        for sheet_name, part in _sheet_parts(read("xl/workbook.xml"), rels_xml):
            if part not in names:
                continue
            if not _may_use(read(part), special):
                out[sheet_name] = {}   # no cell of this sheet wears a non-General style: nothing to parse
                continue
            out[sheet_name] = _sheet_formats(zf, part, special)
    return out


@functools.lru_cache(maxsize=32)
def _special_styles(styles_xml: bytes) -> dict[int, str]:
    """Style index → number format code, for the styles whose format is not General (a run's returns mostly share
    one styles part: parsed once)."""
    import defusedxml.ElementTree as DET
    styles = DET.fromstring(styles_xml)
    custom = {}
    xfs: list[str] = []
    for el in styles:
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "numFmts":
            for nf in el:
                custom[int(nf.get("numFmtId", "0"))] = nf.get("formatCode", "")
        elif tag == "cellXfs":
            for xf in el:
                fid = int(xf.get("numFmtId", "0"))
                xfs.append(custom.get(fid) or BUILTIN_FORMATS.get(fid, "General"))
    return {i: code for i, code in enumerate(xfs) if not is_general(code)}


@functools.lru_cache(maxsize=32)
def _sheet_parts(workbook_xml: bytes, rels_xml: bytes) -> tuple[tuple[str, str], ...]:
    """(sheet name, zip part) of each sheet, in book order."""
    import defusedxml.ElementTree as DET
    wb = DET.fromstring(workbook_xml)
    rels = {}
    if rels_xml:
        for rel in DET.fromstring(rels_xml):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            rels[rel.get("Id")] = target
    out = []
    for el in wb.iter():
        if el.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
        part = rels.get(rid)
        if part:
            out.append((el.get("name", ""), part))
    return tuple(out)


_CELL_TAG = re.compile(rb"<c\s([^>]*)>")
_S_ATTR = re.compile(rb"""(?:^|\s)s\s*=\s*["']\s*(\d+)""")
_T_ATTR = re.compile(rb"""(?:^|\s)t\s*=\s*["']\s*([a-zA-Z]+)""")


def _may_use(xml: bytes, special: dict[int, str]) -> bool:
    """Whether a number or date cell of this sheet may wear one of the `special` styles (text cells never do).
    Conservative: a sheet written with prefixed element names, or a cell tag holding a character reference, is
    parsed in full."""
    if b"<sheetData" not in xml:
        return b"sheetData" in xml      # prefixed names (x:sheetData): parse; no sheet data at all: nothing to find
    for attrs in _CELL_TAG.findall(xml):
        if b"&#" in attrs:
            return True
        m = _S_ATTR.search(attrs)
        if m and int(m.group(1)) in special:
            t = _T_ATTR.search(attrs)
            if t is None or t.group(1) in (b"n", b"d"):
                return True
    return False


def _sheet_formats(zf: zipfile.ZipFile, part: str, special: dict[int, str]) -> dict[tuple[int, int], str]:
    import defusedxml.ElementTree as DET
    found: dict[tuple[int, int], str] = {}
    row, col = -1, -1
    with zf.open(part) as fh:
        for event, el in DET.iterparse(fh, events=("start", "end")):
            tag = el.tag.rsplit("}", 1)[-1]
            if event == "start":
                if tag == "row":
                    row = int(el.get("r")) - 1 if el.get("r") else row + 1
                    col = -1
                elif tag == "c":
                    ref = el.get("r")
                    if ref:
                        row, col = _ref(ref)
                    else:
                        col += 1
                    s = el.get("s")
                    if s and el.get("t", "n") in ("n", "d") and int(s) in special:
                        found[(row, col)] = special[int(s)]
            elif tag in ("row", "sheetData"):
                el.clear()
    return found


# --- .ods: the display text is in the file --------------------------------------------------------------
NUMERIC_ODS = {"float", "percentage", "currency", "date", "time"}


def ods_shown(data: bytes) -> Formats:
    """The text LibreOffice/WPS shows for each numeric or date cell (text:p), per sheet."""
    import defusedxml.ElementTree as DET
    t = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    o = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
    tx = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
    out: Formats = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        if "content.xml" not in zf.namelist():
            return out
        sheet = None
        row = col = 0
        with zf.open("content.xml") as fh:
            for event, el in DET.iterparse(fh, events=("start", "end")):
                tag = el.tag
                if event == "start":
                    if tag == t + "table":
                        sheet = out.setdefault(el.get(t + "name", ""), {})
                        row = 0
                    elif tag == t + "table-row":
                        col = 0
                    continue
                if tag == t + "table-row":
                    row += int(el.get(t + "number-rows-repeated", "1"))
                    el.clear()
                elif tag in (t + "table-cell", t + "covered-table-cell"):
                    n = int(el.get(t + "number-columns-repeated", "1"))
                    if sheet is not None and el.get(o + "value-type") in NUMERIC_ODS:
                        paras = ["".join(p.itertext()) for p in el if p.tag == tx + "p"]   # not comments
                        if paras:
                            for k in range(min(n, 1000)):
                                sheet[(row, col + k)] = "\n".join(paras)
                    col += n
    return out


# --- .xls: BIFF8 XF and FORMAT records, numeric cell records ------------------------------------------
def biff_records(stream: bytes, pos: int = 0) -> Iterator[tuple[int, bytes]]:
    """(record type, body) of the BIFF records from `pos` on; the caller stops at the EOF record it means."""
    while pos + 4 <= len(stream):
        rtype, size = struct.unpack_from("<HH", stream, pos)
        yield rtype, stream[pos + 4:pos + 4 + size]
        pos += 4 + size


def xls_formats(data: bytes) -> Formats:
    """Number-format codes of the numeric cells whose format is not General, per sheet (BIFF8 only)."""
    stream = _cfb_stream(data, "Workbook") or _cfb_stream(data, "Book")
    if not stream:
        return {}
    formats: dict[int, str] = {}
    xfs: list[int] = []
    sheets: list[tuple[int, str]] = []
    for rtype, body in biff_records(stream):
        if rtype == 0x041E and len(body) >= 5:          # FORMAT
            fid, = struct.unpack_from("<H", body, 0)
            formats[fid] = _xl_string(body, 2, 2)
        elif rtype == 0x00E0 and len(body) >= 4:        # XF
            xfs.append(struct.unpack_from("<H", body, 2)[0])
        elif rtype == 0x0085 and len(body) >= 8:        # BOUNDSHEET
            sheets.append((struct.unpack_from("<I", body, 0)[0], _xl_string(body, 6, 1)))
        elif rtype == 0x000A and sheets:                # EOF of the globals
            break
    codes = [formats.get(fid) or BUILTIN_FORMATS.get(fid, "General") for fid in xfs]
    special = {i: c for i, c in enumerate(codes) if not is_general(c)}
    out: Formats = {}
    for offset, name in sheets:
        found: dict[tuple[int, int], str] = {}
        for rtype, body in biff_records(stream, offset):
            if rtype == 0x000A:                          # EOF of this sheet
                break
            if rtype in (0x0203, 0x027E, 0x0006) and len(body) >= 6:   # NUMBER, RK, FORMULA
                r, c, ixfe = struct.unpack_from("<HHH", body, 0)
                if rtype == 0x0006 and len(body) >= 14 and body[12:14] == b"\xff\xff":
                    continue   # a formula with a text/bool/error result
                if ixfe in special:
                    found[(r, c)] = special[ixfe]
            elif rtype == 0x00BD and len(body) >= 6:    # MULRK
                r, c0 = struct.unpack_from("<HH", body, 0)
                n = (len(body) - 6) // 6
                for k in range(n):
                    ixfe, = struct.unpack_from("<H", body, 4 + 6 * k)
                    if ixfe in special:
                        found[(r, c0 + k)] = special[ixfe]
        out[name] = found
    return out


def _xl_string(body: bytes, at: int, len_bytes: int) -> str:
    n = body[at] if len_bytes == 1 else struct.unpack_from("<H", body, at)[0]
    flags = body[at + len_bytes]
    start = at + len_bytes + 1
    if flags & 0x08:
        start += 2
    if flags & 0x04:
        start += 4
    if flags & 0x01:
        return body[start:start + 2 * n].decode("utf-16-le", "replace")
    return body[start:start + n].decode("latin-1")


def _cfb_stream(data: bytes, wanted: str) -> bytes | None:
    """One stream of an OLE2 compound file, by name (regular sectors and the mini stream)."""
    if data[:8] != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or len(data) < 512:
        return None
    sector_shift, mini_shift = struct.unpack_from("<HH", data, 30)
    ssize, msize = 1 << sector_shift, 1 << mini_shift
    n_fat, first_dir, _tx, mini_cutoff, first_minifat, n_minifat, first_difat, n_difat = \
        struct.unpack_from("<IIIIIIII", data, 44)
    difat = list(struct.unpack_from("<109I", data, 76))
    sec = first_difat
    guard = 0
    while n_difat and sec < 0xFFFFFFFA and guard < 10_000:
        off = 512 + sec * ssize
        entries = struct.unpack_from(f"<{ssize // 4}I", data, off)
        difat += entries[:-1]
        sec = entries[-1]
        guard += 1
    fat: list[int] = []
    for s in difat[:n_fat]:
        off = 512 + s * ssize
        if off + ssize > len(data):
            break
        fat += struct.unpack_from(f"<{ssize // 4}I", data, off)

    def chain(start: int, table: list[int]) -> list[int]:
        out: list[int] = []
        s = start
        while s < len(table) and s < 0xFFFFFFFA and len(out) <= len(table):
            out.append(s)
            s = table[s]
        return out

    def read(start: int) -> bytes:
        return b"".join(data[512 + s * ssize:512 + (s + 1) * ssize] for s in chain(start, fat))

    directory = read(first_dir)
    root_start = None
    for k in range(len(directory) // 128):
        entry = directory[k * 128:(k + 1) * 128]
        name_len, = struct.unpack_from("<H", entry, 64)
        name = entry[:max(0, name_len - 2)].decode("utf-16-le", "replace")
        kind = entry[66]
        start, size = struct.unpack_from("<II", entry, 116)
        if kind == 5:
            root_start = start
            root_size = size
            continue
        if kind == 2 and name == wanted:
            if size < mini_cutoff and root_start is not None:
                minifat: list[int] = []
                for s in chain(first_minifat, fat):
                    minifat += struct.unpack_from(f"<{ssize // 4}I", data, 512 + s * ssize)
                mini = read(root_start)[:root_size]
                return b"".join(mini[s * msize:(s + 1) * msize] for s in chain(start, minifat))[:size]
            return read(start)[:size]
    return None
