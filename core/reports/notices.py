"""The 通报 the notices name besides the quarterly one: 办结通报 (a task closed, 第一时间通报) and the 民生实事 通报 at the
ledger's cadence (一月一通报 by default), GB/T 9704 like the quarterly bulletin (署名, 成文日期, 版记)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from core.common.errors import UserError
from core.common.work import Work, given
from core.ledger import schema
from core.office import docx_style as ds
from core.reports.bulletin_docx import (
    OFFICE, _Headings, _behind_line, counts_sentence, num_list, reporting_groups, summarise, worst_first,
)
from core.ledger.row_types import TaskRow
from core.reports.data import _assignments, _campaign, _progress, cn_date, find_task, month_end_of, parse_period
from core.reports.report_types import (BehindTask, BehindUnit, ClosureData, ClosureWritten, LivelihoodNoticeData,
                                       LivelihoodNoticeWritten, UnitPeriod, UnreportedTask)

if TYPE_CHECKING:
    from core.ledger.store import Ledger

MOST_DESCRIBED = 8   # behind projects described one by one; the rest counted (详见民生实事项目进展情况表)
CADENCE_NAMES = {1: "一月一通报", 3: "一季一通报"}


def _next_month(d: date) -> str:
    return f"{d.year + d.month // 12}年{d.month % 12 + 1}月"


def _label(kind: str) -> str:
    return "重点任务" if kind == "key" else "民生实事项目"


def _units_text(t: TaskRow) -> tuple[str, str]:
    lead = "、".join(u["name"] for u in t["units"] if u["lead"]) or "未明确牵头单位"
    co = "、".join(u["name"] for u in t["units"] if not u["lead"])
    return lead, co


def _close(doc, colophon: dict[str, str], today: date) -> None:
    ds.keep_last_lines(doc)
    ds.signature(doc, OFFICE, cn_date(today))
    ds.colophon(doc, colophon["issuer"], cn_date(today), colophon["cc"])


def _check_out(out: Path | str) -> Path:
    out = Path(out)
    if out.suffix.lower() != ".docx":
        raise UserError(f"输出文件“{out.name}”应以 .docx 结尾。")
    return out


# -- 办结通报 -------------------------------------------------------------------------------
def closure_data(ledger: Ledger, year: int, task_ref: str) -> ClosureData:
    """The closed task, its units, the closing note and evidence, and the lead unit's last reported 完成情况."""
    from core.ledger.queries import tasks_of_campaign
    from core.ledger.settings import colophon
    tid = find_task(ledger, year, task_ref)
    with ledger.read() as conn:
        cid, _camp = _campaign(conn, year)
        task = next(t for t in tasks_of_campaign(conn, cid) if t["id"] == tid)
        row = conn.execute(select(schema.task.c.closed_on, schema.task.c.closed_note, schema.task.c.closed_evidence)
                           .where(schema.task.c.id == tid)).one()
        evidence = ""
        if row.closed_evidence:
            evidence = conn.execute(select(schema.stored_file.c.name).where(
                schema.stored_file.c.hash == row.closed_evidence)).scalar() or ""
        periods = [f"{year}-{m:02d}" for m in range(1, 13)]
        rows = [r for r in _progress(conn, cid, periods) if r["task_id"] == tid]
        roles = {a["unit_id"]: a["role"] for a in _assignments(conn, cid).get(tid, [])}
    if row.closed_on is None:
        label = _label(task["kind"])
        raise UserError(f"{label}第{task['seq']}项尚未办结，不能生成办结通报。请先在督办页（或 close-task）办结该任务。")
    # the lead unit's latest report with text, else anyone's
    rows.sort(key=lambda r: (r["period"], roles.get(r["unit_id"]) == "lead"))
    last = next((r for r in reversed(rows) if (r["done"] or "").strip() and roles.get(r["unit_id"]) == "lead"),
                next((r for r in reversed(rows) if (r["done"] or "").strip()), None))
    return ClosureData(task=task, closed_on=row.closed_on, note=(row.closed_note or "").strip(), evidence=evidence,
                       last=last, colophon=colophon(ledger), year=year)


def write_closure_notice(ledger, task_ref: str, out: Path | str, today: date | None = None, year: int | None = None,
                         work: Work | None = None) -> ClosureWritten:
    """办结通报: drafted the day a task is closed (“完成的事项第一时间通报”). Returns {path, task, closed_on}."""
    out = _check_out(out)
    work = given(work)
    today = today or date.today()
    work.report(0, 2, "数据")
    d = closure_data(ledger, year or today.year, task_ref)
    t = d["task"]
    label = _label(t["kind"])
    lead, co = _units_text(t)
    closed = d["closed_on"]
    doc = ds.new_document()
    ds.char_grid(doc)
    h = _Headings(doc)
    ds.title(doc, f"关于《政府工作报告》{label}第{t['seq']}项\n办结情况的通报")
    ds.para(doc, "各有关单位：", indent=False)
    who = f"由{lead}牵头" + (f"、{co}配合" if co else "")
    leaders = f"（牵头区领导：{'、'.join(t['leaders'])}）" if t["leaders"] else ""
    ds.para(doc, f"{d['year']}年《政府工作报告》{label}第{t['seq']}项“{summarise(t['text'], 40).rstrip('。')}”{who}{leaders}。"
                 f"经{lead}申请、{OFFICE}核实，该{'任务' if t['kind'] == 'key' else '项目'}已于{cn_date(closed)}办结销号。"
                 "现将有关情况通报如下：")
    h.add(1, "任务内容")
    ds.para(doc, t["text"].strip())
    h.add(1, "完成情况")
    if d["note"]:
        ds.para(doc, d["note"].rstrip("。") + "。")
    last = d["last"]
    if last is not None:
        ds.para(doc, f"据{lead if last['unit_id'] else '责任单位'}报送的{int(last['period'][5:7])}月落实情况，"
                + summarise(last["done"], 300))
    if not d["note"] and last is None:
        ds.para(doc, "责任单位尚未报送该任务的落实情况，办结依据见佐证材料。")
    if d["evidence"]:
        ds.para(doc, f"办结佐证材料：{d['evidence']}（已存入台账备查）。")
    h.add(1, "有关要求")
    ds.para(doc, f"请{lead}做好资料整理归档，巩固工作成效，建立长效机制，防止问题反弹；自{_next_month(closed)}起，"
                 "该任务不再报送月度落实情况。各责任单位要对照先进，加快推进所承担的其余任务，确保年度目标全面完成。")
    _close(doc, d["colophon"], today)
    work.report(1, 2, "保存")
    ds.save(doc, out)
    work.report(2, 2, "保存")
    return ClosureWritten(path=str(out), task=f"{t['kind']}:{t['seq']}", closed_on=closed.isoformat())


# -- 民生实事 通报, at the ledger's cadence ----------------------------------------------------
def livelihood_periods(period: str, cadence: int) -> list[str]:
    """The months one 民生实事 通报 covers: the month (一月一通报) or its quarter, asked for in the quarter's last month."""
    year, month = parse_period(period)
    if cadence == 1:
        return [period]
    if month % 3:
        raise UserError(f"按设置，民生实事项目每季度通报一次（{CADENCE_NAMES[3]}），请选季度最后一个月"
                        f"（{(month + 2) // 3 * 3}月）生成；如需每月通报，请在“设置”中改为“{CADENCE_NAMES[1]}”。")
    return [f"{year}-{m:02d}" for m in range(month - 2, month + 1)]


def livelihood_notice_data(ledger: Ledger, period: str, today: date | None = None) -> LivelihoodNoticeData:
    """Verdicts of the 民生实事 projects for `period` (core.tracking.verdict), the projects behind with each behind
    unit's 存在问题, and late/missing reports of the units that hold projects over the months covered."""
    from core.ledger.queries import tasks_of_campaign
    from core.ledger.settings import colophon, livelihood_cadence, no_ranking
    from core.tracking import states as tracking
    from core.tracking.verdict import task_verdicts, verdict_counts
    year, month = parse_period(period)
    today = today or date.today()
    cadence = livelihood_cadence(ledger)
    periods = livelihood_periods(period, cadence)
    with ledger.read() as conn:
        cid, _camp = _campaign(conn, year)
        tasks = [t for t in tasks_of_campaign(conn, cid) if t["kind"] == "livelihood"]
        ids = {t["id"] for t in tasks}
        verdicts = task_verdicts(conn, cid, period, today)
        holders = {a["unit_id"] for tid in ids for a in _assignments(conn, cid).get(tid, [])}
        matrix = tracking.submission_matrix(conn, cid, periods, today, forms=("report",), cutoff=True)
        rows = [r for r in _progress(conn, cid, [period], today) if r["task_id"] in ids]
        months_no: dict[int, int] = defaultdict(int)
        for r in _progress(conn, cid, [f"{year}-{m:02d}" for m in range(1, month + 1)], today):
            if r["task_id"] in ids and r["on_track"] is False:
                months_no[r["task_id"]] += 1
    counts = verdict_counts(verdicts, ids)
    done_text = {r["task_id"]: r["done"] for r in sorted(rows, key=lambda r: r["unit_id"]) if (r["done"] or "").strip()}
    behind: list[BehindTask] = []
    unreported: list[UnreportedTask] = []
    met: list[TaskRow] = []
    for t in tasks:
        v = verdicts.get(t["id"])
        if v is None:
            continue
        if v["verdict"] == "behind":
            behind.append(BehindTask(**t, light=v["light"], light_reasons=v["reasons"], months_behind=months_no[t["id"]],
                                     behind_units=[BehindUnit(name=u["name"], role=u["role"], problems=u["problems"],
                                                              next_steps=u["next_steps"], period=period)
                                                   for u in v["units"] if u["on_track"] is False]))
        elif v["verdict"] == "unreported":
            unreported.append(UnreportedTask(**t, missing_units=[u["name"] for u in v["units"] if u["on_track"] is None]))
        elif v["verdict"] == "done":
            met.append(t)
    late: list[UnitPeriod] = []
    missing: list[UnitPeriod] = []
    expected = 0
    for mr in matrix:
        if mr["unit_id"] not in holders or mr["due"] is None or mr["due"] >= today:
            continue
        expected += 1
        if mr["code"] == tracking.REPORTED_LATE:
            late.append(UnitPeriod(unit=mr["unit"], period=mr["period"]))
        elif mr["code"] != tracking.REPORTED:
            missing.append(UnitPeriod(unit=mr["unit"], period=mr["period"]))
    return LivelihoodNoticeData(
        year=year, month=month, period=period, periods=periods, cadence=cadence, today=today,
        counts={**counts, "met": counts["done"], "unclear": counts["unreported"]}, tasks=tasks, met=met,
        behind=worst_first(behind), unreported=unreported, late=late, missing=missing, expected=expected,
        done_text=done_text, colophon=colophon(ledger), no_ranking=no_ranking(ledger),
        month_over=month_end_of(period) < today)


def write_livelihood_notice(ledger, period: str, out: Path | str, today: date | None = None,
                            work: Work | None = None) -> LivelihoodNoticeWritten:
    """民生实事项目进展情况的通报 for `period` (a month, or the quarter ending in it when the cadence is quarterly)."""
    out = _check_out(out)
    work = given(work)
    work.report(0, 2, "数据")
    d = livelihood_notice_data(ledger, period, today)
    y, m, c = d["year"], d["month"], d["counts"]
    span = f"{y}年{m}月" if d["cadence"] == 1 else f"{y}年第{'一二三四'[(m - 1) // 3]}季度"
    doc = ds.new_document()
    ds.char_grid(doc)
    h = _Headings(doc)
    ds.title(doc, f"关于{span}民生实事项目\n进展情况的通报")
    ds.para(doc, "各有关单位：", indent=False)
    ds.para(doc, f"按照民生实事项目“{CADENCE_NAMES[d['cadence']]}”要求，{OFFICE}对{span}民生实事项目进展情况进行了调度。"
                 "现将有关情况通报如下：")
    h.add(1, "总体情况")
    head = f"本通报数据截至{cn_date(d['today'])}，以{m}月落实情况为准"
    if not d["month_over"]:
        head += f"（{m}月尚未结束，已报送的计入，未报送的不计为未完成）"
    text = head + "。" + counts_sentence(f"{y}年民生实事项目", c) + "。"
    late_n, miss_n = len(d["late"]), len(d["missing"])
    if d["expected"]:
        text += (f"{'本月' if d['cadence'] == 1 else '本季度'}承担民生实事项目的单位应报送落实情况{d['expected']}家次，"
                 f"按时报送{d['expected'] - late_n - miss_n}家次，迟报{late_n}家次，未报{miss_n}家次。")
    else:
        text += "落实情况表尚未到报送截止日。"
    ds.para(doc, text)
    h.add(1, "进展较好的项目")
    if d["met"]:
        seqs = [t["seq"] for t in d["met"]]
        ds.para(doc, f"民生实事项目第{num_list(seqs)}项，共{len(seqs)}项的全部责任单位报告完成阶段任务目标。")
        examples = []
        for t in d["met"][:2]:
            done = d["done_text"].get(t["id"], "")
            if done:
                examples.append(f"第{t['seq']}项（{summarise(t['text'], 24).rstrip('。')}）{summarise(done, 60).rstrip('。')}")
        if examples:
            ds.para(doc, "其中，" + "；".join(examples) + "。")
    else:
        ds.para(doc, f"{m}月暂无全部责任单位均报告完成阶段任务目标的项目。")
    h.add(1, "进展滞后的项目")
    behind = d["behind"]
    if behind:
        shown = behind[:MOST_DESCRIBED]
        ds.para(doc, f"{m}月有{len(behind)}项民生实事项目的责任单位报告未完成阶段任务目标"
                + (f"，问题较突出的{len(shown)}项如下：" if len(shown) < len(behind) else "，具体如下："))
        for i, t in enumerate(shown):
            ds.para(doc, f"{i + 1}." + _behind_line(t))
        if len(behind) > len(shown):
            rest = [t["seq"] for t in behind[len(shown):]]
            ds.para(doc, f"其余第{num_list(rest)}项共{len(rest)}项，存在问题和下一步措施详见当月民生实事项目进展情况表。")
    else:
        ds.para(doc, f"{m}月各责任单位均未报告未完成阶段任务目标的情况。")
    if d["unreported"]:
        names: list[str] = []
        for t in d["unreported"]:
            names += [n for n in t["missing_units"] if n not in names]
        who = "、".join(names[:4]) + (f"等{len(names)}家单位" if len(names) > 4 else "")
        ds.para(doc, f"另有第{num_list([t['seq'] for t in d['unreported']])}项共{len(d['unreported'])}项，因{who}未报送，"
                     f"{m}月完成情况暂无法确认，未计入完成或未完成。")
    h.add(1, "报送情况")
    groups = reporting_groups(d["late"], d["missing"], d["no_ranking"])
    if groups:
        ds.para(doc, "；".join(f"{_named(names)}{pattern}" for pattern, names in groups) + "。请上述单位认真查找原因，按时报送。")
    else:
        ds.para(doc, "承担民生实事项目的单位均按时报送了落实情况。")
    h.add(1, "下一步工作要求")
    leads: list[str] = []
    for t in behind:
        lead, _co = _units_text(t)
        if lead not in leads:
            leads.append(lead)
    who = ("、".join(leads[:5]) + ("等" if len(leads) > 5 else "") + "牵头单位") if leads else "各牵头单位"
    ds.para(doc, f"{who}要对照年度目标，逐项分析滞后原因，明确整改措施和完成时限，确保下月追上进度；"
                 "各责任单位要把民生实事办好办实，按时、如实报送落实情况。"
                 f"{OFFICE}将继续{'逐月' if d['cadence'] == 1 else '按季度'}通报项目进展情况。")
    _close(doc, d["colophon"], d["today"])
    ds.save(doc, out)
    work.report(2, 2, "保存")
    return LivelihoodNoticeWritten(path=str(out), period=period, periods=d["periods"], cadence=d["cadence"],
                                   counts={k: c[k] for k in ("done", "behind", "unreported", "closed", "total")},
                                   late=late_n, missing=miss_n)


def _named(names: list[str]) -> str:
    return "、".join(names[:4]) + (f"等{len(names)}家单位" if len(names) > 4 else "")

