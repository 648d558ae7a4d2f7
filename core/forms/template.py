"""Reads a form template (.xlsx in templates_xlsx/) with openpyxl: titles, header labels, widths, fonts, page setup, footer lines.

The parse is kept as JSON in the user cache folder under the template's SHA-256, so a command reads openpyxl (a
third of a second to import) only the first time it meets a template or after the template was edited.
"""
from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from core.common.errors import UserError
from core.forms.stamp import ROW_KEY_HEADER

TEMPLATE_FORMAT = "v1"
PLACEHOLDER = re.compile(r"^\{([^{}]+)\}$")
TEMPLATE_FILES = {
    ("plan", "rows"): "附件3-落实计划表-按季度分行.xlsx",
    ("plan", "columns"): "附件3-落实计划表-按季度分列.xlsx",
    ("report", None): "附件4-落实情况表.xlsx",
}
# Names tried in order when a font of the template is missing on the machine (documented for clerks).
FONT_FALLBACKS = {
    "仿宋_GB2312": ["仿宋_GB2312", "仿宋", "FangSong", "Noto Serif CJK SC"],
    "方正小标宋简体": ["方正小标宋简体", "宋体", "SimSun", "Noto Serif CJK SC"],
    "黑体": ["黑体", "SimHei", "Noto Sans CJK SC"],
    "楷体_GB2312": ["楷体_GB2312", "楷体", "KaiTi", "Noto Serif CJK SC"],
}
_BORDER = {"thin": 1, "medium": 2, "dashed": 3, "dotted": 4, "thick": 5, "double": 6, "hair": 7}


@dataclass(frozen=True)
class Style:
    """A cell format in XlsxWriter terms (hashable, so the writer makes one Format per distinct style)."""
    font_name: str = "仿宋_GB2312"
    font_size: float = 12
    bold: bool = False
    italic: bool = False
    color: str | None = None
    align: str | None = None
    valign: str | None = "vcenter"
    wrap: bool = False
    left: int = 0
    right: int = 0
    top: int = 0
    bottom: int = 0
    bg: str | None = None

    def xlsx(self) -> dict:
        out = {"font_name": self.font_name, "font_size": self.font_size, "bold": self.bold,
               "italic": self.italic, "text_wrap": self.wrap, "left": self.left, "right": self.right,
               "top": self.top, "bottom": self.bottom}
        if self.color:
            out["font_color"] = self.color
        if self.align:
            out["align"] = self.align
        if self.valign:
            out["valign"] = self.valign
        if self.bg:
            out["bg_color"] = self.bg
            out["pattern"] = 1
        return out


@dataclass
class Cell:
    row: int   # 0-based, relative to the block it belongs to
    col: int   # 0-based
    text: str
    style: Style


@dataclass
class Block:
    """A band of rows (title, header or footer) copied as is, with placeholders filled in."""
    cells: list[Cell] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2 (block-relative)
    heights: list[float | None] = field(default_factory=list)

    @property
    def nrows(self) -> int:
        return len(self.heights)


@dataclass
class FormTemplate:
    path: Path
    version: str                 # e.g. "附件4-v1-1a2b3c4d"
    sheet_name: str
    title: Block
    header: Block
    footer: Block
    fields: dict[str, int]       # placeholder name → column (0-based)
    data_styles: dict[int, Style]
    data_height: float | None
    widths: list[float]          # per column, Excel character units
    hidden_cols: set[int]
    ncols: int
    key_col: int
    orientation: str = "landscape"
    paper: int = 9
    fit_width: int = 1
    fit_height: int = 0
    margins: tuple[float, float, float, float] = (0.5, 0.5, 0.6, 0.7)  # left, right, top, bottom
    footer_margin: float = 0.3
    page_footer: str = "&C第 &P 页 共 &N 页"
    center_h: bool = True

    def labels(self) -> dict[str, str]:
        """Header label text per field (the lowest header cell over the field's column, newlines folded)."""
        out = {}
        by_col: dict[int, str] = {}
        for cell in sorted(self.header.cells, key=lambda c: c.row):
            if cell.text:
                by_col[cell.col] = cell.text
        for name, col in self.fields.items():
            out[name] = label_key(by_col.get(col, ""))
        return out


def label_key(text) -> str:
    """A header label as the 收文 reader should compare it: all whitespace and line breaks removed
    (the templates break long labels, e.g. "分解\n序号", "主要\n负责人")."""
    return "".join(str(text or "").split())


_cache: dict[Path, tuple[float, int, FormTemplate]] = {}
_lock = threading.Lock()


def template_path(form: str, layout: str | None, templates_dir: Path | None = None) -> Path:
    from core.common.paths import TEMPLATES
    name = TEMPLATE_FILES[(form, layout if form == "plan" else None)]
    base = Path(templates_dir) if templates_dir else TEMPLATES
    path = base / name
    if not path.exists():
        raise UserError(f"找不到表格模板“{path}”。请把模板文件放回 templates_xlsx 文件夹，或在设置中指定模板文件夹。")
    return path


def load_template(path: Path) -> FormTemplate:
    """The parsed template, read once per file version (in memory by mtime and size, on disk by checksum)."""
    path = Path(path).resolve()
    stat = path.stat()
    with _lock:
        hit = _cache.get(path)
        if hit and hit[0] == stat.st_mtime and hit[1] == stat.st_size:
            return hit[2]
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    tmpl = _from_disk_cache(path, digest)
    if tmpl is None:
        tmpl = _read(path)
        _to_disk_cache(tmpl, digest)
    with _lock:
        _cache[path] = (stat.st_mtime, stat.st_size, tmpl)
    return tmpl


PARSE_CACHE_FORMAT = 1   # bump when FormTemplate or _read changes what it records


def _cache_file(digest: str) -> Path:
    from core.common.paths import cache_dir
    return cache_dir() / "templates" / f"{digest}-{TEMPLATE_FORMAT}-{PARSE_CACHE_FORMAT}.json"


def _to_disk_cache(tmpl: FormTemplate, digest: str) -> None:
    """Best effort: a read-only or full cache folder only costs the next command the openpyxl parse."""
    import json
    import os
    from dataclasses import asdict
    try:
        data = asdict(tmpl)
        data["path"] = ""
        data["hidden_cols"] = sorted(tmpl.hidden_cols)
        target = _cache_file(digest)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.part")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(target)
    except OSError:
        pass


def _from_disk_cache(path: Path, digest: str) -> FormTemplate | None:
    """The cached parse of the template with this checksum; None when absent or unreadable (then parsed anew)."""
    import json
    try:
        data = json.loads(_cache_file(digest).read_text(encoding="utf-8"))

        def block(b: dict) -> Block:
            return Block(cells=[Cell(c["row"], c["col"], c["text"], Style(**c["style"])) for c in b["cells"]],
                         merges=[tuple(m) for m in b["merges"]], heights=list(b["heights"]))  # type: ignore[misc]

        return FormTemplate(**{
            **data, "path": path, "title": block(data["title"]), "header": block(data["header"]),
            "footer": block(data["footer"]), "fields": {k: int(v) for k, v in data["fields"].items()},
            "data_styles": {int(k): Style(**v) for k, v in data["data_styles"].items()},
            "hidden_cols": set(data["hidden_cols"]), "margins": tuple(data["margins"])})
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _style(cell) -> Style:
    f, a, b = cell.font, cell.alignment, cell.border
    color = None
    if f is not None and f.color is not None and isinstance(f.color.rgb, str) and len(f.color.rgb) == 8:
        color = "#" + f.color.rgb[2:]
        if color == "#000000":
            color = None
    bg = None
    fill = cell.fill
    if fill is not None and fill.fill_type == "solid" and isinstance(fill.fgColor.rgb, str) and len(fill.fgColor.rgb) == 8:
        bg = "#" + fill.fgColor.rgb[2:]
    halign = a.horizontal if a is not None and a.horizontal in ("left", "center", "right", "justify", "fill") else None
    valign = {"center": "vcenter", "top": "top", "bottom": "bottom", "justify": "vjustify"}.get(
        a.vertical if a is not None else "", "vcenter")
    return Style(
        font_name=(f.name if f is not None and f.name else "仿宋_GB2312"),
        font_size=float(f.sz) if f is not None and f.sz else 11.0,
        bold=bool(f.b) if f is not None else False, italic=bool(f.i) if f is not None else False,
        color=color, align=halign, valign=valign, wrap=bool(a.wrap_text) if a is not None else False,
        left=_BORDER.get(b.left.style, 0) if b is not None and b.left is not None else 0,
        right=_BORDER.get(b.right.style, 0) if b is not None and b.right is not None else 0,
        top=_BORDER.get(b.top.style, 0) if b is not None and b.top is not None else 0,
        bottom=_BORDER.get(b.bottom.style, 0) if b is not None and b.bottom is not None else 0,
        bg=bg,
    )


def _block(ws, first: int, last: int, ncols: int, merges) -> Block:
    """Rows first..last (1-based, inclusive) as a Block with block-relative coordinates."""
    block = Block()
    for r in range(first, last + 1):
        block.heights.append(ws.row_dimensions[r].height if r in ws.row_dimensions else None)
        for c in range(1, ncols + 1):
            cell = ws.cell(r, c)
            value = cell.value
            text = "" if value is None else str(value)
            if text or cell.has_style:
                block.cells.append(Cell(r - first, c - 1, text, _style(cell)))
    for rng in merges:
        if rng.min_row >= first and rng.max_row <= last:
            block.merges.append((rng.min_row - first, rng.min_col - 1, rng.max_row - first, rng.max_col - 1))
    return block


def _read(path: Path) -> FormTemplate:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
    try:
        wb = load_workbook(path)
    except Exception as exc:
        raise UserError(f"表格模板“{path.name}”无法打开（{exc}）。请用 Excel/WPS 另存为 .xlsx 后再试。") from exc
    ws = wb.worksheets[0]
    key_pos = None
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.strip() == ROW_KEY_HEADER:
                key_pos = (cell.row, cell.column)
                break
        if key_pos:
            break
    if key_pos is None:
        raise UserError(f"表格模板“{path.name}”缺少表头单元格“{ROW_KEY_HEADER}”（隐藏的识别列）。请从原模板复制该列后再试。")
    head_row, key_col = key_pos
    sample_row = None
    fields: dict[str, int] = {}
    for r in range(head_row + 1, ws.max_row + 1):
        found = {}
        for c in range(1, ws.max_column + 1):
            v = ws.cell(r, c).value
            m = PLACEHOLDER.match(v.strip()) if isinstance(v, str) else None
            if m:
                found[m.group(1).strip()] = c - 1
        if found:
            sample_row, fields = r, found
            break
    if sample_row is None:
        raise UserError(f"表格模板“{path.name}”在表头下方缺少示例行（如“{{序号}}”“{{任务}}”）。请从原模板复制该行后再试。")
    ncols = max(ws.max_column, key_col)
    merges = list(ws.merged_cells.ranges)
    widths, hidden = [], set()
    for c in range(1, ncols + 1):
        dim = ws.column_dimensions.get(get_column_letter(c))
        widths.append(float(dim.width) if dim is not None and dim.width else 8.43)
        if dim is not None and dim.hidden:
            hidden.add(c - 1)
    hidden.add(key_col - 1)
    data_styles = {c - 1: _style(ws.cell(sample_row, c)) for c in range(1, ncols + 1)}
    ps = ws.page_setup
    margins = ws.page_margins
    footer = ws.oddFooter
    parts = []
    for pos, item in (("&L", footer.left), ("&C", footer.center), ("&R", footer.right)):
        if item is not None and item.text:
            parts.append(pos + item.text)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
    fit_to_page = bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage)
    return FormTemplate(
        path=path,
        version=f"{path.stem.split('-')[0]}-{TEMPLATE_FORMAT}-{digest}",
        sheet_name=ws.title,
        title=_block(ws, 1, head_row - 1, ncols, merges),
        header=_block(ws, head_row, sample_row - 1, ncols, merges),
        footer=_block(ws, sample_row + 1, ws.max_row, ncols, merges),
        fields=fields,
        data_styles=data_styles,
        data_height=ws.row_dimensions[sample_row].height if sample_row in ws.row_dimensions else None,
        widths=widths,
        hidden_cols=hidden,
        ncols=ncols,
        key_col=key_col - 1,
        orientation=ps.orientation or "landscape",
        paper=int(ps.paperSize or 9),
        fit_width=int(ps.fitToWidth if ps.fitToWidth is not None else 1) if fit_to_page else 1,
        fit_height=int(ps.fitToHeight if ps.fitToHeight is not None else 0) if fit_to_page else 0,
        margins=(margins.left, margins.right, margins.top, margins.bottom),
        footer_margin=margins.footer,
        page_footer="".join(parts) or "&C第 &P 页 共 &N 页",
        center_h=bool(ws.print_options.horizontalCentered),
    )
