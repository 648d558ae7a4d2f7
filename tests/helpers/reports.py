"""Drive a ledger through months of 月报: submissions, stored files and progress rows inserted in bulk (report tests, bench)."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import insert, select

from core.ledger import schema

# Phrases the synthetic units write; long enough that cells wrap over several lines.
DONE = ("已完成年度目标的{p}%，召开专题推进会{n}次，形成工作台账并按周调度，重点项目均按节点推进，"
        "累计完成投资{n}.{p}亿元，相关配套政策已印发实施。")
PROBLEMS = ("部分项目要素保障不足，土地、资金等需进一步协调；{n}个子项目进度滞后于计划。")
NEXT = ("下一步将加大调度力度，倒排工期、挂图作战，确保{m}月底前完成阶段目标。")
MONTH_END_DAY = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def assignments(conn, cid: int) -> list:
    a, t = schema.assignment, schema.task
    return conn.execute(select(a.c.task_id, a.c.unit_id, a.c.role, t.c.seq, t.c.kind)
                        .join(t, t.c.id == a.c.task_id)
                        .where(t.c.campaign_id == cid, t.c.active.is_(True))
                        .order_by(t.c.kind, t.c.seq, a.c.position)).all()


def drive(ledger, year: int = 2026, months=(1, 2, 3), missing=None, late=None) -> dict:
    """Insert one returned report per unit and month (except `missing`), late for `late`.

    missing / late: {month: set(unit_id)}; by default a few units are missing or late each month.
    on_track: 否 where (seq + unit_id + month) % 9 == 0, blank where ... % 13 == 0, else 是.
    Returns {"missing": …, "late": …, "received": {(unit_id, month): datetime}}.
    """
    with ledger.begin() as conn:
        cid = conn.execute(select(schema.campaign.c.id).where(schema.campaign.c.year == year)).scalar_one()
        rows = assignments(conn, cid)
        unit_ids = sorted({r.unit_id for r in rows})
        if missing is None:
            missing = {m: set(unit_ids[m * 3 % len(unit_ids):][:2]) for m in months}
        if late is None:
            late = {m: set(unit_ids[(m * 5 + 7) % len(unit_ids):][:3]) - missing.get(m, set()) for m in months}
        by_unit: dict[int, list] = {}
        for r in rows:
            by_unit.setdefault(r.unit_id, []).append(r)
        files, subs, progress = [], [], []
        received = {}
        sub_id = conn.execute(select(schema.submission.c.id).order_by(schema.submission.c.id.desc())).scalar() or 0
        for m in months:
            period = f"{year}-{m:02d}"
            month_end = datetime(year, m, MONTH_END_DAY[m], 17, 0)
            for uid in unit_ids:
                if uid in missing.get(m, set()):
                    continue
                at = month_end + timedelta(days=25 if uid in late.get(m, set()) else 1, hours=-7)
                received[(uid, m)] = at
                name = f"附件4-{m}月落实情况表-单位{uid}.xlsx"
                digest = hashlib.sha256(f"{period}/{uid}".encode()).hexdigest()
                files.append({"hash": digest, "name": name, "size": 10000 + uid, "stored_at": at})
                sub_id += 1
                subs.append({"id": sub_id, "campaign_id": cid, "unit_id": uid, "form": "report", "period": period,
                             "file_hash": digest, "file_name": name, "received_at": at, "collected_at": at,
                             "status": "merged", "message": "", "identified_by": "test", "merged_at": at})
                for r in by_unit[uid]:
                    key = (r.seq + uid + m) % 9
                    blank = (r.seq + uid + m) % 13 == 0
                    on_track = None if blank else key != 0
                    n, p = (r.seq * 7 + uid) % 20 + 1, (m * 8 + r.seq) % 100
                    progress.append({
                        "task_id": r.task_id, "unit_id": uid, "period": period,
                        "quarter_target": f"{(m - 1) // 3 + 1}季度完成年度任务的{25 * ((m - 1) // 3 + 1)}%",
                        "done": ("=" if r.seq == 5 and m == months[-1] else "") + DONE.format(p=p, n=n),
                        "problems": PROBLEMS.format(n=n) if on_track is False else "无",
                        "next_steps": NEXT.format(m=m % 12 + 1),
                        "on_track": on_track, "on_track_raw": {True: "是", False: "否", None: ""}[on_track],
                        "note": "", "reporter_unit_id": uid, "submission_id": sub_id,
                    })
        if files:
            conn.execute(insert(schema.stored_file), files)
            conn.execute(insert(schema.submission), subs)
            conn.execute(insert(schema.progress_row), progress)
    return {"missing": missing, "late": late, "received": received}
