"""What statistics read of one campaign year, as plain rows (no pandas): the 督办 cells (core.tracking's own
submission matrix and lights, never a second rule), the 是/否 answers, the review flags, the files sent back, tasks;
`stats` reads them on a thread of its own (core.stats.ahead) while pandas is imported."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select

from core.common.errors import UserError
from core.ledger import schema
from core.ledger.queries import campaign_id
from core.ledger.store import Ledger
from core.stats.months import rows_of, stats_periods
from core.tracking.deadlines import campaign_of
from core.tracking.states import NOT_DISPATCHED, lights_by_month, shown_code, submission_matrix
from core.tracking.workdays import WorkCalendar

COPIED, CONTRADICTED = "copied-from-last-month", "yes-but-text-says-otherwise"   # core.returns.collect's flags
CELL_COLUMNS = ["unit_id", "unit", "form", "period", "code", "shown", "state", "late_workdays", "returned_rows",
                "submission_id", "file"]


def unit_kind(name: str, collective: bool) -> str:
    """部门 / 街道 / 集体 (各街道办事处 and the like): the 统计 page's unit-kind filter."""
    if collective:
        return "集体"
    return "街道" if name.endswith(("街道办事处", "街道", "镇", "乡")) else "部门"


@dataclass
class YearRows:
    """One campaign year as read, each table a list of tuples in the column order core.stats.read gives its frame."""
    year: int
    cid: int
    today: date
    periods: list[str]                     # the report months counted
    cells: list[tuple]                     # CELL_COLUMNS, the 督办 matrix in its own order
    report_months: list[str]               # months whose 落实情况表 went out to someone
    red: list[tuple[int, str]]             # (task_id, period): the task's light was red that month
    units: list[tuple[int, str, str]]      # (unit_id, unit, kind), directory order
    tasks: list[tuple]                     # (task_id, kind, seq, text, area, category, closed_on), kind and 序号 order
    plan_end: dict[int, int]               # task_id → the last quarter the plan gives a target for
    assign: list[tuple[int, int, str]]     # (task_id, unit_id, role)
    leaders: list[tuple[int, str]]         # (task_id, leader)
    progress: list[tuple]                  # (task_id, unit_id, period, on_track)
    flags: list[tuple[int, str, int, str]]   # (unit_id, period, task_id, flag), sorted
    returns: list[tuple]                   # (submission_id, unit_id, form, period, file, rows)
    warning: str | None


def campaign_of_year(ledger: Ledger, year: int | None) -> tuple[int, int]:
    """(campaign id, year) of `year`, else of the latest campaign; a Chinese error when there is none."""
    with ledger.read() as conn:
        cid = campaign_id(conn, year)
        if cid is None:
            if year is not None:
                raise UserError(f"台账中没有 {year} 年的立项批次。请检查年度，或先导入该年的立项表。")
            raise UserError("台账中还没有立项批次。请先导入立项表。")
        return cid, int(campaign_of(conn, cid)["year"])


def read_rows(ledger: Ledger, year: int | None, today: date, first: str | None = None, last: str | None = None,
              lights: bool = True) -> YearRows:
    """Everything the year's tables need, in one read transaction."""
    cid, year = campaign_of_year(ledger, year)
    periods = stats_periods(year, today, first, last)
    with ledger.read() as conn:
        cal = WorkCalendar.from_conn(conn)
        with_plan = first is None or first <= f"{year:04d}-03"   # the 计划表 is due in March
        matrix = submission_matrix(conn, cid, periods, today, forms=("plan", "report") if with_plan else ("report",),
                                   calendar=cal)
        cells = [(r["unit_id"], r["unit"], r["form"], r["period"], str(r["code"]), str(shown_code(r)), r["state"],
                  r["late_workdays"], r["returned_rows"], r["submission_id"], r["file_name"]) for r in matrix]
        report_months = sorted({c[3] for c in cells if len(c[3]) == 7 and c[4] != str(NOT_DISPATCHED)})
        red: list[tuple[int, str]] = []
        if lights and report_months:   # core.tracking's light rule, every month in one read
            for p, month in lights_by_month(conn, cid, report_months, today, cal, matrix, only_red=True).items():
                red += [(task_id, p) for task_id, v in month.items() if v["light"] == "red"]
        tasks, plan_end, assign, leaders = _tasks(conn, cid)
        return YearRows(year=year, cid=cid, today=today, periods=periods, cells=cells, report_months=report_months,
                        red=red, units=_units(conn, {c[0] for c in cells}), tasks=tasks, plan_end=plan_end,
                        assign=assign, leaders=leaders, progress=_progress(conn, cid, periods),
                        flags=_flags(conn, cid, periods), returns=_returns(conn, cid, periods, year),
                        warning=matrix.warning)


def _units(conn: Connection, seen: set[int]) -> list[tuple[int, str, str]]:
    u = schema.unit
    return [(r.id, r.name, unit_kind(r.name, bool(r.collective)))
            for r in conn.execute(select(u.c.id, u.c.name, u.c.collective).order_by(u.c.id)) if r.id in seen]


def _tasks(conn: Connection, cid: int) -> tuple[list[tuple], dict[int, int], list[tuple], list[tuple]]:
    t, a, tl, le, pl = schema.task, schema.assignment, schema.task_leader, schema.leader, schema.plan_row
    tasks = [tuple(r) for r in conn.execute(
        select(t.c.id, t.c.kind, t.c.seq, t.c.text, t.c.area, t.c.category, t.c.closed_on)
        .where(t.c.campaign_id == cid, t.c.active.is_(True)).order_by(t.c.kind, t.c.seq))]
    assign = [tuple(r) for r in conn.execute(
        select(a.c.task_id, a.c.unit_id, a.c.role).join(t, t.c.id == a.c.task_id)
        .where(t.c.campaign_id == cid, t.c.active.is_(True)).order_by(a.c.task_id, a.c.position))]
    leaders = [tuple(r) for r in conn.execute(
        select(tl.c.task_id, le.c.name).join(le, le.c.id == tl.c.leader_id).join(t, t.c.id == tl.c.task_id)
        .where(t.c.campaign_id == cid, t.c.active.is_(True)).order_by(tl.c.task_id, tl.c.position))]
    # the last quarter the plan gives a target for: a task closed before that quarter ends is closed ahead of plan
    plan_end: dict[int, int] = {task_id: quarter for task_id, quarter in rows_of(conn.execute(   # noqa: C416
        select(pl.c.task_id, pl.c.quarter).join(t, t.c.id == pl.c.task_id)
        .where(t.c.campaign_id == cid, pl.c.target != "").order_by(pl.c.quarter)))}
    return tasks, plan_end, assign, leaders


def _progress(conn: Connection, cid: int, periods: list[str]) -> list[tuple]:
    t, pr = schema.task, schema.progress_row
    return [tuple(r) for r in conn.execute(
        select(pr.c.task_id, pr.c.unit_id, pr.c.period, pr.c.on_track).join(t, t.c.id == pr.c.task_id)
        .where(t.c.campaign_id == cid, t.c.active.is_(True), pr.c.period.in_(periods))).all()]


def _flags(conn: Connection, cid: int, periods: list[str]) -> list[tuple[int, str, int, str]]:
    """Rows a unit copied from last month or answered 是 over a text saying otherwise (as 收文 flagged them), once
    per unit × month × task whichever version of the file carried it."""
    ch, s = schema.change, schema.submission
    found: set[tuple[int, str, int, str]] = set()
    for unit_id, period, task_id, flags in rows_of(conn.execute(
            select(s.c.unit_id, s.c.period, ch.c.task_id, ch.c.flags).join(s, s.c.id == ch.c.submission_id)
            .where(s.c.campaign_id == cid, s.c.unit_id.is_not(None), s.c.status != "rejected", s.c.form == "report",
                   s.c.period.in_(periods), ch.c.flags != ""))):
        for flag in (COPIED, CONTRADICTED):
            if flag in str(flags).split(","):
                found.add((unit_id, period, task_id, flag))
    return sorted(found)


def _returns(conn: Connection, cid: int, periods: list[str], year: int) -> list[tuple]:
    """Files sent back, whole (已退回) or in part (退回 audited), with how many task rows were sent back."""
    s, au, ch = schema.submission, schema.audit, schema.change
    partial: set[int] = {int(k) for k in rows_of(conn.execute(
        select(au.c.row_key).where(au.c.table_name == "submission", au.c.field == "send_back")).scalars())}
    wanted = set(periods) | {"", str(year)}
    subs = [r for r in conn.execute(select(s.c.id, s.c.unit_id, s.c.form, s.c.period, s.c.file_name, s.c.status)
                                    .where(s.c.campaign_id == cid, s.c.unit_id.is_not(None)))
            if (r.status == "returned" or r.id in partial) and (r.period or "") in wanted]
    rows: dict[int, set] = {r.id: set() for r in subs}
    if rows:
        for sid, task_id in rows_of(conn.execute(select(ch.c.submission_id, ch.c.task_id).where(
                ch.c.submission_id.in_(sorted(rows)), ch.c.decision == "rejected", ch.c.task_id.is_not(None)))):
            rows[sid].add(task_id)
    return [(r.id, r.unit_id, r.form, r.period if r.form == "report" else str(year), r.file_name, len(rows[r.id]))
            for r in subs]
