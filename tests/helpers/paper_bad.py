"""A bad April–June at real lengths: many units late, some never report May/June, a third 否; receipts as a clerk logs them."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import insert, select, update

from core.ledger import schema
from tests.helpers.paper_filler_docs import NEXT_CLAUSES, PROBLEM_CLAUSES, done_text, short_text
from tests.helpers.reports import drive

SEED = 20260630
MONTHS = (4, 5, 6)
TODAY = date(2026, 7, 20)          # every Q2 return is due (June's on the 5th working day of July)
NO_SHARE = 0.34                    # rows that say 否


def fill_bad_quarter(ledger, seed: int = SEED, today: date = TODAY) -> dict:
    """Drive April–June: 9 units never report May or June, 5 more miss June, 14 late in April, 11 late in May
    (late by 2–15 days, received at office hours), 1 receipt logged after `today`; 否 in about a third of rows,
    each 否 with a 存在问题 written in 一是/二是 clauses. Returns {"missing", "late", "future", "no_rows"}."""
    rng = random.Random(seed)
    with ledger.read() as conn:
        units = sorted({r.unit_id for r in conn.execute(select(schema.assignment.c.unit_id))})
    never = set(rng.sample(units, 9))
    june_only = set(rng.sample([u for u in units if u not in never], 5))
    missing = {4: set(), 5: set(never), 6: never | june_only}
    rest = [u for u in units if u not in never]
    late = {4: set(rng.sample(rest, 14)), 5: set(rng.sample(rest, 11)), 6: set()}
    info = drive(ledger, months=MONTHS, missing=missing, late=late)
    p, s = schema.progress_row, schema.submission
    no_rows = 0
    with ledger.begin() as conn:
        cid = conn.execute(select(schema.campaign.c.id)).scalar_one()
        for m in MONTHS:
            did = conn.execute(insert(schema.dispatch).values(
                campaign_id=cid, form="report", period=f"2026-{m:02d}", out_dir="下发",
                created_at=datetime(2026, m, 25, 9))).inserted_primary_key[0]
            conn.execute(insert(schema.dispatch_item), [
                {"dispatch_id": did, "unit_id": u, "path": f"下发/附件4-{m}月-单位{u}.xlsx",
                 "file_hash": f"{m}{u:063d}", "fingerprint": "", "tasks": 1, "email": ""} for u in units])
        # receipt times as the clerk collected them: on time within the first working days, late by 2–15 days
        future = None
        for sid, uid, period in conn.execute(select(s.c.id, s.c.unit_id, s.c.period).order_by(s.c.id)).all():
            m = int(period[5:])
            base = datetime(2026, m % 12 + 1, 1, 9, 0)
            days = rng.randint(8, 22) if uid in late.get(m, ()) else rng.randint(1, 5)
            at = base + timedelta(days=days, hours=rng.randint(0, 7), minutes=rng.choice((3, 17, 26, 41, 52)))
            if at.weekday() >= 5:
                at += timedelta(days=7 - at.weekday())
            if m == 6 and future is None and uid not in late[6]:
                at, future = datetime(2026, 7, 22, 10, 15), uid   # logged by the clerk after --today
            conn.execute(update(s).where(s.c.id == sid).values(received_at=at, collected_at=at, merged_at=at))
        rows = conn.execute(select(p.c.id).order_by(p.c.period, p.c.task_id, p.c.unit_id)).all()
        for r in rows:
            no = rng.random() < NO_SHARE
            no_rows += no
            values = {"done": done_text(rng), "next_steps": short_text(rng, NEXT_CLAUSES),
                      "problems": short_text(rng, PROBLEM_CLAUSES) if no else "无",
                      "on_track": not no, "on_track_raw": "否" if no else "是"}
            conn.execute(update(p).where(p.c.id == r.id).values(**values))
    return {"missing": missing, "late": late, "future": future, "no_rows": no_rows, "received": info["received"]}


def build_bad_ledger(path, plan_docx, contacts):
    """A new ledger at `path`: the 立项表 imported, contacts applied, filled by fill_bad_quarter. Returns (ledger, info)."""
    from core.campaign.importing import apply_import, file_ref, preview_import
    from core.campaign.read import read_plan_file
    from core.ledger.store import Ledger
    from core.units.contacts_import import apply_contacts, read_contacts
    led = Ledger(path)
    apply_import(led, preview_import(led, read_plan_file(plan_docx), None, file_ref(plan_docx)))
    apply_contacts(led, read_contacts(contacts), "contacts")
    return led, fill_bad_quarter(led)
