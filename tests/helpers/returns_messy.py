"""Messy returned 附件4 the way units really edit them: reworded headers, added columns, sorted or shifted rows, copied sheets."""
from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from tests.helpers import returns as rh

TOPICS = ["招商引资", "项目建设", "要素保障", "营商环境", "民生保障", "安全生产", "生态环保", "数字赋能"]


def long_answer(i: int, tag: str = "", length: int = 200) -> str:
    """A 完成情况 of real length (120–400 characters) in 一是/二是/三是 style, different for every i."""
    topic = TOPICS[i % len(TOPICS)]
    parts = [f"{tag}一是聚焦{topic}，第{i + 1}项任务已召开专题推进会{i % 5 + 2}次，"
             f"梳理问题清单{i % 7 + 3}项，明确责任人和完成时限；",
             f"二是完成年度目标的{(i * 7) % 60 + 30}%，累计投入资金{i % 9 + 1}.{i % 10}亿元，"
             f"协调解决用地、用能等要素问题{i % 4 + 1}个；",
             "三是建立周调度、月通报机制，对进度滞后的子项逐项督导，确保按序时推进；",
             "四是加强与市级部门的对接，争取政策和资金支持，形成上下联动、齐抓共管的工作格局。"]
    text = "".join(parts)
    while len(text) < length:
        text += f"五是持续跟踪第{i + 1}项任务的关键节点，及时总结经验做法，形成可复制推广的典型案例。"
    return text[:max(length, 120)][:400]


def answers(path: Path, tag: str = "", length: int = 200) -> dict:
    """{row key: {done, problems, next_steps, on_track}} with long, distinct texts."""
    return {k: {"done": long_answer(i, tag, length),
                "problems": f"{tag}第{i + 1}项：部分子项受审批周期影响，进度偏慢。",
                "next_steps": f"{tag}第{i + 1}项：下一步加快手续办理，确保下月完成节点目标。",
                "on_track": "是" if i % 3 else "否"}
            for i, k in enumerate(rh.row_keys(path))}


def _open(src: Path):
    wb = openpyxl.load_workbook(src)
    ws = rh.data_sheet(wb)
    cols, header = rh._columns(ws)
    return wb, ws, cols, header


def _last_data_row(ws, cols, header) -> int:
    last = header
    while ws.cell(last + 1, cols["key"]).value:
        last += 1
    return last


def reword_headers(src: Path, dst: Path, labels: dict[str, str]) -> Path:
    """labels: {field: new header text}, e.g. {"done": "推进\\n情况"}."""
    wb, ws, cols, header = _open(src)
    for f, label in labels.items():
        ws.cell(header, cols[f]).value = label
    wb.save(dst)
    return Path(dst)


def add_column(src: Path, dst: Path, label: str, values: dict[str, str], before: str | None = None) -> Path:
    """A column the unit added: at the end of the sheet (after the hidden key column), or inserted before a field's
    column (shifting the rest right). values: {row key: text}."""
    wb, ws, cols, header = _open(src)
    key_col = cols["key"]
    keys = {r: str(ws.cell(r, key_col).value or "") for r in range(header + 1, ws.max_row + 1)}
    if before:
        at = cols[before]
        ws.insert_cols(at)
        key_col += 1 if key_col >= at else 0
    else:
        at = ws.max_column + 1
    ws.cell(header, at).value = label
    for r, k in keys.items():
        if k in values:
            ws.cell(r, at).value = values[k]
    wb.save(dst)
    return Path(dst)


def two_row_header(src: Path, dst: Path, group: str = "工作落实情况",
                   sub: dict[str, str] | None = None) -> Path:
    """The header on two rows: a merged 工作落实情况 over 完成情况/存在问题/下一步计划, the other labels merged down."""
    sub = sub or {"done": "完成情况", "problems": "存在问题", "next_steps": "下一步计划"}
    wb, ws, cols, header = _open(src)
    for rng in list(ws.merged_cells.ranges):
        if rng.min_row >= header:
            ws.unmerge_cells(str(rng))
    ws.insert_rows(header)
    top, bottom = header, header + 1
    grouped = sorted(cols[f] for f in sub)
    for c in range(1, ws.max_column + 1):
        if c in grouped:
            continue
        ws.cell(top, c).value = ws.cell(bottom, c).value
        ws.cell(bottom, c).value = None
        ws.merge_cells(start_row=top, start_column=c, end_row=bottom, end_column=c)
    ws.cell(top, grouped[0]).value = group
    ws.merge_cells(start_row=top, start_column=grouped[0], end_row=top, end_column=grouped[-1])
    for f, label in sub.items():
        ws.cell(bottom, cols[f]).value = label
    wb.save(dst)
    return Path(dst)


def sort_visible(src: Path, dst: Path, order: list[int]) -> Path:
    """A unit sorts columns A:H only (the hidden key column stays put): data row i gets the cells of row order[i]."""
    wb, ws, cols, header = _open(src)
    first, last = header + 1, _last_data_row(ws, cols, header)
    width = cols["key"] - 1
    rows = [[ws.cell(r, c).value for c in range(1, width + 1)] for r in range(first, last + 1)]
    for i, j in enumerate(order):
        for c in range(1, width + 1):
            ws.cell(first + i, c).value = rows[j][c - 1]
    wb.save(dst)
    return Path(dst)


def delete_cells_shift_up(src: Path, dst: Path, index: int) -> Path:
    """删除单元格 → 下方单元格上移 on columns A:H of one data row (the hidden key column does not move)."""
    wb, ws, cols, header = _open(src)
    first, last = header + 1, _last_data_row(ws, cols, header)
    width = cols["key"] - 1
    for r in range(first + index, last + 1):
        for c in range(1, width + 1):
            ws.cell(r, c).value = ws.cell(r + 1, c).value if r < last else None
    wb.save(dst)
    return Path(dst)


def set_cells(src: Path, dst: Path, cells: dict[tuple[str, str], object], number_format: dict | None = None) -> Path:
    """cells: {(row key, field): value}; number_format: {(row key, field): format code} (as Excel's 设置单元格格式)."""
    wb, ws, cols, header = _open(src)
    number_format = number_format or {}
    for r in range(header + 1, ws.max_row + 1):
        key = str(ws.cell(r, cols["key"]).value or "")
        for (k, f), v in cells.items():
            if k == key:
                cell = ws.cell(r, cols[f])
                cell.value = v
                if (k, f) in number_format:
                    cell.number_format = number_format[(k, f)]
    wb.save(dst)
    return Path(dst)


def filled_copy(src: Path, dst: Path, values: dict, hide_original: bool = False, title: str | None = None) -> Path:
    """The unit copies the sheet (移动或复制 → 建立副本), fills the copy and leaves the blank original first."""
    wb = openpyxl.load_workbook(src)
    original = rh.data_sheet(wb)
    copy = wb.copy_worksheet(original)
    if title:
        copy.title = title
    cols, header = rh._columns(copy)
    for r in range(header + 1, copy.max_row + 1):
        key = str(copy.cell(r, cols["key"]).value or "")
        for f, v in values.get(key, {}).items():
            copy.cell(r, cols[f]).value = v
    if hide_original:
        original.sheet_state = "hidden"
    wb.save(dst)
    return Path(dst)


def insert_row(src: Path, dst: Path, after_key: str, values: dict[str, str]) -> Path:
    """A row the unit inserted under a task to add text (no key, no task text)."""
    wb, ws, cols, header = _open(src)
    at = next(r for r in range(header + 1, ws.max_row + 1) if str(ws.cell(r, cols["key"]).value or "") == after_key)
    ws.insert_rows(at + 1)
    for f, v in values.items():
        ws.cell(at + 1, cols[f]).value = v
    wb.save(dst)
    return Path(dst)


def column_letter(src: Path, field: str) -> str:
    wb, ws, cols, header = _open(src)
    return get_column_letter(cols[field])


def second_unit_sheet(src: Path, other: Path, dst: Path, title: str = "") -> Path:
    """一个单位两块牌子: the office pastes its second unit's filled sheet (values as shown, its 填报单位 and key
    column) into the first unit's workbook as a sheet of its own."""
    wb = openpyxl.load_workbook(src)
    theirs = rh.data_sheet(openpyxl.load_workbook(other))
    ws = wb.create_sheet(title or theirs.title + "（2）", index=wb.index(rh.data_sheet(wb)) + 1)
    for row in theirs.iter_rows():
        for cell in row:
            if cell.value is not None:
                ws.cell(cell.row, cell.column).value = cell.value
    for rng in theirs.merged_cells.ranges:
        ws.merge_cells(str(rng))
    wb.save(dst)
    return Path(dst)
