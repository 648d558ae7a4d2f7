"""The “已生成：…（N 页）” line: the writer's own page count, else the laid-out count when LibreOffice is installed."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any


def made_line(result: Mapping[str, Any]) -> str:
    """“已生成：PATH（N 页）”, or “已生成：PATH” when the count cannot be known (never an empty “（ 页）”)."""
    pages = result.get("pages")
    if not pages:
        from core.office.pdf_pages import laid_out_pages
        pages = laid_out_pages(Path(result["path"]))
    return f"已生成：{result['path']}" + (f"（{pages} 页）" if pages else "")
