"""What year over year reads from the ledger (no pandas): every campaign year's answers, tasks and 督办 code counts,
in one read; `stats` starts it on a thread before pandas is imported, so the database works while Python imports."""
from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from core.ledger import schema
from core.ledger.queries import campaign_years
from core.ledger.store import Ledger
from core.stats.months import rows_of, stats_periods
from core.tracking.states import code_counts
from core.tracking.workdays import WorkCalendar


@dataclass
class YearsRead:
    """Every campaign year's figures as read (years ascending); `counted` is core.tracking.states.code_counts'."""
    years: list[int]
    year_of: dict[int, int]                              # campaign id → year
    answers: dict[tuple[int, bool | None], int]          # (year, 是/否/blank) → rows
    tasks: dict[int, int]                                # year → active tasks
    counted: dict[int, tuple[set[int], dict[tuple[int, str], int]]]
    names: dict[int, str]                                # unit id → its current name


def read_years(ledger: Ledger, today: date) -> YearsRead | None:
    """None with fewer than two campaign years (no year over year)."""
    years = sorted(campaign_years(ledger))
    if len(years) < 2:
        return None
    t, pr, c, u = schema.task, schema.progress_row, schema.campaign, schema.unit
    with ledger.read() as conn:
        cal = WorkCalendar.from_conn(conn)
        ids: dict[int, int] = dict(rows_of(conn.execute(select(c.c.year, c.c.id))))
        year_of = {cid: y for y, cid in ids.items()}
        answers: dict[tuple[int, bool | None], int] = defaultdict(int)
        for cid, ok, n in rows_of(conn.execute(   # per task (the progress index, v6, answers it alone), then per year
                select(t.c.campaign_id, pr.c.on_track, func.count()).select_from(t).join(pr, pr.c.task_id == t.c.id)
                .where(t.c.active.is_(True)).group_by(t.c.id, pr.c.on_track))):
            answers[(year_of[cid], ok)] += n
        tasks: dict[int, int] = dict(rows_of(conn.execute(
            select(c.c.year, func.count()).join(t, t.c.campaign_id == c.c.id).where(t.c.active.is_(True))
            .group_by(c.c.year))))
        counted = code_counts(conn, {ids[y]: stats_periods(y, today) for y in years}, today, cal)
        names: dict[int, str] = dict(rows_of(conn.execute(select(u.c.id, u.c.name))))
    return YearsRead(years, year_of, dict(answers), tasks, counted, names)


class Prefetch:
    """read_years on a thread of its own (its own connection); result() waits and returns it, or raises its error."""

    def __init__(self, ledger: Ledger, today: date):
        self._value: YearsRead | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(ledger, today), name="stats-years", daemon=True)
        self._thread.start()

    def _run(self, ledger: Ledger, today: date) -> None:
        try:
            self._value = read_years(ledger, today)
        except BaseException as exc:   # handed to the caller by result()
            self._error = exc

    def result(self) -> YearsRead | None:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value
