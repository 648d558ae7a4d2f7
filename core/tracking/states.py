"""督办 state: who has reported each form by its working-day deadline (the submission matrix) and each task's traffic light."""
from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from functools import lru_cache
from typing import Any, NamedTuple, NotRequired, TypedDict
from datetime import date, datetime, timedelta

from sqlalchemy import (BindParameter, Connection, DateTime, String, and_, bindparam, case, cast, column, except_, func,
                        literal, or_, select, text, union_all, update)

from core.ledger import schema
from core.tracking.deadlines import campaign_of, due_date, month_start, months_through, shift_period
from core.common.errors import UserError
from core.ledger.changes import Area, Changed, LedgerChange
from core.ledger.store import Ledger, new_batch, record_audit
from core.common.textnorm import squash
from core.common.vocabulary import Light, MatrixState, SubmissionStatus
from core.tracking.workdays import WorkCalendar

# -- submission states ------------------------------------------------------------------------------
NOT_DISPATCHED, DISPATCHED, REPORTED, REPORTED_LATE, OVERDUE, RETURNED = (
    MatrixState.NOT_DISPATCHED, MatrixState.DISPATCHED, MatrixState.REPORTED, MatrixState.REPORTED_LATE,
    MatrixState.OVERDUE, MatrixState.RETURNED)
STATE_NAMES = {
    NOT_DISPATCHED: "未下发", DISPATCHED: "已下发", REPORTED: "已报", REPORTED_LATE: "逾期已报",
    OVERDUE: "未报（逾期 {n} 个工作日）", RETURNED: "退回待改",
}
# the 督办 matrix's cell colours (the window, the 统计 workbook's matrix sheet), by shown_code
STATE_COLORS = {
    "reported": "#C8E6C9", "reported_late": "#FFE0B2", "overdue": "#FFCDD2", "dispatched": "#E3F2FD",
    "not_dispatched": "#EEEEEE", "returned": "#E1BEE7",
}
# the 督办 tiles: each counts the selected month's 落实情况表 cells of exactly one state, as the matrix shows them
TILE_STATES = {"按时已报": REPORTED, "逾期已报": REPORTED_LATE, "未报已逾期": OVERDUE, "未到期未报": DISPATCHED,
               "退回待改": RETURNED}
# a file in one of these states means the unit has sent its form; "returned" means the clerk sent it back;
# a "blank" file (the form came back with nothing typed, 未填写) is not counted: the unit has not reported
S = SubmissionStatus
COUNTED_STATUSES = {S.STAGED, S.MERGED, S.UNCHANGED, S.NEEDS_CONFIRMATION, S.SUPERSEDED, S.DUPLICATE}

# -- traffic lights -----------------------------------------------------------------------------------
GREEN, YELLOW, RED, BLUE = Light.GREEN, Light.YELLOW, Light.RED, Light.BLUE
LIGHT_NAMES = {light.value: light.cn for light in Light}
DUE_SOON_WORKDAYS = 2
LIGHT_RULES = f"""任务亮灯规则（按所选月份的落实情况表判断，先蓝后红、再黄、最后绿）：
蓝灯：任务已办结（销号），不再出现在以后的表格中。
红灯：牵头单位该月落实情况表逾期未报（按工作日计算，节假日不计、调休上班日计入）；或同一责任单位连续两个月“是否完成阶段任务目标”填“否”。
黄灯：该月报送截止日临近（{DUE_SOON_WORKDAYS} 个工作日内）而尚未报送；或有责任单位该月填“否”（一次）；\
或配合单位逾期未报；或“完成情况”与上月相同（进展停滞）。
绿灯：以上情况均无，按计划推进。
说明：某单位该月尚未报送且未逾期时，以其最近一个月的填报为准。"""


class MatrixRow(TypedDict):
    """One unit × form × period of the 督办 matrix (the window's cells, `status`, 催报, the reports read these)."""
    unit_id: int
    unit: str
    short_name: str | None
    contact: str | None
    phone: str | None
    email: str | None
    form: str                    # core.common.vocabulary.Form
    period: str                  # "YYYY" (plan) or "YYYY-MM"
    code: str                    # core.common.vocabulary.MatrixState
    state: str                   # its Chinese text, with the working days late
    due: date | None
    received: datetime | None
    late_workdays: int
    submission_id: int | None    # the file that decides the state
    file_name: str
    files: list[dict]            # every file the unit sent for it, oldest first
    tasks: int                   # the unit's open tasks in this form
    dispatched: bool
    sent_path: NotRequired[str]  # the workbook sent (set by the matrix)
    returned_rows: int           # rows of the deciding file 退回 for correction while its others were kept (部分退回);
                                 # the unit owes them until a later file comes in; 0 otherwise


def shown_code(row: MatrixRow) -> str:
    """The state the 督办 colours, tiles and 催报 go by: 退回待改 also for a file sent back in part (its other rows
    kept), else the row's code. The row's own code still says whether the file came in on time (通报, 逾期次数)."""
    return RETURNED if row.get("returned_rows") else row["code"]


class StatusMatrix(list[MatrixRow]):
    """A list of state rows that also carries the calendar warning, if any answer was estimated."""

    def __init__(self, rows=(), warning: str | None = None):
        super().__init__(rows)
        self.warning = warning


def received_by(today: date) -> datetime:
    """The one as-of rule: files received before this moment count as received on `today`; later ones are not yet
    received — in 督办, `status`, 催报, 统计 and every document alike (a clerk's --today / 截至 date in the past)."""
    from datetime import time, timedelta
    return datetime.combine(today + timedelta(days=1), time.min)


_received_by = received_by


def _conn_scope(conn_or_ledger):
    if isinstance(conn_or_ledger, Ledger):
        return conn_or_ledger.read()
    from contextlib import nullcontext
    return nullcontext(conn_or_ledger)


def plan_period(campaign) -> str:
    return str(campaign["year"])


def default_period(today: date) -> str:
    """The month whose 落实情况表 is being collected on `today`: the previous month."""
    return shift_period(f"{today.year:04d}-{today.month:02d}", -1)


@lru_cache(maxsize=4096)
def state_text(code: str, late: int = 0) -> str:
    return STATE_NAMES[MatrixState(code)].format(n=late)


# -- the submission matrix --------------------------------------------------------------------------
def submission_matrix(conn_or_ledger, campaign_id: int, period: str | list[str] | None = None,
                      today: date | None = None, forms: tuple[str, ...] = ("plan", "report"),
                      calendar: WorkCalendar | None = None, sent_back: dict[int, int] | None = None,
                      cutoff: bool = True) -> StatusMatrix:
    """Per unit × form × period: state, due date, received time, working days late, source file.

    cutoff (on unless a caller needs the whole record): files received after `today` are not yet received
    (received_by, the one as-of rule of 督办, `status` and the documents' 数据截至 date).

    `period` is one "YYYY-MM" or a list of them (the report form); the plan form has period "YYYY".
    Rows come in unit directory order (never sorted by counts). `sent_back`: sent_back_rows(conn), when the caller
    builds several matrices in one read.
    """
    today = today or date.today()
    with _conn_scope(conn_or_ledger) as conn:
        cal = calendar or WorkCalendar.from_conn(conn)
        camp = dict(campaign_of(conn, campaign_id))
        if period is None:
            period = default_period(today)
        periods = [period] if isinstance(period, str) else list(period)
        keys: list[tuple[str, str]] = []
        if "plan" in forms:
            keys.append(("plan", plan_period(camp)))
        if "report" in forms:
            keys.extend(("report", p) for p in periods)
        rows = _matrix(conn, camp, keys, today, cal, sent_back, cutoff)
    return StatusMatrix(rows, cal.warning)


class _Sub(NamedTuple):
    id: int
    status: str
    received_at: datetime
    file_name: str


class _Inputs(NamedTuple):
    """What the matrix is built from, for one or several campaigns (each dict keyed by campaign id)."""
    units: dict[int, dict]                                             # the units that report (not collective)
    holdings: dict[int, dict[int, list[tuple[date | None, str]]]]      # unit → (closing date, role) of its tasks
    dispatched: dict[int, dict[tuple[int, str, str], str]]             # (unit, form, period) → latest workbook sent
    subs: dict[int, dict[tuple[int, str, str], list[_Sub]]]            # (unit, form, period) → files, oldest first


def _matrix(conn: Connection, camp: dict, keys: list[tuple[str, str]], today: date, cal: WorkCalendar,
            sent_back: dict[int, int] | None = None, cutoff: bool = True) -> list[MatrixRow]:
    inputs = _matrix_inputs(conn, {camp["id"]: (camp, keys)}, today, cutoff)
    sent_back = sent_back_rows(conn) if sent_back is None else sent_back
    out: list[MatrixRow] = []
    for form, period, due, uid, n_open, sent, found in _cells(camp, keys, inputs, cal):
        row = _state_row(inputs.units[uid], form, period, due, today, cal, sent is not None, found, n_open, sent_back)
        row["sent_path"] = sent or ""
        out.append(row)
    return out


def _matrix_inputs(conn: Connection, wanted: dict[int, tuple[dict, list[tuple[str, str]]]], today: date,
                   cutoff: bool = False, files: bool = True) -> _Inputs:
    """One read per table for the campaigns in `wanted` ({id: (campaign row, its (form, period) keys)}).
    files=False: no workbook paths nor file names (state codes only)."""
    cids = sorted(wanted)
    t, a, u = schema.task, schema.assignment, schema.unit
    # a collective entry (各街道办事处, 各行业主管部门) is no unit that reports: its members do; it is not dispatched to,
    # so it is neither counted nor shown here (the one count of units: 督办's tiles, the brief, 催报)
    units: dict[int, Any] = {r["id"]: r for r in conn.execute(
        select(u.c.id, u.c.name, u.c.short_name, u.c.contact, u.c.phone, u.c.email)
        .where(u.c.collective.is_(False))).mappings().all()}
    # which units hold tasks (per role) and the closing dates of those tasks
    holdings: dict[int, dict[int, list[tuple[date | None, str]]]] = {cid: defaultdict(list) for cid in cids}
    for cid, unit_id, role, closed_on in _rows(conn.execute(
            select(t.c.campaign_id, a.c.unit_id, a.c.role, t.c.closed_on).join(t, t.c.id == a.c.task_id)
            .where(t.c.campaign_id.in_(cids), t.c.active.is_(True)))):
        holdings[cid][unit_id].append((closed_on, role))
    years = {cid: str(camp["year"]) for cid, (camp, _keys) in wanted.items()}
    periods = sorted({p for _camp, keys in wanted.values() for _f, p in keys})
    # dispatched: (unit, form, period) → path of the latest workbook sent
    d, di, s = schema.dispatch, schema.dispatch_item, schema.submission
    dispatched: dict[int, dict[tuple[int, str, str], str]] = {cid: {} for cid in cids}
    if files:
        for unit_id, cid, form, period, path in _rows(conn.execute(
                select(di.c.unit_id, d.c.campaign_id, d.c.form, d.c.period, di.c.path).join(d, d.c.id == di.c.dispatch_id)
                .where(d.c.campaign_id.in_(cids)).order_by(d.c.id))):
            dispatched[cid][(unit_id, form, years[cid] if form == "plan" else (period or ""))] = path
    else:   # codes only: a cell's workbook matters only while no counted or returned file decides it (_decide), so
        # the database leaves out the cells such a file came in for (ten years: some thousand rows, not 60,000)
        c = schema.campaign
        year_text = cast(c.c.year, String)
        sent = select(di.c.unit_id, d.c.campaign_id, d.c.form,
                      case((d.c.form == "plan", year_text), else_=func.coalesce(d.c.period, ""))) \
            .join(d, d.c.id == di.c.dispatch_id).join(c, c.c.id == d.c.campaign_id).where(d.c.campaign_id.in_(cids))
        decided = select(s.c.unit_id, s.c.campaign_id, s.c.form,
                         case((and_(s.c.form == "plan", func.coalesce(s.c.period, "") == ""), year_text),
                              else_=func.coalesce(s.c.period, ""))) \
            .join(c, c.c.id == s.c.campaign_id) \
            .where(s.c.campaign_id.in_(cids), s.c.period.in_(periods + [""]), s.c.unit_id.is_not(None),
                   s.c.status.in_(sorted(COUNTED_STATUSES | {S.RETURNED})),
                   s.c.received_at < (_received_by(today) if cutoff else datetime.max))
        for unit_id, cid, form, period in _rows(conn.execute(except_(sent, decided))):
            dispatched[cid][(unit_id, form, period)] = ""
    # submissions, oldest first
    subs: dict[int, dict[tuple[int, str, str], list[_Sub]]] = {cid: defaultdict(list) for cid in cids}
    for sid, cid, unit_id, form, period, status, received_at, file_name in _rows(conn.execute(
            select(s.c.id, s.c.campaign_id, s.c.unit_id, s.c.form, s.c.period, s.c.status, s.c.received_at,
                   s.c.file_name if files else literal(""))
            .where(s.c.campaign_id.in_(cids), s.c.period.in_(periods + [""]), s.c.unit_id.is_not(None),
                   s.c.received_at < (_received_by(today) if cutoff else datetime.max))
            .order_by(s.c.received_at, s.c.id))):
        if form == "plan" and not period:
            period = years[cid]
        subs[cid][(unit_id, form, period or "")].append(_Sub(sid, status, received_at, file_name))
    return _Inputs(units, holdings, dispatched, subs)


def _rows(result) -> list[Any]:
    """A result's rows for unpacking (SQLAlchemy types wide selects' columns as object), fetched all at once."""
    return list(result.all())


def _cells(camp: dict, keys: list[tuple[str, str]], inputs: _Inputs, cal: WorkCalendar, tasks: bool = True):
    """(form, period, due, unit id, open tasks, workbook sent or None, files) of each cell the matrix shows, in its
    order: form by form, period by period, units in directory order; a unit with no open task in the form, nothing
    sent and nothing received is left out. tasks=False: open tasks counted only where they decide that (else 0)."""
    cid = camp["id"]
    holdings, dispatched, subs = inputs.holdings[cid], inputs.dispatched[cid], inputs.subs[cid]
    candidates = sorted(set(holdings) | {k[0] for k in dispatched} | {k[0] for k in subs})
    lead_only = bool(camp["lead_gathering"])
    # per unit, the tasks a month's form asks about: never closed, or closed on or after the month's first day
    never_closed: dict[int, int] = {}
    closed_days: dict[int, list[date]] = {}
    for uid, held in holdings.items():
        asked = [closed for closed, role in held if not lead_only or role == "lead"]
        never_closed[uid] = sum(closed is None for closed in asked)
        closed_days[uid] = sorted(closed for closed in asked if closed is not None)
    reporting = [uid for uid in candidates if uid in inputs.units]
    for form, period in keys:
        due = due_date(camp, form, period, cal)
        start = month_start(period) if form == "report" else None
        for uid in reporting:
            key = (uid, form, period)
            sent = dispatched.get(key)
            found = subs.get(key)
            n_open = 0
            if tasks or (sent is None and not found):
                if start is not None:
                    days = closed_days.get(uid, [])
                    n_open = never_closed.get(uid, 0) + len(days) - bisect_left(days, start)
                else:
                    n_open = len(holdings.get(uid, ()))
                if not n_open and sent is None and not found:
                    continue
            yield form, period, due, uid, n_open, sent, found or []


def state_codes(conn: Connection, periods_of: dict[int, list[str]], today: date, calendar: WorkCalendar,
                forms: tuple[str, ...] = ("plan", "report")) -> dict[int, list[tuple[int, str, str, str]]]:
    """{campaign id: [(unit id, form, period, code)]}: the cells and codes submission_matrix gives each campaign for
    its periods (same rows, same order, same rule), read for all of them at once and without the rows' other
    fields — what year over year counts over ten years of 630 units."""
    wanted = {}
    for cid, periods in periods_of.items():
        camp = dict(campaign_of(conn, cid))
        keys = ([("plan", plan_period(camp))] if "plan" in forms else []) + \
            ([("report", p) for p in periods] if "report" in forms else [])
        wanted[cid] = (camp, keys)
    inputs = _matrix_inputs(conn, wanted, today, cutoff=True, files=False)   # the one as-of rule (received_by)
    out: dict[int, list[tuple[int, str, str, str]]] = {}
    no_file: dict[tuple[date | None, bool], str] = {}   # a cell with no file: its code follows from due and sent alone
    for cid, (camp, keys) in wanted.items():
        cells = out[cid] = []
        for form, period, due, uid, _n, sent, found in _cells(camp, keys, inputs, calendar, tasks=False):
            if found:
                code = _decide(found, due, today, calendar, sent is not None)[0]
            else:
                code = no_file.get((due, sent is not None)) or no_file.setdefault(
                    (due, sent is not None), _decide([], due, today, calendar, sent is not None)[0])
            cells.append((uid, form, period, code))
    return out


def code_counts(conn: Connection, periods_of: dict[int, list[str]], today: date, calendar: WorkCalendar
                ) -> dict[int, tuple[set[int], dict[tuple[int, str], int]]]:
    """{campaign id: (units with a cell, {(unit id, code): cells})} over the 计划表 and each campaign's report months:
    what state_codes' rows add up to, counted by the database (ten years of 630 units: a few thousand rows, where
    state_codes brings every file into Python). Not-dispatched and still-in-time cells are counted only in the
    units. The rule is _decide's: among counted and returned files the latest returned one makes 退回待改, else the
    first counted file is on time unless received after its due day; with no such file, a workbook sent makes the
    cell 已下发 or 逾期 by its due day (_decide itself, once per form and month). A test holds these to state_codes."""
    t, a, u, s, d, di, c = (schema.task, schema.assignment, schema.unit, schema.submission, schema.dispatch,
                            schema.dispatch_item, schema.campaign)
    cids = sorted(periods_of)
    keys: dict[tuple[int, str, str], date | None] = {}   # (campaign, form, period) → due day
    for cid, periods in periods_of.items():
        camp = dict(campaign_of(conn, cid))
        for form, period in [("plan", plan_period(camp))] + [("report", p) for p in periods]:
            keys[(cid, form, period)] = due_date(camp, form, period, calendar)
    reporting: set[int] = set(conn.execute(select(u.c.id).where(u.c.collective.is_(False))).scalars())
    units: dict[int, set[int]] = {cid: set() for cid in cids}
    counts: dict[int, dict[tuple[int, str], int]] = {cid: defaultdict(int) for cid in cids}
    # a unit holding a task has its 计划表 cell
    for cid, unit_id in _rows(conn.execute(
            select(t.c.campaign_id, a.c.unit_id).join(t, t.c.id == a.c.task_id)
            .where(t.c.campaign_id.in_(cids), t.c.active.is_(True)).distinct())):
        if unit_id in reporting:
            units[cid].add(unit_id)
    year_text = cast(c.c.year, String)
    cutoff = s.c.received_at < _received_by(today)
    periods = sorted({p for _cid, _form, p in keys} | {""})
    # cells with files: the latest returned and counted files' times, the first counted one's
    period_key = case((and_(s.c.form == "plan", func.coalesce(s.c.period, "") == ""), year_text),
                      else_=func.coalesce(s.c.period, ""))
    decisive = s.c.status.in_(sorted(COUNTED_STATUSES | {S.RETURNED}))
    counted = s.c.status.in_(sorted(COUNTED_STATUSES))
    times = (func.max(case((s.c.status == S.RETURNED, s.c.received_at))).label("returned"),
             func.max(case((counted, s.c.received_at))).label("last"),
             func.min(case((counted, s.c.received_at))).label("first"))
    files = (s.c.campaign_id.in_(cids), s.c.period.in_(periods), s.c.unit_id.is_not(None), cutoff)
    # the months' forms grouped in the order the v6 index holds them; the 计划表 (its year, or no period) apart
    cells = union_all(
        select(s.c.campaign_id.label("cid"), s.c.unit_id.label("unit_id"), literal("report", String).label("form"),
               s.c.period.label("period"), *times).where(*files, s.c.form == "report")
        .group_by(s.c.campaign_id, s.c.period, s.c.unit_id),
        select(s.c.campaign_id, s.c.unit_id, s.c.form, period_key, *times).join(c, c.c.id == s.c.campaign_id)
        .where(*files, s.c.form != "report").group_by(s.c.campaign_id, s.c.unit_id, s.c.form, period_key)).subquery()
    # received after its due day = on or after the next day's midnight; a form with no due day is never late
    # (one VALUES list: a union of a hundred selects costs more to compile than to run)
    rows: list[str] = []
    params: list[BindParameter[Any]] = []
    for i, ((cid, form, period), due) in enumerate(keys.items()):
        rows.append(f"(:k{i}, :l{i})")
        params += [bindparam(f"k{i}", f"{cid} {form} {period}", String),
                   bindparam(f"l{i}", datetime.combine(due + timedelta(days=1), datetime.min.time()) if due
                             else datetime.max, DateTime)]
    late_from = text(f"SELECT column1 AS cell, column2 AS late_from FROM (VALUES {', '.join(rows)}) AS due_keys") \
        .bindparams(*params).columns(column("cell", String), column("late_from", DateTime)).subquery()
    # a returned and a counted file received at the same moment: the file id decides (_decide, below, per cell)
    code = case((and_(cells.c.returned.is_not(None), or_(cells.c.last.is_(None), cells.c.returned > cells.c.last)),
                 str(RETURNED)),
                (cells.c.returned == cells.c.last, "tie"), (cells.c.first.is_(None), "none"),
                (cells.c.first >= late_from.c.late_from, str(REPORTED_LATE)), else_=str(REPORTED))
    tie_form, tie_period = (case((code == "tie", col)) for col in (cells.c.form, cells.c.period))
    ties: list[tuple[int, int, str, str]] = []
    for cid, unit_id, code_, form, period, n in _rows(conn.execute(
            select(cells.c.cid, cells.c.unit_id, code.label("code"), tie_form, tie_period, func.count())
            .join(late_from, late_from.c.cell == cast(cells.c.cid, String) + " " + cells.c.form + " " + cells.c.period)
            .group_by(cells.c.cid, cells.c.unit_id, code, tie_form, tie_period))):
        if unit_id in reporting:
            units[cid].add(unit_id)
            if code_ == "tie":
                ties.append((cid, unit_id, form, period))
            elif code_ != "none":
                counts[cid][(unit_id, code_)] += n
    for cid, unit_id, form, period in ties:
        found = [_Sub(*r) for r in _rows(conn.execute(
            select(s.c.id, s.c.status, s.c.received_at, literal("")).join(c, c.c.id == s.c.campaign_id)
            .where(s.c.campaign_id == cid, s.c.unit_id == unit_id, s.c.form == form, period_key == period, cutoff)
            .order_by(s.c.received_at, s.c.id)))]
        counts[cid][(unit_id, str(_decide(found, keys[(cid, form, period)], today, calendar, True)[0]))] += 1
    # cells with no counted or returned file but a workbook sent: 已下发 or 逾期 by the due day
    sent = select(di.c.unit_id, d.c.campaign_id, d.c.form,
                  case((d.c.form == "plan", year_text), else_=func.coalesce(d.c.period, ""))) \
        .join(d, d.c.id == di.c.dispatch_id).join(c, c.c.id == d.c.campaign_id).where(d.c.campaign_id.in_(cids))
    decided = select(s.c.unit_id, s.c.campaign_id, s.c.form, period_key).join(c, c.c.id == s.c.campaign_id) \
        .where(s.c.campaign_id.in_(cids), s.c.period.in_(periods), s.c.unit_id.is_not(None), decisive, cutoff)
    no_file: dict[date | None, str] = {}
    for unit_id, cid, form, period in _rows(conn.execute(except_(sent, decided))):
        key = (cid, form, period)
        if key not in keys or unit_id not in reporting:
            continue
        due = keys[key]
        if due not in no_file:
            no_file[due] = _decide([], due, today, calendar, True)[0]
        units[cid].add(unit_id)
        if no_file[due] == OVERDUE:
            counts[cid][(unit_id, str(OVERDUE))] += 1
    return {cid: (units[cid], dict(counts[cid])) for cid in cids}


def sent_back_rows(conn: Connection) -> dict[int, int]:
    """{submission id: rows 退回} for every file sent back in part (退回 audited, the file itself not 已退回)."""
    au, ch, s = schema.audit, schema.change, schema.submission
    keys: list[str] = list(conn.execute(select(au.c.row_key).where(au.c.table_name == "submission",
                                                                  au.c.field == "send_back")).scalars())
    ids = {int(key) for key in keys}
    if not ids:
        return {}
    counts: dict[int, set[int]] = defaultdict(set)
    for row in conn.execute(select(ch.c.submission_id, ch.c.task_id).join(s, s.c.id == ch.c.submission_id)
                            .where(ch.c.submission_id.in_(sorted(ids)), ch.c.decision == "rejected",
                                   s.c.status != "returned")).all():
        counts[int(row.submission_id)].add(int(row.task_id))
    return {sid: len(tasks) for sid, tasks in counts.items()}


def _decide(subs: list[_Sub], due: date | None, today: date, cal: WorkCalendar, was_dispatched: bool):
    """The rule of one cell: (code, working days late, received, the file that decides, the latest file)."""
    latest = None
    first = None   # the first file that came in decides on-time or late
    for r in subs:  # subs are oldest first: the last counted or returned one is the latest
        if r.status in COUNTED_STATUSES:
            latest = r
            if first is None:
                first = r
        elif r.status == "returned":
            latest = r
    received, late, source = None, 0, None
    if latest is not None and latest.status == "returned":
        code, received, source = RETURNED, latest.received_at, latest
    elif first is not None:
        source = first
        received = source.received_at
        if due is not None and received.date() > due:
            code, late = REPORTED_LATE, cal.workdays_between(due, received.date())
        else:
            code = REPORTED
    elif not was_dispatched:
        code = NOT_DISPATCHED
    else:
        late = cal.workdays_between(due, today) if due is not None and today > due else 0
        code = OVERDUE if late > 0 else DISPATCHED
    return code, late, received, source, latest


def _state_row(unit, form, period, due, today, cal, was_dispatched, subs: list[_Sub], n_tasks,
               sent_back: dict[int, int] | None = None) -> MatrixRow:
    code, late, received, source, latest = _decide(subs, due, today, cal, was_dispatched)
    returned_rows = (sent_back or {}).get(latest.id, 0) if latest is not None and code != RETURNED else 0
    state = f"退回 {returned_rows} 行待改（{state_text(code, late)}）" if returned_rows else state_text(code, late)
    return MatrixRow(
        unit_id=unit["id"], unit=unit["name"], short_name=unit["short_name"],
        contact=unit["contact"], phone=unit["phone"], email=unit["email"],
        form=form, period=period, code=code, state=state, returned_rows=returned_rows,
        due=due, received=received, late_workdays=late,
        submission_id=source.id if source is not None else None,
        file_name=source.file_name if source is not None else "",
        files=[r._asdict() for r in subs],
        tasks=n_tasks, dispatched=was_dispatched,
    )


# -- received time, editable by the clerk --------------------------------------------------------------
def _file_change(unit_id: int | None, period: str | None) -> LedgerChange:
    """What a hand change to one received file changes: the files of its unit and month."""
    return LedgerChange.of(Area.RETURNS, units=[unit_id] if unit_id else [], periods=[period] if period else [])


def set_received_at(ledger: Ledger, submission_id: int, when: datetime | date | str,
                    note: str = "") -> Changed[None]:
    """Correct when a file was received (e.g. the email arrived on time but was collected late); audited."""
    if isinstance(when, str):
        try:
            when = datetime.fromisoformat(when.strip())
        except ValueError:
            raise UserError(f"收到时间“{when}”格式不对，请写成 2026-03-06 或 2026-03-06 17:30。") from None
    if isinstance(when, date) and not isinstance(when, datetime):
        when = datetime(when.year, when.month, when.day, 12, 0)
    s = schema.submission
    with ledger.begin() as conn:
        row = conn.execute(select(s.c.received_at, s.c.file_name, s.c.unit_id, s.c.period)
                           .where(s.c.id == submission_id)).first()
        if row is None:
            raise UserError("找不到这份报送文件，可能已被删除。请刷新后重试。")
        if row.received_at != when:
            conn.execute(update(s).where(s.c.id == submission_id).values(received_at=when))
            record_audit(conn, new_batch(), "submission", str(submission_id), "received_at",
                         row.received_at.isoformat(sep=" "), when.isoformat(sep=" "), "hand", note or row.file_name)
    return Changed(None, change=_file_change(row.unit_id, row.period))


def mark_returned(ledger: Ledger, submission_id: int, comment: str = "") -> Changed[str]:
    """退回待改: the clerk sends a file back for correction; the unit then owes a new one. Audited; returns the old status."""
    s = schema.submission
    with ledger.begin() as conn:
        row = conn.execute(select(s.c.status, s.c.unit_id, s.c.file_name, s.c.period)
                           .where(s.c.id == submission_id)).first()
        if row is None:
            raise UserError("找不到这份报送文件，可能已被删除。请刷新后重试。")
        if row.unit_id is None or row.status == "rejected":
            raise UserError(f"“{row.file_name}”未能识别报送单位或已被拒收，无法退回。请先确认单位。")
        if row.status != "returned":
            conn.execute(update(s).where(s.c.id == submission_id).values(status="returned"))
            record_audit(conn, new_batch(), "submission", str(submission_id), "status", row.status, "returned",
                         "hand", comment or "退回修改")
    return Changed(row.status, change=_file_change(row.unit_id, row.period))


# -- traffic lights -----------------------------------------------------------------------------------
def task_lights(conn_or_ledger, campaign_id: int, period: str, today: date | None = None,
                calendar: WorkCalendar | None = None, matrix: list[MatrixRow] | None = None,
                cutoff: bool = True) -> dict[int, dict]:
    """{task_id: {"light": green|yellow|red|blue, "reasons": [Chinese]}} for the month `period` per LIGHT_RULES."""
    today = today or date.today()
    with _conn_scope(conn_or_ledger) as conn:
        cal = calendar or WorkCalendar.from_conn(conn)
        if matrix is None:
            matrix = submission_matrix(conn, campaign_id, period, today, forms=("report",), calendar=cal,
                                       cutoff=cutoff)
        return _lights(conn, campaign_id, period, today, cal, matrix, cutoff)


def _lights(conn, cid, period, today, cal, matrix, cutoff: bool = True) -> dict[int, dict]:
    tasks, people, progress = _light_inputs(conn, cid, [period], today, cutoff)
    return _judge(tasks, people, progress, period, today, cal, matrix)


def lights_by_month(conn: Connection, campaign_id: int, periods: list[str], today: date, calendar: WorkCalendar,
                    matrix: list[MatrixRow], only_red: bool = False) -> dict[str, dict[int, dict]]:
    """{period: task_lights of that month} for many months with one read: the same rule as task_lights.
    only_red: each month's red tasks alone, with their red reasons (what 统计 counts; the yellow checks skipped)."""
    tasks, people, progress = _light_inputs(conn, campaign_id, periods, today, texts=not only_red)
    return {p: _judge(tasks, people, progress, p, today, calendar, matrix, only_red) for p in periods}


class _LightTask(NamedTuple):
    id: int
    closed_on: date | None
    closed_note: str | None


class _Holder(NamedTuple):
    """A unit holding a task (assignment row with the unit's name)."""
    task_id: int
    unit_id: int
    role: str
    name: str


def _light_inputs(conn, cid, periods: list[str], today: date, cutoff: bool = True, texts: bool = True):
    """The campaign's open tasks, who holds each (lead first), and the 是/否 rows of the months and the two before
    (cutoff: rows from files received after `today` left out; texts=False: without 完成情况, which only the yellow
    check of a stalled task reads)."""
    t, a, u, pr = schema.task, schema.assignment, schema.unit, schema.progress_row
    # plain named tuples: _judge reads each holder's fields once a month, and a Row's attribute costs ten times more
    tasks = [_LightTask(*r) for r in conn.execute(select(t.c.id, t.c.closed_on, t.c.closed_note)
                                                  .where(t.c.campaign_id == cid, t.c.active.is_(True))).all()]
    people: dict[int, list[_Holder]] = defaultdict(list)
    for r in conn.execute(select(a.c.task_id, a.c.unit_id, a.c.role, u.c.name).join(u, u.c.id == a.c.unit_id)
                          .join(t, t.c.id == a.c.task_id).where(t.c.campaign_id == cid, t.c.active.is_(True))
                          .order_by(a.c.task_id, a.c.position)).all():
        people[r[0]].append(_Holder(*r))
    wanted = sorted({shift_period(p, -k) for p in periods for k in (0, 1, 2)})
    progress: dict[tuple[int, int, str], tuple] = {}
    s = schema.submission
    rows = select(pr.c.task_id, pr.c.unit_id, pr.c.period, pr.c.on_track, pr.c.done if texts else literal("")) \
        .join(t, t.c.id == pr.c.task_id).where(t.c.campaign_id == cid, pr.c.period.in_(wanted))
    if cutoff:   # only then does the file a row came from matter
        rows = rows.outerjoin(s, s.c.id == pr.c.submission_id).where(
            or_(s.c.received_at.is_(None), s.c.received_at < _received_by(today)))
    for task_id, unit_id, per, on_track, done in conn.execute(rows).all():
        progress[(task_id, unit_id, per)] = (on_track, done or "")
    return tasks, people, progress


def _judge(tasks, people, progress, period, today, cal, matrix, only_red: bool = False) -> dict[int, dict]:
    report_state = {r["unit_id"]: r for r in matrix if r["form"] == "report" and r["period"] == period}
    p0, p1, p2 = period, shift_period(period, -1), shift_period(period, -2)
    out: dict[int, dict] = {}
    for task in tasks:
        if task.closed_on is not None and task.closed_on <= today:
            if only_red:
                continue
            note = f"：{task.closed_note}" if task.closed_note else ""
            out[task.id] = {"light": BLUE, "reasons": [f"已于{_cn(task.closed_on)}办结{note}"], "latest": []}
            continue
        red: list[str] = []
        yellow: list[str] = []
        seen, latest = False, []
        for person in people.get(task.id, []):
            name, lead = person.name, person.role == "lead"
            state = report_state.get(person.unit_id)
            if state is not None and state["code"] == OVERDUE:
                if lead or not only_red:
                    text = f"{_who(person)}{_month(p0)}落实情况表逾期 {state['late_workdays']} 个工作日未报"
                    (red if lead else yellow).append(text)
            elif not only_red and state is not None and state["code"] in (DISPATCHED, NOT_DISPATCHED) \
                    and state["due"] is not None and today <= state["due"] \
                    and cal.workdays_between(today, state["due"]) <= DUE_SOON_WORKDAYS:
                yellow.append(f"{_who(person)}{_month(p0)}落实情况表尚未报送，截止{_cn(state['due'])}")
            cur, prev = p0, p1
            if (task.id, person.unit_id, p0) not in progress and (state is None or state["code"] != OVERDUE):
                cur, prev = p1, p2  # not reported yet and not late: judge by the latest month reported
            now_row, before = progress.get((task.id, person.unit_id, cur)), progress.get((task.id, person.unit_id, prev))
            if not only_red:
                latest.append({"unit": name, "role": person.role, "period": cur if now_row else None,
                               "on_track": now_row[0] if now_row else None})
            if now_row is None:
                continue
            seen = True
            if now_row[0] is False and before is not None and before[0] is False:
                red.append(f"{_who(person)}连续两个月（{_month(prev)}、{_month(cur)}）未完成阶段任务目标（填“否”）")
            elif only_red:
                continue
            elif now_row[0] is False:
                yellow.append(f"{_who(person)}{_month(cur)}未完成阶段任务目标（填“否”）")
            if now_row[1] and before is not None and before[1] and (
                    before[1] == now_row[1] or squash(before[1]) == squash(now_row[1])):
                yellow.append(f"{_who(person)}{_month(cur)}完成情况与上月相同（进展停滞）")
        if only_red:
            if red:
                out[task.id] = {"light": RED, "reasons": red}
            continue
        if red:
            out[task.id] = {"light": RED, "reasons": red + yellow}
        elif yellow:
            out[task.id] = {"light": YELLOW, "reasons": yellow}
        else:
            out[task.id] = {"light": GREEN, "reasons": ["按计划推进" if seen else "暂无填报，未见异常"]}
        out[task.id]["latest"] = latest  # each unit's latest 是否完成阶段任务目标 (lead first, as assigned)
    return out


def _who(person) -> str:
    return f"{person.name}（{'牵头' if person.role == 'lead' else '配合'}）"


def _month(period: str) -> str:
    return f"{int(period[:4])}年{int(period[5:7])}月"


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# -- the dashboard in one call ------------------------------------------------------------------------
class DashboardData(TypedDict):
    """What the 督办 page shows for one month, read in one go."""
    period: str
    periods: list[str]
    tiles: dict[str, int]              # TILE_STATES' names (and 红灯任务) → count
    matrix: list[MatrixRow]
    lights: dict[int, dict]            # task id → its light, reasons and counts
    warning: str | None                # the calendar warning, when a year's working days were estimated
    estimated_years: list[int]         # the years the warning is about (the 补充节假日 dialog opens on the first)


def dashboard_data(conn_or_ledger, campaign_id: int, period: str, today: date | None = None,
                   periods: list[str] | None = None) -> DashboardData:
    """Tiles, the unit × period matrix (plan + each report month) and the task lights, read in one go."""
    today = today or date.today()
    with _conn_scope(conn_or_ledger) as conn:
        cal = WorkCalendar.from_conn(conn)
        camp = campaign_of(conn, campaign_id)
        if periods is None:
            periods = months_through(camp["year"], period)
        if period not in periods:
            periods = sorted(set(periods) | {period})
        matrix = submission_matrix(conn, campaign_id, periods, today, calendar=cal)
        lights = _lights(conn, campaign_id, period, today, cal, matrix)
    current = [r for r in matrix if r["form"] == "report" and r["period"] == period]
    tiles = {name: sum(shown_code(r) == code for r in current) for name, code in TILE_STATES.items()}
    tiles["红灯任务"] = sum(v["light"] == RED for v in lights.values())
    return {"period": period, "periods": periods, "tiles": tiles, "matrix": matrix, "lights": lights,
            "warning": cal.warning, "estimated_years": sorted(cal.estimated_years)}


def late_units(matrix: list[MatrixRow], form: str | None = None, period: str | None = None) -> list[MatrixRow]:
    """Rows still owed and past due (未报逾期) or sent back, whole or in part (退回待改): who to 催报."""
    return [r for r in matrix if shown_code(r) in (OVERDUE, RETURNED)
            and (form is None or r["form"] == form) and (period is None or r["period"] == period)]
