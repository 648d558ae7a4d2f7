"""The window fits the screen a clerk has (1366×768 with a taskbar; 1280×720 at 125 %), and speaks Chinese from
the first dialog on. Each case runs the real window in a fresh process on an offscreen screen of that size."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PROBE = ROOT / "tests" / "helpers" / "fit_probe.py"


def _run(args, tmp_path, screen: tuple[int, int, float] | None = None, config_home=None):
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(config_home or tmp_path / "config"))
    if screen:
        width, height, dpr = screen
        config = tmp_path / f"screen-{width}x{height}.json"
        config.write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": width, "height": height,
                                                   "logicalDpi": 96, "dpr": dpr}]}))
        env["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    out = subprocess.run([sys.executable, str(PROBE), *args], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("screen", [
    (1366, 728, 1.0),    # 1366×768 less a 40-pixel taskbar: the most common office laptop and projector
    (1024, 576, 1.25),   # 1280×720 at 125 % scaling, in logical pixels
])
def test_every_page_fits_with_its_status_bar_on_screen(ledger_2026, tmp_path, screen):
    result = json.loads(_run([str(ledger_2026.path)], tmp_path, screen))
    assert result["screen"] == [screen[0], screen[1]]
    bad = {key: page["frame"] for key, page in result["pages"].items() if not page["fits"]}
    assert bad == {}, f"pages not fitting {screen}: {bad}"


def test_a_window_saved_on_a_bigger_screen_comes_back_inside_a_small_one(ledger_2026, tmp_path):
    config_home = tmp_path / "config"
    first = json.loads(_run([str(ledger_2026.path)], tmp_path, (1920, 1040, 1.0), config_home))
    assert first["pages"]["tasks"]["frame"][2] >= 1280                      # roomy where there is room
    second = json.loads(_run([str(ledger_2026.path)], tmp_path, (1024, 576, 1.25), config_home))
    assert all(page["fits"] for page in second["pages"].values()), second


def test_first_start_file_dialog_is_chinese(tmp_path):
    labels = json.loads(_run(["--first-run"], tmp_path))
    # Qt 6.8's own catalogue has "查找范围：" where ours adds the accelerator; either is Chinese
    assert any(t.startswith("查找范围") for t in labels) and any(t.startswith("文件类型") for t in labels), labels
    assert "取消" in labels
    assert not any("Look in" in t or "Files of" in t or t == "Cancel" for t in labels), labels
