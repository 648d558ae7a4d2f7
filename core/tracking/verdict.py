"""The one definition every document and 督办 read: per task and month 完成/未完成/未报/办结 with its light, as of a date."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import TypedDict

from sqlalchemy import or_, select

from core.ledger import schema
from core.tracking.deadlines import campaign_of, month_end
from core.tracking.states import _conn_scope, _received_by, submission_matrix, task_lights
from core.tracking.workdays import WorkCalendar

DONE, BEHIND, UNREPORTED, CLOSED = "done", "behind", "unreported", "closed"
VERDICT_NAMES = {DONE: "完成", BEHIND: "未完成", UNREPORTED: "未报", CLOSED: "办结"}
VERDICT_ORDER = (DONE, BEHIND, UNREPORTED, CLOSED)
VERDICT_RULES = """任务当月结论（所有文件和督办页相同）：
办结：任务已销号（蓝灯）。
未完成：有责任单位当月“是否完成阶段任务目标”填“否”。
未报：无人填“否”，但有责任单位（牵头或配合）当月尚未报送、或未填“是否完成”——不按“完成”计，也不按0计。
完成：全部责任单位当月报送并填“是”。
截至日期之后才收到的报送，按尚未收到计。"""


class UnitVerdict(TypedDict):
    unit_id: int
    name: str
    role: str                  # lead | co
    on_track: bool | None      # None: not reported (or left blank)
    reported: bool
    problems: str
    next_steps: str


class TaskVerdict(TypedDict):
    verdict: str               # DONE | BEHIND | UNREPORTED | CLOSED
    light: str                 # green | yellow | red | blue
    reasons: list[str]         # the light's reasons (Chinese)
    units: list[UnitVerdict]


received_by = _received_by


def task_verdicts(conn_or_ledger, campaign_id: int, period: str, today: date,
                  calendar: WorkCalendar | None = None) -> dict[int, TaskVerdict]:
    """{task_id: TaskVerdict} for the month `period` as of `today` (the 数据截至 date), every active task."""
    with _conn_scope(conn_or_ledger) as conn:
        cal = calendar or WorkCalendar.from_conn(conn)
        camp = dict(campaign_of(conn, campaign_id))
        matrix = submission_matrix(conn, campaign_id, period, today, forms=("report",), calendar=cal, cutoff=True)
        lights = task_lights(conn, campaign_id, period, today, calendar=cal, matrix=matrix, cutoff=True)
        t, a, u, p, s = schema.task, schema.assignment, schema.unit, schema.progress_row, schema.submission
        people: dict[int, list] = defaultdict(list)
        for r in conn.execute(select(a.c.task_id, a.c.unit_id, a.c.role, u.c.name).join(u, u.c.id == a.c.unit_id)
                              .join(t, t.c.id == a.c.task_id)
                              .where(t.c.campaign_id == campaign_id, t.c.active.is_(True))
                              .order_by(a.c.task_id, (a.c.role != "lead"), a.c.position)).all():
            people[r.task_id].append(r)
        rows = {(r.task_id, r.unit_id): r for r in conn.execute(
            select(p.c.task_id, p.c.unit_id, p.c.on_track, p.c.problems, p.c.next_steps)
            .join(t, t.c.id == p.c.task_id).outerjoin(s, s.c.id == p.c.submission_id)
            .where(t.c.campaign_id == campaign_id, p.c.period == period,
                   or_(s.c.received_at.is_(None), s.c.received_at < received_by(today)))).all()}
    lead_only = bool(camp.get("lead_gathering"))
    out: dict[int, TaskVerdict] = {}
    for task_id, light in lights.items():
        units: list[UnitVerdict] = []
        for person in people.get(task_id, []):
            if lead_only and person.role != "lead":
                continue
            r = rows.get((task_id, person.unit_id))
            units.append(UnitVerdict(unit_id=person.unit_id, name=person.name, role=person.role,
                                     on_track=r.on_track if r is not None else None, reported=r is not None,
                                     problems=(r.problems or "") if r is not None else "",
                                     next_steps=(r.next_steps or "") if r is not None else ""))
        if light["light"] == "blue":
            verdict = CLOSED
        elif any(x["on_track"] is False for x in units):
            verdict = BEHIND
        elif units and all(x["on_track"] is True for x in units):
            verdict = DONE
        else:
            verdict = UNREPORTED
        out[task_id] = TaskVerdict(verdict=verdict, light=light["light"], reasons=list(light.get("reasons", [])),
                                   units=units)
    return out


def verdict_counts(verdicts: dict[int, TaskVerdict], task_ids=None) -> dict[str, int]:
    """{done, behind, unreported, closed, red, yellow, green, blue, total} over `task_ids` (all when None)."""
    chosen = [v for k, v in verdicts.items() if task_ids is None or k in task_ids]
    c: Counter = Counter(v["verdict"] for v in chosen)
    c.update(v["light"] for v in chosen)
    return {k: c.get(k, 0) for k in (*VERDICT_ORDER, "red", "yellow", "green", "blue")} | {"total": len(chosen)}


def as_of_period(periods: list[str], today: date, dues: dict[str, date | None] | None = None) -> str:
    """The latest of `periods` whose month is over on `today` and, given each month's due day of the 落实情况表, whose
    forms were due before `today` (a month over but not yet due has no returns to count: on 5 December a Q4 bulletin
    is of October, not of November with every unit still to report); the latest month over when none is due yet,
    the first of `periods` when none is over."""
    over = [p for p in sorted(periods) if month_end(p) < today]
    due = [p for p in over if (day := (dues or {}).get(p)) is not None and day < today]
    if due:
        return due[-1]
    return over[-1] if over else sorted(periods)[0]


def counts_text(c: dict[str, int]) -> str:
    """“完成N项、未完成N项、未报N项（、办结N项）”: the same words in every document."""
    parts = [f"{VERDICT_NAMES[k]}{c[k]}项" for k in VERDICT_ORDER if k != CLOSED or c[k]]
    return "、".join(parts)


def task_counts_line(period: str, today: date, c: dict[str, int]) -> str:
    """`status --tasks`: “2026年6月（数据截至2026年7月20日）任务118项：完成N项、……；红灯N项、黄灯N项、绿灯N项”."""
    lights = "、".join(f"{name}灯{c[k]}项" for k, name in (("red", "红"), ("yellow", "黄"), ("green", "绿"), ("blue", "蓝")))
    return (f"{int(period[:4])}年{int(period[5:7])}月（数据截至{today.year}年{today.month}月{today.day}日）"
            f"任务{c['total']}项：{counts_text(c)}；{lights}")
