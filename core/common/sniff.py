"""What a file really is, from its first bytes and zip parts, whatever its extension says."""
from __future__ import annotations

import zipfile
from pathlib import Path

from core.common.errors import UserError

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# BIFF8 BOF of the workbook globals (type 0x0809, 16 bytes, version 0x0600, kind 0x0005); FILEPASS (0x002F) right after
# it means the .xls has an open password
_BIFF8_GLOBALS_BOF = bytes.fromhex("0908100000060500")
_FILEPASS = b"\x2f\x00"

# limits for any zip-based office file we open (zip bombs, huge parts)
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 300 * 1024 * 1024
MAX_RATIO = 200
MAX_ENTRIES = 10000


def sniff(path: Path) -> str:
    """One of: docx, xlsx, xlsm, ods, odt, xls, doc, cfb-encrypted, xls-encrypted, ods-encrypted, pdf, image,
    text, empty, zip, unknown (cfb-encrypted: an .xlsx/.docx with an open password, as Office writes it)."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        return "empty"
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
                if "mimetype" in names:
                    mime = zf.read("mimetype")[:100]
                    if b"spreadsheet" in mime:
                        return "ods-encrypted" if _odf_encrypted(zf, names) else "ods"
                    if b"text" in mime:
                        return "odt"
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                    return "xlsm" if "xl/vbaProject.bin" in names else "xlsx"
                return "zip"
        except zipfile.BadZipFile:
            return "broken-zip"
    if head == CFB_MAGIC:
        with open(path, "rb") as fh:
            blob = fh.read(min(size, 4 * 1024 * 1024))
        if "EncryptedPackage".encode("utf-16-le") in blob:
            return "cfb-encrypted"
        if "WordDocument".encode("utf-16-le") in blob:
            return "doc"
        if "Workbook".encode("utf-16-le") in blob or "Book".encode("utf-16-le") in blob:
            bof = blob.find(_BIFF8_GLOBALS_BOF)
            if bof >= 0 and blob[bof + 20:bof + 22] == _FILEPASS:
                return "xls-encrypted"
            return "xls"
        return "cfb"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"II*\x00", b"MM\x00*")):
        return "image"
    with open(path, "rb") as fh:
        sample = fh.read(4096)
    if b"\x00" not in sample:
        for enc in ("utf-8-sig", "gb18030"):
            try:
                sample.decode(enc)
                return "text"
            except UnicodeDecodeError as exc:
                if exc.start > len(sample) - 4:  # cut in the middle of a character
                    return "text"
    return "unknown"


def _odf_encrypted(zf: zipfile.ZipFile, names: set[str]) -> bool:
    """An .ods/.odt saved with a password lists encryption-data for its parts in the manifest."""
    if "META-INF/manifest.xml" not in names or zf.getinfo("META-INF/manifest.xml").file_size > 1024 * 1024:
        return False
    return b"encryption-data" in zf.read("META-INF/manifest.xml")


def check_zip_limits(path: Path) -> None:
    """Refuse zip-based files that would unpack to far more than they weigh (zip bombs)."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UserError(f"文件“{path.name}”太大（{size // 1024 // 1024} MB），超过 {MAX_FILE_BYTES // 1024 // 1024} MB 的上限。"
                        "请确认文件是否正确。")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise UserError(f"文件“{path.name}”已损坏或不完整（压缩结构无法读取）。请让对方重新发送。") from exc
    if len(infos) > MAX_ENTRIES:
        raise UserError(f"文件“{path.name}”内部部件过多（{len(infos)} 个），可能是恶意文件，已拒收。")
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > MAX_UNZIPPED_BYTES or (total > 10 * 1024 * 1024 and total / packed > MAX_RATIO):
        raise UserError(f"文件“{path.name}”解压后体积异常（{total // 1024 // 1024} MB，压缩比 {total // packed}），"
                        "疑似“压缩炸弹”，已拒收。")


def check_input_limits(path: Path) -> None:
    """Size limit for any file the clerk picks; zip-based files (.xlsx/.docx/.ods) also get the zip-bomb checks."""
    path = Path(path)
    with open(path, "rb") as fh:
        zipped = fh.read(2) == b"PK"
    if zipped:
        check_zip_limits(path)
    elif path.stat().st_size > MAX_FILE_BYTES:
        raise UserError(f"文件“{path.name}”太大（{path.stat().st_size // 1024 // 1024} MB），超过 "
                        f"{MAX_FILE_BYTES // 1024 // 1024} MB 的上限。请确认文件是否正确。")


FILE_KIND_NAMES = {
    "docx": "Word 文档", "doc": "旧版 Word 文档（.doc）", "xlsx": "Excel 工作簿", "xlsm": "含宏的 Excel 工作簿",
    "xls": "旧版 Excel 工作簿（.xls）", "ods": "ODS 表格", "odt": "ODT 文档", "text": "文本文件",
    "empty": "空文件", "zip": "压缩包", "broken-zip": "损坏的压缩文件", "cfb-encrypted": "加密的 Office 文件",
    "cfb": "未知的 Office 文件", "unknown": "无法识别的文件", "xls-encrypted": "加密的 .xls 工作簿",
    "ods-encrypted": "加密的 ODS 表格", "pdf": "PDF 文件", "image": "图片",
}
ENCRYPTED_KINDS = {"cfb-encrypted", "xls-encrypted", "ods-encrypted"}


def refuse_unreadable(path: Path, kind: str) -> None:
    """Raise the clerk-facing message for kinds no reader takes."""
    name = Path(path).name
    if kind == "empty":
        raise UserError(f"文件“{name}”是空文件（0 字节）。请让对方重新发送。")
    if kind in ENCRYPTED_KINDS:
        raise UserError(f"文件“{name}”设置了打开密码（已加密），无法读取。"
                        "请让对方取消密码后重新发送，或在 Office/WPS 中另存为无密码文件。")
    if kind == "broken-zip":
        raise UserError(f"文件“{name}”已损坏或不完整（可能下载未完成）。请让对方重新发送。")
    if kind == "doc":
        raise UserError(f"文件“{name}”是旧版 Word 格式（.doc）。请在 Word 或 WPS 中另存为 .docx 后再导入。")
    if kind in ("unknown", "cfb", "zip", "odt", "pdf", "image"):
        raise UserError(f"文件“{name}”不是可识别的 Word 或 Excel 文件（{FILE_KIND_NAMES.get(kind, kind)}）。"
                        "请选择立项表的 .docx、.xlsx、.xls 或文本文件。")
