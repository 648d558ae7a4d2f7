"""What the 统计 page shows, as plain rows (no pandas reaches the window): the unit table, the ranked 考评, a unit's
months, the charts' rows."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.ledger.store import Ledger
from core.stats import kaoping
from core.stats.report import YearStats, year_stats
from core.stats.tables import UNIT_COLUMNS, unit_months

SCORE_HEADERS = ["名次", "单位", "类别", "得分"] + list(kaoping.ITEMS.values())
SHARES = ("on_time_share", "on_track_share")   # year-over-year columns shown as percentages
MONTH_HEADERS = ["表", "月份", "状态（同督办）", "逾期工作日", "滞后任务", "照抄行", "填是滞后行", "退回"]


@dataclass
class PageStats:
    year: int
    stats: YearStats
    unit_headers: list[str]
    unit_rows: list[list]        # [unit_id, 单位, 类别, numbers…]
    score_rows: list[list]       # [unit_id, 名次, 单位, 类别, 得分, points per item…]
    rules_text: str
    trend_rows: list[dict]       # core.office.charts.by_month rows: {period, rows, ok}
    area_rows: list[dict]        # core.office.charts.by_area rows: {area, total, met, behind}
    area_month: str | None       # the month the area chart shows (the latest one mostly reported)
    warning: str | None


def page_stats(ledger: Ledger, year: int | None, today: date, first: str | None = None,
               last: str | None = None) -> PageStats:
    s = year_stats(ledger, year, today, first, last, with_years=False)
    keys = list(UNIT_COLUMNS)
    unit_rows = [[int(r["unit_id"])] + [r[k].item() if hasattr(r[k], "item") else r[k] for k in keys]
                 for r in s.units.to_dict("records")]
    score_rows = [[int(r["unit_id"]), int(r["rank"]), r["unit"], r["kind"], float(r["score"])]
                  + [float(r[k]) for k in kaoping.ITEMS] for r in s.scores.to_dict("records")]
    t = s.trend
    # a month counts in the charts once most of its tasks are reported (the month still in 收文 is left out)
    full = [(p, int(a), int(b)) for p, a, b, n in zip(t["period"], t["tasks_on_track"], t["tasks_behind"],
                                                     t["tasks_not_reported"], strict=True) if a + b > n]
    trend_rows = [{"period": p, "rows": a + b, "ok": a} for p, a, b in full]
    from core.stats.tables import BEHIND, ON_TRACK, task_months
    tm = task_months(s.data)
    area_rows, area_month = [], full[-1][0] if full else None
    if area_month is not None:
        month = tm[tm["period"] == area_month].merge(s.data.tasks[["task_id", "area"]], on="task_id")
        for area, g in month.groupby("area", sort=False):
            area_rows.append({"area": area or "（未填）", "total": len(g), "met": int((g["status"] == ON_TRACK).sum()),
                              "behind": int((g["status"] == BEHIND).sum())})
    return PageStats(year=s.data.year, stats=s, unit_headers=[UNIT_COLUMNS[k] for k in keys], unit_rows=unit_rows,
                     score_rows=score_rows, rules_text=kaoping.rules_text(s.rules), trend_rows=trend_rows,
                     area_rows=area_rows, area_month=area_month, warning=s.data.warning)


def unit_month_rows(p: PageStats, unit_id: int) -> list[list]:
    """A unit's forms month by month, for the page's detail table."""
    m = unit_months(p.stats.data, unit_id)
    return [["计划表" if r["form"] == "plan" else "落实情况表", r["period"], r["state"], int(r["late_workdays"]),
             int(r["tasks_behind"]), int(r["copied_rows"]), int(r["contradicted_rows"]), int(r["returned_files"])]
            for r in m.to_dict("records")]


def unit_deductions(p: PageStats, unit_id: int) -> list[tuple[float, str, str]]:
    """(points, what, task) of every line of a unit's score."""
    lines = p.stats.deductions[p.stats.deductions["unit_id"] == unit_id]
    return [(float(r["points"]), r["detail"], r["task"]) for r in lines.to_dict("records")]


@dataclass
class PageYears:
    """Year over year for the 统计 page: one row per campaign year, and each unit's late or missing forms per year."""
    headers: list[str]
    rows: list[list]             # [year, 年度, figures…] (shares as "92.6%")
    unit_headers: list[str]      # 单位, each year, 合计
    unit_rows: list[list]        # [row number, 单位, forms late or missing per year…, 合计]


def page_years(ledger: Ledger, today: date) -> PageYears | None:
    """Every campaign year side by side (core.stats.years); None when the ledger holds fewer than two years."""
    from core.stats.years import YEAR_COLUMNS, year_over_year
    table, per_unit = year_over_year(ledger, today)
    if len(table) < 2:
        return None
    keys = list(YEAR_COLUMNS)
    rows: list[list] = []
    for r in table.to_dict("records"):
        cells = [f"{r[k] * 100:.1f}%" if k in SHARES and r[k] == r[k] else "" if k in SHARES else int(r[k])
                 for k in keys]
        rows.append([int(r["year"]), *cells])
    years = [int(y) for y in per_unit.columns]
    unit_rows = [[i, name] + [int(v) for v in values] + [int(sum(values))]
                 for i, (name, values) in enumerate(zip(per_unit.index, per_unit.to_numpy().tolist(), strict=True))]
    return PageYears(headers=[YEAR_COLUMNS[k] for k in keys], rows=rows,
                     unit_headers=["单位"] + [f"{y}年" for y in years] + ["合计"], unit_rows=unit_rows)
