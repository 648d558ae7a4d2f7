"""The 收文 list at ten years reads one year of files: the same rows and counts as before for that year, files still to
review from any year, and work that does not grow with the years of files behind it (issue 31)."""
from __future__ import annotations

import pytest
from sqlalchemy import event

from core.returns.review import list_submissions, submission_months
from tests.helpers.backup import fill_quarter, stage, unit_tasks
from tests.helpers.years import age_files


def _vm_steps(ledger, fn) -> int:
    """SQLite virtual-machine steps (in thousands) `fn` makes the database run: what it reads, not how loaded the machine is."""
    steps = [0]

    def tick() -> int:
        steps[0] += 1
        return 0

    def install(conn, _cursor, *_args) -> None:
        conn.connection.driver_connection.set_progress_handler(tick, 1000)
    event.listen(ledger.engine, "before_cursor_execute", install)
    try:
        fn()
    finally:
        event.remove(ledger.engine, "before_cursor_execute", install)
    return steps[0]


@pytest.fixture
def filed(ledger_2026):
    fill_quarter(ledger_2026)   # January–March files, merged, with their change rows
    name, uid = unit_tasks(ledger_2026)[0]
    stage(ledger_2026, name, "2026-04", {uid: {"done": "四月完成情况：一是推进项目前期；二是完成招标。", "on_track": "是"}})
    return ledger_2026


def test_a_years_files_are_the_same_rows_and_counts_as_before(filed):
    age_files(filed, range(2017, 2026))
    everything = list_submissions(filed)
    wanted = [r for r in everything if (r["period"] or "").startswith("2026") or not r["period"]
              or r["status"] in ("staged", "needs-confirmation")]
    got = list_submissions(filed, year=2026)
    assert got == wanted and len(got) < len(everything) / 5
    assert sum(r["changes"] for r in got) > 0 and any(r["status"] == "staged" for r in got)
    assert list_submissions(filed, year=2019) == [r for r in everything if (r["period"] or "").startswith("2019")
                                                   or r["status"] in ("staged", "needs-confirmation")]
    one = got[-1]
    assert list_submissions(filed, ids=[one["id"]]) == [one]
    months = submission_months(filed)
    assert months[0].startswith("2026") and "2017-02" in months and months == sorted(months, reverse=True)


def test_reading_a_years_files_does_not_grow_with_the_years_behind_it(filed):
    if filed.is_server:
        pytest.skip("counts SQLite's virtual-machine steps")
    one_year = _vm_steps(filed, lambda: list_submissions(filed, year=2026))
    all_one_year = _vm_steps(filed, lambda: list_submissions(filed))
    age_files(filed, range(2017, 2026))
    ten_years = _vm_steps(filed, lambda: list_submissions(filed, year=2026))
    all_ten_years = _vm_steps(filed, lambda: list_submissions(filed))
    assert all_ten_years > 5 * all_one_year   # the measure sees the nine years (reading every file grows)
    assert ten_years < 1.5 * one_year + 2, (one_year, ten_years)
