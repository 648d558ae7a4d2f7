"""`stats --json` starts year over year's read on its own thread before pandas is imported (core.stats.years_read):
the tables built from it are the ones read in line, the thread's error reaches the caller, and `stats --json` on a
several-year ledger prints the same years either way."""
from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from core.stats.report import as_json, year_stats
from core.stats.years import year_over_year
from core.stats.years_read import Prefetch, read_years
from tests.core.stats.test_stats_years_fast import TODAY, _year_of_cells
from tests.helpers.years import pad_years


def test_prefetched_years_are_the_years_read_in_line(ledger_2026, capsys):
    pad_years(ledger_2026, years=2)
    _year_of_cells(ledger_2026)
    ahead = Prefetch(ledger_2026, TODAY)
    table, per_unit = year_over_year(ledger_2026, TODAY, ahead.result())
    in_line, per_unit_in_line = year_over_year(ledger_2026, TODAY)
    pd.testing.assert_frame_equal(table, in_line)
    pd.testing.assert_frame_equal(per_unit, per_unit_in_line)
    assert len(table) == 3 and table["late"].sum() > 0 and not per_unit.empty
    with_thread = as_json(year_stats(ledger_2026, 2026, TODAY, years=Prefetch(ledger_2026, TODAY)))
    assert with_thread == as_json(year_stats(ledger_2026, 2026, TODAY))
    assert [row["year"] for row in with_thread["years"]] == [2024, 2025, 2026]

    from cli import stats as command
    from cli.stats import add_arguments
    import argparse
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert command.run(parser.parse_args(["--year", "2026", "--today", TODAY.isoformat(), "--json"]), ledger_2026) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["years"] == json.loads(json.dumps(with_thread["years"]))


def test_one_year_reads_none_and_the_threads_error_reaches_the_caller(ledger_2026):
    assert read_years(ledger_2026, date(2026, 6, 20)) is None
    assert Prefetch(ledger_2026, date(2026, 6, 20)).result() is None
    broken = Prefetch(None, date(2026, 6, 20))   # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        broken.result()
