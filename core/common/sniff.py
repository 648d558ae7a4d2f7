"""What a file really is, from its first bytes and zip parts, whatever its extension says."""
from __future__ import annotations

import zipfile
from pathlib import Path

from core.common.errors import UserError

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# limits for any zip-based office file we open (zip bombs, huge parts)
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 300 * 1024 * 1024
MAX_RATIO = 200
MAX_ENTRIES = 10000


def sniff(path: Path) -> str:
    """One of: docx, xlsx, xlsm, ods, odt, xls, doc, cfb-encrypted, text, empty, zip, unknown."""
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
                        return "ods"
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
            return "xls"
        return "cfb"
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


def check_zip_limits(path: Path) -> None:
    """Refuse zip-based files that would unpack to far more than they weigh (zip bombs)."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UserError(f"文件“{path.name}”太大（{size // 1024 // 1024} MB），超过 {MAX_FILE_BYTES // 1024 // 1024} MB 的上限。请确认文件是否正确。")
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
        raise UserError(f"文件“{path.name}”解压后体积异常（{total // 1024 // 1024} MB，压缩比 {total // packed}），疑似“压缩炸弹”，已拒收。")


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


KIND_NAMES = {
    "docx": "Word 文档", "doc": "旧版 Word 文档（.doc）", "xlsx": "Excel 工作簿", "xlsm": "含宏的 Excel 工作簿",
    "xls": "旧版 Excel 工作簿（.xls）", "ods": "ODS 表格", "odt": "ODT 文档", "text": "文本文件",
    "empty": "空文件", "zip": "压缩包", "broken-zip": "损坏的压缩文件", "cfb-encrypted": "加密的 Office 文件",
    "cfb": "未知的 Office 文件", "unknown": "无法识别的文件",
}


def refuse_unreadable(path: Path, kind: str) -> None:
    """Raise the clerk-facing message for kinds no reader takes."""
    name = Path(path).name
    if kind == "empty":
        raise UserError(f"文件“{name}”是空文件（0 字节）。请让对方重新发送。")
    if kind == "cfb-encrypted":
        raise UserError(f"文件“{name}”设置了打开密码（已加密），无法读取。请让对方取消密码后重新发送，或在 Office/WPS 中另存为无密码文件。")
    if kind == "broken-zip":
        raise UserError(f"文件“{name}”已损坏或不完整（可能下载未完成）。请让对方重新发送。")
    if kind == "doc":
        raise UserError(f"文件“{name}”是旧版 Word 格式（.doc）。请在 Word 或 WPS 中另存为 .docx 后再导入。")
    if kind in ("unknown", "cfb", "zip", "odt"):
        raise UserError(f"文件“{name}”不是可识别的 Word 或 Excel 文件（{KIND_NAMES.get(kind, kind)}）。请选择立项表的 .docx、.xlsx、.xls 或文本文件。")
