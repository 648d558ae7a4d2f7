"""Year over year, when the ledger holds several campaign years: each year's forms and answers, and each unit's
late/missing forms per year (a unit is one directory entry across years, whatever name a year's 立项表 used: aliases
resolve to it at import)."""
from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import func, select

from core.ledger import schema
from core.ledger.queries import campaign_years
from core.ledger.store import Ledger
from core.stats.read import is_due, rows_of, stats_periods
from core.tracking.states import sent_back_rows, submission_matrix
from core.tracking.workdays import WorkCalendar

YEAR_COLUMNS = {"year": "年度", "units": "责任单位", "tasks": "任务", "forms_due": "应报表数", "on_time": "按时报送",
                "late": "逾期报送", "missing": "未报", "on_time_share": "按时率", "rows": "填报行数",
                "rows_behind": "填“否”行数", "on_track_share": "填“是”占比"}


def year_over_year(ledger: Ledger, today: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(one row per campaign year, units × years of forms late or missing); both empty with fewer than two years."""
    years = sorted(campaign_years(ledger))
    if len(years) < 2:
        return pd.DataFrame(columns=list(YEAR_COLUMNS)), pd.DataFrame()
    t, pr, c = schema.task, schema.progress_row, schema.campaign
    rows, late = [], []
    with ledger.read() as conn:
        cal = WorkCalendar.from_conn(conn)
        sent_back = sent_back_rows(conn)   # once for all the years' matrices
        ids: dict[int, int] = dict(rows_of(conn.execute(select(c.c.year, c.c.id))))
        answers: dict[tuple[int, bool | None], int] = {(y, ok): n for y, ok, n in rows_of(conn.execute(
            select(c.c.year, pr.c.on_track, func.count()).join(t, t.c.id == pr.c.task_id).join(c, c.c.id == t.c.campaign_id)
            .where(t.c.active.is_(True)).group_by(c.c.year, pr.c.on_track)))}
        tasks: dict[int, int] = dict(rows_of(conn.execute(
            select(c.c.year, func.count()).join(t, t.c.campaign_id == c.c.id).where(t.c.active.is_(True))
            .group_by(c.c.year))))
        for year in years:
            matrix = submission_matrix(conn, ids[year], stats_periods(year, today), today, calendar=cal,
                                       sent_back=sent_back)
            codes = pd.DataFrame([(r["unit_id"], r["unit"], str(r["code"])) for r in matrix],
                                 columns=["unit_id", "unit", "code"])
            due = codes[codes["code"].map(is_due)]
            n_rows = sum(n for (y, _ok), n in answers.items() if y == year)
            behind = answers.get((year, False), 0)
            rows.append({"year": year, "units": codes["unit_id"].nunique(), "tasks": tasks.get(year, 0),
                         "forms_due": len(due), "on_time": int((due["code"] == "reported").sum()),
                         "late": int((due["code"] == "reported_late").sum()),
                         "missing": int((due["code"] == "overdue").sum()), "rows": n_rows, "rows_behind": behind})
            bad = due[due["code"].isin(["reported_late", "overdue"])]
            late.append(bad.groupby(["unit_id", "unit"]).size().rename(year))
    table = pd.DataFrame(rows)
    table["on_time_share"] = (table["on_time"] / table["forms_due"].where(table["forms_due"] > 0)).round(4)
    table["on_track_share"] = (1 - table["rows_behind"] / table["rows"].where(table["rows"] > 0)).round(4)
    per_unit = pd.concat(late, axis=1).fillna(0).astype("int64") if late else pd.DataFrame()
    if not per_unit.empty:   # the current name of each unit, directory order
        per_unit = per_unit.sort_index(level=0).droplevel(0)
        per_unit.index.name = "单位"
    return table[list(YEAR_COLUMNS)], per_unit
