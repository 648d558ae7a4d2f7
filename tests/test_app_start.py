"""A command's process sets what its start imported aside from the cycle collector and collects as usual after;
a caller running commands inside its own process (these tests, the window's helpers) keeps its collector as it was."""
from __future__ import annotations

import gc

import app


def test_whole_process_freezes_its_imports_and_collects_after():
    gc.unfreeze()
    threshold = gc.get_threshold()
    try:
        with app.imports_kept(whole_process=True):
            assert not gc.isenabled()          # no collection while the imports are made
            kept = [[n] for n in range(1000)]   # objects the imports leave behind (tracked containers)
        assert gc.isenabled() and gc.get_threshold()[0] == app.YOUNG_OBJECTS
        assert gc.get_freeze_count() >= len(kept)
        loop: list = []
        loop.append(loop)                        # garbage made after is collected as usual
        del loop
        assert gc.collect() >= 1
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
        gc.enable()


def test_in_process_caller_keeps_its_collector():
    gc.unfreeze()
    before, threshold = gc.get_freeze_count(), gc.get_threshold()
    with app.imports_kept(whole_process=False):
        assert gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == before == 0 and gc.get_threshold() == threshold


def test_a_reader_that_stops_early_gets_no_error_message(tmp_path):
    """`stats --json | head`: the pipe closes before the command writes; the clerk sees no 错误 and no trace."""
    import subprocess
    import sys
    from pathlib import Path
    root = Path(app.__file__).resolve().parent
    proc = subprocess.Popen([sys.executable, str(root / "app.py"), "--ledger", str(tmp_path / "l.sqlite3"),
                             "holidays", "--year", "2026", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=root)
    proc.stdout.close()                          # the reader is gone before the command writes a byte
    with proc.stderr:
        err = proc.stderr.read().decode("utf-8", "replace")
    proc.wait(timeout=60)
    assert proc.returncode == 1
    assert "错误" not in err and "Traceback" not in err and "BrokenPipe" not in err, err
