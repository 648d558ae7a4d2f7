"""Part D of the paper: bulletin, 底稿, 一事一通报, leader pages and forms rendered through LibreOffice at real entry lengths."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from datetime import date

import pytest

from tests.conftest import ROOT
from tests.helpers.paper import docx_text
from tests.helpers.paper_filler_docs import fill_ledger, has_soffice, pdf_pages, pdf_text, pdf_words, squash, to_pdf

TODAY = date(2026, 7, 20)
needs_office = pytest.mark.skipif(not has_soffice(), reason="LibreOffice and poppler are needed")
pytestmark = pytest.mark.layout


@pytest.fixture
def filled(ledger_2026):
    info = fill_ledger(ledger_2026)
    return ledger_2026, info




def test_summarise_keeps_whole_clauses():
    from core.reports.bulletin_docx import summarise
    text = "一是召开专题推进会3次，研究解决问题5个；二是完成投资2.1亿元。"
    assert summarise(text, 12) == "召开专题推进会3次。"
    assert summarise(text, 40) == "召开专题推进会3次，研究解决问题5个；二是完成投资2.1亿元。"
    assert summarise("一个没有标点而且很长很长很长的分句", 5) == "一个没有标点而且很长很长很长的分句。"


def test_heading_numbers_at_every_level():
    from core.office.docx_style import cn_number, heading_number
    assert [cn_number(n) for n in (1, 10, 11, 19, 20, 21, 99, 100, 105, 110)] == [
        "一", "十", "十一", "十九", "二十", "二十一", "九十九", "一百", "一百零五", "一百一十"]
    assert [heading_number(lv, 11) for lv in (1, 2, 3, 4)] == ["十一、", "（十一）", "11.", "（11）"]


@needs_office
def test_bulletin_at_real_lengths(filled, tmp_path):
    from docx import Document
    from docx.oxml.ns import qn

    from core.reports.bulletin_docx import write_bulletin
    ledger, _ = filled
    result = write_bulletin(ledger, "2026Q2", tmp_path / "通报.docx", today=TODAY)
    pdf = to_pdf(tmp_path / "通报.docx", tmp_path / "pdf")
    pages, text = pdf_pages(pdf), pdf_text(pdf)
    assert 3 <= pages <= 8, pages
    assert "…" not in text and "……" not in text
    for part in ("一、总体情况", "二、主要成效", "三、存在的主要问题", "四、报送情况", "五、下一步工作要求"):
        assert part in squash(text)
    doc = Document(result["path"])
    # headings numbered in sequence at each level, restarting under a new parent
    seq: dict[int, int] = {}
    l1 = [p.text for p in doc.paragraphs if re.match(r"^[一二三四五六七八九十]+、", p.text)]
    assert [t.split("、")[0] for t in l1] == ["一", "二", "三", "四", "五"]
    for p in doc.paragraphs:
        m2 = re.match(r"^（([一二三四五六七八九十]+)）", p.text)
        m3 = re.match(r"^(\d+)\.", p.text)
        if re.match(r"^[一二三四五六七八九十]+、", p.text):
            seq = {}
        elif m2:
            from core.office.docx_style import cn_number
            seq[2] = seq.get(2, 0) + 1
            seq.pop(3, None)
            assert m2.group(1) == cn_number(seq[2]), p.text
        elif m3:
            seq[3] = seq.get(3, 0) + 1
            assert int(m3.group(1)) == seq[3], p.text
            assert not p.runs[0].bold
    # body in 3号仿宋; headings keep with the next paragraph
    body = [p for p in doc.paragraphs if p.text.startswith("本通报数据截至")][0]
    assert body.runs[0].font.size.pt == 16
    assert all(p.paragraph_format.keep_with_next for p in doc.paragraphs if re.match(r"^[一二三四五]、", p.text))
    # page numbers at the outside edge: odd right, even left
    settings = doc.settings.element
    assert settings.find(qn("w:evenAndOddHeaders")) is not None
    s = doc.sections[0]
    assert "PAGE" in s.footer._element.xml and "PAGE" in s.even_page_footer._element.xml
    assert s.footer.paragraphs[0].alignment == 2 and s.even_page_footer.paragraphs[0].alignment == 0
    # 署名 above 成文日期, the date starting two characters right of the 署名 (test_bad_quarter_paper checks the print)
    texts = [p.text for p in doc.paragraphs]
    i = texts.index("区政府督查室")
    assert texts[i + 1] == "2026年7月20日"
    sig_left, date_left = (doc.paragraphs[k].paragraph_format.left_indent.pt for k in (i, i + 1))
    assert abs(date_left - sig_left - 2 * 441 / 28) < 0.5
    # the checksums only in the 底稿 next to it
    basis = docx_text(result["basis"])
    hashes = re.findall(r"[0-9a-f]{32}\n[0-9a-f]{32}", basis)
    assert len(hashes) == result["files"] > 0
    assert "SHA-256" not in text and not re.search(r"[0-9a-f]{32}", text)
    assert result["basis"].endswith("通报-底稿.docx")


@needs_office
def test_single_task_bulletin_names_missing_months(filled, tmp_path):
    from core.reports.bulletin_single import write_single
    from core.reports.data import bulletin_data, find_task
    ledger, info = filled
    # a task one of whose units missed a month of the quarter
    d = bulletin_data(ledger, "2026Q2", TODAY)
    missing_units = {x["unit"] for x in d["missing"]}
    from sqlalchemy import text as sql
    with ledger.read() as conn:
        rows = conn.execute(sql("""SELECT t.seq, u.name FROM assignment a JOIN task t ON t.id = a.task_id
                                   JOIN unit u ON u.id = a.unit_id WHERE t.kind = 'key' ORDER BY t.seq""")).all()
    seq, unit = next((r.seq, r.name) for r in rows if r.name in missing_units)
    find_task(ledger, 2026, f"key:{seq}")
    result = write_single(ledger, "2026Q2", f"key:{seq}", tmp_path / "一事.docx", today=TODAY)
    body = docx_text(result["path"])
    status = next(line for line in body.splitlines() if line.startswith("截至"))
    assert f"{unit}未报送" in status and not status.startswith("截至2026年6月底，各责任单位均报告完成")
    pdf = to_pdf(tmp_path / "一事.docx", tmp_path / "pdf")
    pages = pdf_text(pdf).split("\f")[:pdf_pages(pdf)]
    last = [line for line in pages[-1].splitlines() if line.strip()]
    assert len(last) > 3  # the signature is never alone on the last page
    assert "SHA-256" not in body and "SHA-256" in docx_text(result["basis"])


@needs_office
def test_leader_pages_at_real_lengths(filled, tmp_path):
    from docx import Document

    from core.reports.leader_pages import write_leader_pages
    ledger, _ = filled
    result = write_leader_pages(ledger, "2026-06", tmp_path / "领导.docx", today=TODAY)
    doc = Document(result["path"])
    sizes = {r.font.size.pt for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs
             for r in p.runs if r.font.size}
    assert sizes == {10.5}
    pdf = to_pdf(tmp_path / "领导.docx", tmp_path / "pdf")
    pages, text = pdf_pages(pdf), pdf_text(pdf)
    assert "…" not in text
    flat = squash(text)
    with ledger.read() as conn:
        from sqlalchemy import text as sql
        tasks = [r[0] for r in conn.execute(sql("""SELECT DISTINCT t.text FROM task t JOIN task_leader tl
                                                   ON tl.task_id = t.id WHERE t.active = TRUE"""))]
    cells = {squash(c.text) for t in doc.tables for row in t.rows for c in row.cells}
    for t in tasks:
        assert squash(t) in cells, t  # every task whole in its cell (rows grow; a row never splits)
    # every character of every table cell is on paper (columns interleave in pdftotext, so count characters)
    from collections import Counter
    on_paper = Counter(flat)
    in_cells = Counter(squash("".join(c.text for t in doc.tables for row in t.rows for c in row.cells)))
    assert not {ch: n for ch, n in in_cells.items() if on_paper[ch] < n}
    starts = sum(1 for p in text.split("\f")[:pages] if "同志牵头任务落实情况" in p and "（续）" not in p)
    assert starts == result["leaders"] and pages <= 3 * result["leaders"]


def _uno_python() -> str | None:
    """A Python that can drive LibreOffice (the system one with python3-uno)."""
    for exe in ("/usr/bin/python3", shutil.which("python3")):
        if exe and subprocess.run([exe, "-c", "import uno"], capture_output=True).returncode == 0:
            return exe
    return None


UNO_PYTHON = _uno_python() if has_soffice() else None


@needs_office
@pytest.mark.skipif(UNO_PYTHON is None, reason="a Python with uno (python3-uno) is needed to type in LibreOffice")
def test_report_form_rows_grow_with_typed_text(ledger_2026, tmp_path):
    from core.forms.generate import generate
    results = generate(ledger_2026, "report", "2026-04", tmp_path, unit_names=["区发展改革局"], with_eml=False)
    path = results[0]["path"]
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    rows = re.findall(r"<row [^>]*>", sheet)
    data_rows = [r for r in rows if 'ht="' in r and int(re.search(r' r="(\d+)"', r).group(1)) > 5]
    body = [r for r in data_rows if int(re.search(r' r="(\d+)"', r).group(1)) <= 5 + results[0]["rows"]]
    assert body and not any("customHeight" in r for r in body)
    assert "FFF9E5" in zipfile.ZipFile(path).read("xl/styles.xml").decode().upper()
    # 填报时间 is a label with its own shaded input cell beside it
    import openpyxl
    ws = openpyxl.load_workbook(path).worksheets[0]
    label = next(c for row in ws.iter_rows(max_row=6) for c in row if c.value == "填报时间：")
    beside = ws.cell(label.row, label.column + 1)
    while beside.coordinate in ws.merged_cells and beside.value is None and any(
            beside.coordinate in r and r.min_col == label.column for r in ws.merged_cells.ranges):
        beside = ws.cell(label.row, beside.column + 1)
    assert label.protection.locked and not beside.protection.locked
    assert beside.fill.fgColor.rgb.upper().endswith("FFF9E5")
    # a unit types a long 完成情况 into the first row in LibreOffice; saved and printed, every character is there,
    # while the same row with customHeight (the old output) clips it
    first = int(re.search(r' r="(\d+)"', body[0]).group(1))
    rare = "鑫淼焱垚犇骉羴猋麤毳"
    typed_text = "；".join(f"{i + 1}是开展{rare[i % 10]}专项工作并形成{rare[i % 10]}台账，已推进{rare[i % 10]}项目"
                          for i in range(10)) + "。"  # 230 characters, a middling 完成情况
    (tmp_path / "typed.txt").write_text(typed_text, encoding="utf-8")
    locked = tmp_path / "custom.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(locked, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(r'(<row [^>]*ht="[^"]*")(?![^>]*customHeight)', r'\1 customHeight="1"',
                              data.decode()).encode()
            dst.writestr(item, data)
    # the next row's longest text: on paper, it must start below the typed cell's last line
    below = squash(max((c.value for c in ws[first + 1] if isinstance(c.value, str)), key=len))[:4]
    heights = {}
    for name, workbook in (("free", path), ("custom", locked)):
        saved = tmp_path / f"typed-{name}.xlsx"
        subprocess.run([UNO_PYTHON, str(ROOT / "tests" / "helpers" / "lo_type_cell.py"), str(workbook), f"E{first}",
                        str(tmp_path / "typed.txt"), str(saved)], check=True, timeout=300, capture_output=True)
        with zipfile.ZipFile(saved) as zf:
            row = re.search(rf'<row r="{first}"[^>]*>', zf.read("xl/worksheets/sheet1.xml").decode()).group(0)
        heights[name] = float(re.search(r' ht="([\d.]+)"', row).group(1))
    start = float(re.search(r' ht="([\d.]+)"', body[0]).group(1))
    assert heights["free"] > start and heights["custom"] <= start, (start, heights)  # grew; a custom one never does
    # printed, every typed character is on paper and the row holds every typed line, whatever CJK font the PC lays
    # it out with: the typed text ends above the next row's text (or the next row starts on a later page). A row
    # that grew too little clips its text, which then goes missing from the PDF or runs into the next row.
    pdf = to_pdf(tmp_path / "typed-free.xlsx", tmp_path / "pdf-free")
    assert sum(pdf_text(pdf).count(ch) for ch in rare) == 30
    words = pdf_words(pdf)
    typed = [w for w in words if any(ch in w[5] for ch in rare)]
    page = typed[0][0]
    assert {w[0] for w in typed} == {page}  # a row never splits across pages
    nxt = [w for w in words if below in w[5]]
    assert nxt and all(w[0] >= page for w in nxt), (below, nxt)
    same = [w for w in nxt if w[0] == page]
    assert not same or min(w[2] for w in same) > max(w[4] for w in typed), (typed, same)


@needs_office
def test_plan_form_keeps_a_tasks_quarters_on_one_page(ledger_2026, tmp_path):
    from core.forms.generate import generate
    result = generate(ledger_2026, "plan", None, tmp_path, unit_names=["区工业和信息化局"], with_eml=False)[0]
    pdf = to_pdf(result["path"], tmp_path / "pdf")
    pages = pdf_text(pdf).split("\f")[:pdf_pages(pdf)]
    assert len(pages) > 2
    for i, page in enumerate(pages):  # every task on a page shows all four quarter rows there
        assert page.count("一季度") == page.count("二季度") == page.count("三季度") == page.count("四季度"), i
    assert sum(p.count("一季度") for p in pages) == result["tasks"]
