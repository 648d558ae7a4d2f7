"""The build's smoke test (`--smoke-test`, run by tests/test_build.py and packaging/linux/test_deb.sh) shows every
page with its background reads done, and fails when a page's read fails (a module the bundle left out)."""
from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ui import pages

ROOT = Path(__file__).resolve().parents[2]


def test_the_smoke_test_shows_every_page(ledger_2026):
    where = str(ledger_2026.location if ledger_2026.is_server else ledger_2026.path)
    n = len(pages.discover())
    done = subprocess.run([sys.executable, str(ROOT / "app.py"), "--ledger", where, "--smoke-test"], cwd=ROOT,
                          env=dict(os.environ, QT_QPA_PLATFORM="offscreen"), capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert done.stdout.startswith(f"OK pages={n} visited={n} "), done.stdout


@pytest.mark.allow_error_log
def test_a_page_whose_read_fails_fails_the_smoke_test(qtbot, ledger_2026, monkeypatch, capsys):
    import core.stats.page
    from PySide6.QtWidgets import QApplication

    from ui import look
    from ui.main_window import MainWindow

    def no_pandas(*_args, **_kw):
        raise ModuleNotFoundError("No module named 'pandas'")   # as a bundle that left pandas out would fail
    monkeypatch.setattr(core.stats.page, "page_stats", no_pandas)
    window = MainWindow(ledger_2026)
    qtbot.addWidget(window)
    window.show()
    app = QApplication.instance()
    codes: list[int] = []
    monkeypatch.setattr(app, "exit", codes.append, raising=False)
    failed: list[str] = []
    handler = look._Failures(failed)
    logging.getLogger("ducha").addHandler(handler)
    try:
        look._smoke_done(app, window, failed)
    finally:
        logging.getLogger("ducha").removeHandler(handler)
    out = capsys.readouterr().out
    n = len(window.page_modules)
    assert out.startswith(f"FAIL pages={n} visited={n} "), out
    assert "ModuleNotFoundError: No module named 'pandas'" in out and codes == [1], (out, codes)
