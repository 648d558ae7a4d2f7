"""The statistics of one year in one call (what `stats` and the 统计 page ask for), and their JSON form."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from core.ledger.settings import kaoping_rules
from core.ledger.store import Ledger
from core.stats import kaoping, tables
from core.stats.read import YearData, read_year
from core.stats.years import year_over_year


@dataclass
class YearStats:
    data: YearData
    units: pd.DataFrame
    tasks: pd.DataFrame
    leaders: pd.DataFrame
    areas: pd.DataFrame
    categories: pd.DataFrame
    trend: pd.DataFrame
    years: pd.DataFrame
    unit_years: pd.DataFrame
    rules: dict
    scores: pd.DataFrame
    deductions: pd.DataFrame


def year_stats(ledger: Ledger, year: int | None, today: date, first: str | None = None, last: str | None = None,
               with_years: bool = True) -> YearStats:
    d = read_year(ledger, year, today, first, last)
    rules = kaoping_rules(ledger)
    lines = kaoping.deductions(d, rules)
    years, unit_years = year_over_year(ledger, today) if with_years else (pd.DataFrame(), pd.DataFrame())
    return YearStats(data=d, units=tables.unit_table(d), tasks=tables.task_table(d),
                     leaders=tables.share_by_month(d, "leader"), areas=tables.share_by_month(d, "area"),
                     categories=tables.share_by_month(d, "category"), trend=tables.trend(d), years=years,
                     unit_years=unit_years, rules=rules, scores=kaoping.scores(d, rules, lines), deductions=lines)


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain JSON values (NaN → null, numpy numbers → Python, dates → ISO)."""
    out = []
    for row in frame.astype(object).where(frame.notna(), None).to_dict("records"):
        out.append({k: (v.isoformat() if isinstance(v, date) else v.item() if hasattr(v, "item") else v)
                    for k, v in row.items()})
    return out


def _shares(frame: pd.DataFrame) -> list[dict]:
    if frame.empty:
        return []
    return [{"name": name, "months": {k: (None if pd.isna(v) else round(float(v), 4)) for k, v in row.items()
                                      if k != "全年"},
             "year": None if pd.isna(row["全年"]) else round(float(row["全年"]), 4)}
            for name, row in frame.iterrows()]


def as_json(s: YearStats, unit: str | None = None) -> dict:
    """The `stats --json` document: English fields, the ledger's Chinese text as it is."""
    d = s.data
    units = s.units.drop(columns=["unit_id"])
    cells = d.cells[["unit", "form", "period", "state", "late_workdays"]]
    if unit is not None:
        units = units[units["unit"] == unit]
        cells = cells[cells["unit"] == unit]
    scores = s.scores.drop(columns=["unit_id"])
    lines = s.deductions.drop(columns=["unit_id"])
    if unit is not None:
        scores, lines = scores[scores["unit"] == unit], lines[lines["unit"] == unit]
    return {"year": d.year, "today": d.today.isoformat(), "periods": d.periods, "units": _records(units),
            "tasks": _records(s.tasks[["kind", "seq", "label", "area", "category", "leaders", "lead_unit",
                                       "months_on_track", "months_behind", "months_not_reported", "first_behind",
                                       "last_behind", "closed_on"]]),
            "leaders": _shares(s.leaders), "areas": _shares(s.areas), "categories": _shares(s.categories),
            "trend": _records(s.trend), "years": _records(s.years),
            "kaoping": {"rules": s.rules, "rules_text": kaoping.rules_text(s.rules), "scores": _records(scores),
                        "deductions": _records(lines)},
            "matrix": _records(cells)}
