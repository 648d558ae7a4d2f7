"""Returned 附件4 with what units put beside the form: a sheet of their own in front, a renamed form sheet."""
from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.helpers import returns as rh

HIGHLIGHTS = [("1", "打造“一站式”政务服务综合体",
                "4月新增进驻事项126项，群众办事平均跑动次数由1.8次降至0.6次，经验被市政务办刊发推广。"),
              ("2", "园区“标准地+承诺制”改革", "完成3宗工业用地“拿地即开工”，从摘牌到开工平均用时缩短至12个工作日。")]


def highlights_in_front(src: Path, dst: Path, form_title: str = "4月") -> Path:
    """The unit adds a “亮点工作” sheet with its own 序号/重点任务/进展情况 table in front of the form and renames
    the form sheet (its key column stays with it)."""
    wb = openpyxl.load_workbook(src)
    form = rh.data_sheet(wb)
    form.title = form_title
    ws = wb.create_sheet("亮点工作", index=0)
    ws.append(["2026年4月亮点工作"])
    ws.append(["序号", "重点任务", "进展情况"])
    for row in HIGHLIGHTS:
        ws.append(list(row))
    wb.active = 0
    wb.save(dst)
    return Path(dst)


def png(dst: Path, width: int = 64, height: int = 48) -> Path:
    """A small photo stand-in (a plain RGB PNG) for a unit's 详见下图."""
    import struct
    import zlib
    raw = b"".join(b"\x00" + bytes((40 + x * 3) % 256 for x in range(width * 3)) for _ in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    body = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    Path(dst).write_bytes(body)
    return Path(dst)


def uno_python() -> str | None:
    """A Python that can drive LibreOffice (the system one with python3-uno)."""
    import shutil
    import subprocess
    for exe in ("/usr/bin/python3", shutil.which("python3")):
        if exe and subprocess.run([exe, "-c", "import uno"], capture_output=True).returncode == 0:
            return exe
    return None


def lo_annotate(src: Path, dst: Path, ops: list[dict]) -> Path:
    """Apply ops (see lo_annotate.py) in a headless LibreOffice and save as .xlsx: the file a real office suite wrote."""
    import json
    import subprocess
    spec = Path(dst).with_suffix(".json")
    spec.write_text(json.dumps(ops, ensure_ascii=False), encoding="utf-8")
    exe = uno_python()
    assert exe, "python3-uno is needed"
    subprocess.run([exe, str(Path(__file__).with_name("lo_annotate.py")), str(src), str(spec), str(dst)],
                   check=True, timeout=180)
    spec.unlink()
    return Path(dst)


def cell_of(src: Path, key: str, field: str) -> str:
    """The A1 name of the cell of row `key`, column `field` in the form sheet."""
    from openpyxl.utils import get_column_letter
    wb = openpyxl.load_workbook(src)
    ws = rh.data_sheet(wb)
    cols, header = rh._columns(ws)
    row = next(r for r in range(header + 1, ws.max_row + 1) if str(ws.cell(r, cols["key"]).value or "") == key)
    return f"{get_column_letter(cols[field])}{row}"


def last_row(src: Path) -> int:
    wb = openpyxl.load_workbook(src)
    return rh.data_sheet(wb).max_row


def threaded_comment(src: Path, dst: Path, cell: str, texts: list[str]) -> Path:
    """A 线程批注 the way Excel 365 writes it: the thread (first comment and its replies) in
    xl/threadedComments/, and a legacy comment holding only Excel's stub text for older readers."""
    import re
    import uuid
    import zipfile

    from openpyxl.comments import Comment
    wb = openpyxl.load_workbook(src)
    ws = rh.data_sheet(wb)
    stub = ("[线程批注]\n你的 Excel 版本可读取此线程批注; 但如果在更新版本的 Excel 中打开文件，"
            "则对批注所做的任何编辑都将被删除。")
    ws[cell].comment = Comment(stub, "tc=" + str(uuid.uuid4()))
    tmp = Path(dst).with_suffix(".tmp.xlsx")
    wb.save(tmp)
    ids = [f"{{{uuid.uuid4()}}}".upper() for _ in texts]
    ns = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"
    person = "{00000000-0000-0000-0000-000000000001}"
    body = "".join(f'<threadedComment ref="{cell}" dT="2026-04-27T09:{i:02d}:00.00" personId="{person}" '
                   f'id="{ids[i]}"' + (f' parentId="{ids[0]}"' if i else "") + f"><text>{t}</text></threadedComment>"
                   for i, t in enumerate(texts))
    part = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<ThreadedComments xmlns="{ns}">{body}</ThreadedComments>'
    with zipfile.ZipFile(tmp) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        names = zin.namelist()
        sheet_rels = next(n for n in names if n.startswith("xl/worksheets/_rels/"))
        for name in names:
            data = zin.read(name)
            if name == sheet_rels:
                data = data.replace(b"</Relationships>", (
                    b'<Relationship Id="rIdTc1" Type="http://schemas.microsoft.com/office/2017/10/relationships/'
                    b'threadedComment" Target="../threadedComments/threadedComment1.xml"/></Relationships>'))
            elif name == "[Content_Types].xml":
                data = re.sub(rb"</Types>", (
                    b'<Override PartName="/xl/threadedComments/threadedComment1.xml" ContentType="application/'
                    b'vnd.ms-excel.threadedcomments+xml"/></Types>'), data)
            zout.writestr(name, data)
        zout.writestr("xl/threadedComments/threadedComment1.xml", part.encode("utf-8"))
    tmp.unlink()
    return Path(dst)
