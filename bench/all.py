"""Every figure a clerk waits for, in one table: whole processes, project and baseline interleaved, median and spread.

    python bench/all.py [--rounds 5] [--no-scale] [--years 1Y_LEDGER 10Y_LEDGER]

Each figure is a fresh process doing what the clerk's action does on the default path, timed from spawn to exit (the
window: to its first idle turn of the event loop, the READY line it prints then; its CPU column is the child's own
CPU up to that line, and its time to process exit is printed below the table for reference). Its baseline is a fresh
process doing the same work with the bare libraries: XlsxWriter writing the same cells of every sheet (and the same
.eml text) into the same number of workbooks, python-calamine reading every cell of every sheet of the same returned
files, a bare PySide6 window with a 118×8 table. Project and baseline alternate within each round, and the rounds
alternate their order, so load on this shared machine falls on both. Preparation (ledger, forms, filled returns) is
not timed. Pass/fail is judged on the wall-clock medians; the last column adds the median CPU seconds (user +
system) of the same runs, which the other work on a shared machine disturbs far less.

Both sides run from compiled bytecode, as the installed app does (PyInstaller ships .pyc only): the processes get a
private PYTHONPYCACHEPREFIX and one untimed warm-up round fills it; nothing else is cached between runs (every
collect gets a fresh copy of the ledger, every generate a fresh folder). The scale rows repeat generate and collect
for 630 units (each of the 63 demo units cloned ten times with its tasks) and print the cost per unit at 63 and 630.
generate keeps its template parse in the user cache folder (by checksum); a reference row shows the first generate
after a template change, with that cache empty. Another shows the floor every command pays: importing SQLAlchemy;
the column "ratio above the SQLAlchemy floor" takes that floor's median off the project's before dividing. A third
reference row gives collect a baseline that also stores what it read, as collect must: each file written to a
content-addressed folder and synced, then the stored-file, submission and change rows (as many as the app wrote) in
one SQLite transaction through the standard library's sqlite3.

--years adds the ten-year rows (issue 31): two bench/make_years.py ledgers (--years 1 and --years 10, 63 units),
each action a whole process on the ten-year ledger with the same action on the one-year ledger as its baseline, goal
≤ 1.3× (an action costs what it changes, not what the ledger has accumulated): the window's cold start, the window
opened on 督办 and on 收文, summary, bulletin, `merge --all` of the staged October returns (a fresh copy each round),
and, for reference, the whole-ledger export (which is all the years by definition). bench/years_clerk.py times the
same with more rows, and against another commit.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PERIOD = "2026-04"
PY = sys.executable

GEN_BASELINE = r"""
import json, sys, xlsxwriter
from email.message import EmailMessage
spec = json.load(open(sys.argv[1], encoding="utf-8"))
for book in spec:
    wb = xlsxwriter.Workbook(book["path"], {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    for name, rows in book["sheets"].items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value != "":
                    ws.write_string(r, c, str(value))
    wb.close()
    if book.get("eml"):
        open(book["path"] + ".eml", "w", encoding="utf-8").write(book["eml"])
"""

COLLECT_BASELINE = r"""
import sys
from pathlib import Path
from python_calamine import CalamineWorkbook
cells = 0
for path in sorted(Path(sys.argv[1]).iterdir()):
    wb = CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        for row in wb.get_sheet_by_name(name).to_python():
            cells += len(row)
print(cells)
"""

COLLECT_STORING_BASELINE = r"""
import hashlib, os, sqlite3, sys
from pathlib import Path
from python_calamine import CalamineWorkbook
folder, ledger, store, wanted = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
subs, cells, written = [], [], []
for path in sorted(folder.iterdir()):
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    target = store / digest[:2] / digest
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(digest + ".part")
    tmp.write_bytes(data)
    written.append((tmp, target))
    wb = CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        for row in wb.get_sheet_by_name(name).to_python():
            cells += [(len(subs) + 1, str(v)) for v in row if v != ""]
    subs.append((digest, path.name, len(data)))
os.sync()
for tmp, target in written:
    tmp.replace(target)
con = sqlite3.connect(ledger)
with con:
    con.executemany("INSERT INTO stored_file (hash, name, size, stored_at) VALUES (?, ?, ?, datetime('now'))", subs)
    start = con.execute("SELECT coalesce(max(id), 0) FROM submission").fetchone()[0]
    con.executemany("INSERT INTO submission (file_hash, file_name, received_at, collected_at, status, message, "
                    "identified_by, sheet) VALUES (?, ?, datetime('now'), datetime('now'), 'staged', '', '', '')",
                    [(d, n) for d, n, _ in subs])
    con.executemany("INSERT INTO change (submission_id, target, period, field, old, new, decision, flags, comment) "
                    "VALUES (?, 'report', '2026-04', 'done', '', ?, '', '', '')",
                    [(start + k, v) for k, v in cells[:wanted]])
print(len(subs), min(wanted, len(cells)))
"""

IDLE = r"""
import resource, sys
def _ready(app):   # the second turn of the loop: the first one's show, expose and paint are done
    use = resource.getrusage(resource.RUSAGE_SELF)
    print(f"READY {use.ru_utime + use.ru_stime:.4f}", flush=True)
    app.quit()
"""

WINDOW_BASELINE = IDLE + r"""
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem
app = QApplication(sys.argv[:1])
window = QMainWindow()
table = QTableWidget(118, 8)
for r in range(118):
    for c in range(8):
        table.setItem(r, c, QTableWidgetItem(f"任务{r}-{c}"))
window.setCentralWidget(table)
window.resize(1280, 720)
window.show()
QTimer.singleShot(0, lambda: QTimer.singleShot(0, lambda: _ready(app)))
app.exec()
"""

WINDOW_PROJECT = IDLE.replace("{", "{{").replace("}", "}}") + r"""
import sys
sys.path.insert(0, {root!r})
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
QTimer.singleShot(0, lambda: QTimer.singleShot(0, lambda: _ready(app)))
import app as entry
entry.main(["--demo"])
"""


# as the app's command processes import it: with the cycle collector paused (app.imports_kept)
SQLALCHEMY_FLOOR = "import gc; gc.disable(); import sqlalchemy, sqlalchemy.dialects.sqlite"


CPU: dict[str, list[float]] = {}   # command's first words -> CPU seconds (user + system) of each run


TO_EXIT: dict[str, list[float]] = {}   # window rows: wall seconds from spawn to exit (quit at idle), for reference


def run_to_idle(cmd: list[str], env: dict, cpu_key: str | None = None) -> float:
    """A window: wall seconds from spawn to its READY line (the event loop's first idle turn), what the clerk waits
    for; the child's own CPU seconds up to then go to CPU[cpu_key], its time to exit to TO_EXIT[cpu_key]."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    took, cpu = None, 0.0
    for line in proc.stdout:
        if line.startswith("READY"):
            took, cpu = time.perf_counter() - start, float(line.split()[1])
            break
    _out, err = proc.communicate(timeout=600)
    if took is None or proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])}… failed: {err[-800:]}")
    if cpu_key:
        CPU.setdefault(cpu_key, []).append(cpu)
        TO_EXIT.setdefault(cpu_key, []).append(time.perf_counter() - start)
    return took


def run(cmd: list[str], env: dict, cwd: Path = ROOT, cpu_key: str | None = None) -> float:
    """Wall seconds from spawn to exit; the child's CPU seconds go to CPU[cpu_key] (steadier on a loaded machine)."""
    if "READY" in " ".join(cmd):
        return run_to_idle(cmd, env, cpu_key)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])}… failed: {out.stderr[-800:]}")
    if cpu_key:
        CPU.setdefault(cpu_key, []).append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return took


def multiply_units(path: Path, factor: int) -> None:
    """Clone every unit `factor - 1` times with its contact and its assignments (a city-level office's 630 units)."""
    from sqlalchemy import insert, select

    from core.ledger import schema
    from core.ledger.store import Ledger
    led = Ledger(path)
    with led.begin() as conn:
        units = [dict(r._mapping) for r in conn.execute(select(schema.unit))]
        assigns = [dict(r._mapping) for r in conn.execute(select(schema.assignment))]
        next_unit = max(u["id"] for u in units) + 1
        next_assign = max(a["id"] for a in assigns) + 1
        new_units, new_assigns = [], []
        for k in range(2, factor + 1):
            for u in units:
                clone = dict(u, id=next_unit, name=f"{u['name']}第{k}片区", short_name=f"{u['short_name']}{k}片区",
                             email=f"u{next_unit}@example.cn" if u["email"] else "")
                new_units.append(clone)
                for a in assigns:
                    if a["unit_id"] == u["id"]:
                        new_assigns.append(dict(a, id=next_assign, unit_id=next_unit))
                        next_assign += 1
                next_unit += 1
        conn.execute(insert(schema.unit), new_units)
        conn.execute(insert(schema.assignment), new_assigns)
    led.close()


def prepare(work: Path, env: dict, factor: int = 1) -> dict:
    """A 2026 ledger with contacts, its 附件4 forms filled at real length, and the baseline's cell spec."""
    from python_calamine import CalamineWorkbook

    from core.demo import ensure_demo_ledger
    from core.forms.generate import generate
    from core.ledger.store import Ledger
    from tests.helpers import returns as rh

    work.mkdir(parents=True, exist_ok=True)
    ledger_path = ensure_demo_ledger(work / "ledger.sqlite3", history=False)   # the 2026 tasks and contacts
    if factor > 1:
        multiply_units(ledger_path, factor)
    led = Ledger(ledger_path)
    forms = generate(led, "report", PERIOD, work / "forms", with_eml=True)
    led.close()
    returned = work / "returned"
    returned.mkdir()
    spec = []
    for i, f in enumerate(forms):
        path = Path(f["path"])
        answers = {k: {"done": real_length_text(i, j), "problems": "一是资金到位偏慢；二是审批环节较多。",
                       "next_steps": "下一步将加快手续办理，确保按期完成阶段目标。", "on_track": "是"}
                   for j, k in enumerate(rh.row_keys(path))}
        rh.fill(path, returned / f"{f['unit']}-{PERIOD}.xlsx", answers)
        wb = CalamineWorkbook.from_path(str(path))
        sheets = {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}
        eml = path.with_suffix(".eml")
        spec.append({"path": str(work / "baseline-out" / f"{i}.xlsx"), "sheets": sheets,
                     "eml": eml.read_text(encoding="utf-8", errors="replace") if eml.exists() else ""})
    (work / "baseline-out").mkdir()
    (work / "gen-spec.json").write_text(json.dumps(spec, ensure_ascii=False, default=str), encoding="utf-8")
    no_eml = [dict(book, eml="") for book in spec]
    (work / "gen-spec-no-eml.json").write_text(json.dumps(no_eml, ensure_ascii=False, default=str), encoding="utf-8")
    merged = work / "merged.sqlite3"   # the April round collected and merged: what summary and bulletin print
    shutil.copy(ledger_path, merged)
    run([PY, str(ROOT / "app.py"), "--ledger", str(merged), "collect", str(returned)], env)
    import sqlite3
    with sqlite3.connect(merged) as con:   # the rows the app's collect wrote: the storing baseline writes as many
        changes = con.execute("SELECT count(*) FROM change").fetchone()[0]
    run([PY, str(ROOT / "app.py"), "--ledger", str(merged), "merge", "--all"], env)
    return {"work": work, "ledger": ledger_path, "merged": merged, "returned": returned, "forms": len(forms),
            "changes": changes}


def real_length_text(i: int, j: int) -> str:
    share = (i * 7 + j) % 90 + 10
    base = (f"一是围绕年度目标，第{j + 1}项工作按计划推进，已完成前期调研、方案编制和部门会商，累计完成投资{share}%。"
            "二是建立周调度机制，协调解决用地、资金、审批等问题，推动项目手续并联办理，压缩办理时限。"
            "三是强化督导检查，对照时间节点逐项销号，确保按序时进度推进，形成阶段性成果。")
    return base


def figures(prep: dict, big: dict | None) -> list[dict]:
    """name, goal (ratio to the baseline or seconds), project and baseline command builders (round → argv)."""
    app = str(ROOT / "app.py")

    def generate_cmd(p: dict, eml: bool):
        def build(r):
            out = p["work"] / f"gen-{'eml' if eml else 'plain'}-{r}"
            shutil.rmtree(out, ignore_errors=True)
            return [PY, app, "--ledger", str(p["ledger"]), "generate", "--form", "report", "--period", PERIOD,
                    "--out", str(out)] + ([] if eml else ["--no-eml"])
        return build

    def gen_baseline(p: dict, eml: bool):
        spec = p["work"] / ("gen-spec.json" if eml else "gen-spec-no-eml.json")
        return lambda r: [PY, "-c", GEN_BASELINE, str(spec)]

    def collect_cmd(p: dict):
        def build(r):
            copy = p["work"] / f"collect-{r}.sqlite3"
            for old in p["work"].glob(f"collect-{r}.sqlite3*"):
                old.unlink()
            shutil.rmtree(p["work"] / f"collect-{r}-files", ignore_errors=True)
            shutil.copy(p["ledger"], copy)
            return [PY, app, "--ledger", str(copy), "collect", str(p["returned"])]
        return build

    def collect_baseline(p: dict):
        return lambda r: [PY, "-c", COLLECT_BASELINE, str(p["returned"])]

    def collect_storing_baseline(p: dict):
        def build(r):
            copy = p["work"] / f"collect-base-{r}.sqlite3"
            for old in p["work"].glob(f"collect-base-{r}.sqlite3*"):
                old.unlink()
            store = p["work"] / f"collect-base-{r}-files"
            shutil.rmtree(store, ignore_errors=True)
            shutil.copy(p["ledger"], copy)
            return [PY, "-c", COLLECT_STORING_BASELINE, str(p["returned"]), str(copy), str(store), str(p["changes"])]
        return build

    n = prep["forms"]
    rows = [
        {"name": f"generate --form report（含邮件草稿，{n} 个单位）", "ratio": 2.5, "units": n,
         "project": generate_cmd(prep, True), "baseline": gen_baseline(prep, True)},
        {"name": f"generate --no-eml（{n} 个单位）", "ratio": 2.0, "units": n,
         "project": generate_cmd(prep, False), "baseline": gen_baseline(prep, False)},
        {"name": f"collect {n} 份报回", "ratio": 4.0, "units": n,
         "project": collect_cmd(prep), "baseline": collect_baseline(prep)},
        {"name": "窗口冷启动到空闲（演示台账）", "seconds": 1.0,
         "project": lambda r: [PY, "-c", WINDOW_PROJECT.format(root=str(ROOT))],
         "baseline": lambda r: [PY, "-c", WINDOW_BASELINE]},
        {"name": "summary 月度汇总表", "seconds": 1.0,
         "project": lambda r: [PY, app, "--ledger", str(prep["merged"]), "summary", "--period", PERIOD,
                               "--out", str(prep["work"] / f"summary-{r}.xlsx")], "baseline": None},
        {"name": "bulletin 季度通报", "seconds": 1.5,
         "project": lambda r: [PY, app, "--ledger", str(prep["merged"]), "bulletin", "--quarter", "2026Q2",
                               "--out", str(prep["work"] / f"bulletin-{r}.docx")], "baseline": None},
    ]
    if big:
        m = big["forms"]
        rows += [
            {"name": f"generate --form report（含邮件草稿，{m} 个单位）", "seconds": 6.0, "units": m,
             "project": generate_cmd(big, True), "baseline": gen_baseline(big, True)},
            {"name": f"collect {m} 份报回", "seconds": 2.5, "units": m,
             "project": collect_cmd(big), "baseline": collect_baseline(big)},
        ]
    def cold_template_cmd(r):
        cache = prep["work"] / f"empty-cache-{r}"
        shutil.rmtree(cache, ignore_errors=True)
        return ["env", f"XDG_CACHE_HOME={cache}"] + generate_cmd(prep, True)(f"cold-{r}")

    rows.append({"name": f"参考：模板改动后第一次 generate（模板解析缓存为空，{n} 个单位）", "reference": True,
                 "project": cold_template_cmd, "baseline": gen_baseline(prep, True)})
    rows.append({"name": f"参考：collect {n} 份，基线也落盘（存文件并同步、SQLite 一次写入同样多的行）", "reference": True,
                 "project": collect_cmd(prep), "baseline": collect_storing_baseline(prep)})
    rows.append({"name": "参考：只导入 SQLAlchemy（每条命令的下限）", "reference": True, "floor": True,
                 "project": lambda r: [PY, "-c", SQLALCHEMY_FLOOR], "baseline": collect_baseline(prep)})
    return rows


def years_rows(one: Path, ten: Path, work: Path, env: dict) -> list[dict]:
    """The ten-year rows: each ledger copied once (stored files, backups) and opened once by this tree (migrated,
    today's copy taken) before timing; merge gets a fresh copy each round."""
    from bench.years_clerk import TODAY, WINDOW, _copy
    app = str(ROOT / "app.py")
    prepared = {}
    for name, src in (("1y", one), ("10y", ten)):
        led = _copy(Path(src), work / "years" / name / "ledger.sqlite3")
        run([PY, app, "--ledger", str(led), "status"], env)
        prepared[name] = led

    def window(page: str):
        return lambda name: lambda r: [PY, "-c", WINDOW.format(root=str(ROOT), ledger=str(prepared[name]), page=page,
                                                               today=TODAY)]

    def cli(*args: str):
        return lambda name: lambda r: [PY, app, "--ledger", str(prepared[name]), *[
            a.format(out=work / "years" / name, r=r) for a in args]]

    def merge(name):
        def build(r):
            led = work / "years" / f"merge-{name}-{r}" / "ledger.sqlite3"
            if led.parent.exists():
                shutil.rmtree(led.parent)
            _copy(prepared[name], led)
            return [PY, app, "--ledger", str(led), "merge", "--all"]
        return build

    table = [("窗口冷启动到空闲（立项页）", window(""), 1.3), ("窗口打开督办页", window("dashboard"), 1.3),
             ("窗口打开收文页（工作月份的文件列表）", window("collect"), 1.3),
             ("summary 2026年9月汇总表", cli("summary", "--period", "2026-09", "--today", TODAY,
                                         "--out", "{out}/summary-{r}.xlsx"), 1.3),
             ("bulletin 2026年第三季度通报", cli("bulletin", "--quarter", "2026Q3", "--out", "{out}/bulletin-{r}.docx"), 1.3),
             ("merge --all 十月报回（每轮新副本）", merge, 1.3),
             ("参考：export 整本台账导出（本就是全部年份）", cli("export", "--out", "{out}/export-{r}.xlsx"), None)]
    rows = []
    for label, build, goal in table:
        row = {"name": f"十年台账 ÷ 一年台账：{label}", "project": build("10y"), "baseline": build("1y")}
        if goal is None:
            row["reference"] = True
        else:
            row["ratio"] = goal
        rows.append(row)
    return rows


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-scale", action="store_true", help="skip the 630-unit rows (their preparation takes minutes)")
    parser.add_argument("--years", nargs=2, type=Path, metavar=("ONE_YEAR", "TEN_YEARS"),
                        help="bench/make_years.py ledgers (--years 1 and --years 10): adds the ten-year rows")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ducha-bench-"))
    env = dict(os.environ, XDG_DATA_HOME=str(work / "data"), XDG_CONFIG_HOME=str(work / "config"),
               XDG_CACHE_HOME=str(work / "cache"),
               QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               PYTHONPYCACHEPREFIX=str(work / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ.update({k: env[k] for k in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")})
    try:
        prep = prepare(work / "63", env)
        big = None if args.no_scale else prepare(work / "630", env, factor=10)
        run([PY, str(ROOT / "app.py"), "--demo", "tasks", "--json"], env)   # the demo ledger exists before timing
        rows = figures(prep, big)
        if args.years:
            rows += years_rows(args.years[0], args.years[1], work, env)
        for row in rows:   # warm-up, not timed: fills the bytecode cache of both sides
            for side in ("project", "baseline"):
                if row[side]:
                    run(row[side](-1), env)
        times: dict[str, tuple[list[float], list[float]]] = {row["name"]: ([], []) for row in rows}
        loads = []
        for r in range(args.rounds):
            loads.append(os.getloadavg()[0])
            for row in rows:
                pair = [("project", 0), ("baseline", 1)]
                for side, slot in pair if r % 2 == 0 else pair[::-1]:
                    if row[side]:
                        times[row["name"]][slot].append(run(row[side](r), env, cpu_key=f"{row['name']}/{side}"))
        print(f"{args.rounds} rounds, {os.cpu_count()} cores, load average {min(loads):.1f}–{max(loads):.1f} "
              f"while timing; whole processes, median (min–max)")
        floor = statistics.median(next(times[row["name"]][0] for row in rows if row.get("floor")))
        print("| figure | project | baseline | ratio | goal | pass | ratio above the SQLAlchemy floor | CPU project / baseline |")
        print("|---|---|---|---|---|---|---|---|")
        for row in rows:
            proj, base = times[row["name"]]
            p_med = statistics.median(proj)
            ratio = p_med / statistics.median(base) if base else None
            if row.get("reference"):
                goal, verdict = "—", "—"
            elif "ratio" in row:
                goal, verdict = f"≤ {row['ratio']}×", "yes" if ratio <= row["ratio"] else "NO"
            else:
                goal, verdict = f"≤ {row['seconds']} s", "yes" if p_med <= row["seconds"] else "NO"
            cpu_p = statistics.median(CPU[f"{row['name']}/project"])
            cpu_b = statistics.median(CPU[f"{row['name']}/baseline"]) if base else None
            cpu = f"{cpu_p:.2f} s / {cpu_b:.2f} s ({cpu_p / cpu_b:.1f}×)" if cpu_b else f"{cpu_p:.2f} s"
            above = f"{(p_med - floor) / statistics.median(base):.1f}×" if base and not row.get("floor") else "—"
            print(f"| {row['name']} | {spread(proj)} | {spread(base) if base else '—'} | "
                  f"{f'{ratio:.1f}×' if ratio else '—'} | {goal} | {verdict} | {above} | {cpu} |")
        per_unit = [f"{row['name']}: {1000 * statistics.median(times[row['name']][0]) / row['units']:.1f} ms"
                    for row in rows if row.get("units")]
        print("per unit (whole process ÷ units): " + "; ".join(per_unit))
        for key, walls in TO_EXIT.items():
            print(f"for reference, {key} to process exit after quitting at idle: {spread(walls)}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
