"""`stats` reads the year's rows on a thread of its own while pandas is imported (core.stats.year_rows.read_rows
through core.stats.ahead.Ahead): the frames built from them are the ones read in line (whole year and a month range),
`stats --json` prints the same document and does read on that thread, and the thread's error reaches the caller."""
from __future__ import annotations

import argparse
import json
import threading
from datetime import date, datetime

import pandas as pd
import pytest

from cli import stats as command
from core.common.errors import UserError
from core.stats import read, year_rows
from core.stats.ahead import Ahead
from core.stats.read import frames, read_year
from core.stats.report import as_json, year_stats
from tests.helpers import tracking as th
from tests.helpers.review_grid import make_may

TODAY = date(2026, 6, 20)
FRAMES = ("cells", "units", "tasks", "assign", "leaders", "progress", "flags", "returns", "red")


@pytest.fixture
def year(ledger_2026, tmp_path):
    """April merged; May with a copied row and a contradicted 是; one unit 5 working days late, one never reporting
    (the tasks it leads turn red), one file sent back."""
    make_may(ledger_2026, tmp_path)
    cid = th.campaign_id(ledger_2026)
    late, missing = th.unit_id(ledger_2026, "区财政局"), th.unit_id(ledger_2026, "区教育体育局")
    th.dispatch(ledger_2026, cid, "report", "2026-05", [late, missing])
    th.submit(ledger_2026, cid, late, "report", "2026-05", datetime(2026, 6, 12, 9, 30))
    th.submit(ledger_2026, cid, missing, "report", "2026-04", datetime(2026, 5, 6, 9), status="returned")
    return ledger_2026


def _run(ledger, *argv: str) -> int:
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    return command.run(parser.parse_args(list(argv)), ledger)


@pytest.mark.parametrize("months", [(None, None), ("2026-04", "2026-05")])
def test_the_rows_read_ahead_are_the_frames_read_in_line(year, months):
    ahead = frames(Ahead(year_rows.read_rows, year, 2026, TODAY, *months).result())
    in_line = read_year(year, 2026, TODAY, *months)
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(ahead, name), getattr(in_line, name), obj=name)
    assert (ahead.year, ahead.cid, ahead.periods, ahead.report_months, ahead.warning) == \
        (in_line.year, in_line.cid, in_line.periods, in_line.report_months, in_line.warning)
    assert not ahead.red.empty and not ahead.flags.empty and not ahead.returns.empty


def test_stats_json_reads_the_year_on_its_own_thread_and_prints_the_same(year, monkeypatch, capsys):
    in_line = as_json(year_stats(year, 2026, TODAY))
    threads: list[str] = []
    read_rows = year_rows.read_rows

    def recorded(*args):
        threads.append(threading.current_thread().name)
        return read_rows(*args)

    monkeypatch.setattr(year_rows, "read_rows", recorded)
    monkeypatch.setattr(read, "read_rows", recorded)   # the in-line read, were the thread's rows not used
    for kaoping in ([], ["--kaoping"]):
        threads.clear()
        assert _run(year, "--year", "2026", "--today", TODAY.isoformat(), "--json", *kaoping) == 0
        printed = json.loads(capsys.readouterr().out)
        assert threads == ["stats-year"]
        expected = in_line["kaoping"] | {"year": 2026} if kaoping else in_line
        assert printed == json.loads(json.dumps(expected, default=str))


def test_the_threads_error_reaches_the_caller(year):
    with pytest.raises(UserError, match="没有 2019 年的立项批次"):
        Ahead(year_rows.read_rows, year, 2019, TODAY).result()
    with pytest.raises(UserError, match="没有 2019 年的立项批次"):
        _run(year, "--year", "2019", "--today", TODAY.isoformat(), "--json")
    with pytest.raises(UserError, match="不在 2026 年内"):
        _run(year, "--year", "2026", "--from", "2025-12", "--today", TODAY.isoformat())
