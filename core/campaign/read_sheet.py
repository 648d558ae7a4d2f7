"""Reading a 立项表 kept as a spreadsheet (.xlsx with bold lead units, .xls, .ods) or as pasted tab-separated text."""
from __future__ import annotations

from pathlib import Path

from core.common.errors import UserError
from core.campaign.rows import Cell, walk_rows
from core.campaign.table import ParsedPlan
from core.common.textnorm import clean_cell, find_year


def read_xlsx_rich(path: Path) -> ParsedPlan:
    """openpyxl with rich text, so bold runs inside the 责任单位 cell mark the lead units."""
    import openpyxl
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    try:
        wb = openpyxl.load_workbook(str(path), rich_text=True, read_only=False, data_only=True)
    except Exception as exc:
        raise UserError(f"Excel 文件“{Path(path).name}”无法打开（{type(exc).__name__}），可能已损坏。"
                        "请在 Excel/WPS 中另存后再试。") from exc
    plan = ParsedPlan(source_name=Path(path).name)
    state = None
    for ws in wb.worksheets:
        plan.year = plan.year or find_year(ws.title)
        rows = []
        for row in ws.iter_rows():
            cells = []
            for c in row:
                value = c.value
                if isinstance(value, CellRichText):
                    def rich(value=value, cell_bold=bool(c.font and c.font.b)) -> list[tuple[str, bool]]:
                        out: list[tuple[str, bool]] = []
                        for block in value:
                            if isinstance(block, TextBlock):
                                bold = bool(block.font.b) if block.font is not None and block.font.b is not None else cell_bold
                                out.extend((ch, bold) for ch in block.text)
                            else:
                                out.extend((ch, cell_bold) for ch in str(block))
                        return out
                    cells.append(Cell(clean_cell(str(value)), rich))
                else:
                    text = clean_cell(value)
                    bold = bool(c.font and c.font.b)

                    def plain(t: str = text, b: bool = bold) -> list[tuple[str, bool]]:
                        return [(ch, b) for ch in t]
                    cells.append(Cell(text, plain))
            rows.append(cells)
        for r in rows[:3]:
            plan.year = plan.year or find_year(" ".join(c.text for c in r))
        state = walk_rows(rows, plan, f"工作表“{ws.title}”", state, sheet=ws.title)
    wb.close()
    return plan


def read_sheet_calamine(path: Path) -> ParsedPlan:
    """.xls / .ods: no bold available, so lead units come from 牵头单位 columns or *, 【】, （牵头） marks."""
    from python_calamine import CalamineWorkbook
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        raise UserError(f"表格文件“{Path(path).name}”无法读取（{exc}）。请在 Excel/WPS 中另存为 .xlsx 后再试。") from exc
    plan = ParsedPlan(source_name=Path(path).name)
    state = None
    for name in wb.sheet_names:
        data = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        rows = [[Cell(clean_cell(v)) for v in row] for row in data]
        for r in rows[:3]:
            plan.year = plan.year or find_year(" ".join(c.text for c in r))
        state = walk_rows(rows, plan, f"工作表“{name}”", state, sheet=name)
    return plan


def read_text(path: Path) -> ParsedPlan:
    raw = Path(path).read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            content = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UserError(f"文本文件“{Path(path).name}”的编码无法识别。请另存为 UTF-8 编码后再试。")
    plan = ParsedPlan(source_name=Path(path).name)
    rows = [[Cell(clean_cell(v.replace("\\n", "\n"))) for v in line.split("\t")] for line in content.splitlines()]
    plan.year = find_year(content[:500])
    walk_rows(rows, plan, "文本")
    return plan
