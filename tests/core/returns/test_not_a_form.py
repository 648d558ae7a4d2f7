"""收文 of files that are not a readable form: password-protected workbooks of every format, PDF, Word, pictures."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.common.sniff import sniff
from core.returns.collect import collect
from core.returns.merge import merge
from core.ledger.progress_view import progress_rows
from tests.helpers import returns as rh
from tests.helpers.returns import PERIOD, ledger_content

DATA = Path(__file__).resolve().parents[2] / "data" / "encrypted"

TINY_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


@pytest.mark.parametrize("ext,kind", [("xlsx", "cfb-encrypted"), ("xls", "xls-encrypted"), ("ods", "ods-encrypted")])
def test_password_protected_workbook_asks_for_a_password_free_file(ledger_2026, tmp_path, ext, kind):
    src = tmp_path / f"区民政局-4月-加密.{ext}"
    shutil.copyfile(DATA / f"加密-附件4.{ext}", src)   # written by LibreOffice with the password abc123
    assert sniff(src) == kind
    before = ledger_content(ledger_2026)
    [res] = collect(ledger_2026, [src])
    assert res["status"] == "rejected"
    assert "设置了打开密码" in res["message"] and "去掉打开密码后重新报送" in res["message"]
    assert "损坏" not in res["message"] and "立项表" not in res["message"]
    assert ledger_content(ledger_2026) == before


def test_pdf_word_and_picture_instead_of_the_form(ledger_2026, tmp_path):
    from docx import Document
    pdf = tmp_path / "区民政局4月落实情况（盖章）.pdf"
    pdf.write_bytes(TINY_PDF)
    doc = Document()
    doc.add_paragraph("区民政局2026年4月重点任务落实情况：一是完善养老服务体系，完成2处社区养老服务站选址；"
                      "二是推进婚姻登记便民服务，开展集体颁证2场；三是做好困难群众救助，发放救助金120万元。")
    doc.save(tmp_path / "区民政局4月情况.docx")
    jpg = tmp_path / "扫描件.jpg"
    jpg.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + b"\x00" * 200)
    before = ledger_content(ledger_2026)
    results = {Path(r["path"]).name: r for r in collect(ledger_2026, [pdf, tmp_path / "区民政局4月情况.docx", jpg])}
    assert all(r["status"] == "rejected" for r in results.values())
    m = results[pdf.name]["message"]
    assert "是 PDF 文件" in m and "Excel 表格" in m and "立项表" not in m
    m = results["区民政局4月情况.docx"]["message"]
    assert "是 Word 文档" in m and "下发的 Excel 表格" in m
    assert "是图片" in results[jpg.name]["message"]
    assert ledger_content(ledger_2026) == before


def test_mail_with_form_and_stamped_scan_merges_the_form_and_explains_the_pdf(ledger_2026, tmp_path):
    forms = rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "out", unit_names=["区民政局"])
    src = Path(forms[0]["path"])
    key = rh.row_keys(src)[0]
    done = ("一是完成2处社区养老服务站选址论证并启动建设，累计投入资金80万元；二是对辖区内高龄老人开展入户探访"
            "326人次，建立探访台账；三是组织养老机构消防安全检查4次，整改隐患12处。")
    filled = rh.fill(src, tmp_path / "区民政局-落实情况表-3月.xlsx", {key: {"done": done, "on_track": "是"}})
    scan = tmp_path / "盖章件.pdf"
    scan.write_bytes(TINY_PDF)
    mail = rh.eml_with([filled, scan], tmp_path / "报送.eml")
    results = collect(ledger_2026, [mail])
    by_name = {r["path"].split("›")[-1].strip(): r for r in results}
    assert by_name["盖章件.pdf"]["status"] == "rejected" and "PDF" in by_name["盖章件.pdf"]["message"]
    assert by_name[filled.name]["status"] == "staged"
    merge(ledger_2026, accept_all=True)
    [row] = [r for r in progress_rows(ledger_2026, PERIOD) if r["done"] == done]
    assert row["unit"] == "区民政局"


def test_a_plain_zip_and_random_bytes_get_the_returns_message(ledger_2026, tmp_path):
    import os
    import zipfile
    odd = tmp_path / "区民政局.xlsx"
    with zipfile.ZipFile(odd, "w") as zf:
        zf.writestr("说明.txt", "请查收")
    junk = tmp_path / "乱码.xls"
    junk.write_bytes(os.urandom(4096))
    before = ledger_content(ledger_2026)
    for res in collect(ledger_2026, [odd, junk]):
        assert res["status"] == "rejected"
        assert "不是下发的 Excel 表格" in res["message"] and "立项表" not in res["message"]
    assert ledger_content(ledger_2026) == before
