"""Year over year, when the ledger holds several campaign years: each year's forms and answers, and each unit's
late/missing forms per year (a unit is one directory entry across years, whatever name a year's 立项表 used: aliases
resolve to it at import)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

import pandas as pd
from sqlalchemy import func, select

from core.ledger import schema
from core.ledger.queries import campaign_years
from core.ledger.store import Ledger
from core.stats.read import rows_of, stats_periods
from core.tracking.states import DISPATCHED, NOT_DISPATCHED, OVERDUE, REPORTED, REPORTED_LATE, state_codes
from core.tracking.workdays import WorkCalendar

YEAR_COLUMNS = {"year": "年度", "units": "责任单位", "tasks": "任务", "forms_due": "应报表数", "on_time": "按时报送",
                "late": "逾期报送", "missing": "未报", "on_time_share": "按时率", "rows": "填报行数",
                "rows_behind": "填“否”行数", "on_track_share": "填“是”占比"}


def year_over_year(ledger: Ledger, today: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(one row per campaign year, units × years of forms late or missing); both empty with fewer than two years.
    Every year's 督办 codes come from one read of each table (core.tracking.states.state_codes: the matrix's own
    cells and rule), counted in one group-by."""
    years = sorted(campaign_years(ledger))
    if len(years) < 2:
        return pd.DataFrame(columns=list(YEAR_COLUMNS)), pd.DataFrame()
    t, pr, c, u = schema.task, schema.progress_row, schema.campaign, schema.unit
    with ledger.read() as conn:
        cal = WorkCalendar.from_conn(conn)
        ids: dict[int, int] = dict(rows_of(conn.execute(select(c.c.year, c.c.id))))
        year_of = {cid: y for y, cid in ids.items()}
        answers: dict[tuple[int, bool | None], int] = defaultdict(int)
        for cid, ok, n in rows_of(conn.execute(   # per task (the progress index, v6, answers it alone), then per year
                select(t.c.campaign_id, pr.c.on_track, func.count()).select_from(t).join(pr, pr.c.task_id == t.c.id)
                .where(t.c.active.is_(True)).group_by(t.c.id, pr.c.on_track))):
            answers[(year_of[cid], ok)] += n
        tasks: dict[int, int] = dict(rows_of(conn.execute(
            select(c.c.year, func.count()).join(t, t.c.campaign_id == c.c.id).where(t.c.active.is_(True))
            .group_by(c.c.year))))
        codes_of = state_codes(conn, {ids[y]: stats_periods(y, today) for y in years}, today, cal)
        names: dict[int, str] = dict(rows_of(conn.execute(select(u.c.id, u.c.name))))
    cells = pd.DataFrame([(year_of[cid], unit_id, code) for cid, cells in codes_of.items()
                          for unit_id, _form, _period, code in cells], columns=["year", "unit_id", "code"])
    units = cells.groupby("year")["unit_id"].nunique()
    due = cells[~cells["code"].isin([str(NOT_DISPATCHED), str(DISPATCHED)])]   # core.stats.read.is_due
    counts = due.groupby(["year", "code"]).size().unstack(fill_value=0)
    table = pd.DataFrame({"year": years})
    table["units"] = table["year"].map(units).fillna(0).astype("int64")
    table["tasks"] = [tasks.get(y, 0) for y in years]
    table["forms_due"] = table["year"].map(due.groupby("year").size()).fillna(0).astype("int64")
    for key, code in (("on_time", REPORTED), ("late", REPORTED_LATE), ("missing", OVERDUE)):
        column = counts[str(code)] if str(code) in counts.columns else pd.Series(dtype="int64")
        table[key] = table["year"].map(column).fillna(0).astype("int64")
    table["rows"] = [sum(n for (y, _ok), n in answers.items() if y == year) for year in years]
    table["rows_behind"] = [answers.get((year, False), 0) for year in years]
    table["on_time_share"] = (table["on_time"] / table["forms_due"].where(table["forms_due"] > 0)).round(4)
    table["on_track_share"] = (1 - table["rows_behind"] / table["rows"].where(table["rows"] > 0)).round(4)
    bad = due[due["code"].isin([str(REPORTED_LATE), str(OVERDUE)])]
    # the units with a form late or missing in any year, each year a column; the current name, directory order
    per_unit = bad.groupby(["unit_id", "year"]).size().unstack("year").reindex(columns=years)
    per_unit = per_unit.fillna(0).astype("int64").sort_index()
    per_unit.index = pd.Index([names[i] for i in per_unit.index], name="单位")
    per_unit.columns.name = None
    return table[list(YEAR_COLUMNS)], per_unit
