"""Official-document layout helpers for python-docx after GB/T 9704: A4, margins, 小标宋 title, 仿宋 body, 黑体/楷体 headings, page numbers."""
from __future__ import annotations

import io
import os
import re
from pathlib import Path

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
TITLE_PT, BODY_PT = 22, 16          # 2号, 3号
LINE_PT = 28                        # fixed line spacing (22 lines a page)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}


def set_run_font(run, name: str, size: float | None = None, bold: bool | None = None) -> None:
    """Latin and East Asian font both (w:rFonts w:eastAsia), or Word falls back to a Latin font for Chinese."""
    from docx.shared import Pt
    run.font.name = name
    _set_rfonts(run._element.get_or_add_rPr(), name)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold


def set_style_font(style, name: str, size: float | None = None) -> None:
    """The same for a paragraph style (e.g. Normal), so every run that inherits it gets the Chinese font."""
    from docx.shared import Pt
    style.font.name = name
    if size:
        style.font.size = Pt(size)
    _set_rfonts(style.element.get_or_add_rPr(), name)


def _set_rfonts(rpr, name: str) -> None:
    from docx.oxml.ns import qn
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def new_document():
    from docx import Document
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Mm, Pt
    doc = Document()
    for s in doc.sections:
        s.page_width, s.page_height = Mm(210), Mm(297)
        s.top_margin, s.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
        s.left_margin, s.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
        s.footer_distance = Mm(20)
    normal = doc.styles["Normal"]
    set_style_font(normal, BODY_FONT, BODY_PT)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PT)
    pf.space_before = pf.space_after = Pt(0)
    _page_number_footer(doc)
    return doc


def _page_number_footer(doc) -> None:
    """“— 1 —” centred in 4号宋体, the usual page number of official documents."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    p = doc.sections[0].footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_run_font(p.add_run("— "), "宋体", 14)
    run = p.add_run()
    set_run_font(run, "宋体", 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    set_run_font(p.add_run(" —"), "宋体", 14)


def title(doc, text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing = Pt(36)
    p.paragraph_format.space_after = Pt(LINE_PT)
    set_run_font(p.add_run(text), TITLE_FONT, TITLE_PT)


def para(doc, text: str, indent: bool = True, align=None, font: str = BODY_FONT, bold: bool = False,
         size: float = BODY_PT):
    from docx.shared import Pt
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    set_run_font(p.add_run(text), font, size, bold)
    return p


def heading(doc, text: str, level: int = 1):
    """一、 in 黑体; （一） in 楷体; 1. in 仿宋 bold — all 3号, indented two characters like the body."""
    font, bold = {1: (H1_FONT, False), 2: (H2_FONT, False)}.get(level, (BODY_FONT, True))
    return para(doc, text, font=font, bold=bold)


def picture(doc, png: bytes, caption: str, width_mm: float = 150) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    from docx.enum.text import WD_LINE_SPACING
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE  # an exact spacing would crop the image
    p.add_run().add_picture(io.BytesIO(png), width=Mm(width_mm))
    c = para(doc, caption, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, font=H2_FONT, size=14)
    c.paragraph_format.space_after = Pt(6)


def table(doc, header: list[str], rows: list[list[str]], widths_mm: list[float], size: float = 10.5):
    """A bordered table in a smaller size (tables in official documents use 4号–5号)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Mm
    t = doc.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False

    def fill(cells, values, bold=False):
        for cell, value, w in zip(cells, values, widths_mm):
            cell.width = Mm(w)
            p = cell.paragraphs[0]
            p.paragraph_format.first_line_indent = None
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            for k, line in enumerate(str(value).split("\n")):
                if k:
                    p.add_run().add_break()
                set_run_font(p.add_run(line), H1_FONT if bold else BODY_FONT, size)
    for col, w in zip(t.columns, widths_mm):
        col.width = Mm(w)  # the grid LibreOffice and WPS lay out by
    fill(t.rows[0].cells, header, bold=True)
    _repeat_header(t.rows[0])
    _append_rows(t, rows, widths_mm, size)
    return t


_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _append_rows(t, rows: list[list[str]], widths_mm: list[float], size: float) -> None:
    """Body rows written as WordprocessingML in one parse: python-docx's per-cell API is too slow for hundreds of rows."""
    from xml.sax.saxutils import escape

    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    half_points = int(round(size * 2))
    rpr = (f'<w:rPr><w:rFonts w:ascii="{BODY_FONT}" w:hAnsi="{BODY_FONT}" w:eastAsia="{BODY_FONT}" w:cs="{BODY_FONT}"/>'
           f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>')
    ppr = '<w:pPr><w:spacing w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0"/></w:pPr>'
    parts = [f"<w:tbl {nsdecls('w')}>"]
    for values in rows:
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        for value, w in zip(values, widths_mm):
            twips = int(w * 1440 / 25.4)
            runs = '<w:r><w:br/></w:r>'.join(
                f'<w:r>{rpr}<w:t xml:space="preserve">{escape(_BAD_XML.sub("", line))}</w:t></w:r>'
                for line in str(value).split("\n"))
            parts.append(f'<w:tc><w:tcPr><w:tcW w:w="{twips}" w:type="dxa"/></w:tcPr><w:p>{ppr}{runs}</w:p></w:tc>')
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    body = parse_xml("".join(parts))
    for tr in list(body):
        t._tbl.append(tr)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def shade(cell, hex_colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    tcpr = cell._tc.get_or_add_tcPr()
    el = OxmlElement("w:shd")
    el.set(qn("w:val"), "clear")
    el.set(qn("w:color"), "auto")
    el.set(qn("w:fill"), hex_colour.lstrip("#"))
    tcpr.append(el)


def save(doc, out: Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.stem + ".part.docx")
    doc.save(str(tmp))
    os.replace(tmp, out)
    return out
