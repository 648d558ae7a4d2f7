"""Filling generated 附件3/附件4 workbooks as a unit would (openpyxl on the real file), and a closure's evidence file."""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from collections.abc import Callable

from core.forms.stamp import ROW_KEY_HEADER

REPORT_COLUMNS = {"done": "完成情况", "problems": "存在问题", "next_steps": "下一步计划", "on_track": "是否完成阶段"}
PLAN_COLUMNS = {"target": "季度目标及推进计划", "owner": "主要负责人", "supervisor": "分管负责人", "remark": "备注"}


def _flat(value) -> str:
    return "".join(str(value or "").split())


def _layout(ws, labels: dict[str, str]) -> tuple[int, dict[str, int], int]:
    """(header row, {field: column}, key column) of the visible data sheet."""
    for r in range(1, 15):
        cells = {c: _flat(ws.cell(r, c).value) for c in range(1, ws.max_column + 1)}
        key = next((c for c, v in cells.items() if v == ROW_KEY_HEADER), None)
        if key is None:
            continue
        cols = {}
        for field, label in labels.items():
            found = next((c for c, v in cells.items() if v.startswith(label)), None)
            if found:
                cols[field] = found
        return r, cols, key
    raise ValueError(f"no {ROW_KEY_HEADER} header in {ws.title}")


def fill(src: Path, dst: Path, answer: Callable[[str, str], dict | None], form: str,
         filled_on: datetime | None = None) -> Path:
    """Fill a copy of the generated workbook at `dst`, keeping its stamp: answer(row key, 责任类型) gives
    {field: text} for each data row (None leaves the row as generated). `filled_on` goes into the 填报时间 cell.
    """
    import openpyxl
    wb = openpyxl.load_workbook(src)
    ws = next(w for w in wb.worksheets if w.sheet_state == "visible")
    header, cols, key_col = _layout(ws, REPORT_COLUMNS if form == "report" else PLAN_COLUMNS)
    role_col = next((c for c in range(1, ws.max_column + 1) if _flat(ws.cell(header, c).value) == "责任类型"), None)
    for r in range(header + 1, ws.max_row + 1):
        key = str(ws.cell(r, key_col).value or "")
        values = answer(key, str(ws.cell(r, role_col).value or "") if role_col else "") if key else None
        if not values:
            continue
        for field, text in values.items():
            if field in cols:
                ws.cell(r, cols[field]).value = text
    if filled_on is not None:
        for r in range(1, header):
            for c in range(1, ws.max_column + 1):
                if _flat(ws.cell(r, c).value) == "填报时间：":
                    ws.cell(r, c).value = f"填报时间：{filled_on.year}年{filled_on.month}月{filled_on.day}日"
    dst = Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return dst


def received(path: Path, when: datetime) -> Path:
    """Date the saved attachment as received at `when`: collect takes a plain file's received time from its mtime."""
    stamp = when.timestamp()
    os.utime(path, (stamp, stamp))
    return path


def evidence_docx(path: Path, title: str, paragraphs: list[str]) -> Path:
    """A short 办结佐证 report (.docx) the unit sends with its closure request."""
    from docx import Document
    doc = Document()
    doc.add_heading(title, level=1)
    for text in paragraphs:
        doc.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path
