"""催报: the units still owing a form past its deadline, as a printable A4 sheet (.xlsx) and as .eml reminder drafts."""
from __future__ import annotations

import re
from datetime import date
from collections.abc import Sequence
from pathlib import Path

from core.tracking.deadlines import campaign_of, format_cn, months_through, parse_period
from core.office.eml_draft import write_eml_draft
from core.common.errors import UserError
from core.ledger.store import Ledger
from core.office.cjk_layout import lines_at, row_pt
from core.tracking.states import OVERDUE, MatrixRow, default_period, late_units, submission_matrix

HEADERS = ("序号", "责任单位", "应报表格", "报送截止", "目前状态", "联系人", "联系电话", "备注")
WIDTHS = (6, 26, 24, 18, 29, 10, 16, 10)   # 目前状态 on one line: “退回 2 行待改（逾期已报）”, “未报（逾期 144 个工作日）”


BODY_FONT = "仿宋_GB2312"  # as in the forms and the bulletins
HEAD_FONT = "黑体"


def form_label(form: str, period: str) -> str:
    """The form's name as the notice gives it (附件3/附件4), with the month of a 落实情况表."""
    if form == "plan":
        return f"{period}年年度工作任务落实计划表"
    year, month = parse_period(period)
    return f"{year}年年度工作任务落实情况表（{month}月）"


class ReminderRow(MatrixRow):
    """A matrix row to 催报, with its form's Chinese label (“2026年3月落实情况表”)."""
    form_label: str


def reminder_rows(ledger: Ledger, campaign_id: int, period: str | None, today: date,
                  forms: tuple[str, ...] = ("plan", "report")) -> list[ReminderRow]:
    """Who to 催报 on `today` — the one rule, used by the 督办 page, `status --remind` and the sheet/.eml writers.

    A unit is to be reminded of a form when the form is overdue (未报逾期, counted in working days) or was
    sent back (退回待改): the year's 计划表 and the 落实情况表 of `period` (default: last month), of `forms` only.
    Rows come in unit directory order, 计划表 before 情况表, with contact, phone, email and `form_label`.
    """
    matrix = submission_matrix(ledger, campaign_id, period, today, forms=forms)
    rows = sorted(late_units(matrix), key=lambda r: (r["unit_id"], r["form"] != "plan", r["period"]))
    return [ReminderRow(**r, form_label=form_label(r["form"], r["period"])) for r in rows]


def outstanding_rows(ledger: Ledger, campaign_id: int, today: date,
                     forms: tuple[str, ...] = ("plan", "report")) -> list[ReminderRow]:
    """Everything still owed on `today` (the same rule as reminder_rows, over every month): the year's 计划表 and
    each month's 落实情况表 from January to last month that is overdue or sent back, any month, in unit order."""
    with ledger.read() as conn:
        year = int(campaign_of(conn, campaign_id)["year"])
    last = min(default_period(today), f"{year:04d}-12")
    periods = months_through(year, last) if last >= f"{year:04d}-01" else [f"{year:04d}-01"]
    matrix = submission_matrix(ledger, campaign_id, periods, today, forms=forms)
    rows = sorted(late_units(matrix), key=lambda r: (r["unit_id"], r["form"] != "plan", r["period"]))
    return [ReminderRow(**r, form_label=form_label(r["form"], r["period"])) for r in rows]


def earlier_months_owed(rows: Sequence[MatrixRow], period: str) -> set[int]:
    """Units still owing a 落实情况表 of a month before `period` (the 督办 tile 往月仍未报 N 家)."""
    return {r["unit_id"] for r in rows if r["form"] == "report" and r["period"] < period}


def by_unit(rows: list[ReminderRow]) -> list[list[ReminderRow]]:
    """The rows grouped per unit (each unit once, in the order the rows come): one 催报单 line, one e-mail."""
    groups: dict[int, list[ReminderRow]] = {}
    for r in rows:
        groups.setdefault(r["unit_id"], []).append(r)
    return list(groups.values())


def outstanding_title(today: date) -> str:
    return f"年度工作任务催报单（截至{format_cn(today)}仍未报送）"


def sheet_title(period: str) -> str:
    """The 催报单's title for a month, the same from the window and the command line."""
    year, month = parse_period(period)
    return f"{year}年年度工作任务落实情况表催报单（{month}月）"


def _cell(value) -> str:
    return "" if value is None else str(value)


def _unit_line(group: list[ReminderRow]) -> tuple[str, ...]:
    """One unit's line of the 催报单: each form it owes on a line of its own, with its deadline and how late."""
    first = group[0]
    forms = "\n".join(r.get("form_label") or form_label(r["form"], r["period"]) for r in group)
    dues = "\n".join(format_cn(r["due"]) for r in group)
    states = "\n".join(r["state"] for r in group)
    return (first["unit"], forms, dues, states, first["contact"] or "", first["phone"] or "")


def write_reminder_sheet(rows: list[ReminderRow], out_path: Path | str, today: date, title: str = "",
                         per_unit: bool = False) -> Path:
    """A4 landscape sheet: title, print date, one line per late form (per_unit: one line per unit listing every
    form it owes); written to a temp name then renamed."""
    import xlsxwriter

    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.stem + ".part" + out_path.suffix)
    wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})
    try:
        ws = wb.add_worksheet("催报单")
        font = BODY_FONT
        f_title = wb.add_format({"font_name": "方正小标宋简体", "font_size": 18, "align": "center", "valign": "vcenter"})
        f_date = wb.add_format({"font_name": font, "font_size": 12, "align": "right"})
        f_head = wb.add_format({"font_name": HEAD_FONT, "font_size": 12, "bold": False, "border": 1, "align": "center",
                                "valign": "vcenter", "text_wrap": True, "bg_color": "#F2F2F2"})
        f_cell = wb.add_format({"font_name": font, "font_size": 12, "border": 1, "valign": "vcenter",
                                "text_wrap": True})
        f_center = wb.add_format({"font_name": font, "font_size": 12, "border": 1, "valign": "vcenter",
                                  "align": "center", "text_wrap": True})
        ws.set_paper(9)  # A4
        ws.set_landscape()
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.center_horizontally()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(2)
        ws.set_footer("&C第 &P 页，共 &N 页")
        for col, width in enumerate(WIDTHS):
            ws.set_column(col, col, width)
        ws.merge_range(0, 0, 0, len(HEADERS) - 1, title or "年度工作任务落实情况催报单", f_title)
        ws.set_row(0, 36)
        groups = by_unit(rows) if per_unit else [[r] for r in rows]
        count = f"共 {len(groups)} 个单位、{len(rows)} 份表格" if per_unit else f"共 {len(rows)} 项"
        ws.merge_range(1, 0, 1, len(HEADERS) - 1, f"打印日期：{format_cn(today)}    {count}", f_date)
        for col, head in enumerate(HEADERS):
            ws.write_string(2, col, head, f_head)
        for i, group in enumerate(groups, start=1):
            unit, forms, dues, states, contact, phone = _unit_line(group)
            values = (str(i), unit, forms, dues, states, contact, phone, "")
            for col, value in enumerate(values):
                ws.write_string(2 + i, col, _cell(value), f_center if col in (0, 3, 6) else f_cell)
            # as tall as its longest cell (no office suite grows a row on opening): a phone list printed whole
            lines = max(sum(lines_at(part, WIDTHS[col], 12) for part in _cell(value).split("\n"))
                        for col, value in enumerate(values))
            ws.set_row(2 + i, max(30, min(409, row_pt(lines, 12))))
        if not rows:
            ws.merge_range(3, 0, 3, len(HEADERS) - 1, "截至打印日，没有逾期未报的单位。", f_center)
    finally:
        wb.close()
    tmp.replace(out_path)
    return out_path


def _safe_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_")[:80] or "单位"


def reminder_body(row: ReminderRow, today: date, office: str = "区政府督查室", attached: bool = False) -> str:
    who = row["contact"] or "同志"
    label = row.get("form_label") or form_label(row["form"], row["period"])
    if row["code"] == OVERDUE:
        status = f"截至{format_cn(today)}，贵单位尚未报送，已逾期 {row['late_workdays']} 个工作日。"
    elif row.get("returned_rows"):   # sent back in part (a row sent back whole has none)
        status = (f"贵单位报送的表格中有 {row['returned_rows']} 行已退回修改（其余各行已经接受），"
                  "目前尚未收到修改后的表格。")
    else:
        status = "贵单位报送的表格已退回修改，目前尚未收到修改后的表格。"
    lines = [f"{row['unit']}（{who}）：", "", f"根据工作安排，{label}应于{format_cn(row['due'])}前报送。{status}"]
    if attached:
        lines.append("原下发的表格见附件。")
    lines += ["请抓紧填报并尽快报送（请直接回复本邮件并附上表格）。如已报送，请忽略本提醒。", "", office, format_cn(today)]
    return "\n".join(lines) + "\n"


def unit_reminder_body(group: list[ReminderRow], today: date, office: str = "区政府督查室",
                       attached: bool = False) -> str:
    """One e-mail for everything a unit still owes: each form with its deadline and how late, then what to do."""
    if len(group) == 1:
        return reminder_body(group[0], today, office, attached)
    first = group[0]
    lines = [f"{first['unit']}（{first['contact'] or '同志'}）：", "",
             f"截至{format_cn(today)}，贵单位以下 {len(group)} 份表格尚未报送齐全："]
    for i, r in enumerate(group, start=1):
        label = r.get("form_label") or form_label(r["form"], r["period"])
        if r["code"] == OVERDUE:
            status = f"尚未报送，已逾期 {r['late_workdays']} 个工作日"
        elif r.get("returned_rows"):
            status = f"有 {r['returned_rows']} 行已退回修改，尚未收到修改后的表格"
        else:
            status = "已退回修改，尚未收到修改后的表格"
        lines.append(f"{i}. {label}（应于{format_cn(r['due'])}前报送）：{status}。")
    if attached:
        lines.append("原下发的表格见附件。")
    lines += ["请抓紧填报并尽快报送（请直接回复本邮件并附上表格）。如已报送，请忽略本提醒。", "", office, format_cn(today)]
    return "\n".join(lines) + "\n"


def write_reminder_emls(rows: list[ReminderRow], out_dir: Path | str, today: date, sender: str = "",
                        office: str = "区政府督查室", attach_forms: bool = True, per_unit: bool = False) -> list[dict]:
    """One unsent .eml per late unit and form (per_unit: one per unit naming every form it owes), with the
    workbooks sent to it attached when they are still on disk.

    Returns [{unit, path, email, attached}]. A unit without email still gets a draft (the clerk fills in 收件人).
    """
    if per_unit:
        return _unit_emls(rows, Path(out_dir), today, sender, office, attach_forms)
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"无法创建文件夹“{out_dir}”：{exc.strerror or exc}。请另选一个文件夹。") from None
    out = []
    for row in rows:
        label = row.get("form_label") or form_label(row["form"], row["period"])
        path = out_dir / f"催报-{_safe_name(row['unit'])}-{_safe_name(label)}.eml"
        sent = Path(row["sent_path"]) if attach_forms and row.get("sent_path") else None
        attachments = [sent] if sent is not None and sent.is_file() else []
        body = reminder_body(row, today, office, bool(attachments))
        write_eml_draft(path, row["email"] or "", f"【催报】请尽快报送{label}", body, attachments, sender=sender)
        out.append({"unit": row["unit"], "path": path, "email": row["email"],
                    "attached": attachments[0].name if attachments else ""})
    return out


def _unit_emls(rows: list[ReminderRow], out_dir: Path, today: date, sender: str, office: str,
               attach_forms: bool) -> list[dict]:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"无法创建文件夹“{out_dir}”：{exc.strerror or exc}。请另选一个文件夹。") from None
    out = []
    for group in by_unit(rows):
        first = group[0]
        sent = [Path(r["sent_path"]) for r in group if attach_forms and r.get("sent_path")]
        attachments = [p for p in dict.fromkeys(sent) if p.is_file()]
        labels = [r.get("form_label") or form_label(r["form"], r["period"]) for r in group]
        subject = (f"【催报】请尽快报送{labels[0]}" if len(group) == 1
                   else f"【催报】请尽快报送{len(group)}份表格（{'、'.join(labels)}）")
        name = labels[0] if len(group) == 1 else f"{len(group)}份表格"
        path = out_dir / f"催报-{_safe_name(first['unit'])}-{_safe_name(name)}.eml"
        body = unit_reminder_body(group, today, office, bool(attachments))
        write_eml_draft(path, first["email"] or "", subject, body, attachments, sender=sender)
        out.append({"unit": first["unit"], "path": path, "email": first["email"],
                    "attached": "、".join(p.name for p in attachments)})
    return out
