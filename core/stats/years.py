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
from core.tracking.states import OVERDUE, REPORTED, REPORTED_LATE, code_counts
from core.tracking.workdays import WorkCalendar

YEAR_COLUMNS = {"year": "年度", "units": "责任单位", "tasks": "任务", "forms_due": "应报表数", "on_time": "按时报送",
                "late": "逾期报送", "missing": "未报", "on_time_share": "按时率", "rows": "填报行数",
                "rows_behind": "填“否”行数", "on_track_share": "填“是”占比"}


def year_over_year(ledger: Ledger, today: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(one row per campaign year, units × years of forms late or missing); both empty with fewer than two years.
    Every year's 督办 codes are counted by the database in one read (core.tracking.states.code_counts: the matrix's
    own cells and rule, held to state_codes by a test), so no year's files come into Python."""
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
        counted = code_counts(conn, {ids[y]: stats_periods(y, today) for y in years}, today, cal)
        names: dict[int, str] = dict(rows_of(conn.execute(select(u.c.id, u.c.name))))
    units = pd.Series({year_of[cid]: len(seen) for cid, (seen, _n) in counted.items()}, dtype="int64")
    due = pd.DataFrame([(year_of[cid], unit_id, code, n) for cid, (_seen, n_of) in counted.items()
                        for (unit_id, code), n in n_of.items()], columns=["year", "unit_id", "code", "n"])
    due = due.astype({"year": "int64", "unit_id": "int64", "n": "int64"})
    counts = due.groupby(["year", "code"])["n"].sum().unstack(fill_value=0)
    table = pd.DataFrame({"year": years})
    table["units"] = table["year"].map(units).fillna(0).astype("int64")
    table["tasks"] = [tasks.get(y, 0) for y in years]
    table["forms_due"] = table["year"].map(due.groupby("year")["n"].sum()).fillna(0).astype("int64")
    for key, code in (("on_time", REPORTED), ("late", REPORTED_LATE), ("missing", OVERDUE)):
        column = counts[str(code)] if str(code) in counts.columns else pd.Series(dtype="int64")
        table[key] = table["year"].map(column).fillna(0).astype("int64")
    table["rows"] = [sum(n for (y, _ok), n in answers.items() if y == year) for year in years]
    table["rows_behind"] = [answers.get((year, False), 0) for year in years]
    table["on_time_share"] = (table["on_time"] / table["forms_due"].where(table["forms_due"] > 0)).round(4)
    table["on_track_share"] = (1 - table["rows_behind"] / table["rows"].where(table["rows"] > 0)).round(4)
    bad = due[due["code"].isin([str(REPORTED_LATE), str(OVERDUE)])]
    # the units with a form late or missing in any year, each year a column; the current name, directory order
    per_unit = bad.groupby(["unit_id", "year"])["n"].sum().unstack("year").reindex(columns=years)
    per_unit = per_unit.fillna(0).astype("int64").sort_index()
    per_unit.index = pd.Index([names[i] for i in per_unit.index], name="单位")
    per_unit.columns.name = None
    return table[list(YEAR_COLUMNS)], per_unit
