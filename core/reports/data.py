"""Tabulations behind the summary, charts and bulletins: per task and unit, counts, lateness, the source files of each figure."""
from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from core.ledger import schema
from core.common.errors import UserError
from core.ledger.queries import require_campaign, tasks_of_campaign
from core.ledger.row_types import TaskRow
from core.returns.mark_notes import printed_note
from core.reports.report_types import (AreaCount, AssignedUnit, BehindTask, BehindUnit, BulletinData, LateReport,
                                       MissingReport, MonthCount, SingleMonth, SingleTask, SingleUnit, SourceFile,
                                       SourceRef, SummaryData, SummaryGroup, SummaryTask, SummaryUnitRow, UnitCount,
                                       UnreportedTask)

if TYPE_CHECKING:
    from core.ledger.store import Ledger

LIGHT_NAMES = {"green": "绿", "yellow": "黄", "red": "红", "blue": "蓝"}
LIGHT_MEANING = {"green": "按计划推进", "yellow": "需关注", "red": "滞后", "blue": "已办结"}
ON_TRACK_TEXT = {True: "是", False: "否", None: ""}
CN_NUM = "〇一二三四五六七八九十"
VERDICT_STATUS = {"done": "met", "behind": "behind", "unreported": "unclear", "closed": "closed"}


def month_end_of(period: str) -> date:
    from core.tracking.deadlines import month_end
    return month_end(period)


# -- periods -------------------------------------------------------------------------
def parse_period(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise UserError(f"月份“{text}”格式不对，应写成 2026-03 这样的年-月。")
    return int(m.group(1)), int(m.group(2))


def parse_quarter(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d{4})\s*[Qq]\s*([1-4])\s*", text or "")
    if not m:
        raise UserError(f"季度“{text}”格式不对，应写成 2026Q1 这样的年份加季度（Q1～Q4）。")
    return int(m.group(1)), int(m.group(2))


def quarter_periods(year: int, quarter: int) -> list[str]:
    return [f"{year}-{m:02d}" for m in range(quarter * 3 - 2, quarter * 3 + 1)]


def cn_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


# -- per task and unit ---------------------------------------------------------------
def _campaign(conn: Connection, year: int) -> tuple[int, dict[str, Any]]:
    cid = require_campaign(conn, year)
    row = conn.execute(select(schema.campaign).where(schema.campaign.c.id == cid)).mappings().one()
    return cid, dict(row)


def _assignments(conn: Connection, cid: int) -> dict[int, list[AssignedUnit]]:
    a, t, u = schema.assignment, schema.task, schema.unit
    out: dict[int, list[AssignedUnit]] = defaultdict(list)
    for r in conn.execute(select(a.c.task_id, a.c.unit_id, a.c.role, u.c.name, u.c.short_name)
                          .join(u, u.c.id == a.c.unit_id).join(t, t.c.id == a.c.task_id)
                          .where(t.c.campaign_id == cid)
                          .order_by(a.c.task_id, (a.c.role != "lead"), a.c.position)):
        out[r.task_id].append(AssignedUnit(unit_id=r.unit_id, name=r.name, role=r.role))
    return out


def _progress(conn: Connection, cid: int, periods: list[str], today: date | None = None) -> list[dict[str, Any]]:
    """Progress rows of the months; with `today`, only those whose file was received by then (the 数据截至 date)."""
    from sqlalchemy import or_

    from core.tracking.verdict import received_by
    p, t, s = schema.progress_row, schema.task, schema.submission
    query = (select(p, s.c.file_hash, s.c.file_name, s.c.received_at, s.c.unit_id.label("sub_unit"))
             .join(t, t.c.id == p.c.task_id).outerjoin(s, s.c.id == p.c.submission_id)
             .where(t.c.campaign_id == cid, p.c.period.in_(periods)))
    if today is not None:
        query = query.where(or_(s.c.received_at.is_(None), s.c.received_at < received_by(today)))
    rows = conn.execute(query).mappings().all()
    return [dict(r) for r in rows]


def _with_note(done: str | None, note: str | None) -> str:
    """完成情况 with what the unit wrote outside its columns (an added column, an inserted row) beneath it, so the
    printed summary keeps every word the unit wrote."""
    done, note = done or "", printed_note(note or "")
    if not note:
        return done
    return f"{done}\n（备注：{note}）" if done else f"（备注：{note}）"


def _plan_targets(conn: Connection, cid: int, quarter: int) -> dict[tuple[int, int], str]:
    pr, t = schema.plan_row, schema.task
    return {(r.task_id, r.unit_id): r.target for r in conn.execute(
        select(pr.c.task_id, pr.c.unit_id, pr.c.target).join(t, t.c.id == pr.c.task_id)
        .where(t.c.campaign_id == cid, pr.c.quarter == quarter))}


def summary_data(ledger: Ledger, period: str, kind: str = "key", today: date | None = None) -> SummaryData:
    """Everything the monthly summary (or the 民生实事 table) shows, grouped by 重点领域, tasks in 序号 order."""
    year, month = parse_period(period)
    quarter = (month - 1) // 3 + 1
    today = today or date.today()
    with ledger.read() as conn:
        cid, camp = _campaign(conn, year)
        tasks = [t for t in tasks_of_campaign(conn, cid) if t["kind"] == kind]
        assigns = _assignments(conn, cid)
        rows = _progress(conn, cid, [period], today)
        targets = _plan_targets(conn, cid, quarter)
        by_task: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
        for row in rows:
            by_task[row["task_id"]][row["unit_id"]] = row
        from core.tracking.verdict import task_verdicts
        lights = task_verdicts(conn, cid, period, today)   # the one definition: verdict and light
    groups: list[SummaryGroup] = []
    for t in tasks:
        area = t["area"] or ("民生实事" if kind == "livelihood" else "其他")
        if not groups or groups[-1]["area"] != area:
            groups.append(SummaryGroup(area=area, tasks=[]))
        units: list[SummaryUnitRow] = []
        closed_before = t["closed_on"] is not None and t["closed_on"] < f"{period}-01"  # 办结: nothing more to report
        for a in assigns.get(t["id"], []):
            r = by_task[t["id"]].get(a["unit_id"])
            units.append(SummaryUnitRow(
                name=a["name"], role=a["role"], reported=r is not None,
                quarter_target=(r["quarter_target"] if r and r["quarter_target"]
                                else targets.get((t["id"], a["unit_id"]), "")),
                done=_with_note(r["done"], r.get("note")) if r else "", problems=r["problems"] if r else "",
                next_steps=r["next_steps"] if r else "",
                on_track=ON_TRACK_TEXT[r["on_track"]] if r else ("已办结" if closed_before else "未报送"),
                source=_source(r) if r else None,
            ))
        light = lights.get(t["id"])
        groups[-1]["tasks"].append(SummaryTask(
            **t, unit_rows=units, light=light["light"] if light else "yellow",
            light_reasons=light["reasons"] if light else [], verdict=light["verdict"] if light else "unreported"))
    from core.tracking.verdict import verdict_counts
    return SummaryData(year=year, month=month, quarter=quarter, period=period, kind=kind, campaign=camp,
                       groups=groups, task_count=len(tasks), today=today,
                       counts=verdict_counts(lights, {t["id"] for t in tasks}))


def _source(r: dict[str, Any]) -> SourceRef | None:
    if not r.get("file_hash"):
        return None
    return SourceRef(hash=r["file_hash"], name=r["file_name"], unit_id=r["sub_unit"], received_at=r["received_at"])


# -- the quarter's bulletin ------------------------------------------------------------
def bulletin_data(ledger: Ledger, quarter_text: str, today: date | None = None,
                  task_id: int | None = None) -> BulletinData:
    """Counts, met and behind tasks, late and missing units, chart series and each figure's source files."""
    from core.tracking import states as tracking
    from core.ledger.settings import colophon, no_ranking

    year, quarter = parse_quarter(quarter_text)
    periods = quarter_periods(year, quarter)
    today = today or date.today()
    with ledger.read() as conn:
        cid, camp = _campaign(conn, year)
        tasks = tasks_of_campaign(conn, cid)
        assigns = _assignments(conn, cid)
        all_periods = [f"{year}-{m:02d}" for m in range(1, quarter * 3 + 1)]
        rows = _progress(conn, cid, all_periods, today)
        units = {r.id: r.name for r in conn.execute(select(schema.unit.c.id, schema.unit.c.name))}
        matrix = tracking.submission_matrix(conn, cid, periods, today, forms=("report",), cutoff=True)
        subs_by_id = {r["id"]: dict(r) for r in conn.execute(
            select(schema.submission).where(schema.submission.c.campaign_id == cid,
                                            schema.submission.c.period.in_(periods))).mappings()}
        dues = {r["period"]: r["due"] for r in matrix}
        from core.tracking.verdict import as_of_period, task_verdicts, verdict_counts
        as_of = as_of_period(periods, today, dues)
        verdicts = task_verdicts(conn, cid, as_of, today)   # the one definition, for the quarter's last month over
    task_by_id = {t["id"]: t for t in tasks}
    rows = [r for r in rows if r["task_id"] in task_by_id]   # plain rows: pandas would cost the command half a second
    # latest report of each task × unit within the quarter decides (kept in period order, ties in ledger order)
    newest: dict[tuple[int, int], dict[str, Any]] = {}
    for r in sorted((r for r in rows if r["period"] in periods), key=lambda r: r["period"]):
        newest.pop((r["task_id"], r["unit_id"]), None)
        newest[(r["task_id"], r["unit_id"])] = r
    latest = sorted(newest.values(), key=lambda r: r["period"])
    by_task: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in latest:
        by_task[r["task_id"]].append(r)
    status = {tid: VERDICT_STATUS[v["verdict"]] for tid, v in verdicts.items() if tid in task_by_id}
    kinds: dict[str, dict[str, int]] = {}
    for kind in ("key", "livelihood"):
        ids = {t["id"] for t in tasks if t["kind"] == kind}
        c = verdict_counts(verdicts, ids)
        kinds[kind] = {**c, "reported": c["done"] + c["behind"], "met": c["done"], "unclear": c["unreported"]}
    met_tasks = [task_by_id[i] for i in task_by_id if status.get(i) == "met"]
    behind: list[BehindTask] = []
    months_no: dict[int, set[str]] = defaultdict(set)
    for r in rows:
        if r["period"] in periods and r["period"] <= as_of and is_no(r["on_track"]):
            months_no[r["task_id"]].add(r["period"])
    for t in tasks:
        if status.get(t["id"]) != "behind":
            continue
        v = verdicts[t["id"]]
        behind.append(BehindTask(**t, light=v["light"], light_reasons=v["reasons"],
                                 months_behind=len(months_no[t["id"]]),
                                 behind_units=[BehindUnit(name=u["name"], role=u["role"], problems=u["problems"],
                                                          next_steps=u["next_steps"], period=as_of)
                                               for u in v["units"] if u["on_track"] is False]))
    unreported = [UnreportedTask(**t, missing_units=[u["name"] for u in verdicts[t["id"]]["units"]
                                                     if u["on_track"] is None])
                  for t in tasks if status.get(t["id"]) == "unclear"]
    # lateness per unit × month, by the 督办 rules (working-day deadlines, units holding open tasks)
    late: list[LateReport] = []
    missing: list[MissingReport] = []
    expected_reports = 0
    for mr in matrix:
        due = mr["due"]
        if due is None or due >= today:
            continue  # not due yet
        expected_reports += 1
        if mr["code"] == tracking.REPORTED_LATE:
            sid = mr["submission_id"]
            late.append(LateReport(unit_id=mr["unit_id"], unit=mr["unit"], period=mr["period"], due=due,
                                   received_at=mr["received"],
                                   source=subs_by_id.get(sid) if sid is not None else None))
        elif mr["code"] != tracking.REPORTED:
            missing.append(MissingReport(unit_id=mr["unit_id"], unit=mr["unit"], period=mr["period"], due=due,
                                         state=mr["state"]))
    # chart series
    area_rows: list[tuple[str, bool, bool]] = []
    for t in tasks:
        if t["kind"] != "key":
            continue
        area_rows.append((t["area"] or "其他", status.get(t["id"]) == "met", status.get(t["id"]) == "behind"))
    by_area_of: dict[str, AreaCount] = {}
    for area, met, is_behind in area_rows:
        g = by_area_of.setdefault(area, AreaCount(area=area, total=0, met=0, behind=0))
        g["total"] += 1
        g["met"] += int(met)
        g["behind"] += int(is_behind)
    by_area = list(by_area_of.values())
    by_unit_of: dict[int, UnitCount] = {}
    for r in latest:
        u = by_unit_of.setdefault(int(r["unit_id"]), UnitCount(unit=units[int(r["unit_id"])], rows=0, ok=0))
        u["rows"] += 1
        u["ok"] += int(is_yes(r["on_track"]))
    by_unit = sorted((by_unit_of[k] for k in sorted(by_unit_of)), key=lambda r: r["unit"])
    by_month_of: dict[str, MonthCount] = {}
    for r in rows:
        m = by_month_of.setdefault(r["period"], MonthCount(period=r["period"], rows=0, ok=0))
        m["rows"] += 1
        m["ok"] += int(is_yes(r["on_track"]))
    by_month = [by_month_of[k] for k in sorted(by_month_of)]
    # sources: the files behind each figure
    files: dict[str, SourceFile] = {}

    def add(frame: list[dict[str, Any]]) -> list[str]:
        hashes = []
        for r in frame:
            if isinstance(r["file_hash"], str) and r["file_hash"]:
                files.setdefault(r["file_hash"], SourceFile(hash=r["file_hash"], name=r["file_name"],
                                                            unit=units.get(int(r["sub_unit"]), "")
                                                            if r["sub_unit"] is not None else "",
                                                            received_at=r["received_at"]))
                hashes.append(r["file_hash"])
        return sorted(set(hashes))

    met_ids = {t["id"] for t in met_tasks}
    key_ids = {t["id"] for t in tasks if t["kind"] == "key"}
    figures = [
        ("总体情况（任务数、完成阶段目标数、滞后数）", add(latest)),
        ("完成阶段任务目标的任务", add([r for r in latest if r["task_id"] in met_ids])),
        ("未完成阶段任务目标的任务及存在问题", add([r for r in latest if is_no(r["on_track"])])),
        ("图1 各重点领域完成情况", add([r for r in latest if r["task_id"] in key_ids])),
        ("图2 逐月完成情况", add(rows)),
        ("图3 各单位报告完成情况", add(latest)),
    ]
    late_hashes = sorted({x["source"]["file_hash"] for x in late if x["source"]})
    for x in late:
        s = x["source"]
        if not s:
            continue
        files.setdefault(s["file_hash"], SourceFile(hash=s["file_hash"], name=s["file_name"], unit=x["unit"],
                                                    received_at=s["received_at"]))
    figures.append(("迟报单位", late_hashes))
    ordered = sorted(files.values(), key=lambda f: (f["received_at"] or datetime.min, f["name"]))
    number = {f["hash"]: i + 1 for i, f in enumerate(ordered)}
    latest_done = _latest_done(latest, assigns)
    single = None
    if task_id is not None:
        single = _single_task(task_by_id, assigns, rows, units, task_id, status)
    return BulletinData(
        year=year, quarter=quarter, quarter_cn=CN_NUM[quarter], periods=periods, campaign=camp, as_of=as_of,
        quarter_over=month_end_of(periods[-1]) < today, unreported_tasks=unreported, counts=kinds,
        met_tasks=met_tasks, behind_tasks=behind, late=late, missing=missing, dues=dues,
        expected_reports=expected_reports, by_area=by_area, by_unit=by_unit, by_month=by_month, files=ordered,
        figures=[(name, [number[h] for h in hs]) for name, hs in figures], no_ranking=no_ranking(ledger),
        colophon=colophon(ledger), status=status, single=single, today=today, latest_done=latest_done)


def _latest_done(latest: list[dict[str, Any]], assigns: dict[int, list[AssignedUnit]]) -> dict[int, str]:
    """{task_id: 完成情况} of the quarter's latest report, the lead unit's where it reported."""
    out: dict[int, str] = {}
    for r in latest:
        text = r["done"] if isinstance(r["done"], str) else ""
        if not text.strip():
            continue
        lead = any(a["unit_id"] == int(r["unit_id"]) and a["role"] == "lead" for a in assigns.get(int(r["task_id"]), []))
        if lead or int(r["task_id"]) not in out:
            out[int(r["task_id"])] = text
    return out


def _single_task(task_by_id: dict[int, TaskRow], assigns: dict[int, list[AssignedUnit]], rows: list[dict[str, Any]],
                 units: dict[int, str], task_id: int, status: dict[int, str]) -> SingleTask:
    if task_id not in task_by_id:
        raise UserError("找不到要通报的任务，请确认任务序号。")
    t = task_by_id[task_id]
    by_period: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if r["task_id"] == task_id:
            by_period[r["period"]].append(r)
    months: list[SingleMonth] = []
    for p in sorted(by_period):
        months.append(SingleMonth(period=p, units=[
            SingleUnit(name=units[int(r["unit_id"])], done=r["done"], problems=r["problems"],
                       next_steps=r["next_steps"],
                       on_track="是" if is_yes(r["on_track"]) else ("否" if is_no(r["on_track"]) else ""),
                       file_name=r["file_name"] if isinstance(r["file_name"], str) else "",
                       file_hash=r["file_hash"] if isinstance(r["file_hash"], str) else "",
                       received_at=r["received_at"]) for r in by_period[p]]))
    return SingleTask(task=t, units=assigns.get(task_id, []), months=months, status=status.get(task_id, "unclear"))


def is_yes(v) -> bool:
    return v is not None and v == v and bool(v)  # v == v is False for NaN


def is_no(v) -> bool:
    return v is not None and v == v and not bool(v)


def find_task(ledger: Ledger, year: int, ref: str) -> int:
    """`key:12` / `livelihood:3` (or 重点:12 / 民生:3) → task id."""
    m = re.fullmatch(r"\s*(key|livelihood|重点|民生)\s*[:：]\s*(\d+)\s*", ref or "")
    if not m:
        raise UserError(f"任务“{ref}”写法不对，应写成 key:12（重点任务第12项）或 livelihood:3（民生实事第3项）。")
    kind = {"重点": "key", "民生": "livelihood"}.get(m.group(1), m.group(1))
    with ledger.read() as conn:
        cid = require_campaign(conn, year)
        t = schema.task
        tid = conn.execute(select(t.c.id).where(t.c.campaign_id == cid, t.c.kind == kind,
                                                t.c.seq == int(m.group(2)), t.c.active.is_(True))).scalar()
    if tid is None:
        raise UserError(f"{year}年台账中没有{'重点任务' if kind == 'key' else '民生实事'}第{m.group(2)}项。")
    return tid


def month_series(ledger: Ledger, year: int, upto_month: int, kind: str = "key") -> list[MonthCount]:
    """[{period, rows, ok}] for months 1..upto_month: how many progress rows, how many said 是."""
    from sqlalchemy import case, func
    p, t = schema.progress_row, schema.task
    with ledger.read() as conn:
        cid = require_campaign(conn, year)
        rows = conn.execute(
            select(p.c.period, func.count(), func.sum(case((p.c.on_track.is_(True), 1), else_=0)))
            .join(t, t.c.id == p.c.task_id)
            .where(t.c.campaign_id == cid, t.c.kind == kind, t.c.active.is_(True),
                   p.c.period.in_([f"{year}-{m:02d}" for m in range(1, upto_month + 1)]))
            .group_by(p.c.period).order_by(p.c.period)).all()
    return [MonthCount(period=r[0], rows=int(r[1]), ok=int(r[2] or 0)) for r in rows]
