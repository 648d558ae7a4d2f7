"""One campaign year for statistics as pandas frames, built from what core.stats.year_rows read (the 督办 cells,
the 是/否 answers, the review flags, the files sent back, tasks)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from core.ledger.store import Ledger
from core.stats.months import stats_periods
from core.stats.year_rows import CELL_COLUMNS, CONTRADICTED, COPIED, YearRows, campaign_of_year, read_rows, unit_kind
from core.tracking.states import DISPATCHED, NOT_DISPATCHED

__all__ = ["COPIED", "CONTRADICTED", "CELL_COLUMNS", "YearData", "campaign_of_year", "frames", "is_due", "read_year",
           "stats_periods", "unit_kind"]


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


def read_year(ledger: Ledger, year: int | None, today: date, first: str | None = None, last: str | None = None,
              lights: bool = True) -> YearData:
    """Everything the year's tables need, in one read transaction."""
    return frames(read_rows(ledger, year, today, first, last, lights))


def frames(r: YearRows) -> YearData:
    """The year's rows as the frames the tables are built from."""
    tasks = pd.DataFrame(r.tasks, columns=["task_id", "kind", "seq", "text", "area", "category", "closed_on"])
    assign = pd.DataFrame(r.assign, columns=["task_id", "unit_id", "role"])
    kind_cn = {"key": "重点任务", "livelihood": "民生实事"}
    tasks["label"] = [f"{kind_cn.get(k, k)}第{s}项" for k, s in zip(tasks["kind"], tasks["seq"], strict=True)]
    tasks["plan_quarter"] = [r.plan_end.get(i, 4) for i in tasks["task_id"]]
    leads = assign[assign["role"] == "lead"].drop_duplicates("task_id").set_index("task_id")["unit_id"]
    tasks["lead_unit_id"] = tasks["task_id"].map(leads)
    return YearData(year=r.year, cid=r.cid, today=r.today, periods=r.periods,
                    cells=pd.DataFrame(r.cells, columns=CELL_COLUMNS),
                    units=pd.DataFrame(r.units, columns=["unit_id", "unit", "kind"]), tasks=tasks, assign=assign,
                    leaders=pd.DataFrame(r.leaders, columns=["task_id", "leader"]),
                    progress=pd.DataFrame(r.progress, columns=["task_id", "unit_id", "period", "on_track"]),
                    flags=pd.DataFrame(r.flags, columns=["unit_id", "period", "task_id", "flag"]),
                    returns=pd.DataFrame(r.returns, columns=["submission_id", "unit_id", "form", "period", "file",
                                                             "rows"]),
                    red=pd.DataFrame(r.red, columns=["task_id", "period"]), warning=r.warning,
                    report_months=r.report_months)


def is_due(code: str) -> bool:
    """A cell counts as a form due once it is past its deadline or in (not 未下发, not 已下发 and still in time)."""
    return code not in (str(NOT_DISPATCHED), str(DISPATCHED))
