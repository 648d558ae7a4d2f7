"""Limits on what is read from a unit's workbook, checked on the zip parts before parsing (bombs, entities, huge sheets)."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from core.common.errors import UserError
from core.common.sniff import MAX_ENTRIES, MAX_FILE_BYTES, MAX_RATIO, MAX_UNZIPPED_BYTES

MAX_PART_BYTES = 100 * 1024 * 1024     # one decompressed XML part
MAX_CELLS = 200_000                    # a unit's form has a few thousand cells
MAX_ROWS = 50_000                      # rows declared in one sheet
MAX_CELL_BYTES = 32_767 * 6 + 4096     # Excel's 32 767 characters per cell, as escaped UTF-8 with markup
MAX_SHARED_STRINGS = 200_000
CHUNK = 1 << 20

_DECL = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)
_ROOT = re.compile(rb"<[A-Za-z_]")
_DIM = re.compile(rb'<dimension[^>]*ref="[A-Z]+(\d+)(?::[A-Z]+(\d+))?"')
_ROW_R = re.compile(rb'<row[^>]*\sr="(\d+)"')


def _name(path) -> str:
    return Path(path).name if path else "文件"


def open_workbook_zip(path: Path | str, data: bytes | None = None) -> zipfile.ZipFile:
    """The workbook's zip (size checked first), or the clerk-facing UserError for a file too big or not a zip."""
    name = _name(path)
    size = len(data) if data is not None else Path(path).stat().st_size
    if size > MAX_FILE_BYTES:
        raise UserError(f"文件“{name}”太大（{size // 1024 // 1024} MB），超过 {MAX_FILE_BYTES // 1024 // 1024} MB 的上限，"
                        "已拒收。请确认文件是否正确。")
    try:
        return zipfile.ZipFile(io.BytesIO(data) if data is not None else path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UserError(f"文件“{name}”已损坏或不完整（压缩结构无法读取）。请让对方重新发送。") from exc


def check_workbook_limits(path: Path | str, data: bytes | None = None,
                          zf: zipfile.ZipFile | None = None) -> dict[str, bytes]:
    """Refuse, with a Chinese UserError, a zip-based workbook (.xlsx/.xlsm/.ods) that is too big, a zip bomb,
    declares XML entities or a DTD, or holds far more cells or far longer cell text than any form.
    zf: the workbook's zip already opened by open_workbook_zip (the caller reads it on and closes it).
    Returns the XML parts the check unpacked whole (each up to 1 MB), by name, checked: the readers take them from
    here instead of unpacking them again."""
    name = _name(path)
    if zf is None:
        with open_workbook_zip(path, data) as own:
            return _check_zip(own, name)
    return _check_zip(zf, name)


def _check_zip(zf: zipfile.ZipFile, name: str) -> dict[str, bytes]:
    """The zip-level checks: entry count, unpacked size and ratio, paths, encryption, then each XML part."""
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise UserError(f"文件“{name}”内部部件过多（{len(infos)} 个），可能是恶意文件，已拒收。")
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > MAX_UNZIPPED_BYTES or (total > 10 * 1024 * 1024 and total / packed > MAX_RATIO):
        raise UserError(f"文件“{name}”解压后体积异常（{total // 1024 // 1024} MB，压缩比 {total // packed}），"
                        "疑似“压缩炸弹”，已拒收。")
    parts: dict[str, bytes] = {}
    for info in infos:
        member = info.filename
        if member.startswith("/") or ".." in member.replace("\\", "/").split("/"):
            raise UserError(f"文件“{name}”内部含有异常路径（{member[:60]}），可能是恶意文件，已拒收。")
        if info.flag_bits & 0x1:
            raise UserError(f"文件“{name}”的内部部件被加密，无法读取。请让对方取消密码后重新发送。")
        if not member.endswith((".xml", ".rels", ".vml")):
            continue
        if info.file_size > MAX_PART_BYTES:
            raise UserError(f"文件“{name}”的部件 {member} 解压后过大（{info.file_size // 1024 // 1024} MB），已拒收。")
        whole = _check_part(zf, info, name)
        if whole is not None:
            parts[member] = whole
    return parts


def _too_long(name: str) -> UserError:
    return UserError(f"文件“{name}”中有单元格文字过长（超过 Excel 单元格 32767 字的上限），疑似恶意文件，已拒收。")


def _check_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes | None:
    """Stream one XML part: no DTD/entities; cells (or shared strings) counted; the longest one measured.
    Returns the part's bytes when it came in one chunk (None for a bigger part)."""
    member = info.filename
    is_sheet = member.startswith("xl/worksheets/") or member == "content.xml"
    is_sst = member.endswith("sharedStrings.xml")
    token = b"<c " if member.startswith("xl/worksheets/") else b"<table:table-cell" if member == "content.xml" else b"<si"
    limit = MAX_SHARED_STRINGS if is_sst else MAX_CELLS
    count, last, seen_root, pos, carry = 0, None, False, 0, b""
    chunks = 0
    first = b""
    try:
        fh = zf.open(info)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, ValueError) as exc:
        raise UserError(f"文件“{name}”已损坏或不完整（部件 {member} 无法解压）。请让对方重新发送。") from exc
    with fh:
        while True:
            try:
                chunk = fh.read(CHUNK)
            except Exception as exc:  # noqa: BLE001 - zlib.error, BadZipFile (CRC), EOFError
                raise UserError(f"文件“{name}”已损坏或不完整（部件 {member} 无法解压）。请让对方重新发送。") from exc
            if not chunk:
                break
            chunks += 1
            if chunks == 1:
                first = chunk
            buf, base = carry + chunk, pos - len(carry)
            if _DECL.search(buf) if not seen_root else (b"<!ENTITY" in buf or b"<!DOCTYPE" in buf):
                raise UserError(f"文件“{name}”的部件 {member} 含有 XML 实体或文档类型声明"
                                "（可能是“XML 炸弹”或外部实体攻击），已拒收。")
            seen_root = seen_root or bool(_ROOT.search(buf))
            if member.startswith("xl/worksheets/") and base <= 0:
                m = _DIM.search(buf)
                if m and int(m.group(2) or m.group(1)) > MAX_ROWS:
                    raise UserError(f"文件“{name}”的工作表声明了 {int(m.group(2) or m.group(1))} 行，"
                                    "远超报送表格的规模，疑似恶意文件，已拒收。")
            if is_sheet or is_sst:
                i = buf.find(token)
                while i >= 0:
                    at = base + i
                    if last is None or at > last:
                        if last is not None and at - last > MAX_CELL_BYTES:
                            raise _too_long(name)
                        last = at
                        count += 1
                    i = buf.find(token, i + 1)
                if count > limit:
                    what = "不同文字" if is_sst else "单元格"
                    raise UserError(f"文件“{name}”的 {member} 含有超过 {limit} 个{what}，远超报送表格的规模，已拒收。")
                if last is not None and base + len(buf) - last > MAX_CELL_BYTES + 65536:
                    raise _too_long(name)
            pos += len(chunk)
            carry = buf[-32:]
    return first if chunks <= 1 else None
