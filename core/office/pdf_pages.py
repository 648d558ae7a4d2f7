"""Print preview of a generated file: LibreOffice lays it out to PDF, pdftoppm draws each page; cached by checksum."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

from core.common.errors import UserError
from core.common.work import Work
from core.office.pdf_export import convert_to_pdf, soffice_path

RENDER_VERSION = 1     # bump when the pictures change (resolution, naming): old cache entries are ignored
DPI = 80               # A4 landscape at 80 dpi is 935×661 px: readable on a 1366×768 screen
CHUNK = 4              # pages drawn per pdftoppm call, so progress moves and cancel is heard


def file_checksum(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def missing_tools() -> str:
    """"" when the preview can be drawn; otherwise the Chinese reason (what is not installed and what to do)."""
    if soffice_path() is None:
        return ("未安装 LibreOffice，无法按打印件的版式预览（分页、表头、页码）。请安装 LibreOffice 后重试；"
                "下面是按台账数据排的简易预览，分页与打印件可能不同。")
    if shutil.which("pdftoppm") is None:
        return ("未找到 pdftoppm（poppler-utils），无法显示打印件的页面。请安装 poppler-utils，"
                "或先“转 PDF”再用 PDF 阅读器查看；下面是简易预览，分页与打印件可能不同。")
    return ""


def pdf_page_count(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60).stdout
        for line in out.splitlines():
            if line.startswith("Pages:"):
                return int(line.split()[-1])
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf.read_bytes()))


def render_pages(path: Path | str, cache_root: Path | str, work: Work | None = None) -> dict:
    """{"pdf", "pages": [png paths in order], "count", "cached"} for `path`; raises UserError when tools are missing."""
    path = Path(path)
    reason = missing_tools()
    if reason:
        raise UserError(reason)
    work = work or Work()
    say = work.report
    folder = Path(cache_root) / f"{file_checksum(path)}-v{RENDER_VERSION}"
    done_file = folder / "pages.json"
    if done_file.exists():
        names = json.loads(done_file.read_text(encoding="utf-8"))["pages"]
        cached = [folder / n for n in names]
        if all(p.exists() for p in cached):
            say(len(cached), len(cached), "已从缓存读取")
            return {"pdf": folder / "file.pdf", "pages": cached, "count": len(cached), "cached": True}
    work.check("已取消打印预览。")   # another file was chosen before this one's turn came
    folder.mkdir(parents=True, exist_ok=True)
    say(0, 0, "正在用 LibreOffice 排版…")
    produced = convert_to_pdf(path, folder)
    pdf = folder / "file.pdf"
    produced.replace(pdf)
    count = pdf_page_count(pdf)
    if count < 1:
        raise UserError(f"LibreOffice 排出的“{path.name}”没有页面，无法预览。请用 Excel/WPS 打开文件查看。")
    pages: list[Path] = []
    for first in range(1, count + 1, CHUNK):
        work.check("已取消打印预览。")
        last = min(count, first + CHUNK - 1)
        subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(first), "-l", str(last), str(pdf),
                        str(folder / "page")], check=True, capture_output=True, timeout=300)
        pages = sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        say(last, count, f"第 {last} 页 / 共 {count} 页")
    if len(pages) != count:
        raise UserError(f"“{path.name}”共 {count} 页，只画出了 {len(pages)} 页。请重试，或先“转 PDF”再查看。")
    done_file.write_text(json.dumps({"source": path.name, "pages": [p.name for p in pages]}, ensure_ascii=False),
                         encoding="utf-8")
    return {"pdf": pdf, "pages": pages, "count": count, "cached": False}


PRINT_DPI = 200        # the pages sent to a printer: sharp 3号 text, a few MB a page


def print_images(pdf: Path | str, work: Work | None = None, dpi: int = PRINT_DPI) -> list[Path]:
    """The laid-out PDF's pages drawn for printing (beside it, “print-<dpi>-N.png”, kept): the same pages the print
    preview shows, at a printer's resolution."""
    pdf = Path(pdf)
    work = work or Work()
    count = pdf_page_count(pdf)
    stem = pdf.parent / f"print-{dpi}"
    pages = sorted(pdf.parent.glob(f"print-{dpi}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    if len(pages) == count:
        return pages
    for first in range(1, count + 1, CHUNK):
        work.check("已取消打印。")
        last = min(count, first + CHUNK - 1)
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(first), "-l", str(last), str(pdf), str(stem)],
                       check=True, capture_output=True, timeout=600)
        work.report(last, count, f"正在准备打印：第 {last} 页 / 共 {count} 页")
    pages = sorted(pdf.parent.glob(f"print-{dpi}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    if len(pages) != count:
        raise UserError(f"共 {count} 页，只准备好 {len(pages)} 页，没有打印。请重试，或先“转 PDF”再用 PDF 阅读器打印。")
    return pages


def laid_out_pages(path: Path | str) -> int | None:
    """How many pages `path` prints as LibreOffice lays it out (the count the print preview shows), or None when
    LibreOffice or poppler is missing or the layout fails (the caller then says nothing of pages)."""
    import tempfile
    if missing_tools():
        return None
    try:
        with tempfile.TemporaryDirectory(prefix="ducha-pages-") as tmp:
            return pdf_page_count(convert_to_pdf(Path(path), Path(tmp))) or None
    except (UserError, OSError, subprocess.SubprocessError):
        return None
