"""Small reads a page needs (the latest campaign's year and tasks, the unit list for a picker), so no page opens a
connection or builds SQL itself."""
from __future__ import annotations

from sqlalchemy import select

from core.ledger import schema
from core.ledger.queries import campaign_id, campaign_row, tasks_of_campaign
from core.ledger.row_types import TaskRow
from core.ledger.store import Ledger


def latest_year(ledger: Ledger) -> int | None:
    """The year of the latest campaign, or None before the first 立项."""
    with ledger.read() as conn:
        cid = campaign_id(conn)
        return int(campaign_row(conn, cid)["year"]) if cid else None


def campaign_id_of(ledger: Ledger, year: int | None) -> int | None:
    """The campaign of `year` (None: no year chosen, no campaign)."""
    if year is None:
        return None
    with ledger.read() as conn:
        return campaign_id(conn, year)


def latest_year_and_tasks(ledger: Ledger) -> tuple[int | None, list[TaskRow]]:
    """The latest campaign's year and its active tasks (one read)."""
    with ledger.read() as conn:
        cid = campaign_id(conn)
        if not cid:
            return None, []
        return int(campaign_row(conn, cid)["year"]), tasks_of_campaign(conn, cid)


def unit_choices(ledger: Ledger) -> list[tuple[int, str]]:
    """(id, name) of every unit in directory order, for a picker."""
    u = schema.unit
    with ledger.read() as conn:
        return [(r.id, r.name) for r in conn.execute(select(u.c.id, u.c.name).order_by(u.c.id))]
