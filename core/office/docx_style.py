"""Official-document layout (GB/T 9704) for python-docx: A4, margins, 小标宋 title, 仿宋 body, 黑体/楷体 heads, page numbers."""
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
LINES_PER_PAGE = 22                 # 225 mm of text height at 28 pt
LINE_MM = LINE_PT * 25.4 / 72
CHARS_PER_LINE = 28                 # 156 mm of text width in 3号 (16 pt)


def lines_of(text: str, size: float = BODY_PT, indent: bool = True) -> int:
    """Lines a paragraph fills on the 156 mm text width (wide characters one em, others half), at least one."""
    from core.office.cjk_layout import text_units
    per_line = CHARS_PER_LINE * BODY_PT / size
    ems = text_units(text or "") / 2 + (2 if indent else 0)
    return max(1, -int(-ems // per_line))


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
    """“— 1 —” in 4号宋体 at the outside edge, one character in: odd pages right, even pages left (GB/T 9704 7.5)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    doc.settings.odd_and_even_pages_header_footer = True  # w:evenAndOddHeaders
    section = doc.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        page_number(footer.paragraphs[0], align == WD_ALIGN_PARAGRAPH.RIGHT)


def page_number(p, right: bool) -> None:
    """“— N —” in 4号宋体 one character in from the right (odd pages) or the left (even pages)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT
    if right:
        p.paragraph_format.right_indent = Pt(14)
    else:
        p.paragraph_format.left_indent = Pt(14)
    set_run_font(p.add_run("— "), "宋体", 14)
    add_field(p, "PAGE", "宋体", 14)
    set_run_font(p.add_run(" —"), "宋体", 14)


def add_field(p, code: str, font: str = "宋体", size: float = 14, cached: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES …) as Word writes one: begin, instruction, separate, a cached result, end.

    The cached result is what an office suite shows until it updates the field; WPS shows nothing (or the code)
    for a field written without one, Word and LibreOffice work out PAGE/NUMPAGES themselves as they lay out."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    for kind, text in (("begin", None), (None, code), ("separate", None), ("result", cached), ("end", None)):
        run = p.add_run()
        set_run_font(run, font, size)
        if kind == "result":
            run.text = text
            continue
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        run._element.append(el)


CN_DIGITS = "〇一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五 (the numbers of 一、 and （一） headings)."""
    if n < 10:
        return CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    tail = "" if rest == 0 else ("零" + CN_DIGITS[rest] if rest < 10 else
                                 ("一" + cn_number(rest) if rest < 20 else cn_number(rest)))
    return CN_DIGITS[hundreds] + "百" + tail


def heading_number(level: int, n: int) -> str:
    """The structural number of the n-th heading (1-based) at a level: 一、 （一） 1. （1）."""
    if level == 1:
        return f"{cn_number(n)}、"
    if level == 2:
        return f"（{cn_number(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


def title(doc, text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing = Pt(36)
    p.paragraph_format.space_after = Pt(LINE_PT)
    set_run_font(p.add_run(text), TITLE_FONT, TITLE_PT)


def para(doc, text: str, indent: bool = True, align=None, font: str = BODY_FONT, bold: bool = False,
         size: float = BODY_PT, keep_with_next: bool = False):
    from docx.shared import Pt
    p = doc.add_paragraph()
    if keep_with_next:
        p.paragraph_format.keep_with_next = True
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    set_run_font(p.add_run(text), font, size, bold)
    return p


def heading(doc, text: str, level: int = 1):
    """一、 in 黑体; （一） in 楷体; 1. and （1） in 仿宋 — all 3号, indented two characters, kept with the next paragraph."""
    font = {1: H1_FONT, 2: H2_FONT}.get(level, BODY_FONT)
    p = para(doc, text, font=font)
    p.paragraph_format.keep_with_next = True
    return p


def char_pt(doc) -> float:
    """The width of one character of body text: 3号 less the character grid's squeeze (char_grid), if any."""
    from docx.oxml.ns import qn
    rpr = doc.styles["Normal"].element.rPr
    el = rpr.find(qn("w:spacing")) if rpr is not None else None
    return BODY_PT + (int(el.get(qn("w:val"))) / 20 if el is not None else 0)


def signature(doc, office: str, date_text: str) -> None:
    """署名 and 成文日期 of a document without seal (GB/T 9704 7.3.5.2): one blank line below the text, the 署名 two
    characters from the right, the date on the next line starting two characters right of the 署名's first character;
    when the date is the longer, the date two characters from the right and the 署名 moved left to match. Both set
    from the left edge (left indents in whole characters), so the two characters hold whatever the fonts' widths;
    no automatic space between the date's digits and 年月日. Kept together with the last text paragraph."""
    from docx.shared import Pt

    from core.office.cjk_layout import text_units
    unit = char_pt(doc)
    line = round((210 - MARGINS_MM["left"] - MARGINS_MM["right"]) * 72 / 25.4 / unit)
    sig_w, date_w = text_units(office) / 2, _set_width(date_text)
    sig_left = line - 2 - sig_w
    if sig_left + 2 + date_w > line - 2:      # the date would reach into the last two characters
        sig_left = line - 2 - date_w - 2
    blank = para(doc, "", indent=False)
    blank.paragraph_format.keep_with_next = True
    for text, left, keep in ((office, sig_left, True), (date_text, sig_left + 2, False)):
        p = para(doc, text, indent=False)
        p.paragraph_format.left_indent = Pt(unit * left)
        p.paragraph_format.keep_with_next = keep
        _no_auto_space(p)


def _set_width(text: str) -> float:
    """Characters a date like “2026年7月20日” takes when set, erring wide: digits as 0.6 of a character (仿宋_GB2312 has
    0.5, the fonts LibreOffice substitutes up to 0.62) and a fifth of one where digits meet 年月日 (Word's and
    LibreOffice's automatic spacing, where it is not switched off)."""
    width, prev = 0.0, None
    for ch in text:
        kind = ch.isascii()
        width += 0.6 if kind else 1.0
        if prev is not None and kind != prev:
            width += 0.2
        prev = kind
    return width


def _no_auto_space(p) -> None:
    """No automatic space between CJK and Latin/digits (Word's 自动调整中文与数字间距): the date sets as written."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    ppr = p._p.get_or_add_pPr()
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "0")
        ppr.insert_element_before(el, *_PPR_AFTER_AUTOSPACE)


_PPR_AFTER_AUTOSPACE = ("w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
                        "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
                        "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                        "w:pPrChange")


COLOPHON_PT = 14                    # 4号仿宋
RULE_THICK, RULE_THIN = 8, 6        # eighths of a point: about 0.35 mm and 0.25 mm (GB/T 9704 7.4.1)


def keep_last_lines(doc) -> None:
    """The last text paragraph kept with the 署名 (keep-with-next, never keep-together): its last lines move to the
    signature's page, so 署名 and 成文日期 never stand alone (GB/T 9704 7.3.5)."""
    for p in reversed(doc.paragraphs):
        if p.text.strip():
            p.paragraph_format.keep_with_next = True
            p.paragraph_format.widow_control = True
            return


def colophon(doc, issuer: str, issue_date: str, cc: str = "") -> None:
    """版记 (GB/T 9704 7.4) at the foot of the last page: 抄送 (when given), then 印发机关 left and 印发日期 right (each
    one character in), between a thick first rule, a thin rule between them and a thick last rule, as wide as the text.

    A text box anchored in the document's last paragraph, aligned to the bottom of the text area, text kept above
    and below it (wrapTopAndBottom): its last rule sits on the page's last line whatever the text above. (A floating
    table or a framePr frame is laid out inline or lost by LibreOffice 7.4; a text box is placed as Word places it.)"""
    from xml.sax.saxutils import escape

    from docx.oxml import parse_xml
    width_mm = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]
    width_tw = round(width_mm / 25.4 * 1440)
    lines = [(f"抄送：{cc.rstrip('。')}。", "")] if cc else []
    lines.append((issuer, f"{issue_date}印发"))
    body = ""
    for i, (left, right) in enumerate(lines):
        top = RULE_THICK if i == 0 else 0
        bottom = RULE_THICK if i == len(lines) - 1 else RULE_THIN
        borders = "".join(f'<w:{edge} w:val="single" w:sz="{size}" w:space="1" w:color="000000"/>'
                          for edge, size in (("top", top), ("bottom", bottom)) if size)
        rpr = (f'<w:rPr><w:rFonts w:ascii="{BODY_FONT}" w:hAnsi="{BODY_FONT}" w:eastAsia="{BODY_FONT}" '
               f'w:cs="{BODY_FONT}"/><w:sz w:val="{COLOPHON_PT * 2}"/></w:rPr>')
        runs = f'<w:r>{rpr}<w:t xml:space="preserve">{escape(left)}</w:t></w:r>'
        if right:
            runs += f'<w:r>{rpr}<w:tab/><w:t>{escape(right)}</w:t></w:r>'
        body += (f'<w:p><w:pPr><w:keepNext/><w:pBdr>{borders}</w:pBdr>'
                 f'<w:tabs><w:tab w:val="right" w:pos="{width_tw - COLOPHON_PT * 20}"/></w:tabs>'
                 f'<w:spacing w:before="0" w:after="0" w:line="{LINE_PT * 20}" w:lineRule="exact"/>'
                 f'<w:ind w:left="{COLOPHON_PT * 20}" w:right="0" w:firstLine="0"/></w:pPr>{runs}</w:p>')
    cx = round(width_mm * 36000)
    cy = round((len(lines) * LINE_PT / 72 * 25.4 + 2) * 36000)
    shape = f'''<w:r {_DRAWING_NS}><w:drawing><wp:anchor distT="{LINE_PT * 12700 // 2}" distB="0" distL="0" distR="0"
 simplePos="0" relativeHeight="2" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="0"><wp:simplePos x="0" y="0"/>
<wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>
<wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align></wp:positionV>
<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>
<wp:docPr id="9001" name="版记"/><wp:cNvGraphicFramePr/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>
<wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>
<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>
<wps:txbx><w:txbxContent>{body}</w:txbxContent></wps:txbx>
<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="b" anchorCtr="0"><a:noAutofit/>
</wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>'''
    doc.paragraphs[-1]._p.append(parse_xml(shape))


_DRAWING_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
               'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
               'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
               'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"')


def char_grid(doc, chars: int = CHARS_PER_LINE) -> None:
    """28 characters a line (GB/T 9704 5.2.2): 156 mm holds 27.6 characters of 3号, so every character is set a
    little closer (w:spacing on the Normal style, in twentieths of a point) — as Word's 文档网格 does."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    width_pt = (210 - MARGINS_MM["left"] - MARGINS_MM["right"]) * 72 / 25.4
    squeeze = int((width_pt / chars - BODY_PT) * 20) - 1   # -5: 15.75 pt a character, 28 in 441 pt
    rpr = doc.styles["Normal"].element.get_or_add_rPr()
    el = rpr.find(qn("w:spacing"))
    if el is None:
        el = OxmlElement("w:spacing")
        rpr.append(el)
    el.set(qn("w:val"), str(squeeze))


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
        for cell, value, w in zip(cells, values, widths_mm, strict=False):
            cell.width = Mm(w)
            p = cell.paragraphs[0]
            p.paragraph_format.first_line_indent = None
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            for k, line in enumerate(str(value).split("\n")):
                if k:
                    p.add_run().add_break()
                set_run_font(p.add_run(line), H1_FONT if bold else BODY_FONT, size)
    for col, w in zip(t.columns, widths_mm, strict=False):
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
        for value, w in zip(values, widths_mm, strict=False):
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
