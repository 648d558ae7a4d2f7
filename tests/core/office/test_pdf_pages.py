"""Print-preview pages of a generated file: LibreOffice's own layout, cached by checksum, honest when tools are missing."""
from __future__ import annotations

import shutil

import pytest
from docx import Document
from docx.enum.text import WD_BREAK

from core.common.errors import Cancelled, UserError
from core.common.work import Work
from core.office import pdf_pages

needs_office = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftoppm")),
                                  reason="LibreOffice and pdftoppm are needed")


def _two_pages(path):
    doc = Document()
    doc.add_paragraph("一、总体情况。一是重点任务推进有序，二是民生实事按计划实施，三是督查督办持续加力。" * 4)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("二、存在问题。部分任务进度滞后，个别单位报送不及时。")
    doc.save(str(path))
    return path


@needs_office
def test_pages_are_drawn_once_then_come_from_the_cache(tmp_path, monkeypatch):
    src = _two_pages(tmp_path / "通报.docx")
    seen = []
    first = pdf_pages.render_pages(src, tmp_path / "cache", Work(lambda d, t, label="": seen.append((d, t))))
    assert first["count"] == 2 and len(first["pages"]) == 2 and not first["cached"]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in first["pages"])
    assert seen[-1] == (2, 2)
    monkeypatch.setattr(pdf_pages, "convert_to_pdf", lambda *a, **k: pytest.fail("LibreOffice called again"))
    again = pdf_pages.render_pages(src, tmp_path / "cache")
    assert again["cached"] and again["pages"] == first["pages"]
    with open(src, "ab") as fh:       # a changed file (another checksum) is laid out anew
        fh.write(b"\0")
    with pytest.raises(pytest.fail.Exception):
        pdf_pages.render_pages(src, tmp_path / "cache")


def test_missing_libreoffice_is_said_in_chinese(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_pages, "soffice_path", lambda: None)
    with pytest.raises(UserError) as err:
        pdf_pages.render_pages(_two_pages(tmp_path / "a.docx"), tmp_path / "cache")
    assert "未安装 LibreOffice" in err.value.message and "简易预览" in err.value.message


@needs_office
def test_a_cancelled_request_does_not_start_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_pages, "convert_to_pdf", lambda *a, **k: pytest.fail("LibreOffice started"))
    cancelled = Work()
    cancelled.cancel()
    with pytest.raises(Cancelled):
        pdf_pages.render_pages(_two_pages(tmp_path / "a.docx"), tmp_path / "cache", cancelled)
