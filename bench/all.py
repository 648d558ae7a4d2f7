"""Every figure a clerk waits for, in one table: whole processes, project and baseline interleaved, median and spread.

    python bench/all.py [--rounds 5]

Each figure is a fresh process doing what the clerk's action does on the default path, timed from spawn to exit
(the window: to its first idle turn of the event loop). Its baseline is a fresh process doing the same work with the
bare libraries: XlsxWriter writing the same cells (and the same .eml text) into the same number of workbooks,
python-calamine reading every cell of every sheet of the same returned files, a bare PySide6 window with a
118×8 table. Project and baseline alternate within each round, and the rounds alternate their order, so load on
this shared machine falls on both. Preparation (ledger, forms, filled returns) is not timed.
"""
from __future__ import annotations

import argparse
import json
import os
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
    wb = xlsxwriter.Workbook(book["path"], {"strings_to_formulas": False, "strings_to_urls": False})
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

WINDOW_BASELINE = r"""
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
QTimer.singleShot(0, lambda: QTimer.singleShot(0, app.quit))
app.exec()
"""

WINDOW_PROJECT = r"""
import sys
sys.path.insert(0, {root!r})
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
QTimer.singleShot(0, lambda: QTimer.singleShot(0, app.quit))
import app as entry
entry.main(["--demo"])
"""


def run(cmd: list[str], env: dict, cwd: Path = ROOT) -> float:
    start = time.perf_counter()
    out = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    took = time.perf_counter() - start
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])}… failed: {out.stderr[-800:]}")
    return took


def prepare(work: Path, env: dict) -> dict:
    """A 2026 ledger with contacts, its 63 附件4 forms filled at real length, and the baseline's cell spec."""
    from python_calamine import CalamineWorkbook

    from core.demo import ensure_demo_ledger
    from core.forms.generate import generate
    from core.ledger.store import Ledger
    from tests.helpers import returns as rh

    ledger_path = ensure_demo_ledger(work / "ledger.sqlite3", history=False)   # the 2026 tasks and contacts
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
    merged = work / "merged.sqlite3"   # the April round collected and merged: what summary and bulletin print
    shutil.copy(ledger_path, merged)
    run([PY, str(ROOT / "app.py"), "--ledger", str(merged), "collect", str(returned)], env)
    run([PY, str(ROOT / "app.py"), "--ledger", str(merged), "merge", "--all"], env)
    return {"ledger": ledger_path, "merged": merged, "returned": returned, "forms": len(forms)}


def real_length_text(i: int, j: int) -> str:
    base = (f"一是围绕年度目标，第{j + 1}项工作按计划推进，已完成前期调研、方案编制和部门会商，累计完成投资{(i * 7 + j) % 90 + 10}%。"
            "二是建立周调度机制，协调解决用地、资金、审批等问题，推动项目手续并联办理，压缩办理时限。"
            "三是强化督导检查，对照时间节点逐项销号，确保按序时进度推进，形成阶段性成果。")
    return base


FIGURES = [  # name, goal as a ratio to the baseline, or goal in seconds
    ("generate --form report（含邮件草稿）", 2.5, None),
    ("collect 63 份报回", 4.0, None),
    ("窗口冷启动到空闲（演示台账）", None, 1.0),
    ("summary 月度汇总表", None, 1.0),
    ("bulletin 季度通报", None, 1.5),
]


def commands(prep: dict, work: Path) -> dict:
    app = str(ROOT / "app.py")
    led = str(prep["ledger"])

    def generate_cmd(r):
        out = work / f"gen-{r}"
        return [PY, app, "--ledger", led, "generate", "--form", "report", "--period", PERIOD, "--out", str(out)]

    def collect_cmd(r):
        copy = work / f"collect-{r}.sqlite3"
        shutil.copy(prep["ledger"], copy)
        return [PY, app, "--ledger", str(copy), "collect", str(prep["returned"])]

    return {
        FIGURES[0][0]: (generate_cmd, lambda r: [PY, "-c", GEN_BASELINE, str(work / "gen-spec.json")]),
        FIGURES[1][0]: (collect_cmd, lambda r: [PY, "-c", COLLECT_BASELINE, str(prep["returned"])]),
        FIGURES[2][0]: (lambda r: [PY, "-c", WINDOW_PROJECT.format(root=str(ROOT))],
                        lambda r: [PY, "-c", WINDOW_BASELINE]),
        FIGURES[3][0]: (lambda r: [PY, app, "--ledger", str(prep["merged"]), "summary", "--period", PERIOD,
                                   "--out", str(work / f"summary-{r}.xlsx")], None),
        FIGURES[4][0]: (lambda r: [PY, app, "--ledger", str(prep["merged"]), "bulletin", "--quarter", "2026Q2",
                                   "--out", str(work / f"bulletin-{r}.docx")], None),
    }


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ducha-bench-"))
    env = dict(os.environ, XDG_DATA_HOME=str(work / "data"), XDG_CONFIG_HOME=str(work / "config"),
               QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    os.environ.update({k: env[k] for k in ("XDG_DATA_HOME", "XDG_CONFIG_HOME")})
    try:
        prep = prepare(work, env)
        run([PY, str(ROOT / "app.py"), "--demo", "tasks", "--json"], env)   # the demo ledger exists before timing
        cmds = commands(prep, work)
        times = {name: ([], []) for name, *_ in FIGURES}
        for r in range(args.rounds):
            for name, (project, baseline) in cmds.items():
                pair = [("p", project), ("b", baseline)] if r % 2 == 0 else [("b", baseline), ("p", project)]
                for which, build in pair:
                    if build is None:
                        continue
                    times[name][0 if which == "p" else 1].append(run(build(r), env))
        print(f"{args.rounds} rounds, {prep['forms']} units, {os.cpu_count()} cores; whole processes, median (min–max)")
        print("| figure | project | baseline | ratio | goal | pass |")
        print("|---|---|---|---|---|---|")
        for name, ratio_goal, seconds_goal in FIGURES:
            proj, base = times[name]
            p_med = statistics.median(proj)
            ratio = p_med / statistics.median(base) if base else None
            if ratio_goal is not None:
                goal, ok = f"≤ {ratio_goal}×", ratio <= ratio_goal
            else:
                goal, ok = f"≤ {seconds_goal} s", p_med <= seconds_goal
            print(f"| {name} | {spread(proj)} | {spread(base) if base else '—'} | "
                  f"{f'{ratio:.1f}×' if ratio else '—'} | {goal} | {'yes' if ok else 'NO'} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
