"""Sniffing (core.common.sniff): what a file really is from its bytes and zip parts, whatever its name says."""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from core.common.errors import UserError
from core.common.sniff import check_zip_limits, sniff
from tests.conftest import DATA, data_file


def _xlsx(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "2026年3月落实情况表"
    wb.save(path)
    return path


def test_office_files_by_content_not_by_name(tmp_path):
    x = _xlsx(tmp_path / "区财政局.xlsx")
    assert sniff(x) == "xlsx"
    renamed = tmp_path / "区财政局.xls"                  # a unit renamed the .xlsx to .xls
    shutil.copyfile(x, renamed)
    assert sniff(renamed) == "xlsx"
    d = docx.Document()
    d.add_paragraph("2026年督查立项通知")
    d.save(tmp_path / "立项表.docx")
    assert sniff(tmp_path / "立项表.docx") == "docx"
    ods = tmp_path / "表.ods"
    with zipfile.ZipFile(ods, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    assert sniff(ods) == "ods"


def test_encrypted_files_are_told_apart():
    folder = DATA / "encrypted"
    assert sniff(data_file(folder / "加密-附件4.xlsx")) == "cfb-encrypted"
    assert sniff(data_file(folder / "加密-附件4.xls")) == "xls-encrypted"
    assert sniff(data_file(folder / "加密-附件4.ods")) == "ods-encrypted"


def test_other_files(tmp_path):
    cases = {
        "empty.xlsx": b"",
        "扫描件.pdf": b"%PDF-1.7\n1 0 obj\n",
        "照片.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
        "照片.jpg": b"\xff\xd8\xff\xe0" + b"\x00" * 20,
        "说明.txt": "区民政局：一是完成养老服务中心建设；二是开展困难群众走访。".encode(),
        "说明-gbk.txt": "区民政局：一是完成养老服务中心建设；二是开展困难群众走访。".encode("gb18030"),
        "broken.xlsx": b"PK\x03\x04 not really a zip",
        "binary.bin": bytes(range(256)) * 4,
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    got = {name: sniff(tmp_path / name) for name in cases}
    assert got == {"empty.xlsx": "empty", "扫描件.pdf": "pdf", "照片.png": "image", "照片.jpg": "image",
                   "说明.txt": "text", "说明-gbk.txt": "text", "broken.xlsx": "broken-zip", "binary.bin": "unknown"}
    bundle = tmp_path / "报送.zip"
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.writestr("区民政局.xlsx", b"x")
    assert sniff(bundle) == "zip"


def test_zip_bomb_refused_before_it_is_opened(tmp_path):
    bomb = tmp_path / "炸弹.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))   # 60 MB of zeros in a few KB
    with pytest.raises(UserError) as raised:
        check_zip_limits(bomb)
    assert "炸弹.xlsx" in raised.value.message
