"""Year over year, when the ledger holds several campaign years: each year's forms and answers, and each unit's
late/missing forms per year (a unit is one directory entry across years, whatever name a year's 立项表 used: aliases
resolve to it at import)."""
from __future__ import annotations

from datetime import date

import pandas as pd

from core.ledger.store import Ledger
from core.stats.years_read import YearsRead, read_years
from core.tracking.states import OVERDUE, REPORTED, REPORTED_LATE

YEAR_COLUMNS = {"year": "年度", "units": "责任单位", "tasks": "任务", "forms_due": "应报表数", "on_time": "按时报送",
                "late": "逾期报送", "missing": "未报", "on_time_share": "按时率", "rows": "填报行数",
                "rows_behind": "填“否”行数", "on_track_share": "填“是”占比"}


def year_over_year(ledger: Ledger, today: date, read: YearsRead | None = None
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(one row per campaign year, units × years of forms late or missing); both empty with fewer than two years.
    Every year's 督办 codes are counted by the database in one read (core.tracking.states.code_counts: the matrix's
    own cells and rule, held to state_codes by a test), so no year's files come into Python. `read`: read_years'
    answer already in hand (`stats` starts it before importing pandas)."""
    read = read_years(ledger, today) if read is None else read
    if read is None:
        return pd.DataFrame(columns=list(YEAR_COLUMNS)), pd.DataFrame()
    years, year_of, answers, tasks, counted, names = \
        read.years, read.year_of, read.answers, read.tasks, read.counted, read.names
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
