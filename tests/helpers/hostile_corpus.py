"""A corpus of broken and hostile returned files (≥ 40 kinds), built from one good filled form.

build_corpus(good, out_dir) -> {kind: Case(path, expect, keyword)}:
  expect "rejected": collect must refuse it with a Chinese message matching `keyword` (a regex);
  expect "read":     collect may read it (status in `statuses`) but must stay within bounds.
Run as a script to write the corpus somewhere: python tests/helpers/hostile_corpus.py GOOD.xlsx OUTDIR
"""
from __future__ import annotations

import io
import os
import re
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Case:
    path: Path
    expect: str                      # rejected | read
    keyword: str = ""                # regex the Chinese message must match (rejected)
    statuses: tuple = ("staged", "needs-confirmation", "unchanged", "rejected")
    note: str = ""
    outside: list[Path] = field(default_factory=list)  # paths that must NOT exist afterwards (path traversal)


CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/xl/workbook.xml" '
      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      '<Override PartName="/xl/worksheets/sheet1.xml" '
      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
      '<Override PartName="/xl/sharedStrings.xml" '
      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
      '</Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>')
WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
      '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
           '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
           'Target="worksheets/sheet1.xml"/>'
           '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
           'Target="sharedStrings.xml"/>'
           '</Relationships>')
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def raw_xlsx(dst: Path, sheet_xml: bytes | str, sst_xml: bytes | str | None = None, extra: dict | None = None) -> Path:
    """A minimal .xlsx from hand-written parts (streams big parts without building them in memory twice)."""
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CT)
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("xl/workbook.xml", WB)
        zf.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        zf.writestr("xl/sharedStrings.xml", sst_xml if sst_xml is not None else f'<sst {NS} count="0" uniqueCount="0"/>')
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return Path(dst)


def rezip(src: Path, dst: Path, edit=None, add: dict | None = None, drop: tuple = ()) -> Path:
    """Copy a zip, replacing parts by edit(name, data) -> bytes, adding and dropping parts."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename in drop:
                continue
            data = zin.read(item.filename)
            if edit:
                data = edit(item.filename, data)
            zout.writestr(item.filename, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return Path(dst)


def first_sheet(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return sorted(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet"))[0]


def _docx(dst: Path) -> Path:
    import docx
    d = docx.Document()
    d.add_paragraph("这是一份 Word 文档，不是报送表格。")
    d.save(str(dst))
    return dst


def _png() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 8 for _ in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _million_cells(dst: Path) -> Path:
    """A 1 000 × 1 000 sheet of numbers (10⁶ cells) streamed into the zip."""
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CT)
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("xl/workbook.xml", WB)
        zf.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        zf.writestr("xl/sharedStrings.xml", f'<sst {NS}/>')
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0"?><worksheet {NS}><sheetData>'.encode())
            cells = "".join(f'<c r="{_col(c)}{{r}}"><v>{c}</v></c>' for c in range(1000))
            for r in range(1, 1001):
                fh.write(f'<row r="{r}">{cells.replace("{r}", str(r))}</row>'.encode())
            fh.write(b"</sheetData></worksheet>")
    return dst


def _col(c: int) -> str:
    s = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


def _eml(dst: Path, attachments: list[tuple[str, bytes]], body: str = "请查收。") -> Path:
    from email.message import EmailMessage
    msg = EmailMessage()
    msg["From"] = "unit@example.cn"
    msg["To"] = "ducha@example.cn"
    msg["Subject"] = "报送材料"
    msg["Date"] = "Fri, 03 Apr 2026 09:15:00 +0800"
    msg.set_content(body)
    for name, data in attachments:
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    Path(dst).write_bytes(bytes(msg))
    return Path(dst)


def build_corpus(good: Path, d: Path, restamp=None) -> dict[str, Case]:
    """Every hostile kind, written into `d`. `restamp(src, dst, **changes)` rewrites the identity stamp."""
    good, d = Path(good), Path(d)
    d.mkdir(parents=True, exist_ok=True)
    data = good.read_bytes()
    sheet = first_sheet(good)
    c: dict[str, Case] = {}
    CORRUPT = "损坏|不完整|无法读取|无法识别"
    NOT_FORM = "不是|没有找到|无法识别|表头"

    def put(name: str, blob: bytes) -> Path:
        p = d / name
        p.write_bytes(blob)
        return p

    # -- truncated / wrong magic / wrong type -------------------------------------------
    c["truncated-half"] = Case(put("截断一半.xlsx", data[: len(data) // 2]), "rejected", CORRUPT)
    c["truncated-tail"] = Case(put("少了结尾.xlsx", data[:-30]), "rejected", CORRUPT)
    c["truncated-head"] = Case(put("只有开头.xlsx", data[:200]), "rejected", CORRUPT)
    c["empty"] = Case(put("空.xlsx", b""), "rejected", "空文件")
    c["zero-filled"] = Case(put("全零.xlsx", b"\x00" * 4096), "rejected", "无法识别|不是")
    c["random-bytes"] = Case(put("乱码.xlsx", os.urandom(8192)), "rejected", "无法识别|不是")
    c["png-renamed"] = Case(put("图片.xlsx", _png()), "rejected", "无法识别|不是")
    c["pdf-renamed"] = Case(put("扫描件.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n" + b"\x00\x01" * 500),
                            "rejected", "无法识别|不是")
    c["docx-renamed"] = Case(_docx(d / "其实是Word.xlsx"), "rejected", "不是工作簿|Word")
    c["doc-cfb-renamed"] = Case(put("旧Word.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
                                    + "WordDocument".encode("utf-16-le") + b"\x00" * 3000), "rejected", "Word|\\.doc")
    c["encrypted-cfb"] = Case(put("加密.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
                                  + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64
                                  + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 3000), "rejected", "密码")
    c["corrupt-xls"] = Case(put("坏的.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(5000)),
                            "rejected", CORRUPT + "|未知")
    c["zip-not-office"] = Case(d / "普通压缩包.xlsx", "rejected", "不是|无法识别|没有")
    with zipfile.ZipFile(c["zip-not-office"].path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    # -- text in the wrong encodings --------------------------------------------------------
    c["gbk-csv"] = Case(put("报表.xlsx", "序号,完成情况\n1,已完成\n".encode("gbk")), "rejected", NOT_FORM)
    c["utf16-text"] = Case(put("报表UTF16.xls", "序号\t完成情况\n1\t已完成\n".encode("utf-16")), "rejected", NOT_FORM)
    c["latin1-text"] = Case(put("latin1.xlsx", "caf\xe9 na\xefve \xff\xfe".encode("latin-1") * 50), "rejected", NOT_FORM)
    # -- zip bombs and XML attacks ------------------------------------------------------------
    bomb = d / "炸弹.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CT)
        zf.writestr("xl/workbook.xml", WB)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            block = b" " * (1 << 20)
            for _ in range(400):
                fh.write(block)
    c["zip-bomb"] = Case(bomb, "rejected", "炸弹|体积异常|过大")
    ratio = d / "高压缩比.xlsx"
    raw_xlsx(ratio, f'<worksheet {NS}><sheetData/></worksheet>' + " " * (60 << 20))
    c["zip-ratio"] = Case(ratio, "rejected", "炸弹|体积异常|过大")
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
              + ']>')
    laughs_sst = laughs + f'<sst {NS} count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    new_sst = {"xl/sharedStrings.xml": laughs + f'<sst {NS}><si><t>&lol9;</t></si></sst>'}
    c["billion-laughs-sst"] = Case(rezip(
        good, d / "实体炸弹.xlsx", lambda n, b: laughs_sst.encode() if n == "xl/sharedStrings.xml" else b,
        add=None if _has(good, "xl/sharedStrings.xml") else new_sst),
        "rejected", "实体|XML")
    c["billion-laughs-props"] = Case(rezip(good, d / "属性实体.xlsx", lambda n, b: (
        laughs + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties">'
                 '<property name="x">&lol9;</property></Properties>').encode() if n == "docProps/custom.xml" else b),
        "rejected", "实体|XML")
    xxe = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    c["xxe-sheet"] = Case(rezip(good, d / "外部实体.xlsx", lambda n, b: (
        xxe.encode() + re.sub(rb"^<\?xml[^>]*\?>", b"", b).replace(b"<sheetData>", b"<sheetData>", 1)
        if n == sheet else b)), "rejected", "实体|XML")
    c["xxe-workbook"] = Case(rezip(good, d / "外部实体2.xlsx", lambda n, b: (
        xxe.encode() + re.sub(rb"^<\?xml[^>]*\?>", b"", b) if n == "xl/workbook.xml" else b)), "rejected", "实体|XML")
    c["xxe-parameter-entity"] = Case(rezip(good, d / "参数实体.xlsx", lambda n, b: (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:1/x.dtd"> %p;]>'
        + re.sub(rb"^<\?xml[^>]*\?>", b"", b) if n == "[Content_Types].xml" else b)), "rejected", "实体|XML")
    c["doctype-after-long-comment"] = Case(rezip(good, d / "长注释后实体.xlsx", lambda n, b: (
        b'<?xml version="1.0"?><!--' + b"x" * 20000 + b'-->' + laughs.encode()[21:] + re.sub(rb"^<\?xml[^>]*\?>", b"", b)
        if n == sheet else b)), "rejected", "实体|XML")
    c["xxe-ods"] = Case(d / "外部实体.ods", "rejected", "实体|XML")
    with zipfile.ZipFile(c["xxe-ods"].path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", xxe + '<office:document-content '
                                         'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">'
                                         '&xxe;</office:document-content>')
    # -- size of the content ---------------------------------------------------------------
    c["million-cells"] = Case(_million_cells(d / "百万单元格.xlsx"), "rejected", "单元格|规模|过大|体积")
    c["declared-huge-dimension"] = Case(raw_xlsx(d / "声明千万行.xlsx",
        f'<worksheet {NS}><dimension ref="A1:Z9999999"/><sheetData>'
        '<row r="9999999"><c r="A9999999" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'),
        "rejected", "行|规模")
    c["one-mb-shared-string"] = Case(raw_xlsx(d / "超长文字.xlsx",
        f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>',
        f'<sst {NS} count="1" uniqueCount="1"><si><t>{"长" * (1 << 20)}</t></si></sst>'), "rejected", "过长|32767")
    c["one-mb-inline-cell"] = Case(raw_xlsx(d / "超长单元格.xlsx",
        f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>{"A" * (1 << 20)}</t></is></c></row>'
        '</sheetData></worksheet>'),
        "rejected", "过长|32767")
    c["many-shared-strings"] = Case(raw_xlsx(d / "三十万文字.xlsx",
        f'<worksheet {NS}><sheetData/></worksheet>',
        f'<sst {NS}>' + "".join(f"<si><t>{i}</t></si>" for i in range(300_000)) + "</sst>"), "rejected", "规模|文字")
    c["wide-row"] = Case(raw_xlsx(d / "一万列.xlsx",
        f'<worksheet {NS}><sheetData><row r="1">' + "".join(f'<c r="{_col(i)}1"><v>{i}</v></c>' for i in range(16000))
        + "</row></sheetData></worksheet>"), "rejected", NOT_FORM)
    c["too-many-parts"] = Case(d / "部件过多.xlsx", "rejected", "部件过多|过多")
    with zipfile.ZipFile(c["too-many-parts"].path, "w") as zf:
        zf.writestr("[Content_Types].xml", CT)
        zf.writestr("xl/workbook.xml", WB)
        for i in range(10050):
            zf.writestr(f"xl/media/p{i}.bin", b"")
    # -- macros, formulas, text that looks like code -------------------------------------------
    vba = b"\xd0\xcf\x11\xe0Attribute VB_Name = \"M\"\nShell \"calc\""
    c["xlsm-macro"] = Case(rezip(good, d / "宏.xlsm", add={"xl/vbaProject.bin": vba}), "rejected", "宏")
    c["macro-renamed-xlsx"] = Case(rezip(good, d / "宏改名.xlsx", add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0Shell \"calc\""}),
                                   "rejected", "宏")
    c["formulas"] = Case(_formulas(good, d / "公式.xlsx"), "read", statuses=("staged", "needs-confirmation"))
    c["dde-and-formula-text"] = Case(_formula_text(good, d / "像公式的文字.xlsx"), "read",
                                     statuses=("staged", "needs-confirmation"))
    # -- malformed structure -----------------------------------------------------------------
    c["malformed-sheet-xml"] = Case(rezip(good, d / "表格XML损坏.xlsx", lambda n, b: b[: len(b) // 2] if n == sheet else b),
                                    "rejected", CORRUPT)
    c["workbook-xml-empty"] = Case(rezip(good, d / "工作簿部件为空.xlsx", lambda n, b: b"" if n == "xl/workbook.xml" else b),
                                   "rejected", CORRUPT + "|" + NOT_FORM)
    c["no-sheets"] = Case(raw_xlsx(d / "没有工作表.xlsx", f'<worksheet {NS}/>'), "rejected", NOT_FORM + "|" + CORRUPT)
    c["empty-sheet"] = Case(raw_xlsx(d / "空表.xlsx", f'<worksheet {NS}><sheetData/></worksheet>'), "rejected", NOT_FORM)
    c["bad-utf8-in-xml"] = Case(rezip(good, d / "非法字节.xlsx",
                                      lambda n, b: b.replace(b"<sheetData>", b"<sheetData>\xff\xfe\xc3", 1) if n == sheet else b),
                                "rejected", CORRUPT + "|" + NOT_FORM)
    c["crc-mismatch"] = Case(d / "校验错.xlsx", "rejected", CORRUPT)
    blob = bytearray(data)
    idx = blob.find(b"PK\x03\x04", 10)
    for k in range(idx + 60, min(len(blob), idx + 90)):
        blob[k] ^= 0x5A
    c["crc-mismatch"].path.write_bytes(bytes(blob))
    c["internal-path-traversal"] = Case(rezip(good, d / "内部路径.xlsx", add={"../../evil.xml": "<x/>"}), "rejected", "异常路径")
    c["encrypted-zip-entry"] = Case(_zipcrypto_flag(good, d / "压缩加密.xlsx"), "rejected", "加密|密码|损坏")
    # -- containers ---------------------------------------------------------------------------
    outside = d.parent / "逃逸.xlsx"
    trav = d / "路径穿越.zip"
    with zipfile.ZipFile(trav, "w") as zf:
        zf.writestr("../../逃逸.xlsx", data)
        zf.writestr("/tmp/绝对路径.xlsx", _docx(d / "_abs.docx").read_bytes())
    c["zip-path-traversal"] = Case(trav, "read", outside=[outside, Path("/tmp/绝对路径.xlsx")])
    nested = d / "套娃.zip"
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z3:
        z3.writestr("第三层.zip", _zip_bytes({"第四层.zip": _zip_bytes({"表.xlsx": data})}))
    with zipfile.ZipFile(nested, "w") as zf:
        zf.writestr("第二层.zip", inner.getvalue())
    c["nested-zips"] = Case(nested, "rejected", "压缩|不是|无法识别")
    c["zip-many-members"] = Case(d / "很多文件.zip", "rejected", "过多")
    with zipfile.ZipFile(c["zip-many-members"].path, "w") as zf:
        for i in range(10050):
            zf.writestr(f"f{i}.txt", "")
    big = io.BytesIO()
    with zipfile.ZipFile(big, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("[Content_Types].xml", CT)
        zf.writestr("xl/workbook.xml", WB)
        zf.writestr("xl/media/image1.png", os.urandom(55 << 20))
    c["eml-huge-attachment"] = Case(_eml(d / "大附件.eml", [("报表.xlsx", big.getvalue())]), "rejected", "太大")
    del big
    c["eml-no-attachment"] = Case(_eml(d / "无附件.eml", []), "rejected", "没有附件")
    c["eml-garbage"] = Case(put("乱码邮件.eml", os.urandom(3000)), "rejected", "没有附件|无法解析|无法识别")
    c["eml-docx-attachment"] = Case(_eml(d / "附件是Word.eml", [("表.xlsx", _docx(d / "_w.docx").read_bytes())]),
                                    "rejected", "不是工作簿|Word")
    # -- identity ----------------------------------------------------------------------------
    if restamp is not None:
        c["other-year"] = Case(restamp(good, d / "去年的表.xlsx", year=2025, period="2025-03"), "rejected", "2025")
        c["unknown-unit"] = Case(restamp(good, d / "无此单位.xlsx", unit_id=9999, unit_name="区不存在局"),
                                 "rejected", "不存在|未知|找不到")
        c["conflicting-stamps"] = Case(_conflicting(good, d / "标识矛盾.xlsx", restamp), "read",
                                       statuses=("needs-confirmation", "rejected"))
    return c


def _has(path: Path, name: str) -> bool:
    with zipfile.ZipFile(path) as zf:
        return name in zf.namelist()


def _zip_bytes(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for k, v in parts.items():
            zf.writestr(k, v)
    return buf.getvalue()


def _zipcrypto_flag(src: Path, dst: Path) -> Path:
    """Set the 'encrypted' bit on every entry (as a password-protected zip has)."""
    blob = bytearray(Path(src).read_bytes())
    for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = blob.find(sig)
        while i >= 0:
            flags = struct.unpack_from("<H", blob, i + off)[0]
            struct.pack_into("<H", blob, i + off, flags | 1)
            i = blob.find(sig, i + 4)
    Path(dst).write_bytes(bytes(blob))
    return Path(dst)


def _formulas(good: Path, dst: Path) -> Path:
    """Formula cells with cached values: =HYPERLINK, a DDE =cmd|, WEBSERVICE — only cached values may be read."""
    col, _ = _answer_cells_from(good)
    rows = _data_rows(good)
    formulas = ['=HYPERLINK("http://evil.example/x","点这里")', "=cmd|' /C calc'!A0", '=WEBSERVICE("http://evil.example")',
                "=1+1"]

    def edit(name, b):
        if name != first_sheet(good):
            return b
        text = b.decode("utf-8")
        for i, r in enumerate(rows[:4]):
            ref = f"{_col(col - 1)}{r}"
            f = formulas[i].lstrip("=").replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            new = f'<c r="{ref}" t="str"><f>{f}</f><v>公式缓存值{i}</v></c>'
            text = re.sub(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', new, text, count=1, flags=re.S)
        return text.encode("utf-8")
    return rezip(good, dst, edit)


def _formula_text(good: Path, dst: Path) -> Path:
    col, _ = _answer_cells_from(good)
    rows = _data_rows(good)
    texts = ["=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@SUM(A1)", '=HYPERLINK("http://x")']

    def edit(name, b):
        if name != first_sheet(good):
            return b
        text = b.decode("utf-8")
        for i, r in enumerate(rows[:5]):
            ref = f"{_col(col - 1)}{r}"
            t = texts[i].replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            new = f'<c r="{ref}" t="inlineStr"><is><t>{t}</t></is></c>'
            text = re.sub(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', new, text, count=1, flags=re.S)
        return text.encode("utf-8")
    return rezip(good, dst, edit)


def _answer_cells_from(good: Path) -> tuple[int, int]:
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(str(good))
    for name in wb.sheet_names:
        for r, row in enumerate(wb.get_sheet_by_name(name).to_python()):
            for c, v in enumerate(row):
                if str(v).strip() == "完成情况":
                    return c + 1, r + 1
    return 4, 4


def _data_rows(good: Path) -> list[int]:
    """1-based row numbers of the task rows (those with a numeric 序号 below the header)."""
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(str(good))
    _, header = _answer_cells_from(good)
    rows = wb.get_sheet_by_name(wb.sheet_names[0]).to_python()
    out = []
    for r in range(header, len(rows)):
        first = rows[r][0] if rows[r] else ""
        if isinstance(first, (int, float)) or str(first).strip().isdigit():
            out.append(r + 1)
    return out or list(range(header + 1, header + 6))


def _conflicting(good: Path, dst: Path, restamp) -> Path:
    """The custom properties say one unit, the hidden sheet and defined name another."""
    other = restamp(good, dst.with_name("_other.xlsx"), unit_id=2)
    with zipfile.ZipFile(good) as zg:
        props = zg.read("docProps/custom.xml") if "docProps/custom.xml" in zg.namelist() else None
    out = rezip(other, dst, lambda n, b: props if n == "docProps/custom.xml" and props is not None else b)
    dst.with_name("_other.xlsx").unlink()
    return out


if __name__ == "__main__":  # pragma: no cover - a tool for looking at the corpus by hand
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.helpers.returns import restamp as _restamp
    cases = build_corpus(Path(sys.argv[1]), Path(sys.argv[2]), _restamp)
    for kind, case in cases.items():
        print(f"{kind:28} {case.expect:9} {case.path}")
    print(len(cases), "kinds")
