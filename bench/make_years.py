"""Build a ten-year ledger (2017–2026) through the demo's real code path, for the ten-year benches.

Run:  .venv/bin/python bench/make_years.py --years 10 --units 63 --out /tmp/years.sqlite3
      .venv/bin/python bench/make_years.py --years 10 --units 630 --out postgresql://user@host/db

What is real: for each year the 2026 立项表 (resources/demo) is re-imported under that year with the project's own
import (core.campaign.importing), and the demo year (core/demo/year.py) is played through generate, openpyxl-filled
returns, collect, review, 退回, 办结 and merge. Every past year is merged to December; 2026 is played to the
clock below (21 November 2026), so its October round is left staged, as the demo leaves its working month.
Unit history: three units carried an older name until 2020 (the plans of 2017–2020 name them so) and were
renamed in 2021 with their old name kept as an alias; three more have a 简称 alias from the start.

What is shortcut, and only for --units 630: the 63 demo units play every year through the real path, then each
is cloned nine times (「…第k片区」) with its assignments, dispatch items, submissions, changes, plan and progress
rows and their audit rows, written with the ledger's schema in one transaction per table (as bench/all.py's
multiply_units clones units for its 630-unit rows). The clones share the originals' stored files (same hash).
Filling and collecting 6,300 workbooks a year through openpyxl would take hours on this machine.

A PostgreSQL --out is built on SQLite first, then moved with the project's own whole-ledger export and import
(core.ledger.export_xlsx / import_xlsx, what 导出整个台账 / import-ledger do), received files included; --direct
moves it without the workbook in between (every table read whole and written by import-ledger's own fill_tables,
the stored files by file_store.put_many), minutes rather than most of an hour for 10 × 630.
--from PATH clones the units of an already built 63-unit ledger (a copy of it) instead of building again: the same
ledger --units 630 builds, since the cloning runs after the years are played.
Reproducible: the demo story is seeded (core/demo/year.py SEED) and this script's choices come from --seed.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select, update  # noqa: E402

RENAMED = {"区行政审批服务局": "区行政审批局", "区园林绿化服务中心": "区园林局",
           "区城市运行指挥中心": "区数字化城市管理中心"}   # today's name → the name until 2020
RENAMED_IN = 2021
ALIASES = {"区发展改革局": "区发改局", "区工业和信息化局": "区工信局", "区住房城乡建设局": "区住建局"}
LAST_NOW = datetime(2026, 11, 21, 10, 0)   # the 2026 clock: October's round received, not yet merged


def _say(text: str) -> None:
    print(text, flush=True)


def build_sqlite(path: Path, years: int, units: int, seed: int) -> dict:
    from core.demo import DEMO_CONTACTS, _checkpoint, _fast_writes, _keep_last_backup
    from core.campaign.importing import file_ref
    from core.ledger.store import Ledger
    from core.units.contacts_import import apply_contacts, read_contacts
    started = time.perf_counter()
    path = Path(path)
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        p.unlink(missing_ok=True)
    for side in (f"{path.stem}-files", f"{path.stem}-backups"):
        shutil.rmtree(path.parent / side, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix="make-years-", dir=path.parent))
    ledger = Ledger(path)
    _fast_writes(ledger)
    timings = {}
    try:
        first = 2027 - years
        _import_year(ledger, first)      # creates the units (2017 names) the contacts then fill
        contacts = read_contacts(DEMO_CONTACTS)
        apply_contacts(ledger, _old_contacts(contacts) if first < RENAMED_IN else contacts, file_ref(DEMO_CONTACTS))
        _add_aliases(ledger, ALIASES)
        for year in range(first, 2027):
            t0 = time.perf_counter()
            if year != first:
                if year == RENAMED_IN and first < RENAMED_IN:
                    _rename(ledger)
                _import_year(ledger, year)
            _play(ledger, year, work / str(year))
            timings[year] = round(time.perf_counter() - t0, 1)
            _say(f"{year}: {timings[year]} s")
        if units > 63:
            _clone_units(ledger, units // 63, random.Random(seed))
    finally:
        ledger.close()
        shutil.rmtree(work, ignore_errors=True)
    _keep_last_backup(path.parent / f"{path.stem}-backups")   # as the demo keeps it: what 撤销上次合并 reads
    _checkpoint(path)
    return {"seconds": round(time.perf_counter() - started, 1), "per_year": timings}


def _old_contacts(contacts: list[dict]) -> list[dict]:
    return [dict(c, name=RENAMED.get(c["name"], c["name"])) for c in contacts]


def _import_year(ledger, year: int) -> None:
    from core.campaign.importing import apply_import, file_ref, preview_import
    from core.campaign.read import read_plan_file
    from core.demo import DEMO_PLAN
    plan = read_plan_file(DEMO_PLAN)
    if year < RENAMED_IN:   # that year's 立项表 names the units as they were called then
        for task in plan.tasks:
            for u in task.units:
                u.name = RENAMED.get(u.name, u.name)
    plan.year, plan.title = year, f"{year}年《政府工作报告》重点任务责任分解立项表"
    apply_import(ledger, preview_import(ledger, plan, year, file_ref(DEMO_PLAN)))


def _add_aliases(ledger, aliases: dict[str, str]) -> None:
    from core.ledger import schema
    from core.units.edit import add_unit_alias
    with ledger.read() as conn:
        ids = dict(conn.execute(select(schema.unit.c.name, schema.unit.c.id)).all())
    for name, alias in aliases.items():
        if name in ids:
            add_unit_alias(ledger, ids[name], alias)


def _rename(ledger) -> None:
    """2021: the units take today's names (audited), their old names kept as aliases."""
    from core.ledger import schema
    from core.ledger.store import new_batch, record_audit
    u = schema.unit
    with ledger.begin() as conn:
        for new, old in RENAMED.items():
            conn.execute(update(u).where(u.c.name == old).values(name=new))
            record_audit(conn, new_batch(), "unit", new, "name", old, new, "hand", "")
    with ledger.read() as conn:
        ids = dict(conn.execute(select(u.c.name, u.c.id)).all())
    from core.units.edit import add_unit_alias
    for new, old in RENAMED.items():
        add_unit_alias(ledger, ids[new], old)


def _play(ledger, year: int, folder: Path) -> None:
    from core.demo import year as story
    from core.returns.merge import merge
    story.YEAR = year   # the demo story plays one campaign year (module constant, read at call time)
    try:
        now = LAST_NOW if year == 2026 else datetime(year + 1, 1, 20, 10, 0)
        story.build_year(ledger, folder, now=now)
        if year != 2026:   # a past year's December round is merged too
            merge(ledger, accept_all=True)
    finally:
        story.YEAR = 2026


# -- 630 units: clones of the 63 ---------------------------------------------------------------------------
def _clone_units(ledger, factor: int, rng: random.Random) -> None:
    """Each unit cloned factor-1 times with everything that names it (see the module docstring)."""
    from core.ledger import schema as s
    _say(f"cloning units ×{factor}")
    with ledger.begin() as conn:
        units = [dict(r._mapping) for r in conn.execute(select(s.unit).order_by(s.unit.c.id))]
        nxt = {t.name: (conn.execute(select(func.max(t.c.id))).scalar() or 0) + 1
               for t in (s.unit, s.assignment, s.dispatch_item, s.submission, s.change, s.plan_row, s.progress_row)}
        unit_map: dict[tuple[int, int], int] = {}
        rows = []
        for k in range(2, factor + 1):
            for u in units:
                unit_map[(k, u["id"])] = nxt["unit"]
                rows.append(dict(u, id=nxt["unit"], name=f"{u['name']}第{k}片区",
                                 short_name=f"{u['short_name'] or u['name']}{k}片区",
                                 email=f"u{nxt['unit']}@example.cn" if u["email"] else ""))
                nxt["unit"] += 1
        conn.execute(insert(s.unit), rows)
        sub_map: dict[tuple[int, int], int] = {}

        def copy(table, remap) -> None:
            source = [dict(r._mapping) for r in conn.execute(select(table).order_by(table.c.id))]
            out = []
            for k in range(2, factor + 1):
                for r in source:
                    new = remap(dict(r), k)
                    if new is None:
                        continue
                    if table is s.submission:
                        sub_map[(k, r["id"])] = nxt[table.name]
                    new["id"] = nxt[table.name]
                    nxt[table.name] += 1
                    out.append(new)
            for start in range(0, len(out), 5000):
                conn.execute(insert(table), out[start:start + 5000])
            _say(f"  {table.name}: +{len(out)}")

        def unit_of(r, k, col="unit_id"):
            return unit_map.get((k, r[col])) if r[col] is not None else None

        def simple(r, k):
            r["unit_id"] = unit_of(r, k)
            return r if r["unit_id"] else None

        copy(s.assignment, simple)
        copy(s.dispatch_item, simple)

        def sub(r, k):
            r["unit_id"] = unit_of(r, k)
            return r if r["unit_id"] else None
        copy(s.submission, sub)

        def with_sub(r, k):
            r["unit_id"] = unit_of(r, k)
            if not r["unit_id"]:
                return None
            if "reporter_unit_id" in r:
                r["reporter_unit_id"] = unit_of(r, k, "reporter_unit_id")
            if r.get("submission_id") is not None:
                r["submission_id"] = sub_map.get((k, r["submission_id"]))
            return r
        copy(s.change, with_sub)
        copy(s.plan_row, with_sub)
        copy(s.progress_row, with_sub)
        a = s.audit
        audits = [dict(r._mapping) for r in conn.execute(select(a).where(a.c.table_name.in_(
            ("progress_row", "plan_row", "submission"))).order_by(a.c.id))]
        out = []
        for k in range(2, factor + 1):
            for r in audits:
                if r["table_name"] == "submission":
                    sid = sub_map.get((k, int(r["row_key"])))
                    if sid is None:
                        continue
                    key = str(sid)
                else:
                    uid, unit_id, last = r["row_key"].rsplit("/", 2)
                    clone = unit_map.get((k, int(unit_id)))
                    if clone is None:
                        continue
                    key = f"{uid}/{clone}/{last}"
                out.append({c: v for c, v in r.items() if c != "id"} | {"row_key": key, "batch": f"{r['batch']}-{k}"})
        for start in range(0, len(out), 5000):
            conn.execute(insert(a), out[start:start + 5000])
        _say(f"  audit: +{len(out)}")


def _cloned(source: Path, out: Path, units: int, seed: int) -> dict:
    """A copy of a built 63-unit ledger (file, stored files) with its units cloned as build_sqlite clones them."""
    from core.demo import _checkpoint
    from core.ledger.store import Ledger
    started = time.perf_counter()
    out = Path(out)
    shutil.copyfile(source, out)
    files = source.with_name(source.stem + "-files")
    if files.exists():
        shutil.copytree(files, out.with_name(out.stem + "-files"), dirs_exist_ok=True)
    if units > 63:
        ledger = Ledger(out)
        try:
            _clone_units(ledger, units // 63, random.Random(seed))
        finally:
            ledger.close()
        _checkpoint(out)
    return {"seconds": round(time.perf_counter() - started, 1)}


# -- PostgreSQL -------------------------------------------------------------------------------------------
def move_to_server(sqlite_path: Path, url: str, direct: bool = False) -> dict:
    """The built ledger into an empty server ledger through 导出整个台账 and import-ledger (direct: the same
    fill_tables and file store without the workbook)."""
    from core.ledger.export_xlsx import export_ledger
    from core.ledger.import_xlsx import import_ledger
    from core.ledger.store import Ledger
    started = time.perf_counter()
    if direct:
        return {"seconds": None, "rows": _move_direct(sqlite_path, url, started)}
    out = sqlite_path.parent / "export" / "ledger.xlsx"
    out.parent.mkdir(exist_ok=True)
    src = Ledger(sqlite_path)
    try:
        export_ledger(src, out)
    finally:
        src.close()
    dst = Ledger(url)
    try:
        counts = import_ledger(dst, out).value
    finally:
        dst.close()
    return {"seconds": round(time.perf_counter() - started, 1), "rows": sum(counts.values())}


def _move_direct(sqlite_path: Path, url: str, started: float) -> int:
    from core.ledger import file_store, schema
    from core.ledger.import_xlsx import fill_tables
    from core.ledger.store import Ledger
    src, dst = Ledger(sqlite_path), Ledger(url)
    try:
        with src.read() as conn:
            data = {t.name: [dict(r._mapping) for r in conn.execute(select(t))] for t in schema.metadata.sorted_tables}
        _say(f"read {sum(map(len, data.values()))} rows in {time.perf_counter() - started:.0f} s")
        blobs = [file_store.read(src, row["hash"]) for row in data["stored_file"]]
        for start in range(0, len(blobs), 50):
            file_store.put_many(dst, blobs[start:start + 50])
        with dst.begin() as conn:
            counts = fill_tables(conn, data)
        _say(f"written in {time.perf_counter() - started:.0f} s")
        return sum(counts.values())
    finally:
        src.close()
        dst.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10, choices=range(1, 11), metavar="1..10")
    parser.add_argument("--units", type=int, default=63, choices=(63, 630))
    parser.add_argument("--out", required=True, help="a .sqlite3 path, or a postgresql:// URL of an EMPTY database")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--direct", action="store_true", help="to a server without the export workbook in between")
    parser.add_argument("--from", dest="source", type=Path, help="a built 63-unit ledger of the same --years to clone")
    args = parser.parse_args()
    from core.ledger.location import is_server
    if is_server(args.out):
        work = Path(tempfile.mkdtemp(prefix="make-years-pg-"))
        try:
            built = (_cloned(args.source, work / "years.sqlite3", args.units, args.seed) if args.source
                     else build_sqlite(work / "years.sqlite3", args.years, args.units, args.seed))
            t0 = time.perf_counter()
            moved = move_to_server(work / "years.sqlite3", args.out, direct=args.direct)
            _say(f"built in {built['seconds']} s on SQLite, moved to the server in {time.perf_counter() - t0:.0f} s "
                 f"({moved['rows']} rows)")
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return
    out = Path(args.out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    built = (_cloned(args.source, out, args.units, args.seed) if args.source
             else build_sqlite(out, args.years, args.units, args.seed))
    size = out.stat().st_size
    files = sum(p.stat().st_size for p in (out.parent / f"{out.stem}-files").rglob("*") if p.is_file())
    _say(f"built {out} in {built['seconds']} s: ledger {size / 1e6:.1f} MB, stored files {files / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
