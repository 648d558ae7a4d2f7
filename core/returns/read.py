"""Read a returned workbook (.xlsx .xls .ods, .et where it can) with python-calamine, cells as shown; stamps from its zip."""
from __future__ import annotations

import functools
import io
import itertools
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from core.common.errors import UserError
from core.common.read_limits import check_workbook_limits, open_workbook_zip
from core.common.sniff import ENCRYPTED_KINDS, FILE_KIND_NAMES, MAX_FILE_BYTES, refuse_unreadable, sniff
from core.forms.stamp import STAMP_MAGIC, STAMP_NAME, STAMP_SHEET
from core.common.textnorm import clean_cell
from core.returns.marks import BookMarks, SheetMarks, has_xlsx_marks, read_ods_marks, read_xls_marks, read_xlsx_marks

MAX_ROWS = 5000
MAX_COLS = 100


@dataclass
class Sheet:
    name: str
    rows: list[list[str]]   # cleaned text, merged ranges filled from their top-left cell
    visible: bool = True
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (r0, c0, r1, c1) inclusive
    marks: SheetMarks = field(default_factory=SheetMarks)   # comments, text boxes, pictures (core.returns.marks)
    struck: dict[tuple[int, int], str] = field(default_factory=dict)   # (row, col) -> the struck-through text taken out
    red: dict[tuple[int, int], str] = field(default_factory=dict)      # (row, col) -> the red text beside struck text


@dataclass
class ReturnedBook:
    kind: str                                       # xlsx | xls | ods
    sheets: list[Sheet]
    properties: dict[str, str] = field(default_factory=dict)   # custom document properties
    names: dict[str, str] = field(default_factory=dict)        # defined names (text constants)
    stamp_sheet: list[str] = field(default_factory=list)       # A1, A2 of the hidden stamp sheet
    marks: BookMarks = field(default_factory=BookMarks)        # what the unit put beside the values


def read_returned(path: Path, data: bytes | None = None, kind: str = "") -> ReturnedBook:
    """Read every sheet as text; raise UserError (Chinese) for what cannot or must not be read.
    kind: what sniff(path) answered when the file was listed (collect's sources), so it is not asked twice."""
    path = Path(path)
    kind = kind or sniff(path)
    if kind == "xlsm":
        raise UserError(f"文件“{path.name}”是含宏的工作簿（.xlsm，含 VBA 宏代码），为安全起见不予读取，宏不会被运行。"
                        "请让对方另存为普通 .xlsx 后重新发送。")
    if kind not in ("xlsx", "xls", "ods"):
        refuse_not_workbook(path, kind)
    data = path.read_bytes() if data is None else data
    book = ReturnedBook(kind=kind, sheets=[])
    if kind in ("xlsx", "ods"):
        with open_workbook_zip(path, data) as zf:   # one reading of the zip for every check and the stamp
            # core/read_limits.py: bombs, DTD/entities, huge sheets, before any parser; the parts it unpacked whole
            # (checked) are read from `checked` below, not unpacked again
            checked = check_workbook_limits(path, data, zf)
            _read_zip_carriers(path, data, book, zf, checked)
            shown = _display_formats(kind, data, zf, checked)
            book.marks = _marks(kind, zf, checked)
    elif len(data) > MAX_FILE_BYTES:
        raise UserError(f"文件“{path.name}”太大（{len(data) // 1024 // 1024} MB），"
                        f"超过 {MAX_FILE_BYTES // 1024 // 1024} MB 的上限，已拒收。")
    else:
        shown = _display_formats(kind, data)
        book.marks = _xls_marks(data)
    import python_calamine as pc
    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError as exc:
        raise UserError(password_message(path.name)) from exc
    except Exception as exc:  # noqa: BLE001 - calamine raises several types for broken files
        raise UserError(f"文件“{path.name}”已损坏，无法读取（{type(exc).__name__}）。请让对方重新发送。") from exc
    try:
        visibility = {m.name: str(m.visible).lower().endswith("visible") for m in wb.sheets_metadata}
        for name in wb.sheet_names:
            try:
                sheet = wb.get_sheet_by_name(name)
                rows = _sheet_rows(sheet, shown.get(name, {}), kind)
            except Exception as exc:  # noqa: BLE001
                raise UserError(f"文件“{path.name}”的工作表“{name}”已损坏，无法读取（{type(exc).__name__}）。") from exc
            merged = _merged(sheet)
            _fill_merged(rows, merged)
            red = {(r, c): book.marks.red[cell] for r, row in enumerate(rows) for c, cell in enumerate(row)
                   if cell in book.marks.red} if book.marks.red else {}
            sh = Sheet(name=name, rows=rows, visible=visibility.get(name, True), merged=merged, red=red,
                       marks=book.marks.of(name), struck=_take_struck(rows, book.marks.struck,
                                                                      book.marks.of(name).struck_cells, book.marks.rich))
            if name == STAMP_SHEET or (rows and rows[0] and rows[0][0] == STAMP_MAGIC):
                book.stamp_sheet = [r[0] if r else "" for r in rows[:2]]
                continue
            book.sheets.append(sh)
    finally:
        wb.close()
    return book


def _marks(kind: str, zf: zipfile.ZipFile, checked: dict[str, bytes]) -> BookMarks:
    """Comments, text boxes, pictures and struck runs, opening the extra parts only when the package has them."""
    def read(part: str) -> bytes:
        return checked[part] if part in checked else zf.read(part)
    try:
        if kind == "ods":
            return read_ods_marks(read("content.xml")) if "content.xml" in checked else BookMarks()
        names = zf.namelist()
        shared = checked.get("xl/sharedStrings.xml")
        if shared is None and "xl/sharedStrings.xml" in names:
            shared = b"strike"   # a big one (not kept by the limits check): let the reader look
        styles = checked.get("xl/styles.xml", b"strike")
        if not has_xlsx_marks(names, shared) and b"strike" not in styles:
            return BookMarks()
        return read_xlsx_marks(zf, read, names)
    except Exception:  # noqa: BLE001 - a broken extra part loses only what it carries; the values are read anyway
        logging.getLogger("ducha").warning("returns: extra parts unreadable", exc_info=True)
        return BookMarks()


def _xls_marks(data: bytes) -> BookMarks:
    try:
        return read_xls_marks(data)
    except Exception:  # noqa: BLE001 - a broken record loses only the notes; the values are read anyway
        logging.getLogger("ducha").warning("returns: .xls notes unreadable", exc_info=True)
        return BookMarks()


def _take_struck(rows: list[list[str]], struck: dict[str, tuple[str, str]],
                 whole: set[tuple[int, int]] | None = None, rich: set[str] | None = None) -> dict[tuple[int, int], str]:
    """Cells with struck-through runs keep only their other text; a cell struck as a whole (its format, its text
    without runs of its own font) keeps none; the struck text is returned by (row, col)."""
    out: dict[tuple[int, int], str] = {}
    for r, c in whole or ():
        if r < len(rows) and c < len(rows[r]) and rows[r][c] and rows[r][c] not in (rich or ()):
            out[(r, c)] = rows[r][c]
            rows[r][c] = ""
    if not struck:
        return out
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell in struck:
                kept, gone = struck[cell]
                row[c] = kept
                out[(r, c)] = gone
    return out


def password_message(name: str) -> str:
    return (f"文件“{name}”设置了打开密码（已加密），无法读取，台账未改动。请让对方去掉打开密码后重新报送"
            "（在 Excel/WPS 中打开后，于“文件→信息→保护工作簿→用密码进行加密”清空密码并保存）；不要让对方把密码发来。")


def refuse_not_workbook(path: Path, kind: str) -> None:
    """The clerk-facing message for a returned file that is not a readable workbook (always raises)."""
    name = Path(path).name
    ask = "请让对方在下发的 Excel 表格（落实情况表/落实计划表）中直接填写，保存为 .xlsx 后重新报送。"
    if kind in ENCRYPTED_KINDS:
        raise UserError(password_message(name))
    if kind in ("docx", "doc", "odt"):
        raise UserError(f"文件“{name}”是 Word 文档，不是下发的 Excel 表格，台账未改动。{ask}"
                        "（如果同一封邮件里另有 Excel 表格，这份 Word 只作参考，可忽略。）")
    if kind == "pdf":
        raise UserError(f"文件“{name}”是 PDF 文件（多为盖章扫描件或打印稿），不是下发的 Excel 表格，"
                        f"其中的文字无法读入台账，台账未改动。{ask}"
                        "盖章件可作为附件另附。")
    if kind == "image":
        raise UserError(f"文件“{name}”是图片（可能是拍照或扫描件），不是下发的 Excel 表格，无法读入台账，台账未改动。{ask}")
    if kind == "text":
        raise UserError(f"文件“{name}”是文本文件，不是下发的 Excel 表格，台账未改动。{ask}")
    if kind in ("empty", "broken-zip"):
        refuse_unreadable(path, kind)
    if kind == "cfb":
        raise UserError(f"文件“{name}”是未知的 Office 文件，已损坏或无法识别，不是下发的 Excel 表格，台账未改动。{ask}")
    what = FILE_KIND_NAMES.get(kind, kind)
    raise UserError(f"文件“{name}”无法识别（{what}），不是下发的 Excel 表格，台账未改动。{ask}")


def _display_formats(kind: str, data: bytes, zf: zipfile.ZipFile | None = None,
                     checked: dict[str, bytes] | None = None) -> dict:
    """Per sheet, (row, col) -> number format code (.xlsx .xls) or the shown text (.ods); {} when unreadable."""
    from core.returns import display
    try:
        if kind == "xlsx":
            return display.xlsx_formats(data, zf, checked)
        if kind == "xls":
            return display.xls_formats(data)
        if kind == "ods":
            return display.ods_shown(data)
    except Exception:  # noqa: BLE001 - formats only refine the text; the values are read by calamine anyway
        return {}
    return {}


def _sheet_rows(sheet, shown: dict | None = None, kind: str = "xlsx") -> list[list[str]]:
    r0, c0 = sheet.start or (0, 0)
    # calamine yields rows from row 0 (columns from c0) whatever start says; count to be sure of the first row
    raws = list(itertools.islice(sheet.iter_rows(), MAX_ROWS + 1))
    end = sheet.end[0] if sheet.end else -1
    first = 0 if len(raws) == end + 1 or len(raws) > MAX_ROWS else r0
    rows: list[list[str]] = [[] for _ in range(first)]
    shown = shown or {}
    for i, raw in enumerate(raws[:MAX_ROWS]):
        r = first + i
        row = [""] * c0 + [_shown_text(v, shown.get((r, c0 + j)), kind) if shown else _text(v)
                           for j, v in enumerate(raw[:MAX_COLS])]
        while row and row[-1] == "":
            row.pop()
        rows.append(row)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _shown_text(value, fmt: str | None, kind: str) -> str:
    """A number or date as the unit saw it: its .ods display text, or formatted by its .xlsx/.xls number format."""
    if fmt is None or value is None or value == "" or isinstance(value, (str, bool)):
        return _text(value)
    if kind == "ods":
        return clean_cell(fmt)
    from core.returns.display import format_value
    text = format_value(value, fmt)
    return clean_cell(text) if text is not None else _text(value)


def _text(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, float):
        value = format(value, ".15g")   # Excel's General shows 15 significant digits (0.1+0.2 → 0.3)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return clean_cell(value)


def _merged(sheet) -> list[tuple[int, int, int, int]]:
    try:
        ranges = sheet.merged_cell_ranges or []
    except Exception:  # noqa: BLE001 - not every format reports merges
        return []
    out = []
    for (r0, c0), (r1, c1) in ranges:
        out.append((r0, c0, r1, c1))
    return out


def _fill_merged(rows: list[list[str]], merged: list[tuple[int, int, int, int]]) -> None:
    for r0, c0, r1, c1 in merged:
        if r0 >= len(rows):
            continue
        top = rows[r0][c0] if c0 < len(rows[r0]) else ""
        if not top:
            continue
        # only downwards: a task merged over its quarter rows, one answer merged over several tasks;
        # a banner merged across columns (title, 填报人) stays in its first cell
        for r in range(r0 + 1, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c0:
                row.extend([""] * (c0 + 1 - len(row)))
            if not row[c0]:
                row[c0] = top
        for c in range(c0 + 1, c1 + 1):
            if c < len(rows[r0]) and rows[r0][c] == top:
                rows[r0][c] = ""   # calamine may repeat the value; keep it in the first cell only


CARRIER_PARTS = ("docProps/custom.xml", "xl/workbook.xml", "meta.xml", "content.xml", "[Content_Types].xml")
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.I)


def _read_zip_carriers(path: Path, data: bytes, book: ReturnedBook, opened: zipfile.ZipFile | None = None,
                       checked: dict[str, bytes] | None = None) -> None:
    """The stamp's carriers (custom properties, defined names, ODF meta and named expressions) into `book`.
    checked: parts check_workbook_limits already unpacked and scanned for DTD/entities (the whole part, not only
    its head), read from there; any other carrier part has its head scanned here."""
    import contextlib

    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException
    try:
        zf = opened or zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UserError(f"文件“{path.name}”已损坏或不完整（压缩结构无法读取）。请让对方重新发送。") from exc
    with contextlib.nullcontext(zf) if opened else zf:
        names = set(zf.namelist())
        checked = checked or {}

        def read(part: str) -> bytes:
            return checked[part] if part in checked else zf.read(part)

        for info in zf.infolist():
            if info.filename in CARRIER_PARTS and info.filename not in checked:
                try:
                    with zf.open(info) as fh:
                        head = fh.read(4096)
                except (zipfile.BadZipFile, OSError, EOFError, Exception) as exc:  # noqa: BLE001
                    raise UserError(f"文件“{path.name}”已损坏或不完整（部件 {info.filename} 无法解压）。"
                                    "请让对方重新发送。") from exc
                if _DOCTYPE.search(head):
                    raise UserError(f"文件“{path.name}”的部件 {info.filename} 含有 XML 实体声明"
                                    "（可能是“XML 炸弹”恶意文件），已拒收。")
        try:
            if "docProps/custom.xml" in names:
                root = DET.fromstring(read("docProps/custom.xml"))
                for prop in root:
                    pname = prop.get("name") or ""
                    value = "".join(prop.itertext()).strip()
                    book.properties[pname] = value
            if "xl/workbook.xml" in names:
                root = DET.fromstring(read("xl/workbook.xml"))
                for el in root.iter():
                    if el.tag.endswith("}definedName") and el.get("name"):
                        book.names[el.get("name")] = _constant(el.text or "")
            if "meta.xml" in names:
                root = DET.fromstring(read("meta.xml"))
                for el in root.iter():
                    if el.tag.endswith("}user-defined"):
                        pname = el.get("{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}name") or ""
                        book.properties[pname] = (el.text or "").strip()
            if "content.xml" in names:
                text = read("content.xml")
                for m in re.finditer(rb'<table:named-expression[^>]*>', text):
                    tag = m.group(0).decode("utf-8", "replace")
                    nm = re.search(r'table:name="([^"]*)"', tag)
                    ex = re.search(r'table:expression="([^"]*)"', tag)
                    if nm and ex:
                        import html
                        book.names[nm.group(1)] = _constant(html.unescape(ex.group(1)))
        except DefusedXmlException as exc:
            raise UserError(f"文件“{path.name}”含有不安全的 XML 内容（{type(exc).__name__}），已拒收。") from exc
        except Exception as exc:  # noqa: BLE001 - a broken part only loses that carrier
            if isinstance(exc, UserError):
                raise
    if STAMP_NAME not in book.names:
        book.names.pop(STAMP_NAME, None)


def _constant(expr: str) -> str:
    """A defined name's text constant: ="dcta1;…" / "dcta1;…" / of:="…" → dcta1;…"""
    text = expr.strip()
    for prefix in ("of:=", "of:", "="):
        if text.startswith(prefix):
            text = text[len(prefix):]
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        text = text[1:-1].replace('""', '"')
    return text


# --- the form inside the workbook -----------------------------------------------------------
# (field, labels) in the order they are tried; a header cell takes the first field whose label it contains.
# Labels are compared after label_key(): NFKC (全角/半角 folded), no blanks or line breaks, no ：:*※ marks.
HEADER_LABELS: list[tuple[str, tuple[str, ...]]] = [
    ("key", ("DCTA_KEY",)),
    ("on_track", ("是否完成阶段任务目标", "是否完成阶段", "是否完成", "是否达到序时进度", "是否达到序时", "序时进度",
                  "是否按序时", "是否按期", "是否达到阶段目标", "是否达标")),
    ("quarter_target", ("季度计划完成目标", "季度计划目标", "季度完成目标", "本季度目标", "季度目标任务")),
    ("next_steps", ("下一步计划", "下一步工作", "下步计划", "下步打算", "下一步打算", "下步工作", "下一步措施", "下步措施",
                    "下一步", "下步推进", "下阶段")),
    ("target", ("季度目标及推进计划", "季度目标", "推进计划")),
    ("done", ("完成情况", "进展情况", "推进情况", "工作进展", "落实情况", "工作开展情况", "完成进展", "目前进展")),
    ("problems", ("存在问题", "存在的问题", "困难和问题", "困难问题", "问题和困难", "问题及困难", "困难及问题", "存在困难",
                  "主要问题", "问题困难")),
    ("owner", ("主要负责人",)),
    ("supervisor", ("分管负责人",)),
    ("remark", ("备注",)),
    ("role", ("责任类型", "牵头/配合", "牵头配合", "责任分工")),
    ("seq", ("分解序号", "序号", "编号")),
    ("task", ("重点任务", "民生实事", "任务名称", "工作任务", "任务内容", "项目名称", "重点工作")),
    ("time", ("时间",)),
    ("q1", ("一季度", "第一季度")),
    ("q2", ("二季度", "第二季度")),
    ("q3", ("三季度", "第三季度")),
    ("q4", ("四季度", "第四季度")),
]
EXACT_LABELS = {"进展": "done", "问题": "problems", "困难": "problems", "打算": "next_steps", "任务": "task"}
MAX_LABEL = 40   # a header label is short; a longer cell is an answer that happens to contain a label's words
QUARTER_WORDS = {"一季度": 1, "二季度": 2, "三季度": 3, "四季度": 4, "第一季度": 1, "第二季度": 2, "第三季度": 3,
                 "第四季度": 4, "Q1": 1, "Q2": 2, "Q3": 3, "Q4": 4, "1季度": 1, "2季度": 2, "3季度": 3, "4季度": 4}
# the fields each form reads; a column mapped to none of them is an extra column (its text is kept as a note)
FORM_FIELDS = {
    "report": {"key", "seq", "task", "role", "quarter_target", "done", "problems", "next_steps", "on_track"},
    "plan": {"key", "seq", "task", "role", "time", "target", "q1", "q2", "q3", "q4", "owner", "supervisor", "remark"},
}
# what a unit types (not what the generator pre-fills): a form with none of these is a blank return
TYPED_FIELDS = {"report": ("done", "problems", "next_steps", "on_track"),
                "plan": ("target", "q1", "q2", "q3", "q4", "owner", "supervisor", "remark")}
FOOTER = re.compile(r"^(填报人|联系电话|负责人签字|审核人|单位负责人)[:：]")
# what the form itself prints around the table: never a unit's note
_FORM_PRINT = re.compile(r"^(附件\s*\d+|填报单位[:：].*|填报时间[:：]?\s*[\d年月日./-]*|[（(]?\s*\d{1,2}\s*月\s*[)）]?)$")
_SIGNATURE_PARTS = re.compile(r"(填报人|联系电话|负责人签字|审核人|单位负责人|填报时间)[:：]\s*[^\s:：]*\s*")
_NOT_A_NOTE = re.compile(r"^[\d\s年月日./:：()（）-]*$")   # a date or a phone number beside the signature


@dataclass
class Mark:
    """Something the unit put outside the answer cells' values, where it sits in the sheet."""
    line: int        # 1-based sheet row (0: no row known)
    kind: str        # comment | struck | red | shape | picture | outside | footer | skipped (a part too big to read)
    column: str      # the field of its column (done…), an added column's label, or ""
    text: str


@dataclass
class FormRow:
    line: int                  # 1-based row number in the sheet, for messages
    values: dict[str, str]     # field -> text
    key: str = ""
    extra: dict[str, str] = field(default_factory=dict)   # label of an unmapped column -> text in this row


@dataclass
class ParsedForm:
    sheet: str
    columns: dict[str, int]
    rows: list[FormRow]
    unit_cell: str = ""        # what follows 填报单位：
    title: str = ""
    header_line: int = 0
    extras: dict[int, str] = field(default_factory=dict)   # column -> label of the columns no field reads
    notes: list[str] = field(default_factory=list)          # what the reader chose, for the clerk (Chinese)
    others_filled: list[str] = field(default_factory=list)  # other sheets of the book that also hold answers
    others_tables: list[str] = field(default_factory=list)  # other sheets with a table of their own (亮点工作…): kept, not read
    marks: list[Mark] = field(default_factory=list)          # comments, struck text, text boxes, pictures, text outside

    @property
    def evidence(self) -> int:
        """How surely this sheet is the form sent out: its key column, 填报单位, the form's title, the form's columns."""
        keyed = "key" in self.columns or any(r.key for r in self.rows)
        return (4 * keyed + bool(self.unit_cell) + bool(re.search(r"落实(情况|计划)表", self.title))
                + (len(self.columns) >= 5))

    @property
    def form(self) -> str:
        if "done" in self.columns or "on_track" in self.columns or "quarter_target" in self.columns:
            return "report"
        return "plan"

    def has_answers(self) -> bool:
        """True when the unit typed something: an answer field, an extra column or a row it inserted."""
        typed = TYPED_FIELDS[self.form]
        return bool(self.marks) or any(r.extra or any(r.values.get(f) for f in typed) for r in self.rows)


_LABEL_MARKS = re.compile(r"[\s:：*※]+")
_PERCENT = re.compile(r"%|％|百分|进度|比例|完成率")


@functools.lru_cache(maxsize=16384)
def label_key(cell: str) -> str:
    """A header label as compared: NFKC, no blanks or line breaks, no ：:*※ or trailing colon marks."""
    text = unicodedata.normalize("NFKC", cell or "")
    return _LABEL_MARKS.sub("", text)


@functools.lru_cache(maxsize=1)
def _label_keys() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((name, tuple(label_key(label).upper() for label in labels)) for name, labels in HEADER_LABELS)


@functools.lru_cache(maxsize=16384)
def header_field(cell: str) -> str | None:
    """The field a header cell names (cached: every returned form repeats the same header cells)."""
    text = label_key(cell)
    if not text or len(text) > MAX_LABEL:
        return None
    if text in EXACT_LABELS:
        return EXACT_LABELS[text]
    if _PERCENT.search(text) and "是否" not in text:
        return None   # 序时进度（%）/完成进度/完成比例: a figure the unit added, never 是否完成
    upper = text.upper()
    for name, keys in _label_keys():
        if any(key in upper for key in keys):
            return name
    return None


def parse_forms(book: ReturnedBook) -> list[ParsedForm]:
    """Every sheet holding a 计划表/情况表 header, visible sheets first (each in book order)."""
    out = []
    for sheet in sorted(book.sheets, key=lambda s: (not s.visible,)):
        parsed = _parse_sheet(sheet)
        if parsed:
            out.append(parsed)
    return out


def parse_form(book: ReturnedBook) -> ParsedForm | None:
    """The sheet the unit filled: the first form-like sheet with answers (a filled copy beats the blank
    original left in front of it), else the first form-like sheet; None when no sheet looks like one.
    When several sheets hold answers, the others are named in .notes and in .others_filled."""
    return pick_form(parse_forms(book))


def pick_form(forms: list[ParsedForm]) -> ParsedForm | None:
    """parse_form's choice among sheets already parsed."""
    if not forms:
        return None
    best = max(f.evidence for f in forms)
    candidates = [f for f in forms if f.evidence == best]   # evidence first: a 亮点工作 table in front never wins
    filled = [f for f in candidates if f.has_answers()]
    chosen = filled[0] if filled else candidates[0]
    if chosen is not forms[0]:
        if forms[0] in candidates:
            chosen.notes.append(f"已读取工作表「{chosen.sheet}」（前面的工作表「{forms[0].sheet}」未填写）。")
        else:
            chosen.notes.append(f"已读取工作表「{chosen.sheet}」：它带有下发表格的隐藏键列/填报单位/表头，是报送的表格。")
    chosen.others_filled = [f.sheet for f in filled if f is not chosen]
    chosen.others_tables = [f.sheet for f in forms if f not in candidates and f.has_answers()]
    return chosen


def pick_sheet(forms: list[ParsedForm], sheet: str) -> ParsedForm | None:
    """The form on the sheet the clerk picked (by name), None when that sheet holds no table."""
    return next((f for f in forms if f.sheet == sheet), None)


def _row_fields(row: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for c, cell in enumerate(row):
        f = header_field(cell)
        if f and f not in found:
            found[f] = c
    return found


def _is_header_line(row: list[str]) -> bool:
    """A second header line: short labels only, at least two of them known, no row key."""
    cells = [c for c in row if c]
    if not cells or any(len(label_key(c)) > MAX_LABEL or re.match(r"^T[0-9a-f]{6,}:\d", c) for c in cells):
        return False
    return sum(1 for c in cells if header_field(c)) >= 2


def _parse_sheet(sheet: Sheet) -> ParsedForm | None:
    rows = sheet.rows
    title = unit_cell = ""
    header_at = None
    columns: dict[str, int] = {}
    for r, row in enumerate(rows[:30]):
        for cell in row:
            if not cell:
                continue
            m = re.search(r"填报单位[:：]\s*(.*)", cell)
            if m and not unit_cell:
                unit_cell = re.split(r"\s{2,}|填报时间", m.group(1))[0].strip()
            if (("落实" in cell or "情况表" in cell or "计划表" in cell or re.search(r"[（(]\s*\d{1,2}\s*月\s*[)）]", cell))
                    and len(cell) < 80 and cell not in title):
                title += cell
        found = _row_fields(row)
        if "task" not in found and "seq" not in found:
            continue
        below = _row_fields(rows[r + 1]) if r + 1 < len(rows) and _is_header_line(rows[r + 1]) else {}
        if len(found) >= 3 or len(set(found) | set(below)) >= 3:
            header_at, columns = r, found
            break
    if header_at is None:
        return None
    first_data = header_at + 1
    labels = {c: _shown_label(cell) for c, cell in enumerate(rows[header_at]) if cell}
    # a second header line: 一季度…四季度 under 季度目标及推进计划, or 完成情况/存在问题 under a merged 工作落实情况
    if first_data < len(rows) and "time" not in columns and _is_header_line(rows[first_data]):
        sub = _row_fields(rows[first_data])
        for f, c in sub.items():
            for other, oc in list(columns.items()):
                if oc == c and other != f:
                    columns.pop(other)   # the top label spans the sub-columns (季度目标及推进计划, 工作情况…)
            columns[f] = c
        if "q1" in columns:
            columns.pop("target", None)
        for c, cell in enumerate(rows[first_data]):
            if cell:
                top = labels.get(c, "")
                labels[c] = _shown_label(cell) if not top or top == _shown_label(cell) else f"{top}-{_shown_label(cell)}"
        first_data += 1
    kind = "report" if {"done", "on_track", "quarter_target"} & set(columns) else "plan"
    if kind == "report" and "target" in columns and "quarter_target" not in columns:
        columns["quarter_target"] = columns.pop("target")   # 季度目标 in a 情况表 is its 季度计划完成目标
    extras: dict[int, str] = {}
    for f in [f for f in columns if f not in FORM_FIELDS[kind]]:
        extras[columns.pop(f)] = ""
    width = max((len(r) for r in rows[header_at:]), default=0)
    mapped = set(columns.values())
    for c in range(width):
        if c in mapped:
            continue
        if labels.get(c) or any(c < len(rows[r]) and rows[r][c] and not FOOTER.match(rows[r][c])
                                for r in range(first_data, len(rows))):
            extras[c] = labels.get(c) or ""
    extras = {c: labels.get(c) or f"第{_col_letter(c)}列（无表头）" for c in sorted(extras)}
    parsed_rows = []
    marks = _outside_above(rows, header_at, title)
    footer = None
    for r in range(first_data, len(rows)):
        row = rows[r]
        values = {f: (row[c] if c < len(row) else "") for f, c in columns.items() if f != "key"}
        key = row[columns["key"]] if "key" in columns and columns["key"] < len(row) else ""
        extra = {label: row[c] for c, label in extras.items() if c < len(row) and row[c]}
        if footer is None and not key and any(FOOTER.match(c) for c in row if c):
            footer = r
        if footer is not None:   # the signature line and below: what is written there is the file's, not a row's
            marks += [Mark(r + 1, "footer", "", t) for t in (_SIGNATURE_PARTS.sub("", c).strip() for c in row if c)
                      if t and not _NOT_A_NOTE.match(t)]
            continue
        if not any(values.values()) and not key and not extra:
            continue
        seq = values.get("seq", "")
        if not key and seq and not extra and not any(v for f, v in values.items() if f != "seq") \
                and not re.fullmatch(r"[\d.、\s（）()-]*", seq):
            marks.append(Mark(r + 1, "outside", "", seq))   # a line merged across the table: 其他需要说明的事项…
            continue
        # a repeated header line (a unit pasting the header again) is not data
        if not key and header_field(values.get("task", "")) == "task" and header_field(values.get("seq", "")) == "seq":
            continue
        parsed_rows.append(FormRow(line=r + 1, values=values, key=key, extra=extra))
    names = {c: f for f, c in columns.items()} | extras
    marks += _sheet_marks(sheet, names)
    return ParsedForm(sheet=sheet.name, columns=columns, rows=parsed_rows, unit_cell=unit_cell, title=title,
                      header_line=header_at + 1, extras=extras, marks=marks)


def _outside_above(rows: list[list[str]], header_at: int, title: str) -> list[Mark]:
    """Text a unit wrote above the header that the form does not print (title, 附件4, 填报单位, 填报时间)."""
    out = []
    for r in range(header_at):
        for cell in rows[r]:
            text = cell.strip()
            if text and text not in title and not _FORM_PRINT.match(re.sub(r"\s+", "", text)):
                out.append(Mark(r + 1, "outside", "", text))
    return out


def _sheet_marks(sheet: Sheet, names: dict[int, str]) -> list[Mark]:
    """The sheet's comments, struck text, text boxes and pictures as marks on their rows (1-based)."""
    m = sheet.marks
    out = [Mark(r + 1, "comment", names.get(c, ""), t) for (r, c), t in sorted(m.comments.items())]
    out += [Mark(r + 1, "struck", names.get(c, ""), t) for (r, c), t in sorted(sheet.struck.items())]
    out += [Mark(r + 1, "red", names.get(c, ""), t) for (r, c), t in sorted(sheet.red.items())]
    out += [Mark(r + 1 if r is not None else 0, "shape", names.get(c, "") if c is not None else "", t)
            for r, c, t in m.shapes]
    per_row: dict[int | None, list[int | None]] = {}
    for r, c in m.pictures:   # one mark per row, its text the count: 单位在第N行附了图片（2张）
        per_row.setdefault(r, []).append(c)
    out += [Mark(r + 1 if r is not None else 0, "picture", names.get(cs[0], "") if cs[0] is not None else "", str(len(cs)))
            for r, cs in per_row.items()]
    out += [Mark(0, "skipped", "", part) for part in m.skipped]
    return out


def _shown_label(cell: str) -> str:
    """A header as the unit wrote it, for the clerk: no blanks or line breaks, no trailing colon (全角 kept)."""
    return re.sub(r"\s+", "", cell or "").rstrip(":：")


def _col_letter(c: int) -> str:
    out = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        out = chr(65 + rem) + out
    return out


def quarter_of(text: str) -> int | None:
    t = re.sub(r"\s+", "", text or "")
    return QUARTER_WORDS.get(t)


def looks_like_return(path: Path) -> bool:
    """Cheap test for drag-and-drop: a stamped workbook, or one whose header looks like 附件3/附件4."""
    path = Path(path)
    try:
        kind = sniff(path)
        if kind in ("xlsx", "ods"):
            with zipfile.ZipFile(path) as zf:
                for part in ("docProps/custom.xml", "xl/workbook.xml", "meta.xml"):
                    if part in zf.namelist():
                        with zf.open(part) as fh:
                            if b"dcta1;" in fh.read(200_000):
                                return True
        if kind not in ("xlsx", "xls", "ods"):
            return False
        book = read_returned(path)
        return bool(book.stamp_sheet) or parse_form(book) is not None
    except (UserError, OSError, zipfile.BadZipFile):
        return False
