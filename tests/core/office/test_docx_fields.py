"""Page-number fields in our .docx carry a cached result (WPS shows a field without one as blank or as its code)."""
from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import date

import pytest
from lxml import etree

from tests.helpers.reports import drive

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TODAY = date(2026, 4, 20)


def fields(path) -> list[dict]:
    """Every complex field (fldChar begin … end) in the body, headers and footers: its code and cached result."""
    found = []
    with zipfile.ZipFile(path) as zf:
        parts = [n for n in zf.namelist() if n.startswith("word/") and n.endswith(".xml")
                 and (n == "word/document.xml" or "/header" in n or "/footer" in n)]
        for name in parts:
            root = etree.fromstring(zf.read(name))
            state, field = None, {}
            for el in root.iter(f"{W}fldChar", f"{W}instrText", f"{W}t", f"{W}fldSimple"):
                if el.tag == f"{W}fldSimple":   # the simple form: its cached result is the text inside it
                    found.append({"part": name, "code": el.get(f"{W}instr").strip(), "separate": True,
                                  "result": "".join(t.text or "" for t in el.iter(f"{W}t"))})
                elif el.tag == f"{W}fldChar":
                    kind = el.get(f"{W}fldCharType")
                    if kind == "begin":
                        state, field = "code", {"part": name, "code": "", "separate": False, "result": ""}
                    elif kind == "separate":
                        state, field["separate"] = "result", True
                    elif kind == "end":
                        found.append(field)
                        state = None
                elif el.tag == f"{W}instrText" and state == "code":
                    field["code"] += el.text or ""
                elif el.tag == f"{W}t" and state == "result":
                    field["result"] += el.text or ""
    for f in found:
        f["code"] = f["code"].strip()
    return found


@pytest.fixture
def documents(ledger_2026, tmp_path):
    """The .docx files we write with page numbers: 通报, 领导 pages, 区长简报, and a bare new_document()."""
    from core.office.docx_style import new_document
    from core.reports.brief import write_brief
    from core.reports.bulletin_docx import write_bulletin
    from core.reports.leader_pages import write_leader_pages
    drive(ledger_2026)
    out = {"通报": write_bulletin(ledger_2026, "2026Q1", tmp_path / "通报.docx", today=TODAY)["path"],
           "领导": write_leader_pages(ledger_2026, "2026-03", tmp_path / "领导.docx", today=TODAY)["path"],
           "简报": write_brief(ledger_2026, "2026-03", tmp_path / "简报.docx", today=TODAY)["path"]}
    doc = new_document()
    doc.add_paragraph("一、总体情况。")
    doc.save(str(tmp_path / "空白.docx"))
    out["空白"] = tmp_path / "空白.docx"
    return out


def test_every_page_field_has_a_cached_result(documents):
    for name, path in documents.items():
        found = fields(path)
        assert any(f["code"].split()[0] == "PAGE" for f in found), name  # the footer's page number is a field
        for f in found:
            assert f["separate"] and f["result"].strip(), (name, f)  # WPS shows this until it updates the field


def test_the_field_checker_sees_a_field_without_a_result(tmp_path):
    """The old way (begin, code, end in one run) is what the check above must reject."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    doc = Document()
    run = doc.sections[0].footer.paragraphs[0].add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        el = OxmlElement("w:fldChar" if kind else "w:instrText")
        if kind:
            el.set(qn("w:fldCharType"), kind)
        else:
            el.text = text
        run._element.append(el)
    doc.save(str(tmp_path / "old.docx"))
    assert fields(tmp_path / "old.docx") == [{"part": "word/footer1.xml", "code": "PAGE", "separate": False,
                                              "result": ""}]


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="LibreOffice and poppler are needed")
def test_a_suite_replaces_the_cached_number_with_the_page(documents, tmp_path):
    """The cached “1” is a placeholder: printed, page 2 says — 2 — (LibreOffice, as Word and WPS, updates PAGE)."""
    from core.office.pdf_export import convert_to_pdf
    pdf = convert_to_pdf(documents["通报"], tmp_path / "pdf")
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    pages = ["".join(p.split()) for p in pages if p.strip()]
    assert len(pages) >= 2
    assert pages[0].endswith("—1—") and pages[1].endswith("—2—") and pages[-1].endswith(f"—{len(pages)}—")
