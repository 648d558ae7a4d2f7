"""The year's tables from a YearData: per unit, per task, per leader / area / category by month, the month trend."""
from __future__ import annotations

import pandas as pd

from core.stats.read import COPIED, CONTRADICTED, YearData, is_due
from core.tracking.deadlines import month_start

UNIT_COLUMNS = {   # key → the Chinese header every output uses
    "unit": "单位", "kind": "类别", "forms_due": "应报表数", "on_time": "按时报送", "late": "逾期报送",
    "late_workdays": "逾期工作日合计", "missing": "未报", "returned_files": "退回文件", "returned_rows": "退回行数",
    "copied_rows": "照抄上月行数", "contradicted_rows": "填是但文字滞后行数", "tasks_lead": "牵头任务",
    "tasks_co": "配合任务", "task_months_behind": "任务滞后月次", "tasks_closed": "办结任务",
}
TASK_COLUMNS = {
    "label": "任务", "text": "任务内容", "area": "重点领域", "category": "类别", "leaders": "牵头领导",
    "lead_unit": "牵头单位", "months_on_track": "按计划月数", "months_behind": "滞后月数",
    "months_not_reported": "未报送月数", "first_behind": "首次滞后", "last_behind": "最近滞后", "closed_on": "办结日期",
}
TREND_COLUMNS = {
    "period": "月份", "forms_due": "应报单位", "on_time": "按时报送", "late": "逾期报送", "missing": "未报",
    "returned": "退回待改", "on_time_share": "按时率", "tasks_on_track": "任务按计划", "tasks_behind": "任务滞后",
    "tasks_not_reported": "任务未报送", "on_track_share": "按计划占比",
}
ON_TRACK, BEHIND, NOT_REPORTED = "按计划", "滞后", "未报送"


def unit_table(d: YearData) -> pd.DataFrame:
    """One row per unit (directory order): forms due, on time, late (count, working days), missing, 退回, flags,
    tasks as lead/co, task-months behind, tasks 办结."""
    c = d.cells
    due = c[c["code"].map(is_due).astype(bool)]
    g = due.groupby("unit_id")
    out = d.units.set_index("unit_id")[["unit", "kind"]].copy()
    out["forms_due"] = g.size()
    out["on_time"] = due[due["code"] == "reported"].groupby("unit_id").size()
    late = due[due["code"] == "reported_late"]
    out["late"] = late.groupby("unit_id").size()
    out["late_workdays"] = late.groupby("unit_id")["late_workdays"].sum()
    out["missing"] = due[due["code"] == "overdue"].groupby("unit_id").size()
    out["returned_files"] = d.returns.groupby("unit_id").size()
    out["returned_rows"] = d.returns.groupby("unit_id")["rows"].sum()
    f = d.flags
    out["copied_rows"] = f[f["flag"] == COPIED].groupby("unit_id").size()
    out["contradicted_rows"] = f[f["flag"] == CONTRADICTED].groupby("unit_id").size()
    roles = d.assign.groupby(["unit_id", "role"]).size().unstack(fill_value=0)
    out["tasks_lead"] = roles.get("lead", 0)
    out["tasks_co"] = roles.get("co", 0)
    out["task_months_behind"] = unit_behind(d).groupby("unit_id").size()
    closed = d.tasks[d.tasks["closed_on"].notna() & (d.tasks["closed_on"] <= d.today)]
    out["tasks_closed"] = d.assign[d.assign["task_id"].isin(closed["task_id"])].groupby("unit_id")["task_id"].nunique()
    numeric = [k for k in UNIT_COLUMNS if k not in ("unit", "kind")]
    out[numeric] = out[numeric].fillna(0).astype("int64")
    return out.reset_index()


def unit_behind(d: YearData) -> pd.DataFrame:
    """(task_id, unit_id, period) a unit was behind on: its own row says 否, or it leads the task and the task's light
    was red that month (core.tracking's light rule)."""
    if d.cache.get("unit_behind") is None:
        d.cache["unit_behind"] = _unit_behind(d)
    return d.cache["unit_behind"]


def _unit_behind(d: YearData) -> pd.DataFrame:
    p = d.progress
    own = p[p["on_track"].eq(False)][["task_id", "unit_id", "period"]]
    lead = d.assign[d.assign["role"] == "lead"][["task_id", "unit_id"]]
    red = d.red.merge(lead, on="task_id")[["task_id", "unit_id", "period"]]
    return pd.concat([own, red]).drop_duplicates().reset_index(drop=True)


def task_months(d: YearData) -> pd.DataFrame:
    """One row per task × report month it was open: 按计划, 滞后 (a 否 or a red light) or 未报送 (no row at all)."""
    if d.cache.get("task_months") is None:
        d.cache["task_months"] = _task_months(d)
    return d.cache["task_months"]


def _task_months(d: YearData) -> pd.DataFrame:
    months = pd.DataFrame({"period": d.report_months})
    if months.empty or d.tasks.empty:
        return pd.DataFrame(columns=["task_id", "period", "status"])
    grid = d.tasks[["task_id", "closed_on"]].merge(months, how="cross")
    starts = grid["period"].map(month_start)
    grid = grid[grid["closed_on"].isna() | (grid["closed_on"] >= starts)]   # a task 办结 before the month is not counted
    p = d.progress
    reported = set(zip(p["task_id"], p["period"], strict=True))
    behind = set(zip(p.loc[p["on_track"].eq(False), "task_id"], p.loc[p["on_track"].eq(False), "period"], strict=True))
    behind |= set(zip(d.red["task_id"], d.red["period"], strict=True))
    keys = list(zip(grid["task_id"], grid["period"], strict=True))
    grid["status"] = [BEHIND if k in behind else ON_TRACK if k in reported else NOT_REPORTED for k in keys]
    return grid[["task_id", "period", "status"]].reset_index(drop=True)


def task_table(d: YearData) -> pd.DataFrame:
    """One row per task: months on track / behind / not reported, first and last month behind."""
    tm = task_months(d)
    counts = tm.groupby(["task_id", "status"]).size().unstack(fill_value=0) if not tm.empty else pd.DataFrame()
    out = d.tasks.set_index("task_id").copy()
    for key, status in (("months_on_track", ON_TRACK), ("months_behind", BEHIND), ("months_not_reported", NOT_REPORTED)):
        out[key] = counts.get(status, 0)
    late = tm[tm["status"] == BEHIND].groupby("task_id")["period"] if not tm.empty else None
    out["first_behind"] = late.min() if late is not None else None
    out["last_behind"] = late.max() if late is not None else None
    names = d.units.set_index("unit_id")["unit"]
    out["lead_unit"] = out["lead_unit_id"].map(names)
    out["leaders"] = d.leaders.groupby("task_id")["leader"].agg("、".join)
    for key in ("months_on_track", "months_behind", "months_not_reported"):
        out[key] = out[key].fillna(0).astype("int64")
    out[["first_behind", "last_behind", "lead_unit", "leaders"]] = \
        out[["first_behind", "last_behind", "lead_unit", "leaders"]].astype(object).where(
            out[["first_behind", "last_behind", "lead_unit", "leaders"]].notna(), "")
    return out.reset_index()


def share_by_month(d: YearData, by: str) -> pd.DataFrame:
    """Rows: each leader / area / category; columns: the report months; values: share of its reported task-months on
    track (按计划 ÷ (按计划 + 滞后)), blank where none reported."""
    tm = task_months(d)
    if tm.empty:
        return pd.DataFrame()
    if by == "leader":
        keyed = tm.merge(d.leaders, on="task_id").rename(columns={"leader": "key"})
    else:
        keyed = tm.merge(d.tasks[["task_id", by]], on="task_id").rename(columns={by: "key"})
        keyed["key"] = keyed["key"].replace("", "（未填）")
    keyed = keyed[keyed["status"] != NOT_REPORTED]
    keyed["ok"] = keyed["status"] == ON_TRACK
    table = keyed.groupby(["key", "period"])["ok"].mean().unstack("period")
    table = table.reindex(columns=[p for p in d.report_months if p in table.columns])
    table["全年"] = keyed.groupby("key")["ok"].mean()
    table.index.name = {"leader": "牵头领导", "area": "重点领域", "category": "类别"}[by]
    return table


def trend(d: YearData) -> pd.DataFrame:
    """Month by month: units due, on time, late, missing, returned; tasks on track, behind, not reported."""
    c = d.cells[(d.cells["form"] == "report") & d.cells["period"].isin(d.report_months)]
    due = c[c["code"].map(is_due).astype(bool)]
    counts = due.groupby(["period", "shown"]).size().unstack(fill_value=0)
    out = pd.DataFrame(index=pd.Index(d.report_months, name="period"))
    out["forms_due"] = due.groupby("period").size()
    for key, code in (("on_time", "reported"), ("late", "reported_late"), ("missing", "overdue"),
                      ("returned", "returned")):
        out[key] = counts.get(code, 0)
    tm = task_months(d)
    status = tm.groupby(["period", "status"]).size().unstack(fill_value=0) if not tm.empty else pd.DataFrame()
    for key, s in (("tasks_on_track", ON_TRACK), ("tasks_behind", BEHIND), ("tasks_not_reported", NOT_REPORTED)):
        out[key] = status.get(s, 0)
    out = out.fillna(0).astype("int64")
    out["on_time_share"] = (out["on_time"] / out["forms_due"].where(out["forms_due"] > 0)).round(4)
    reported = out["tasks_on_track"] + out["tasks_behind"]
    out["on_track_share"] = (out["tasks_on_track"] / reported.where(reported > 0)).round(4)
    return out.reset_index()[list(TREND_COLUMNS)]


def unit_months(d: YearData, unit_id: int) -> pd.DataFrame:
    """One unit's forms month by month: state (as 督办 shows it), tasks behind, flagged rows, 退回."""
    c = d.cells[d.cells["unit_id"] == unit_id]
    behind = unit_behind(d)
    behind = behind[behind["unit_id"] == unit_id].groupby("period").size()
    f = d.flags[d.flags["unit_id"] == unit_id]
    copied = f[f["flag"] == COPIED].groupby("period").size()
    contra = f[f["flag"] == CONTRADICTED].groupby("period").size()
    r = d.returns[d.returns["unit_id"] == unit_id].groupby("period").size()
    out = c[["form", "period", "state", "late_workdays", "file"]].copy()
    out["tasks_behind"] = out["period"].map(behind).fillna(0).astype("int64")
    out["copied_rows"] = out["period"].map(copied).fillna(0).astype("int64")
    out["contradicted_rows"] = out["period"].map(contra).fillna(0).astype("int64")
    out["returned_files"] = out["period"].map(r).fillna(0).astype("int64")
    return out.reset_index(drop=True)
