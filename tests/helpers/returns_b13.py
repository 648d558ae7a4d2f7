"""Helpers for the 收文 fidelity tests: long 一是/二是/三是 entries, cell edits a unit makes, where a value ended up."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from core.ledger import schema
from tests.helpers import returns as rh


def long_entry(tag: str, n: int = 1) -> str:
    """A 完成情况 of real length (about 150–250 characters) in the 一是/二是/三是 style, unique by `tag`."""
    return (f"{tag}：一是召开专题推进会{n + 2}次，细化任务分工，明确时间节点和责任人，形成工作台账并实行周调度；"
            f"二是完成项目前期手续办理，累计完成投资{n * 120 + 35}万元，占年度计划的{20 + n}%，现场施工有序推进；"
            f"三是加强督导检查，开展实地督查{n + 1}次，发现并整改问题{n + 4}个，群众满意度持续提升；"
            f"四是及时总结经验做法，报送信息{n + 3}篇，其中{n}篇被市级采用。")


def unit_id(ledger, name: str) -> int:
    with ledger.read() as conn:
        return conn.execute(select(schema.unit.c.id).where(schema.unit.c.name == name)).scalar_one()


def task_of_key(ledger, key: str) -> int:
    with ledger.read() as conn:
        return conn.execute(select(schema.task.c.id).where(schema.task.c.uid == key.split(":")[0])).scalar_one()


def progress(ledger, task_id: int, unit: int, period: str) -> dict | None:
    """The ledger's progress row for (task, unit, month), or None when there is none."""
    pr = schema.progress_row
    with ledger.read() as conn:
        row = conn.execute(select(pr).where(pr.c.task_id == task_id, pr.c.unit_id == unit,
                                            pr.c.period == period)).mappings().first()
    return dict(row) if row else None


def all_done_texts(ledger) -> dict[tuple, str]:
    """{(task_id, unit_id, period): 完成情况} for every progress row."""
    pr = schema.progress_row
    with ledger.read() as conn:
        return {(r.task_id, r.unit_id, r.period): r.done for r in conn.execute(select(pr))}


def set_cells(src: Path, dst: Path, title: tuple[str, str] | None = None, unit_cell: str | None = None) -> Path:
    """What a unit does to the top lines: retitle (title=("（3月）", "（4月）") replaces in the title lines), or
    change the 填报单位 line."""
    import openpyxl
    wb = openpyxl.load_workbook(src)
    ws = rh.data_sheet(wb)
    for row in ws.iter_rows(min_row=1, max_row=6):
        for cell in row:
            text = str(cell.value or "")
            if title is not None and title[0] in text and not text.startswith("填报"):
                cell.value = text.replace(*title)
            if unit_cell is not None and text.startswith("填报单位"):
                cell.value = unit_cell
    wb.save(dst)
    return Path(dst)


def find_pair(ledger) -> tuple[int, str, str]:
    """(task id, lead unit name, co unit name) of a task with exactly one lead and one co-unit."""
    a, u = schema.assignment, schema.unit
    with ledger.read() as conn:
        rows = conn.execute(select(a.c.task_id, a.c.role, u.c.name).join(u, u.c.id == a.c.unit_id)
                            .order_by(a.c.task_id, a.c.position)).all()
    by: dict[int, list] = {}
    for r in rows:
        by.setdefault(r.task_id, []).append((r.role, r.name))
    for tid, v in by.items():
        if len(v) == 2 and v[0][0] == "lead" and v[1][0] == "co" and not any(n.startswith("各") for _, n in v):
            return tid, v[0][1], v[1][1]
    raise AssertionError("no lead/co pair")


def key_for(path: Path, task_uid: str) -> str:
    return next(k for k in rh.row_keys(path) if k.startswith(task_uid + ":"))


def uid_of(ledger, task_id: int) -> str:
    with ledger.read() as conn:
        return conn.execute(select(schema.task.c.uid).where(schema.task.c.id == task_id)).scalar_one()


def append_row(src: Path, dst: Path, values: dict) -> Path:
    """A row pasted under the last one (values by field: seq, task, done, problems, next_steps, on_track, key)."""
    import openpyxl
    wb = openpyxl.load_workbook(src)
    ws = rh.data_sheet(wb)
    cols, header = rh._columns(ws)
    last = header
    while ws.cell(last + 1, cols["task"]).value:
        last += 1
    for field, value in values.items():
        ws.cell(last + 1, cols[field]).value = value
    wb.save(dst)
    return Path(dst)
