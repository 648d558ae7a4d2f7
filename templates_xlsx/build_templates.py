"""Rebuilds the three form templates (附件3 two layouts, 附件4) as editable .xlsx files, as on the 2026/2023/2025 notices.

Run: python templates_xlsx/build_templates.py [OUT_DIR]   (default: this folder)
The generator only follows the files; a clerk may change labels, widths, fonts and page setup in Excel/WPS.
Placeholders: {年度} {月份} {填报单位} in the title rows; the one sample row under the header holds the
field placeholders ({序号} {任务} …) whose cell formats the data rows copy; the DCTA_KEY header cell marks
the first header row (that column is hidden in the output).
"""
from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

TITLE_FONT = Font(name="方正小标宋简体", size=20)
LABEL_FONT = Font(name="黑体", size=14)
LINE_FONT = Font(name="仿宋_GB2312", size=12)
HEAD_FONT = Font(name="黑体", size=12)
BODY_FONT = Font(name="仿宋_GB2312", size=12)
KEY_FONT = Font(name="Arial", size=8, color="808080")
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
LINE = Alignment(horizontal="left", vertical="center")

# (header label, placeholder, width, alignment)
PLAN_ROWS = [
    ("分解\n序号", "{序号}", 6, CENTER),
    ("《政府工作报告》重点任务、\n民生实事项目", "{任务}", 38, LEFT),
    ("责任类型", "{责任类型}", 9, CENTER),
    ("时间", "{时间}", 8, CENTER),
    ("季度目标及推进计划", "{季度目标}", 44, LEFT),
    ("主要\n负责人", "{主要负责人}", 10, CENTER),
    ("分管\n负责人", "{分管负责人}", 10, CENTER),
]
PLAN_COLUMNS_TOP = [
    ("分解\n序号", "{序号}", 6, CENTER),
    ("《政府工作报告》重点任务、\n民生实事项目", "{任务}", 30, LEFT),
    ("责任类型", "{责任类型}", 9, CENTER),
]
QUARTERS = [("一季度", "{一季度}"), ("二季度", "{二季度}"), ("三季度", "{三季度}"), ("四季度", "{四季度}")]
PLAN_COLUMNS_TAIL = [
    ("主要\n负责人", "{主要负责人}", 9, CENTER),
    ("分管\n负责人", "{分管负责人}", 9, CENTER),
    ("备注", "{备注}", 10, LEFT),
]
REPORT = [
    ("序号", "{序号}", 6, CENTER),
    ("《政府工作报告》重点任务、\n民生实事项目", "{任务}", 34, LEFT),
    ("责任类型", "{责任类型}", 9, CENTER),
    ("季度计划完成目标", "{季度计划完成目标}", 24, LEFT),
    ("完成情况", "{完成情况}", 26, LEFT),
    ("存在问题", "{存在问题}", 16, LEFT),
    ("下一步计划", "{下一步计划}", 18, LEFT),
    ("是否完成阶段\n任务目标", "{是否完成阶段任务目标}", 10, CENTER),
]


def _page(ws, header_rows: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.7
    ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.print_title_rows = header_rows


def _title(ws, label: str, title: str, ncols: int, month: bool) -> int:
    last = get_column_letter(ncols)
    ws["A1"] = label
    ws["A1"].font = LABEL_FONT
    ws["A2"] = title
    ws["A2"].font = TITLE_FONT
    ws["A2"].alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(f"A2:{last}2")
    ws.row_dimensions[2].height = 36
    row = 3
    if month:
        ws["A3"] = "（{月份}月）"
        ws["A3"].font = Font(name="楷体_GB2312", size=14)
        ws["A3"].alignment = Alignment(horizontal="center", vertical="center")
        ws.merge_cells(f"A3:{last}3")
        ws.row_dimensions[3].height = 22
        row = 4
    split = max(2, ncols - 3)
    ws.cell(row, 1, "填报单位：{填报单位}").font = LINE_FONT
    ws.cell(row, 1).alignment = LINE
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=split)
    ws.cell(row, split + 1, "填报时间：").font = LINE_FONT
    ws.cell(row, split + 1).alignment = LINE
    ws.merge_cells(start_row=row, start_column=split + 1, end_row=row, end_column=ncols)
    ws.row_dimensions[row].height = 24
    return row + 1


FOOTER_LABELS = ("填报人：", "联系电话：", "负责人签字：")


def _footer(ws, row: int, ncols: int) -> None:
    """填报人 / 联系电话 / 负责人签字 spread over the row as in the notice, each its own range: the writer turns
    every range into the label and a shaded input cell beside it (core.forms.writer._split_label)."""
    ws.row_dimensions[row].height = 8
    row += 1
    bounds = [round(i * ncols / len(FOOTER_LABELS)) for i in range(len(FOOTER_LABELS) + 1)]
    for label, c1, c2 in zip(FOOTER_LABELS, bounds, bounds[1:], strict=False):
        ws.cell(row, c1 + 1, label).font = LINE_FONT
        ws.cell(row, c1 + 1).alignment = LINE
        if c2 > c1 + 1:
            ws.merge_cells(start_row=row, start_column=c1 + 1, end_row=row, end_column=c2)
    ws.row_dimensions[row].height = 26


def _key(ws, head_row: int, sample_row: int, col: int, span: int = 1) -> None:
    ws.cell(head_row, col, "DCTA_KEY").font = KEY_FONT
    if span > 1:
        ws.merge_cells(start_row=head_row, start_column=col, end_row=head_row + span - 1, end_column=col)
    ws.cell(sample_row, col, "{DCTA_KEY}").font = KEY_FONT
    ws.column_dimensions[get_column_letter(col)].width = 18
    ws.column_dimensions[get_column_letter(col)].hidden = True


def _simple(path: Path, label: str, title: str, sheet: str, cols, month: bool) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    n = len(cols)
    head = _title(ws, label, title, n, month)
    sample = head + 1
    for c, (text, ph, width, align) in enumerate(cols, start=1):
        h = ws.cell(head, c, text)
        h.font, h.alignment, h.border = HEAD_FONT, CENTER, BOX
        s = ws.cell(sample, c, ph)
        s.font, s.alignment, s.border = BODY_FONT, align, BOX
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.row_dimensions[head].height = 42
    _key(ws, head, sample, n + 1)
    _footer(ws, sample + 1, n)
    _page(ws, f"{head}:{head}")
    wb.save(path)


def _columns(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "落实计划表"
    n = len(PLAN_COLUMNS_TOP) + 4 + len(PLAN_COLUMNS_TAIL)
    head = _title(ws, "附件3", "{年度}年年度工作任务落实计划表", n, False)
    sample = head + 2
    col = 1
    for text, ph, width, align in PLAN_COLUMNS_TOP:
        ws.cell(head, col, text)
        ws.merge_cells(start_row=head, start_column=col, end_row=head + 1, end_column=col)
        ws.cell(sample, col, ph).alignment = align
        ws.column_dimensions[get_column_letter(col)].width = width
        col += 1
    ws.cell(head, col, "季度目标及推进计划")
    ws.merge_cells(start_row=head, start_column=col, end_row=head, end_column=col + 3)
    for text, ph in QUARTERS:
        ws.cell(head + 1, col, text)
        ws.cell(sample, col, ph).alignment = LEFT
        ws.column_dimensions[get_column_letter(col)].width = 18
        col += 1
    for text, ph, width, align in PLAN_COLUMNS_TAIL:
        ws.cell(head, col, text)
        ws.merge_cells(start_row=head, start_column=col, end_row=head + 1, end_column=col)
        ws.cell(sample, col, ph).alignment = align
        ws.column_dimensions[get_column_letter(col)].width = width
        col += 1
    for r in (head, head + 1):
        for c in range(1, n + 1):
            cell = ws.cell(r, c)
            cell.font, cell.alignment, cell.border = HEAD_FONT, CENTER, BOX
        ws.row_dimensions[r].height = 24
    for c in range(1, n + 1):
        ws.cell(sample, c).font = BODY_FONT
        ws.cell(sample, c).border = BOX
    _key(ws, head, sample, n + 1, span=2)
    _footer(ws, sample + 1, n)
    _page(ws, f"{head}:{head + 1}")
    wb.save(path)


FILES = {
    "附件3-落实计划表-按季度分行.xlsx":
        lambda p: _simple(p, "附件3", "{年度}年年度工作任务落实计划表", "落实计划表", PLAN_ROWS, False),
    "附件3-落实计划表-按季度分列.xlsx": _columns,
    "附件4-落实情况表.xlsx": lambda p: _simple(p, "附件4", "{年度}年年度工作任务落实情况表", "落实情况表", REPORT, True),
}


def build(out_dir: Path) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    made = []
    for name, make in FILES.items():
        make(out_dir / name)
        made.append(out_dir / name)
    return made


if __name__ == "__main__":
    for p in build(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent):
        print(p)
