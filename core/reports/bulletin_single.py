"""一事一通报: a one-task bulletin (.docx, GB/T 9704 layout) with each unit's reports in the quarter and their source files."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from core.office import docx_style as ds
from core.common.errors import UserError
from core.common.work import Work, given
from core.reports.bulletin_docx import basis_path
from core.ledger.row_types import TaskRow
from core.reports.data import bulletin_data, cn_date, find_task, parse_quarter
from core.reports.report_types import BulletinData, SingleMonth, SingleTask, SingleWritten

OFFICE = "区政府督查室"
STATUS_TEXT = {"met": "各责任单位均报告完成阶段任务目标", "behind": "有责任单位报告未完成阶段任务目标",
               "unclear": "有责任单位未报送或未明确是否完成阶段任务目标"}


def write_single(ledger, quarter: str, task_ref: str, out: Path | str, today: date | None = None,
                 work: Work | None = None) -> SingleWritten:
    out = Path(out)
    if out.suffix.lower() != ".docx":
        raise UserError(f"输出文件“{out.name}”应以 .docx 结尾。")
    year, _q = parse_quarter(quarter)
    tid = find_task(ledger, year, task_ref)
    work = given(work)
    work.report(0, 2, "数据")
    d = bulletin_data(ledger, quarter, today, task_id=tid)
    s = d["single"]
    if s is None:   # bulletin_data fills it whenever task_id is given
        raise UserError("找不到要通报的任务，请确认任务序号。")
    t = s["task"]
    label = "重点任务" if t["kind"] == "key" else "民生实事"
    doc = ds.new_document()
    ds.title(doc, f"关于《政府工作报告》{label}第{t['seq']}项\n落实情况的通报")
    ds.para(doc, "各有关单位：", indent=False)
    ds.para(doc, f"现将{d['year']}年第{d['quarter_cn']}季度{label}第{t['seq']}项落实情况通报如下：")
    ds.heading(doc, "一、任务内容", 1)
    ds.para(doc, t["text"])
    lead = "、".join(u["name"] for u in t["units"] if u["lead"]) or "—"
    co = "、".join(u["name"] for u in t["units"] if not u["lead"])
    ds.para(doc, f"牵头领导：{'、'.join(t['leaders']) or '—'}；牵头单位：{lead}" + (f"；配合单位：{co}" if co else "") + "。")
    ds.heading(doc, "二、落实情况", 1)
    quarter_months = [m for m in s["months"] if m["period"] in d["periods"]]
    ds.para(doc, f"截至{d['year']}年{d['quarter'] * 3}月底，{_status_sentence(s, d, quarter_months)}")
    if not quarter_months:
        ds.para(doc, "本季度尚无责任单位报送该任务的落实情况。")
    for i, m in enumerate(quarter_months):
        ds.heading(doc, f"{ds.heading_number(2, i + 1)}{int(m['period'][5:])}月", 2)
        for u in m["units"]:
            line = f"{u['name']}：{u['done'].strip() or '未填写完成情况'}"
            if u["problems"].strip() and u["problems"].strip() != "无":
                line += f"存在问题：{u['problems'].strip()}"
            if u["on_track"]:
                line += f"（是否完成阶段任务目标：{u['on_track']}）"
            ds.para(doc, line)
    ds.heading(doc, "三、工作要求", 1)
    ds.para(doc, f"请{lead}会同各配合单位对照季度目标，针对存在问题明确措施和时限，确保按计划完成任务，并按时报送落实情况。",
            keep_with_next=True)
    ds.keep_last_lines(doc)
    ds.signature(doc, OFFICE, cn_date(d["today"]))
    ds.colophon(doc, d["colophon"]["issuer"], cn_date(d["today"]), d["colophon"]["cc"])
    sources = [(u["file_name"], u["name"], u["received_at"], u["file_hash"])
               for m in quarter_months for u in m["units"] if u["file_hash"]]
    basis = basis_path(out)
    _write_basis(basis, label, t, d, sources, out.name)
    ds.save(doc, out)
    work.report(2, 2, "保存")
    return SingleWritten(path=str(out), basis=str(basis), task=f"{t['kind']}:{t['seq']}", status=s["status"],
                         files=len(sources))


def _status_sentence(s: SingleTask, d: BulletinData, quarter_months: list[SingleMonth]) -> str:
    """The task's state, never “均报告完成” while a unit has not reported a month that is due."""
    due = [p for p in d["periods"] if (on := d["dues"].get(p)) and on < d["today"]]
    names = [u["name"] for u in s["task"]["units"]]
    reported = {m["period"]: {u["name"] for u in m["units"]} for m in quarter_months}
    gaps = []
    for name in names:
        months = [f"{int(p[5:])}月" for p in due if name not in reported.get(p, set())]
        if months:
            gaps.append(f"{name}未报送{'、'.join(months)}落实情况")
    if s["status"] == "met" and gaps:
        return "已报送的责任单位均报告完成阶段任务目标；" + "；".join(gaps) + "。"
    return STATUS_TEXT[s["status"]] + ("；" + "；".join(gaps) if gaps else "") + "。"


def _write_basis(path: Path, label: str, t: TaskRow, d: BulletinData, sources: list, name: str) -> None:
    """The 底稿 of a 一事一通报: each report's file with its SHA-256, kept by the 督查室."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    doc = ds.new_document()
    ds.para(doc, "底稿", indent=False, font=ds.H1_FONT)
    ds.para(doc, f"{label}第{t['seq']}项通报数据来源文件", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER,
            font=ds.TITLE_FONT, size=18)
    ds.para(doc, f"本底稿与通报文件“{name}”同时生成于{cn_date(d['today'])}，由{OFFICE}留存备查，不随通报印发。", size=14)
    if sources:
        ds.table(doc, ["序号", "文件名", "报送单位", "收到时间", "SHA-256"],
                 [[str(i + 1), n, unit, at.strftime("%Y-%m-%d\n%H:%M") if at else "", h[:32] + "\n" + h[32:]]
                  for i, (n, unit, at, h) in enumerate(sources)], [10, 35, 27, 22, 62], size=7.5)
    else:
        ds.para(doc, "本季度尚无该任务的报送文件。", size=14)
    ds.save(doc, path)
