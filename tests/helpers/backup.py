"""Test helpers for backups, export/import and integrity: a ledger holding a quarter of data, and a full table dump."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import insert, select

from core.ledger import schema
from core.ledger.store import new_batch, record_audit

NASTY = [
    "=HYPERLINK(\"http://x\",\"点我\")", "+86 139", "-3%", "@SUM(A1)", "  前后空格  ", "换行\r\n回车\r混合\n",
    "_x000D_ 字面量", "制表\t符", "emoji 😀 与 𠀀 扩展字", "控制\x01字符\x1f", "引号\"'<>&", "=cmd|' /C calc'!A0",
    "长" * 40000, "", "a_x005F_b",
]


def store_file(ledger, conn, content: bytes, name: str) -> str:
    from core.ledger import file_store
    digest = file_store.put(ledger, content)   # beside a SQLite ledger, in a server ledger's database
    if conn.execute(select(schema.stored_file.c.hash).where(schema.stored_file.c.hash == digest)).first() is None:
        conn.execute(insert(schema.stored_file).values(hash=digest, name=name, size=len(content),
                                                       stored_at=datetime(2026, 4, 2, 9, 30, 0, 123456)))
    return digest


def fill_quarter(ledger, seed: int = 7) -> dict:
    """Plan rows for the year and progress rows for 2026-01..03 on every assignment, with nasty text,
    submissions with stored files, staged changes and per-field audit rows. Returns counts."""
    rnd = random.Random(seed)
    counts = {"plan": 0, "progress": 0, "submissions": 0}
    with ledger.begin() as conn:
        cid = conn.execute(select(schema.campaign.c.id)).scalar()
        units = conn.execute(select(schema.unit.c.id, schema.unit.c.name)).all()
        pairs = conn.execute(select(schema.assignment.c.task_id, schema.assignment.c.unit_id,
                                    schema.task.c.uid).join(schema.task)).all()
        subs = {}
        for uid, uname in units[:25]:
            for period in ("2026-01", "2026-02", "2026-03"):
                content = f"{uname}{period}".encode() + bytes(rnd.randrange(256) for _ in range(64))
                h = store_file(ledger, conn, content, f"{uname}-{period}.xlsx")
                sid = conn.execute(insert(schema.submission).values(
                    campaign_id=cid, unit_id=uid, form="report", period=period, file_hash=h,
                    file_name=f"{uname}（{period}）附件4.xlsx", received_at=datetime(2026, 4, 3, 8, 0),
                    collected_at=datetime(2026, 4, 3, 8, 1, 5), status="merged", message="",
                    identified_by="docprops,hidden-sheet", merged_at=datetime(2026, 4, 3, 9, 0))).inserted_primary_key[0]
                subs[(uid, period)] = (sid, h)
                counts["submissions"] += 1
        for i, (task_id, unit_id, uid) in enumerate(pairs):
            for q in (1, 2, 3, 4):
                conn.execute(insert(schema.plan_row).values(
                    task_id=task_id, unit_id=unit_id, quarter=q, target=f"第{q}季度目标：{NASTY[(i + q) % len(NASTY)]}",
                    owner="张  三", supervisor="李四", remark=NASTY[(i * 3 + q) % len(NASTY)] if q == 2 else ""))
                counts["plan"] += 1
            for m, period in enumerate(("2026-01", "2026-02", "2026-03")):
                sub = subs.get((unit_id, period))
                on_track = [True, False, None][(i + m) % 3]
                values = {
                    "task_id": task_id, "unit_id": unit_id, "period": period, "quarter_target": f"一季度目标{i}",
                    "done": f"{period}完成：" + NASTY[(i + m) % len(NASTY)], "problems": NASTY[(i * 7 + m) % len(NASTY)],
                    "next_steps": "下一步\n继续推进", "on_track": on_track,
                    "on_track_raw": {True: "是", False: "否", None: ""}[on_track], "note": "",
                    "reporter_unit_id": unit_id if i % 5 else None, "submission_id": sub[0] if sub else None}
                conn.execute(insert(schema.progress_row).values(**values))
                counts["progress"] += 1
                if sub:
                    batch = new_batch()
                    for f in ("done", "problems"):
                        record_audit(conn, batch, "progress_row", f"{uid}/{unit_id}/{period}", f, None, values[f], "file", sub[1])
        sid = next(iter(subs.values()))[0]
        conn.execute(insert(schema.change).values(submission_id=sid, task_id=pairs[0][0], unit_id=pairs[0][1],
                                                  target="progress", period="2026-03", field="done", old="旧",
                                                  new="=1+1 新", decision="pending", flags="", comment=""))
        conn.execute(insert(schema.holiday_override).values(day=datetime(2026, 2, 14).date(), workday=True, note="调休上班"))
        conn.execute(insert(schema.keyword_rule).values(keyword="学校", unit_name="区教育和体育局", note=""))
        conn.execute(schema.task.update().where(schema.task.c.id == pairs[0][0]).values(
            closed_on=(datetime(2026, 3, 31) - timedelta(days=1)).date(), closed_note="已办结\r\n附件见档案"))
    return counts


def dump(ledger, skip_audit_batches: set[str] = frozenset()) -> dict[str, list[tuple]]:
    """Every table's rows as tuples of typed values (text byte for byte), ordered by primary key: equal across backends."""
    out = {}
    with ledger.read() as conn:
        for table in schema.metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).fetchall()
            if table.name == "audit":
                batch_i = [c.name for c in table.columns].index("batch")
                rows = [r for r in rows if r[batch_i] not in skip_audit_batches]
            out[table.name] = [tuple(r) for r in rows]
    return out


def stage(ledger, unit_name: str, period: str, values: dict[str, dict], form: str = "report",
          content: bytes | None = None) -> int:
    """A staged submission as collect would leave it: stored file, submission row, accepted change rows.
    `values` maps task uid → {field: new value} (plan: keys "target@Q2" style with quarter)."""
    with ledger.begin() as conn:
        cid = conn.execute(select(schema.campaign.c.id)).scalar()
        unit_id = conn.execute(select(schema.unit.c.id).where(schema.unit.c.name == unit_name)).scalar_one()
        data = content or f"{unit_name}/{period}/{sorted(values.items())!r}".encode()
        h = store_file(ledger, conn, data, f"{unit_name}.xlsx")
        sid = conn.execute(insert(schema.submission).values(
            campaign_id=cid, unit_id=unit_id, form=form, period=period, file_hash=h, file_name=f"{unit_name}.xlsx",
            received_at=datetime(2026, 4, 5, 10, 0), collected_at=datetime(2026, 4, 5, 10, 1),
            status="staged", message="", identified_by="test")).inserted_primary_key[0]
        for uid, fields in values.items():
            task_id = conn.execute(select(schema.task.c.id).where(schema.task.c.uid == uid)).scalar_one()
            for field, new in fields.items():
                quarter = None
                if "@Q" in field:
                    field, q = field.split("@Q")
                    quarter = int(q)
                conn.execute(insert(schema.change).values(
                    submission_id=sid, task_id=task_id, unit_id=unit_id, target="plan" if quarter else "progress",
                    period=period if not quarter else "", quarter=quarter, field=field, old="", new=new,
                    decision="accepted", flags="", comment=""))
    return sid


def unit_tasks(ledger, n: int = 3) -> list[tuple[str, str]]:
    """(unit name, task uid) pairs of units with at least n tasks, for staging returns."""
    with ledger.read() as conn:
        rows = conn.execute(select(schema.unit.c.name, schema.task.c.uid)
                            .join(schema.assignment, schema.assignment.c.unit_id == schema.unit.c.id)
                            .join(schema.task, schema.task.c.id == schema.assignment.c.task_id)
                            .order_by(schema.unit.c.name, schema.task.c.uid)).all()
    return [(r.name, r.uid) for r in rows]
