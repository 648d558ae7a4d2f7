"""The day's full copy is taken after the window is up, on its writer thread (issue 31: a ten-year ledger is a 100 MB
copy, a shared one an export; the clerk no longer waits for it), and still before any merge of the day."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from core.ledger.backup import list_backups
from tests.helpers.tasks import open_window

ROOT = Path(__file__).resolve().parents[2]

QUIT_AT_IDLE = r"""
import sys
sys.path.insert(0, {root!r})
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
seen = []
def idle():   # the first idle turn: the window is shown; was today's copy there before it?
    from core.ledger.backup import list_backups
    from pathlib import Path
    print("AT-IDLE", len(list_backups(Path({ledger!r}))), flush=True)
    for w in app.topLevelWidgets():
        w.close()   # closing waits for the window's jobs (the copy)
    app.quit()
QTimer.singleShot(0, lambda: QTimer.singleShot(0, idle))
import app as entry
entry.main(["--ledger", {ledger!r}])
"""


def test_the_days_copy_is_a_job_of_the_window(qtbot, ledger_2026):
    if ledger_2026.is_server:
        ledger_2026.backup_dir.mkdir(parents=True, exist_ok=True)
    from ui.app_main import daily_copy_after_start
    window = open_window(qtbot, ledger_2026)
    before = len(list_backups(ledger_2026.path))
    daily_copy_after_start(window, ledger_2026)
    assert window.jobs.writing()   # queued on the writer thread: a merge asked for now runs after it
    qtbot.waitUntil(lambda: not window.jobs.writing(), timeout=120000)
    after = list_backups(ledger_2026.path)
    assert len(after) == before + 1 and after[0].reason == "每日"


def test_the_window_starts_without_waiting_for_the_copy(ledger_2026, tmp_path):
    if ledger_2026.is_server:
        return   # the same path; the whole process is run once, on a file ledger
    path = str(ledger_2026.path)
    ledger_2026.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(tmp_path / "d"),
               XDG_CONFIG_HOME=str(tmp_path / "c"), XDG_CACHE_HOME=str(tmp_path / "k"))
    out = subprocess.run([sys.executable, "-c", QUIT_AT_IDLE.format(root=str(ROOT), ledger=path)], env=env,
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "AT-IDLE" in out.stdout
    copies = list_backups(Path(path))
    assert [b.reason for b in copies] == ["每日"]   # taken by the window's job, finished before it closed
