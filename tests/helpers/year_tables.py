"""Earlier years' 立项表 as an office has them (Word and Excel), built from the notices' extracted text.

`python -m tests.helpers.year_tables` rewrites tests/data/<year>-立项表-expected.json from
tests/data/<year>-督查立项通知-pdf提取.txt (2023, 2025): the rows of 附件1/附件2 as parsed by
core/draft/history.py's notice reader (no hand corrections are applied: the parse stands as it is), then read over
by a person against the text. The tests write the Word/Excel tables from the JSON at run time (write_docx,
write_xlsx) and import them, so every file an import test reads is built here.

The extracted text has lost the bold; the first unit of each row is its lead unit, as it is bold-first in the
2026 table and in every year's table we have seen (tests/data/README.md).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
YEARS = (2023, 2025)

# The notices' own titles and header words (附件 list on their first page).
TITLES = {
    2023: ("2023年年度工作任务责任分解立项表", "2023年为民办20件实事责任分解表"),
    2025: ("2025年年度工作任务责任分解立项表", "2025年为民办20件实事责任分解表"),
}
KEY_HEADERS = ("序号", "类别", "重点任务", "牵头领导", "责任单位（加黑的为牵头单位）")
LIVE_HEADERS = ("序号", "民生实事内容", "牵头领导", "责任单位")

# Old names in these years' tables → the 2026 table's name for the same unit. Checked by hand against the tasks
# each led (the same remit the next year); the import proposes them as aliases (resources/unit_renames.json).
ALIASES_TO_2026 = {
    2023: {
        "区金融事业发展中心": "区金融运行监测中心",
        "区财金集团": "市中财金集团",
        "公安市中分局": "市公安局市中分局",
        "生态环境市中分局": "市生态环境局市中分局",
        "区投资促进局（区民营经济局）": "区投资促进局",
    },
    2025: {
        "市公安局市中区分局": "市公安局市中分局",
        "市中交警大队": "市中交管大队",
    },
}


def expected_path(year: int) -> Path:
    return DATA / f"{year}-立项表-expected.json"


def load_expected(year: int) -> dict:
    return json.loads(expected_path(year).read_text(encoding="utf-8"))


def build_expected(year: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from core.draft.history import notice_rows
    text = (DATA / f"{year}-督查立项通知-pdf提取.txt").read_text(encoding="utf-8")
    rows = notice_rows(text)
    out: dict = {"year": year, "titles": list(TITLES[year]), "tasks": [], "projects": [],
                 "aliases_to_2026": ALIASES_TO_2026[year],
                 "provenance": f"tests/data/{year}-督查立项通知-pdf提取.txt, 附件1/附件2; lead = first unit (bold lost)"}
    for r in rows:
        row = {"seq": r["seq"], "area": "", "category": r["category"], "text": r["text"],
               "leaders": r["leaders"], "units": r["units"]}
        if r["kind"] == "key":
            out["tasks"].append(row)
        else:
            row.pop("area")
            row.pop("category")
            out["projects"].append(row)
    return out


def write_docx(data: dict, path: Path, live_header: str = "民生实事内容", titles: tuple[str, str] | None = None) -> Path:
    """附件1 and 附件2 as the office's Word tables: 类别 cells merged down, lead unit bold, 附件2 after a page break."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm, Pt
    key_title, live_title = titles or tuple(data["titles"])
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    document.styles["Normal"].font.size = Pt(10.5)

    def heading(label: str, title: str) -> None:
        document.add_paragraph(label)
        document.add_paragraph(title)

    heading("附件1", key_title)
    table = document.add_table(rows=1, cols=len(KEY_HEADERS))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, KEY_HEADERS, strict=True):
        cell.text = label
    start = None
    for i, t in enumerate(data["tasks"]):
        cells = table.add_row().cells
        cells[0].text = str(t["seq"])
        if i == 0 or data["tasks"][i - 1]["category"] != t["category"]:
            if start is not None:
                _merge_down(table, start, len(table.rows) - 2, 1)
            cells[1].text = t["category"]
            start = len(table.rows) - 1
        cells[2].text = t["text"]
        cells[3].text = "\n".join(_office_leader(n) for n in t["leaders"])
        _units(cells[4], t["units"])
    if start is not None:
        _merge_down(table, start, len(table.rows) - 1, 1)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    heading("附件2", live_title)
    table = document.add_table(rows=1, cols=len(LIVE_HEADERS))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, (LIVE_HEADERS[0], live_header) + LIVE_HEADERS[2:], strict=True):
        cell.text = label
    for p in data["projects"]:
        cells = table.add_row().cells
        cells[0].text = str(p["seq"])
        cells[1].text = p["text"]
        cells[2].text = "\n".join(_office_leader(n) for n in p["leaders"])
        _units(cells[3], p["units"])
    for table, widths in zip(document.tables, ((1.2, 3.0, 13.5, 2.2, 5.8), (1.2, 17.5, 2.2, 4.8)), strict=True):
        table.autofit = False
        for column, w in zip(table.columns, widths, strict=True):
            column.width = Cm(w)   # the grid: LibreOffice and WPS lay out by it
        for row in table.rows:
            for cell, w in zip(row.cells, widths, strict=True):
                cell.width = Cm(w)
    document.save(str(path))
    return path


def _office_leader(name: str) -> str:
    return f"{name[0]}  {name[1]}" if len(name) == 2 else name   # 张源 → 张  源, as the office types it


def _merge_down(table, first: int, last: int, col: int) -> None:
    if last > first:
        text = table.cell(first, col).text
        merged = table.cell(first, col).merge(table.cell(last, col))
        merged.text = text


def _units(cell, units: list[dict]) -> None:
    p = cell.paragraphs[0]
    for k, u in enumerate(units):
        if k:
            p.add_run("、")
        p.add_run(u["name"]).bold = u["lead"]


def write_xlsx(data: dict, path: Path, live_header: str = "民生实事内容", titles: tuple[str, str] | None = None,
               sheets: tuple[str, str] = ("附件1", "附件2")) -> Path:
    """Two sheets (附件1, 附件2), a merged title row above each table, lead units bold inside the cell."""
    import openpyxl
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Alignment
    key_title, live_title = titles or tuple(data["titles"])
    wb = openpyxl.Workbook()
    ws1 = wb.active
    ws1.title = sheets[0]
    ws2 = wb.create_sheet(sheets[1])

    def rich(units):
        parts = []
        for k, u in enumerate(units):
            if k:
                parts.append(TextBlock(InlineFont(b=False), "、"))
            parts.append(TextBlock(InlineFont(b=u["lead"]), u["name"]))
        return CellRichText(parts)

    ws1.append([key_title])
    ws1.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(KEY_HEADERS))
    ws1.append(list(KEY_HEADERS))
    first = None
    for i, t in enumerate(data["tasks"]):
        new_cat = i == 0 or data["tasks"][i - 1]["category"] != t["category"]
        ws1.append([t["seq"], t["category"] if new_cat else None, t["text"], "、".join(t["leaders"]), None])
        row = ws1.max_row
        ws1.cell(row, 5).value = rich(t["units"])
        ws1.cell(row, 3).alignment = Alignment(wrap_text=True)
        if new_cat:
            if first is not None and row - 1 > first:
                ws1.merge_cells(start_row=first, start_column=2, end_row=row - 1, end_column=2)
            first = row
    if first is not None and ws1.max_row > first:
        ws1.merge_cells(start_row=first, start_column=2, end_row=ws1.max_row, end_column=2)
    ws2.append([live_title])
    ws2.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(LIVE_HEADERS))
    ws2.append([LIVE_HEADERS[0], live_header, *LIVE_HEADERS[2:]])
    for p in data["projects"]:
        ws2.append([p["seq"], p["text"], "、".join(p["leaders"]), None])
        ws2.cell(ws2.max_row, 4).value = rich(p["units"])
    for ws, widths in ((ws1, (6, 16, 60, 10, 30)), (ws2, (6, 70, 10, 30))):
        for col, w in zip("ABCDE", widths, strict=False):
            ws.column_dimensions[col].width = w
    wb.save(str(path))
    return path


def main() -> int:
    for year in YEARS:
        data = build_expected(year)
        expected_path(year).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{year}: 重点任务 {len(data['tasks'])} 项，民生实事 {len(data['projects'])} 项 → {expected_path(year).name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
