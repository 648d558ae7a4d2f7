"""A generated .xlsx/.docx to PDF with headless LibreOffice (a private profile, so a running office is not disturbed)."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from core.common.errors import UserError


def soffice_path() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in (r"C:\Program Files\LibreOffice\program\soffice.exe",
                      r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"):
        if os.path.exists(candidate):
            return candidate
    return None


def convert_to_pdf(path: Path | str, out_dir: Path | str | None = None, timeout: int = 300) -> Path:
    """Same layout as the printed file (page breaks, repeated headers, footers): what LibreOffice prints."""
    path = Path(path)
    exe = soffice_path()
    if exe is None:
        raise UserError("未找到 LibreOffice（soffice），无法转换为 PDF。"
                        "请安装 LibreOffice，或用 Excel/WPS 打开文件后“另存为 PDF”。")
    out_dir = Path(out_dir or path.parent)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ducha-lo-") as profile, tempfile.TemporaryDirectory(prefix="ducha-pdf-") as tmp:
        cmd = [exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--convert-to", "pdf",
               "--outdir", tmp, str(path)]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise UserError(f"LibreOffice 转换“{path.name}”超时，请稍后重试。") from None
        except subprocess.CalledProcessError as exc:
            raise UserError(f"LibreOffice 转换“{path.name}”失败：{exc.stderr.decode(errors='replace')[:200]}") from None
        produced = Path(tmp) / (path.stem + ".pdf")
        if not produced.exists():
            raise UserError(f"LibreOffice 未能把“{path.name}”转换为 PDF，请用 Excel/WPS 打开后另存为 PDF。")
        target = out_dir / produced.name
        shutil.move(str(produced), str(target.with_name(target.name + ".part")))
        os.replace(target.with_name(target.name + ".part"), target)
    return target
