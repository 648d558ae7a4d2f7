"""Age a test ledger: earlier campaign years copied from its 2026 one, each with a year of progress and its audit rows.

A cheap stand-in for bench/make_years.py's ten-year ledger (which plays every year through the real code and takes
many minutes): rows are written straight into the schema, at real length (完成情况 of a few hundred characters), so
the file is as big as ten years are. DUCHA_YEARS_LEDGER=<a make_years .sqlite3> makes the tests use the real one.
"""
from __future__ import annotations

import os
import shutil
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, insert, select

from core.ledger import schema

DONE = ("一是围绕年度目标，第{n}项工作按计划推进，已完成前期调研、方案编制和部门会商，累计完成投资{p}%。"
        "二是建立周调度机制，协调解决用地、资金、审批等问题，推动项目手续并联办理，压缩办理时限。"
        "三是强化督导检查，对照时间节点逐项销号，确保按序时进度推进，形成阶段性成果。")


def pad_years(ledger, years: int = 9, last: int = 2025) -> dict:
    """Add `years` campaigns (last-years+1 … last) shaped like the ledger's newest one, with 4–12月 progress."""
    t, a = schema.task, schema.assignment
    counts = {"tasks": 0, "progress": 0, "audit": 0}
    with ledger.begin() as conn:
        cid = conn.execute(select(schema.campaign.c.id).order_by(schema.campaign.c.year.desc())).scalar()
        tasks = [dict(r._mapping) for r in conn.execute(select(t).where(t.c.campaign_id == cid))]
        assigns = [dict(r._mapping) for r in conn.execute(select(a).join(t, t.c.id == a.c.task_id)
                                                              .where(t.c.campaign_id == cid))]
        next_task = conn.execute(select(func.max(t.c.id))).scalar() + 1
        next_assign = conn.execute(select(func.max(a.c.id))).scalar() + 1
        for year in range(last - years + 1, last + 1):
            new_cid = conn.execute(insert(schema.campaign).values(
                year=year, doc_no=f"政办发〔{year}〕1号", title=f"{year}年重点工作任务", plan_due=date(year, 3, 6),
                report_workdays=5, plan_layout="rows", lead_gathering=False, options="{}",
                created_at=datetime(year, 2, 20, 9))).inserted_primary_key[0]
            ids, uids, task_rows, assign_rows = {}, {}, [], []
            for task in tasks:
                ids[task["id"]], uids[task["id"]] = next_task, f"Y{year}{task['kind'][0]}{task['seq']:04d}"
                task_rows.append(dict(task, id=next_task, uid=uids[task["id"]], campaign_id=new_cid,
                                      closed_on=None, closed_note="", closed_evidence=None))
                next_task += 1
            conn.execute(insert(t), task_rows)
            for assign in assigns:
                assign_rows.append(dict(assign, id=next_assign, task_id=ids[assign["task_id"]]))
                next_assign += 1
            conn.execute(insert(a), assign_rows)
            uid_of = {ids[i]: uids[i] for i in ids}
            from tests.helpers.backup import store_file
            digest = store_file(ledger, conn, f"{year}年各单位报送（合订）".encode() * 64, f"{year}年报送.xlsx")
            progress, audit = [], []
            for month in range(4, 13):
                period = f"{year}-{month:02d}"
                for n, assign in enumerate(assign_rows):
                    done = DONE.format(n=n + 1, p=(n * 7 + month) % 90 + 10)
                    progress.append({"task_id": assign["task_id"], "unit_id": assign["unit_id"], "period": period,
                                     "quarter_target": "", "done": done, "problems": "一是资金到位偏慢；二是审批环节较多。",
                                     "next_steps": "下一步将加快手续办理，确保按期完成阶段目标。", "on_track": True,
                                     "on_track_raw": "是", "note": "", "reporter_unit_id": assign["unit_id"],
                                     "submission_id": None})
                    batch = f"y{year}m{month:02d}n{n:05d}"
                    key = f"{uid_of[assign['task_id']]}/{assign['unit_id']}/{period}"
                    for field, value in (("done", done), ("on_track", "是")):
                        audit.append({"at": datetime(year, month, 28, 10), "batch": batch, "table_name": "progress_row",
                                      "row_key": key, "field": field, "old": None, "new": value,
                                      "source_kind": "file", "source_ref": digest, "clerk": ""})
            for start in range(0, len(progress), 2000):
                conn.execute(insert(schema.progress_row), progress[start:start + 2000])
            for start in range(0, len(audit), 2000):
                conn.execute(insert(schema.audit), audit[start:start + 2000])
            counts["tasks"] += len(task_rows)
        # those years were merged by runs long since out of 撤销上次合并's reach (core/returns/merge_undo.py): the
        # ledger carries the run list, as any ledger merged by this version does
        m = schema.meta
        if conn.execute(select(m.c.key).where(m.c.key == "setting:merge_runs")).first() is None:
            conn.execute(insert(m).values(key="setting:merge_runs", value="[]"))
            counts["progress"] += len(progress)
            counts["audit"] += len(audit)
    return counts


def real_years_ledger() -> Path | None:
    """The make_years ledger named by DUCHA_YEARS_LEDGER, if any."""
    named = os.environ.get("DUCHA_YEARS_LEDGER")
    return Path(named) if named else None


def copy_sqlite_ledger(src: Path, dst: Path) -> Path:
    """A ledger file with its stored files beside it (not its backups)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    files = src.with_name(src.stem + "-files")
    if files.exists():
        shutil.copytree(files, dst.with_name(dst.stem + "-files"))
    return dst


def age_files(ledger, years: range) -> int:
    """Copy the 2026 files (submissions and their change rows) into earlier years, merged long ago."""
    s, ch = schema.submission, schema.change
    added = 0
    with ledger.begin() as conn:
        subs = [dict(r._mapping) for r in conn.execute(select(s).where(s.c.period.startswith("2026")))]
        changes = [dict(r._mapping) for r in conn.execute(select(ch))]
        next_sub = conn.execute(select(func.max(s.c.id))).scalar() + 1
        for year in years:
            rows, change_rows, new_id = [], [], {}
            for sub in subs:
                new_id[sub["id"]] = next_sub
                rows.append(dict(sub, id=next_sub, period=str(year) + sub["period"][4:], status="merged"))
                next_sub += 1
            for c in changes:
                if c["submission_id"] in new_id:
                    change_rows.append({k: v for k, v in c.items() if k != "id"} | {
                        "submission_id": new_id[c["submission_id"]], "period": str(year) + (c["period"] or "")[4:],
                        "decision": "accepted"})
            conn.execute(insert(s), rows)
            if change_rows:
                conn.execute(insert(ch), change_rows)
            added += len(rows)
    return added
