"""退回 in one action: the rows the clerk rejected, with the clerk's comment beside each, into a workbook and an .eml draft."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TypedDict

from sqlalchemy import select, update

from core.common.errors import UserError
from core.ledger import file_store, schema
from core.ledger.changes import Area, Changed, LedgerChange
from core.ledger.store import Ledger, new_batch, record_audit
from core.office.cjk_layout import lines_at, row_pt
from core.office.eml_draft import write_eml_draft
from core.returns.diff_report import _write_atomic, table_formats
from core.returns.review_grid import GridRow, ReviewGrid, build_grid

DEFAULT_COMMENT = "请核实后重新填写"
FORM_TITLES = {"report": "落实情况表", "plan": "落实计划表"}


def row_reason(row: GridRow) -> str:
    """The comment the unit reads: the clerk's, else what the flags say, else a plain request."""
    if row.comment.strip():
        return row.comment.strip()
    names = [n for c in row.cells for n in c.flag_names]
    from core.returns.collect import FLAG_NAMES
    names += [FLAG_NAMES.get(f, f) for f in row.row_flags]
    return "；".join(dict.fromkeys(names)) or DEFAULT_COMMENT


def _period_words(grid: ReviewGrid) -> str:
    if grid.form == "report" and len(grid.period) == 7:
        return f"{int(grid.period[:4])}年{int(grid.period[5:7])}月"
    return f"{grid.period[:4]}年" if grid.period else ""


def _safe(name: str) -> str:
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in name).strip() or "未识别单位"


def write_send_back_workbook(grid: ReviewGrid, rows: list[GridRow], out: Path) -> Path:
    """One line per rejected row: 序号, 任务, what the unit wrote in each column, and 督查室意见 beside it."""
    import xlsxwriter
    labels = [label for _f, label in grid.columns]

    def build(path: Path) -> None:
        wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
        ws = wb.add_worksheet("退回修改意见")
        title, head, cell = table_formats(wb)
        comment = wb.add_format({"border": 1, "text_wrap": True, "valign": "top", "font_name": "宋体", "font_size": 10,
                                 "bold": True, "font_color": "#C00000"})
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(3)
        last = 2 + len(labels)
        widths = [7, 30] + [{"done": 48, "on_track": 9, "owner": 10, "supervisor": 10}.get(f, 24)
                            for f, _label in grid.columns] + [30]
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        ws.merge_range(0, 0, 0, last, f"退回修改意见：{grid.unit_name} {_period_words(grid)}{FORM_TITLES.get(grid.form, '')}",
                       title)
        ws.merge_range(1, 0, 1, last, f"原文件：{grid.file_name}。下列 {len(rows)} 行请按“督查室意见”修改，在原表中更正后"
                                      "重新报送；其余各行已经接受，无需改动。")
        for c, h in enumerate(["序号", "任务"] + labels + ["督查室意见"]):
            ws.write_string(3, c, h, head)
        for r, row in enumerate(rows, start=4):
            texts = [row.seq + (f" 第{row.quarter}季度" if row.quarter else ""),
                     row.task_text + ("（贵单位删去了此行）" if row.deleted else "")]
            texts += [grid_cell.value or "（未填写）" for grid_cell in row.cells] + [row_reason(row)]
            for c, text in enumerate(texts):
                ws.write_string(r, c, text, comment if c == last else cell)
            # the row as tall as its longest text (no office suite grows a row on opening): every word printed
            lines = max(lines_at(text, widths[c], 10) for c, text in enumerate(texts))
            ws.set_row(r, min(409, row_pt(lines, 10)))
        wb.close()

    return _write_atomic(build, out)


def reject_rows(ledger: Ledger, submission_id: int, seqs: list[str], comment: str = "") -> int:
    """Mark the rows with these 序号 (every quarter of a 附件3 task) 不接受, with the clerk's comment; returns how many.
    The command line's way to do what Shift+R does in the grid; a 序号 not in the file is refused, nothing changed."""
    from core.returns.review import set_decision
    grid = build_grid(ledger, submission_id)
    wanted = {str(s).strip() for s in seqs}
    rows = [r for r in grid.rows if r.seq in wanted]
    missing = sorted(wanted - {r.seq for r in rows})
    if missing:
        raise UserError(f"“{grid.file_name}”中没有序号为 {'、'.join(missing)} 的行。这份文件的序号有："
                        f"{'、'.join(dict.fromkeys(r.seq for r in grid.rows))}。")
    ids = [i for r in rows for i in r.change_ids]
    if not ids:
        raise UserError("所选的行与台账相同，没有可以不接受的改动。")
    set_decision(ledger, ids, "rejected", comment=comment.strip() or None)   # one transaction, audited
    return len(rows)


def write_return_workbook(ledger: Ledger, submission_id: int, out: Path) -> Path:
    """导出退回表: the workbook 退回 writes, for the rows rejected or commented (else the flagged ones), saved where
    the clerk chose, without an e-mail and without changing the file's status."""
    grid = build_grid(ledger, submission_id)
    rows = [r for r in grid.rows if r.rejected or r.comment.strip()] or [r for r in grid.rows if r.flagged]
    if not rows:
        raise UserError("这份文件没有标为“不接受”、写了意见或带标记的行，没有需要退回的内容。")
    return write_send_back_workbook(grid, rows, out)


class SentBack(TypedDict):
    """What 退回 wrote: the workbook and .eml draft in their folder, how many rows, the unit and its address, and
    whether the whole file went back (the unit owes a new one)."""
    workbook: Path
    eml: Path
    folder: Path
    rows: int
    email: str
    unit: str
    returned: bool


def send_back(ledger: Ledger, submission_id: int, out_dir: Path,
              grid: ReviewGrid | None = None) -> Changed[SentBack]:
    """退回 the rejected rows of one file: workbook + .eml draft (the workbook and the unit's own file attached).

    Returns SentBack with the change (the file's review and status). When every change of the file is rejected the file
    is marked 已退回 (the unit owes a new one); otherwise it stays staged and its other rows merge once accepted.
    Audited; raises UserError (Chinese) when no row is rejected or the unit is unknown.
    """
    grid = grid or build_grid(ledger, submission_id)
    if grid.unit_id is None:
        raise UserError(f"“{grid.file_name}”还没有确认报送单位，无法退回。请先点“确认身份…”。")
    rows = [r for r in grid.rows if r.rejected]
    if not rows:
        raise UserError("这份文件没有标为“不接受”的行。请先在审核表中按 Shift+R 把要退回的行标为不接受，再退回。")
    with ledger.read() as conn:
        unit = conn.execute(select(schema.unit).where(schema.unit.c.id == grid.unit_id)).mappings().one()
        sub = conn.execute(select(schema.submission).where(schema.submission.c.id == submission_id)).mappings().one()
    from core.ledger.settings import mail_from
    sender = mail_from(ledger)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = Path(out_dir) / f"退回-{stamp}"
    folder.mkdir(parents=True, exist_ok=True)
    words = _period_words(grid) + FORM_TITLES.get(grid.form, "")
    workbook = write_send_back_workbook(grid, rows, folder / f"{_safe(grid.unit_name)}-{words}-退回修改意见.xlsx")
    original = folder / Path(grid.file_name).name
    original.write_bytes(file_store.read(ledger, sub["file_hash"]))
    lines = "\n".join(f"{i}. 第{r.seq}项 {r.task_text[:30]}{'…' if len(r.task_text) > 30 else ''}：{row_reason(r)}"
                      for i, r in enumerate(rows, start=1))
    body = (f"{grid.unit_name}：\n\n贵单位报送的《{words}》（文件“{grid.file_name}”）中，以下 {len(rows)} 行需要修改：\n\n"
            f"{lines}\n\n详见附件《退回修改意见》。请在原表中更正后重新报送；其余各行已经接受，无需改动。\n\n区政府督查室\n")
    eml = write_eml_draft(folder / f"{_safe(grid.unit_name)}-退回修改意见.eml", unit["email"] or "",
                          f"退回修改：{grid.unit_name}{words}", body, [workbook, original], sender=sender)
    returned = all(d == "rejected" for r in grid.rows for d in r.decisions)   # nothing left to merge
    with ledger.begin() as conn:
        batch = new_batch()
        record_audit(conn, batch, "submission", str(submission_id), "send_back", None,
                     "；".join(f"{r.seq}：{row_reason(r)}" for r in rows)[:2000], "hand", workbook.name)
        if returned and sub["status"] != "returned":
            conn.execute(update(schema.submission).where(schema.submission.c.id == submission_id)
                         .values(status="returned"))
            record_audit(conn, batch, "submission", str(submission_id), "status", sub["status"], "returned", "hand",
                         "退回修改")
    return Changed(SentBack(workbook=workbook, eml=eml, folder=folder, rows=len(rows), email=unit["email"] or "",
                            unit=grid.unit_name, returned=returned),
                   change=LedgerChange.of(Area.RETURNS, units=[grid.unit_id]))
