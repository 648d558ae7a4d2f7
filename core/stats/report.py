"""The statistics of one year in one call (what `stats` and the 统计 page ask for), and their JSON form."""
from __future__ import annotations

from datetime import date
from functools import cached_property

import pandas as pd

from core.ledger.settings import kaoping_rules
from core.ledger.store import Ledger
from core.stats import kaoping, tables
from core.stats.read import YearData, read_year
from core.stats.years import year_over_year
from core.stats.years_read import Prefetch


class YearStats:
    """One year's tables, each worked out when first asked for (the 统计 page shows only some of them)."""

    def __init__(self, data: YearData, rules: dict, ledger: Ledger | None = None, years: Prefetch | None = None):
        self.data, self.rules, self._ledger, self._prefetch = data, rules, ledger, years

    @cached_property
    def units(self) -> pd.DataFrame:
        return tables.unit_table(self.data)

    @cached_property
    def tasks(self) -> pd.DataFrame:
        return tables.task_table(self.data)

    @cached_property
    def leaders(self) -> pd.DataFrame:
        return tables.share_by_month(self.data, "leader")

    @cached_property
    def areas(self) -> pd.DataFrame:
        return tables.share_by_month(self.data, "area")

    @cached_property
    def categories(self) -> pd.DataFrame:
        return tables.share_by_month(self.data, "category")

    @cached_property
    def trend(self) -> pd.DataFrame:
        return tables.trend(self.data)

    @cached_property
    def _years(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        if self._ledger is None:
            return pd.DataFrame(), pd.DataFrame()
        read = self._prefetch.result() if self._prefetch is not None else None
        return year_over_year(self._ledger, self.data.today, read)

    @property
    def years(self) -> pd.DataFrame:
        return self._years[0]

    @property
    def unit_years(self) -> pd.DataFrame:
        return self._years[1]

    @cached_property
    def deductions(self) -> pd.DataFrame:
        return kaoping.deductions(self.data, self.rules)

    @cached_property
    def scores(self) -> pd.DataFrame:
        return kaoping.scores(self.data, self.rules, self.deductions)


def year_stats(ledger: Ledger, year: int | None, today: date, first: str | None = None, last: str | None = None,
               with_years: bool = True, years: Prefetch | None = None) -> YearStats:
    """Read the year once; its tables follow as they are asked for (year over year only `with_years`; `years`: its
    read already started, core.stats.years_read.Prefetch)."""
    return YearStats(read_year(ledger, year, today, first, last), kaoping_rules(ledger), ledger if with_years else None,
                     years if with_years else None)


def _plain(v):
    if v is None or (isinstance(v, float) and v != v):   # NaN
        return None
    if isinstance(v, date):
        return v.isoformat()
    return v.item() if hasattr(v, "item") else v


_PLAIN = frozenset({str, int, bool, type(None)})   # values _plain leaves as they are


def _column(values: list) -> list:
    """A column's values as plain JSON values: most columns (text, counts) already are."""
    return values if {type(v) for v in values} <= _PLAIN else [_plain(v) for v in values]


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain JSON values (NaN → null, numpy numbers → Python, dates → ISO), column by column (as objects
    from numpy at once: a text column's tolist() steps through pandas' string array value by value)."""
    columns = {c: _column(frame[c].to_numpy(dtype=object).tolist()) for c in frame.columns}
    return [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]


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
