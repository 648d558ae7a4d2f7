"""考评: each unit's score from the office's rules, with every deduction listed line by line, ranked."""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from core.ledger.settings import DEFAULT_KAOPING
from core.stats.read import COPIED, CONTRADICTED, YearData
from core.stats.tables import unit_behind

DEDUCTION_COLUMNS = {"unit": "单位", "item": "项目", "form": "表", "period": "月份", "task": "任务", "points": "分值",
                     "detail": "说明"}
ITEMS = {"late": "迟报", "missing": "未报", "returned": "退回", "behind": "任务滞后", "copied": "照抄上月",
         "contradicted": "填是但文字滞后", "closed_early": "提前办结"}
FORM_NAMES = {"plan": "落实计划表", "report": "落实情况表"}


def _fmt(points: float) -> str:
    return f"{points:g}"


def rules_text(rules: dict) -> str:
    """The rules in force, as printed under the 考评表."""
    r = {**DEFAULT_KAOPING, **rules}
    return (f"考评规则：基础分 {_fmt(r['base'])} 分；落实计划表、落实情况表逾期报送（迟报）每表扣 {_fmt(r['late'])} 分；"
            f"逾期未报每表扣 {_fmt(r['missing'])} 分；报送文件被退回修改每份扣 {_fmt(r['returned'])} 分；"
            f"牵头任务某月滞后（本单位填“否”或任务亮红灯）每项每月扣 {_fmt(r['behind'])} 分；"
            f"落实情况表照抄上月完成情况每行扣 {_fmt(r['copied'])} 分；填“是”但完成情况写明滞后、未完成的每行扣 "
            f"{_fmt(r['contradicted'])} 分（以收文审核标记为准）；"
            f"牵头任务早于计划办结每项加 {_fmt(r['closed_early'])} 分。"
            "迟报、未报按法定工作日计算截止日期，与“督办”页的报送状态一致。")


def _month(period: str) -> str:
    return f"{int(period[5:7])}月" if len(period) == 7 else f"{period}年"


def deductions(d: YearData, rules: dict) -> pd.DataFrame:
    """Every line that moves a unit's score: which form, which month, which task, how many points (negative = off)."""
    r = {**DEFAULT_KAOPING, **rules}
    names = d.units.set_index("unit_id")["unit"]
    lines: list[tuple] = []
    c = d.cells   # column by column as plain lists (iterating pandas' string columns goes value by value)
    for unit_id, form_key, period, code, state, late in zip(
            *(c[k].tolist() for k in ("unit_id", "form", "period", "code", "state", "late_workdays")), strict=True):
        form = FORM_NAMES[form_key]
        if code == "reported_late" and r["late"]:
            lines.append((unit_id, "late", form, period, "", -r["late"], f"{_month(period)}{form}逾期 {late} 个工作日报送"))
        elif code == "overdue" and r["missing"]:
            lines.append((unit_id, "missing", form, period, "", -r["missing"], f"{_month(period)}{form}{state}"))
    if r["returned"]:
        for row in d.returns.itertuples(index=False):
            lines.append((row.unit_id, "returned", FORM_NAMES[row.form], row.period, "", -r["returned"],
                          f"“{row.file}”退回修改（{row.rows} 行）"))
    labels = d.tasks.set_index("task_id")["label"]
    if r["behind"]:
        lead = d.assign[d.assign["role"] == "lead"][["task_id", "unit_id"]]
        behind = unit_behind(d).merge(lead, on=["task_id", "unit_id"]).sort_values(["unit_id", "period", "task_id"])
        red = set(zip(d.red["task_id"], d.red["period"], strict=True))
        for row in behind.itertuples(index=False):
            why = "亮红灯" if (row.task_id, row.period) in red else "填“否”（未完成阶段任务目标）"
            lines.append((row.unit_id, "behind", FORM_NAMES["report"], row.period, labels[row.task_id], -r["behind"],
                          f"{_month(row.period)}牵头的任务{why}"))
    for flag, key, what in ((COPIED, "copied", "完成情况照抄上月"), (CONTRADICTED, "contradicted", "填“是”但完成情况写明滞后")):
        if r[key]:
            for row in d.flags[d.flags["flag"] == flag].sort_values(["unit_id", "period", "task_id"]).itertuples(index=False):
                lines.append((row.unit_id, key, FORM_NAMES["report"], row.period, labels.get(row.task_id, ""), -r[key],
                              f"{_month(row.period)}{what}"))
    if r["closed_early"]:
        for row in d.tasks.itertuples(index=False):
            if row.closed_on is None or pd.isna(row.closed_on) or pd.isna(row.lead_unit_id) or row.closed_on > d.today:
                continue
            planned = _quarter_end(d.year, int(row.plan_quarter))
            if row.closed_on < planned:
                day = row.closed_on
                lines.append((int(row.lead_unit_id), "closed_early", "", f"{day:%Y-%m}", row.label, r["closed_early"],
                              f"{day.year}年{day.month}月{day.day}日办结，早于计划（第{row.plan_quarter}季度末）"))
    out = pd.DataFrame(lines, columns=["unit_id", "item", "form", "period", "task", "points", "detail"])
    out.insert(1, "unit", out["unit_id"].map(names))
    return out


def _quarter_end(year: int, quarter: int) -> date:
    return date(year, 12, 31) if quarter >= 4 else date(year, quarter * 3 + 1, 1) - timedelta(days=1)


def scores(d: YearData, rules: dict, lines: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per unit: rank, score, points per item; best first, ties share a rank (directory order within)."""
    r = {**DEFAULT_KAOPING, **rules}
    lines = deductions(d, r) if lines is None else lines
    out = d.units.set_index("unit_id")[["unit", "kind"]].copy()
    agg = lines.groupby(["unit_id", "item"])["points"].agg(["sum", "size"]).unstack("item")
    for item in ITEMS:
        out[item] = agg.get(("sum", item), 0.0)
        out[f"{item}_count"] = agg.get(("size", item), 0)
    out = out.fillna(0)
    out["score"] = (r["base"] + out[list(ITEMS)].sum(axis=1)).round(2)
    out["order"] = range(len(out))
    out = out.sort_values(["score", "order"], ascending=[False, True])
    out.insert(0, "rank", out["score"].rank(method="min", ascending=False).astype("int64"))
    counts_cols = [f"{i}_count" for i in ITEMS]
    out[counts_cols] = out[counts_cols].astype("int64")
    return out.drop(columns="order").reset_index()
