"""What statistics read from the ledger for one campaign year, as pandas frames: the 督办 cells (core.tracking's own
submission matrix and lights, never a second rule), the 是/否 answers, the review flags, the files sent back, tasks."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy import Connection, select

from core.common.errors import UserError
from core.ledger import schema
from core.ledger.queries import campaign_id
from core.ledger.store import Ledger
from core.stats.months import rows_of, stats_periods
from core.tracking.deadlines import campaign_of
from core.tracking.states import NOT_DISPATCHED, DISPATCHED, lights_by_month, shown_code, submission_matrix
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
class YearData:
    """One campaign year read for statistics."""
    year: int
    cid: int
    today: date
    periods: list[str]             # the report months counted
    cells: pd.DataFrame            # CELL_COLUMNS: the 督办 matrix, plan + each month, one row per unit × form × period
    units: pd.DataFrame            # unit_id, unit, kind (directory order)
    tasks: pd.DataFrame            # task_id, kind, seq, label, text, area, category, closed_on, lead_unit_id, plan_end
    assign: pd.DataFrame           # task_id, unit_id, role
    leaders: pd.DataFrame          # task_id, leader
    progress: pd.DataFrame         # task_id, unit_id, period, on_track (True/False/None)
    flags: pd.DataFrame            # unit_id, period, task_id, flag
    returns: pd.DataFrame          # submission_id, unit_id, form, period, file, rows
    red: pd.DataFrame              # task_id, period: the task's light was red that month
    warning: str | None = None
    report_months: list[str] = field(default_factory=list)   # months whose 落实情况表 went out to someone
    cache: dict = field(default_factory=dict)                # tables several others are built from (core.stats.tables)


def campaign_of_year(ledger: Ledger, year: int | None) -> tuple[int, int]:
    """(campaign id, year) of `year`, else of the latest campaign; a Chinese error when there is none."""
    with ledger.read() as conn:
        cid = campaign_id(conn, year)
        if cid is None:
            if year is not None:
                raise UserError(f"台账中没有 {year} 年的立项批次。请检查年度，或先导入该年的立项表。")
            raise UserError("台账中还没有立项批次。请先导入立项表。")
        return cid, int(campaign_of(conn, cid)["year"])


def read_year(ledger: Ledger, year: int | None, today: date, first: str | None = None, last: str | None = None,
              lights: bool = True) -> YearData:
    """Everything the year's tables need, in one read transaction."""
    cid, year = campaign_of_year(ledger, year)
    periods = stats_periods(year, today, first, last)
    with ledger.read() as conn:
        cal = WorkCalendar.from_conn(conn)
        with_plan = first is None or first <= f"{year:04d}-03"   # the 计划表 is due in March
        matrix = submission_matrix(conn, cid, periods, today, forms=("plan", "report") if with_plan else ("report",),
                                   calendar=cal)
        cells = pd.DataFrame([(r["unit_id"], r["unit"], r["form"], r["period"], str(r["code"]), str(shown_code(r)),
                               r["state"], r["late_workdays"], r["returned_rows"], r["submission_id"], r["file_name"])
                              for r in matrix], columns=CELL_COLUMNS)
        report_months = sorted({p for p, code in zip(cells["period"].tolist(), cells["code"].tolist(), strict=True)
                                if len(p) == 7 and code != str(NOT_DISPATCHED)})
        red_rows = []
        if lights and report_months:   # core.tracking's light rule, every month in one read
            for p, month in lights_by_month(conn, cid, report_months, today, cal, matrix, only_red=True).items():
                red_rows += [(task_id, p) for task_id, v in month.items() if v["light"] == "red"]
        tasks, assign, leaders = _tasks(conn, cid)
        data = YearData(year=year, cid=cid, today=today, periods=periods, cells=cells, units=_units(conn, cells),
                        tasks=tasks, assign=assign, leaders=leaders, progress=_progress(conn, cid, periods),
                        flags=_flags(conn, cid, periods), returns=_returns(conn, cid, periods, year),
                        red=pd.DataFrame(red_rows, columns=["task_id", "period"]), warning=matrix.warning,
                        report_months=report_months)
    return data


def _units(conn: Connection, cells: pd.DataFrame) -> pd.DataFrame:
    u = schema.unit
    seen = set(cells["unit_id"])
    rows = [(r.id, r.name, unit_kind(r.name, bool(r.collective)))
            for r in conn.execute(select(u.c.id, u.c.name, u.c.collective).order_by(u.c.id)) if r.id in seen]
    return pd.DataFrame(rows, columns=["unit_id", "unit", "kind"])


def _tasks(conn: Connection, cid: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    t, a, tl, le, pl = schema.task, schema.assignment, schema.task_leader, schema.leader, schema.plan_row
    task_rows = conn.execute(select(t.c.id, t.c.kind, t.c.seq, t.c.text, t.c.area, t.c.category, t.c.closed_on)
                             .where(t.c.campaign_id == cid, t.c.active.is_(True)).order_by(t.c.kind, t.c.seq)).all()
    tasks = pd.DataFrame([tuple(r) for r in task_rows],
                         columns=["task_id", "kind", "seq", "text", "area", "category", "closed_on"])
    assign = pd.DataFrame([tuple(r) for r in conn.execute(
        select(a.c.task_id, a.c.unit_id, a.c.role).join(t, t.c.id == a.c.task_id)
        .where(t.c.campaign_id == cid, t.c.active.is_(True)).order_by(a.c.task_id, a.c.position))],
        columns=["task_id", "unit_id", "role"])
    leaders = pd.DataFrame([tuple(r) for r in conn.execute(
        select(tl.c.task_id, le.c.name).join(le, le.c.id == tl.c.leader_id).join(t, t.c.id == tl.c.task_id)
        .where(t.c.campaign_id == cid, t.c.active.is_(True)).order_by(tl.c.task_id, tl.c.position))],
        columns=["task_id", "leader"])
    # the last quarter the plan gives a target for: a task closed before that quarter ends is closed ahead of plan
    plan_end = {task_id: quarter for task_id, quarter in conn.execute(   # noqa: C416 (rows, not pairs, to dict())
        select(pl.c.task_id, pl.c.quarter).join(t, t.c.id == pl.c.task_id)
        .where(t.c.campaign_id == cid, pl.c.target != "").order_by(pl.c.quarter))}
    kind_cn = {"key": "重点任务", "livelihood": "民生实事"}
    tasks["label"] = [f"{kind_cn.get(k, k)}第{s}项" for k, s in zip(tasks["kind"], tasks["seq"], strict=True)]
    tasks["plan_quarter"] = [plan_end.get(i, 4) for i in tasks["task_id"]]
    leads = assign[assign["role"] == "lead"].drop_duplicates("task_id").set_index("task_id")["unit_id"]
    tasks["lead_unit_id"] = tasks["task_id"].map(leads)
    return tasks, assign, leaders


def _progress(conn: Connection, cid: int, periods: list[str]) -> pd.DataFrame:
    t, pr = schema.task, schema.progress_row
    rows = conn.execute(select(pr.c.task_id, pr.c.unit_id, pr.c.period, pr.c.on_track).join(t, t.c.id == pr.c.task_id)
                        .where(t.c.campaign_id == cid, t.c.active.is_(True), pr.c.period.in_(periods))).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=["task_id", "unit_id", "period", "on_track"])


def _flags(conn: Connection, cid: int, periods: list[str]) -> pd.DataFrame:
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
    return pd.DataFrame(sorted(found), columns=["unit_id", "period", "task_id", "flag"])


def _returns(conn: Connection, cid: int, periods: list[str], year: int) -> pd.DataFrame:
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
    return pd.DataFrame([(r.id, r.unit_id, r.form, r.period if r.form == "report" else str(year), r.file_name,
                          len(rows[r.id])) for r in subs],
                        columns=["submission_id", "unit_id", "form", "period", "file", "rows"])


def is_due(code: str) -> bool:
    """A cell counts as a form due once it is past its deadline or in (not 未下发, not 已下发 and still in time)."""
    return code not in (str(NOT_DISPATCHED), str(DISPATCHED))
