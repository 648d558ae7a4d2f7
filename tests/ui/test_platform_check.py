"""Starting the window where Qt cannot show one: a Chinese message with the install line, never Qt's bare abort."""
from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT
from ui.platform_check import INSTALL_LINE, XCB_LIBRARIES, startup_problem, uses_xcb


def _loader_missing(*absent):
    def load(soname):
        if soname in absent:
            raise OSError(f"{soname}: cannot open shared object file")
        return object()
    return load


def test_missing_xcb_libraries_named_with_one_install_line():
    env = {"DISPLAY": ":0"}
    message = startup_problem(env, "linux", _loader_missing("libxcb-cursor.so.0", "libxcb-keysyms.so.1"))
    assert message.startswith("无法打开窗口")
    assert INSTALL_LINE in message and "统信UOS" in message and "麒麟" in message
    assert "missing system libraries: libxcb-cursor0, libxcb-keysyms1" in message   # the English detail below
    assert all(package in INSTALL_LINE for package in XCB_LIBRARIES.values())


def test_no_problem_when_libraries_load_or_another_platform_is_chosen():
    assert startup_problem({"DISPLAY": ":0"}, "linux", _loader_missing()) is None
    assert startup_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", _loader_missing("libxcb-icccm.so.4")) is None
    assert startup_problem({}, "win32", _loader_missing(*XCB_LIBRARIES)) is None
    assert not uses_xcb({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, "linux")
    assert uses_xcb({"QT_QPA_PLATFORM": "xcb"}, "linux")


def _run_app(env_changes: dict, drop=("DISPLAY", "WAYLAND_DISPLAY")):
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_changes)
    return subprocess.run([sys.executable, str(ROOT / "app.py"), "--demo"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_app_without_a_display_says_so_in_chinese():
    if sys.platform != "linux":
        return
    out = _run_app({"QT_QPA_PLATFORM": "xcb"})
    assert out.returncode == 3, out.stderr
    assert out.stderr.startswith("无法打开窗口"), out.stderr
    assert "Detail:" in out.stderr                       # the English detail for IT, beneath the Chinese


def test_a_platform_plugin_qt_cannot_load_gets_the_chinese_line_first():
    out = _run_app({"QT_QPA_PLATFORM": "no-such-plugin"})
    assert out.returncode != 0
    assert out.stderr.startswith("无法打开窗口：Qt 无法加载显示插件"), out.stderr
    assert out.stderr.count("无法打开窗口") == 1 and INSTALL_LINE in out.stderr
    assert "no-such-plugin" in out.stderr                # Qt's own detail is kept beneath
