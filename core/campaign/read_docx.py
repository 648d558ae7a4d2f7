"""Reading the 立项表 from the office's Word document: every table, header found by its labels, bold lead units."""
from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.text.run import Run

from core.common.errors import UserError
from core.campaign.rows import Cell, walk_rows
from core.campaign.table import ParsedPlan
from core.common.textnorm import clean_cell, find_year


def read_docx(path: Path) -> ParsedPlan:
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for broken packages
        raise UserError(f"Word 文件“{Path(path).name}”无法打开（{type(exc).__name__}），可能已损坏。"
                        f"请在 Word/WPS 中打开后另存为 .docx 再试。") from exc
    plan = ParsedPlan(source_name=Path(path).name)
    paragraphs = [p.text.strip() for p in document.paragraphs[:40]]
    plan.year = find_year(" ".join(paragraphs))
    plan.title = next((p for p in paragraphs if "表" in p and len(p) > 6), "")
    state = None
    for t_index, (table, above) in enumerate(_tables_with_titles(document)):
        rows = [[_cell(c) for c in row.cells] for row in table.rows]
        state = walk_rows(rows, plan, f"第{t_index + 1}个表格", state, above=above)
    return plan


def _tables_with_titles(document):
    """Each table in body order with the paragraphs since the previous table (附件2, its title …)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    above: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            text = Paragraph(child, document).text.strip()
            if text:
                above.append(text)
        elif child.tag == qn("w:tbl"):
            yield Table(child, document), above[-6:]
            above = []


def _cell(cell) -> Cell:
    # python-docx gives vertically merged continuation cells the top cell's content
    return Cell(clean_cell(cell.text), lambda: _bold_chars(cell))


def _run_is_bold(run: Run, paragraph) -> bool:
    if run.bold is not None:
        return bool(run.bold)
    if run.style is not None and run.style.font.bold:
        return True
    return bool(paragraph.style is not None and paragraph.style.font.bold)


def _bold_chars(cell) -> list[tuple[str, bool]]:
    chars: list[tuple[str, bool]] = []
    for p_index, paragraph in enumerate(cell.paragraphs):
        if p_index:
            chars.append(("\n", False))
        for child in paragraph._p.iterchildren():
            runs = [child] if child.tag == qn("w:r") else (
                list(child.iterchildren(qn("w:r"))) if child.tag == qn("w:hyperlink") else [])
            for r in runs:
                run = Run(r, paragraph)
                bold = _run_is_bold(run, paragraph)
                chars.extend((ch, bold) for ch in run.text)
    return chars
