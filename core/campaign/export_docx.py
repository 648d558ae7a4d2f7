"""Writing a 立项表 as the notice's Word tables (附件1 重点任务, 附件2 民生实事): landscape A4, lead units bold."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from core.office.docx_style import set_run_font, set_style_font
from core.common.errors import UserError
from core.campaign.table import ParsedPlan, ParsedTask

KEY_HEADERS = ("序号", "重点领域", "类别", "重点任务", "牵头领导", "责任单位（加黑的为牵头单位）")
KEY_WIDTHS_CM = (1.2, 3.0, 3.0, 11.5, 2.2, 4.8)
LIVE_HEADERS = ("序号", "民生实事内容", "牵头领导", "责任单位")
LIVE_WIDTHS_CM = (1.2, 16.5, 2.2, 5.8)
BODY_FONT = "仿宋_GB2312"
HEAD_FONT = "黑体"


def leader_cell_lines(leaders: list[str]) -> list[str]:
    """Two-character names typeset with two spaces between, as the office does: 王菊 → 王  菊."""
    return [f"{n[0]}  {n[1]}" if len(n) == 2 else n for n in leaders]


def export_plan_docx(plan: ParsedPlan, path: Path | str, year: int | None = None,
                     key_title: str = "", live_title: str = "") -> Path:
    """Write 附件1 (and 附件2 when the plan has livelihood projects) to path, via a temp file renamed into place."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    path = Path(path)
    year = year or plan.year
    key = plan.of_kind("key")
    live = plan.of_kind("livelihood")
    if not key and not live:
        raise UserError("没有可导出的任务。请先生成或编辑草稿。")
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin = section.bottom_margin = Cm(2.0)
    set_style_font(document.styles["Normal"], BODY_FONT, 12)

    def heading(label: str, title: str) -> None:
        p = document.add_paragraph()
        run = p.add_run(label)
        set_run_font(run, HEAD_FONT, 14)
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(title)
        set_run_font(run, "方正小标宋简体", 20)

    prefix = f"{year}年" if year else ""
    if key:
        heading("附件1", key_title or f"{prefix}《政府工作报告》重点任务责任分解立项表")
        _table(document, KEY_HEADERS, KEY_WIDTHS_CM, key, with_area=True)
    if live:
        if key:
            document.add_paragraph().add_run().add_break(_page_break())
        heading("附件2", live_title or f"{prefix}{len(live)}件民生实事责任分解表")
        _table(document, LIVE_HEADERS, LIVE_WIDTHS_CM, live, with_area=False)

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~" + path.stem, suffix=".docx", dir=str(path.parent))
    os.close(fd)
    try:
        document.save(tmp)
        os.replace(tmp, path)
    except PermissionError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UserError(f"无法写入“{path.name}”：文件可能正在 Word/WPS 中打开。请关闭后再导出。") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _page_break():
    from docx.enum.text import WD_BREAK
    return WD_BREAK.PAGE


def _table(document, headers, widths_cm, tasks: list[ParsedTask], with_area: bool) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table = document.add_table(rows=1 + len(tasks), cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Cm(w) for w in widths_cm]
    for column, w in zip(table.columns, widths, strict=True):
        column.width = w  # the grid (LibreOffice/WPS lay out by it)
    for row in table.rows:
        for cell, w in zip(row.cells, widths, strict=True):
            cell.width = w
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    header = table.rows[0]
    trpr = header._tr.get_or_add_trPr()
    el = trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"})
    trpr.append(el)
    for cell, label in zip(header.cells, headers, strict=True):
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_run_font(p.add_run(label), HEAD_FONT, 12)

    col_text = 3 if with_area else 1
    for r, t in enumerate(tasks, start=1):
        cells = table.rows[r].cells
        _center(cells[0], str(t.seq))
        if with_area:
            first_area = r == 1 or tasks[r - 2].area != t.area
            first_cat = first_area or tasks[r - 2].category != t.category
            if first_area:
                _center(cells[1], t.area)
            if first_cat:
                _center(cells[2], t.category or "--")
        cells[col_text].paragraphs[0].add_run(_safe(t.text))
        lead_cell = cells[col_text + 1]
        for k, line in enumerate(leader_cell_lines(t.leaders)):
            p = lead_cell.paragraphs[0] if k == 0 else lead_cell.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run(line)
        unit_p = cells[col_text + 2].paragraphs[0]
        for k, u in enumerate(t.units):
            if k:
                unit_p.add_run("、")
            run = unit_p.add_run(u.name)
            if u.lead:
                run.bold = True
    if with_area:
        _merge_runs(table, tasks, 1, lambda t: (t.area,))
        _merge_runs(table, tasks, 2, lambda t: (t.area, t.category))


def _center(cell, text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(text)


def _merge_runs(table, tasks, col: int, key) -> None:
    """Vertically merge the cells of consecutive rows that share the key (重点领域, or 领域+类别)."""
    start = 0
    for i in range(1, len(tasks) + 1):
        if i == len(tasks) or key(tasks[i]) != key(tasks[start]):
            if i - start > 1:
                table.cell(start + 1, col).merge(table.cell(i, col))
            start = i


def _safe(text: str) -> str:
    return text or ""
