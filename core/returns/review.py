"""The clerk's decisions on staged changes (per change, row, file) and the views the review page and CLI show."""
from __future__ import annotations

from collections import OrderedDict
from typing import cast

from sqlalchemy import ColumnElement, and_, case, func, or_, select, update

from core.ledger import schema
from core.common.errors import UserError
from core.ledger.changes import Area, Changed, LedgerChange
from core.ledger.row_types import ChangeRow, DetailRow, ListedSubmission, SubmissionDetail, SubmissionRow
from core.ledger.store import Ledger, new_batch, record_audit

DECISIONS = ("pending", "accepted", "rejected")
RETURNS = LedgerChange.of(Area.RETURNS)   # what every decision changes: the files' review


def _check(decision: str) -> None:
    if decision not in DECISIONS:
        raise UserError(f"无效的审核决定“{decision}”（应为 accepted/rejected/pending）。")


def set_decision(ledger: Ledger, change_ids: list[int], decision: str, comment: str | None = None) -> Changed[int]:
    """Accept/reject given changes; returns how many changed. Informational rows (_task_text, _missing) take comments only."""
    return Changed(_decide(ledger, change_ids, decision, comment), change=RETURNS)


def _decide(ledger: Ledger, change_ids: list[int], decision: str, comment: str | None = None) -> int:
    _check(decision)
    ch = schema.change
    with ledger.begin() as conn:
        values = {"decision": decision}
        if comment is not None:
            values["comment"] = comment
        n = conn.execute(update(ch).where(ch.c.id.in_(list(change_ids))).values(values)).rowcount
        record_audit(conn, new_batch(), "change", ",".join(map(str, change_ids))[:500], "decision", None, decision, "hand")
    return n


def set_comments(ledger: Ledger, change_ids: list[int], comment: str) -> Changed[None]:
    """The clerk's 退回 comment for a whole row: kept on each of the row's changes."""
    ch = schema.change
    if change_ids:
        with ledger.begin() as conn:
            conn.execute(update(ch).where(ch.c.id.in_(list(change_ids))).values(comment=comment))
    return Changed(None, change=RETURNS)


def set_row_decision(ledger: Ledger, submission_id: int, task_id: int, decision: str,
                     quarter: int | None = None) -> Changed[int]:
    ch = schema.change
    with ledger.read() as conn:
        q = select(ch.c.id).where(ch.c.submission_id == submission_id, ch.c.task_id == task_id)
        if quarter is not None:
            q = q.where(ch.c.quarter == quarter)
        ids: list[int] = list(conn.execute(q).scalars())
    return Changed(_decide(ledger, ids, decision) if ids else 0, change=RETURNS)


def set_file_decision(ledger: Ledger, submission_id: int, decision: str) -> Changed[int]:
    ch = schema.change
    with ledger.read() as conn:
        ids: list[int] = list(conn.execute(select(ch.c.id).where(ch.c.submission_id == submission_id)).scalars())
    return Changed(_decide(ledger, ids, decision) if ids else 0, change=RETURNS)


def accept_all_staged(ledger: Ledger) -> Changed[int]:
    """Accept every still-pending change of every staged file, in one transaction; the clerk's rejections stand."""
    ch, sub = schema.change, schema.submission
    with ledger.begin() as conn:
        staged = select(sub.c.id).where(sub.c.status == "staged")
        n = conn.execute(update(ch).where(ch.c.submission_id.in_(staged), ch.c.decision == "pending",
                                          ~ch.c.flags.contains("unit-conflict", autoescape=True),
                                          ~ch.c.flags.contains("target-other-quarter", autoescape=True))   # the clerk chooses
                         .values(decision="accepted")).rowcount
        if n:
            record_audit(conn, new_batch(), "change", "staged", "decision", "pending", f"accepted×{n}", "hand")
    return Changed(n, change=RETURNS)


def reject_all_staged(ledger: Ledger) -> Changed[int]:
    """Reject every still-pending change of every staged file, in one transaction; the clerk's acceptances stand."""
    ch, sub = schema.change, schema.submission
    with ledger.begin() as conn:
        staged = select(sub.c.id).where(sub.c.status == "staged")
        n = conn.execute(update(ch).where(ch.c.submission_id.in_(staged), ch.c.decision == "pending")
                         .values(decision="rejected")).rowcount
        if n:
            record_audit(conn, new_batch(), "change", "staged", "decision", "pending", f"rejected×{n}", "hand")
    return Changed(n, change=RETURNS)


PENDING_STATUSES = ("staged", "needs-confirmation")


def list_submissions(ledger: Ledger, statuses: tuple[str, ...] | None = None,
                     ids: list[int] | None = None, year: int | None = None) -> list[ListedSubmission]:
    """Every received file (newest first) with its unit and its counts of changes by decision; `statuses` / `ids`:
    only those (the 收文 list reads one file again after a decision in the grid); `year`: the files of that year's
    months (or its 计划表), and every file still to identify or review whatever its year, so a ten-year ledger's
    收文 list reads one year of files, not ten. The change counts are read for the files listed only."""
    s, u = schema.submission, schema.unit
    where: list[ColumnElement[bool]] = []
    if statuses:
        where.append(s.c.status.in_(statuses))
    if ids is not None:
        where.append(s.c.id.in_(list(ids)))
    if year is not None:
        # ranges and equalities, each on an index (ix_submission_period, ix_submission_status): "2026", "2026-01"…
        where.append(or_(and_(s.c.period >= str(year), s.c.period < str(year + 1)), s.c.period.is_(None),
                         s.c.period == "", s.c.status.in_(PENDING_STATUSES)))
    with ledger.read() as conn:
        q = select(s, u.c.name.label("unit_name")).outerjoin(u, u.c.id == s.c.unit_id).order_by(s.c.id.desc())
        rows = [dict(r) for r in conn.execute(q.where(*where)).mappings()]
        counts: dict[int, dict[str, int]] = {}
        ch = schema.change
        # counted in the database: a year of changes (every old and new text) is never read just to count it
        real = case((and_(ch.c.old.is_distinct_from(ch.c.new), ~ch.c.field.startswith("_", autoescape=True)), 1),
                    else_=0)
        flagged = case((ch.c.flags != "", 1), else_=0)   # changes carrying a reviewer flag (the grid lists them first)
        per_file = select(ch.c.submission_id, ch.c.decision, func.count(), func.sum(real), func.sum(flagged))
        if where:   # only the files listed: through the change table's index on submission_id
            per_file = per_file.where(ch.c.submission_id.in_(select(s.c.id).where(*where)))
        for agg in conn.execute(per_file.group_by(ch.c.submission_id, ch.c.decision)):
            c = counts.setdefault(int(agg[0]), {"changes": 0, "pending": 0, "accepted": 0, "rejected": 0, "flagged": 0})
            c["changes"] += int(agg[3] or 0)
            c["flagged"] += int(agg[4] or 0)
            c[str(agg[1])] = c.get(str(agg[1]), 0) + int(agg[2])
    for r in rows:
        r.update(counts.get(r["id"], {"changes": 0, "pending": 0, "accepted": 0, "rejected": 0, "flagged": 0}))
    return cast(list[ListedSubmission], rows)


def submission_months(ledger: Ledger) -> list[str]:
    """The months ("YYYY-MM") any received file belongs to, newest first: the 收文 list offers them all while it reads
    one year's files."""
    s = schema.submission
    with ledger.read() as conn:
        found: list[str | None] = list(conn.execute(select(s.c.period).where(s.c.form == "report").distinct()).scalars())
        return sorted((p for p in found if p and len(p) == 7), reverse=True)


def quarantine(ledger: Ledger) -> list[ListedSubmission]:
    """Rejected files with their reasons (the stored originals stay in the store)."""
    return list_submissions(ledger, ("rejected",))


def submission_detail(ledger: Ledger, submission_id: int) -> SubmissionDetail:
    """The file, its unit's name and its rows (each with its changes) in form order."""
    s, ch, t = schema.submission, schema.change, schema.task
    with ledger.read() as conn:
        sub = conn.execute(select(s).where(s.c.id == submission_id)).mappings().first()
        if sub is None:
            raise UserError(f"没有编号为 {submission_id} 的收文记录。")
        unit_name = conn.execute(select(schema.unit.c.name).where(schema.unit.c.id == sub["unit_id"])).scalar() or ""
        changes = conn.execute(select(ch, t.c.uid, t.c.kind, t.c.seq, t.c.text.label("task_text"))
                               .outerjoin(t, t.c.id == ch.c.task_id).where(ch.c.submission_id == submission_id)
                               .order_by(t.c.kind, t.c.seq, ch.c.quarter, ch.c.id)).mappings().all()
    rows: OrderedDict[tuple, DetailRow] = OrderedDict()
    for c in changes:
        key = (c["task_id"], c["quarter"] if c["target"] == "plan" else None)
        row = rows.setdefault(key, DetailRow(task_id=c["task_id"], uid=c["uid"], kind=c["kind"], seq=c["seq"],
                                             text=c["task_text"], quarter=key[1], changes=[]))
        row["changes"].append(cast(ChangeRow, dict(c)))
    return SubmissionDetail(submission=cast(SubmissionRow, dict(sub)), unit=unit_name, rows=list(rows.values()))


def rivals(ledger: Ledger, submission_id: int) -> list[SubmissionRow]:
    """Other files for the same unit, form and period (to show side by side)."""
    s = schema.submission
    with ledger.read() as conn:
        sub = conn.execute(select(s).where(s.c.id == submission_id)).mappings().one()
        if not sub["unit_id"]:
            return []
        return [cast(SubmissionRow, dict(r)) for r in conn.execute(select(s).where(and_(
            s.c.id != submission_id, s.c.unit_id == sub["unit_id"], s.c.form == sub["form"],
            s.c.period == sub["period"], s.c.status.notin_(("rejected", "duplicate"))))).mappings()]


def rival_values(ledger: Ledger, submission_id: int) -> dict[tuple, list[dict]]:
    """For side-by-side choice: (task_id, unit_id, quarter, field) -> [{submission_id, file_name, new, decision}]
    from the other files of the same unit, form and period still waiting for review."""
    ch, s = schema.change, schema.submission
    others = [r for r in rivals(ledger, submission_id) if r["status"] in ("staged", "needs-confirmation")]
    with ledger.read() as conn:   # and other units' files reporting the same rows (a lead's gathered form)
        mine = conn.execute(select(ch.c.task_id, ch.c.unit_id, ch.c.period).where(
            ch.c.submission_id == submission_id, ch.c.flags.contains("unit-", autoescape=True))).all()
        for task_id, unit_id, period in set(mine):
            others += [cast(SubmissionRow, dict(r)) for r in conn.execute(select(s).join(ch, ch.c.submission_id == s.c.id).where(
                ch.c.task_id == task_id, ch.c.unit_id == unit_id, ch.c.period == period, s.c.id != submission_id,
                s.c.status.in_(("staged", "needs-confirmation")))).mappings()]
    if not others:
        return {}
    names = {r["id"]: r["file_name"] for r in others}
    out: dict[tuple, list[dict]] = {}
    with ledger.read() as conn:
        for c in conn.execute(select(ch).where(ch.c.submission_id.in_(list(names)))).mappings():
            out.setdefault((c["task_id"], c["unit_id"], c["quarter"], c["field"]), []).append(
                {"submission_id": c["submission_id"], "file_name": names[c["submission_id"]], "new": c["new"],
                 "decision": c["decision"]})
    return out
