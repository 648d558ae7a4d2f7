"""The window's start-up skips PySide6's source scan of every later import (ui.feature_scan): a module imported after
Qt is no longer read from disk, and Qt names used in it still work. Each case runs in a fresh interpreter."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT

PROBE = r"""
import inspect, json, sys
sys.path[:0] = [{root!r}, {folder!r}]
from PySide6.QtCore import QObject
read = []
real_getsource = inspect.getsource
inspect.getsource = lambda obj: read.append(getattr(obj, "__name__", "")) or real_getsource(obj)
patched = False
if {patch!r}:
    from ui.feature_scan import skip_feature_scan
    patched = skip_feature_scan()
import probe_module
print(json.dumps({{"patched": patched, "read": read, "value": probe_module.VALUE}}))
"""


def _run(tmp_path, patch: bool) -> dict:
    (tmp_path / "probe_module.py").write_text(
        "from PySide6.QtCore import QObject, Qt\nVALUE = int(Qt.AlignmentFlag.AlignRight) + len(QObject.__name__)\n",
        encoding="utf-8")
    code = PROBE.format(root=str(ROOT), folder=str(tmp_path), patch=patch)
    out = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_module_imported_after_qt_is_not_read_once_the_scan_is_skipped(tmp_path):
    plain = _run(tmp_path, patch=False)
    assert "probe_module" in plain["read"]        # PySide reads the source of each later import
    skipped = _run(tmp_path, patch=True)
    assert skipped["patched"] and "probe_module" not in skipped["read"]
    assert skipped["value"] == plain["value"] == 2 + len("QObject")   # Qt names behave the same
