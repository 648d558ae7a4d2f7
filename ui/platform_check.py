"""Before the window starts on Linux: can Qt show a window here? If not, say so in Chinese with the install line."""
from __future__ import annotations

import ctypes
import os
import sys

# The libraries Qt's xcb platform plugin loads (Qt ≥ 6.5), as sonames, with the Debian/UOS/Kylin package names.
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
}
INSTALL_LINE = "sudo apt-get install -y " + " ".join(XCB_LIBRARIES.values())


def missing_libraries(load=ctypes.CDLL) -> list[str]:
    """The Debian package of every xcb library that cannot be loaded here."""
    missing = []
    for soname, package in XCB_LIBRARIES.items():
        try:
            load(soname)
        except OSError:
            missing.append(package)
    return missing


def uses_xcb(environ=os.environ, platform: str = sys.platform) -> bool:
    """Whether Qt will try its xcb plugin: Linux, and no other platform chosen (offscreen, wayland …)."""
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(":")[0].split(";")[0] == "xcb"
    return not (environ.get("WAYLAND_DISPLAY") and environ.get("XDG_SESSION_TYPE") == "wayland")


def startup_problem(environ=os.environ, platform: str = sys.platform, load=ctypes.CDLL) -> str | None:
    """A Chinese message (with the English detail beneath) when the window cannot start here, else None."""
    if not uses_xcb(environ, platform):
        return None
    missing = missing_libraries(load)
    if missing:
        return ("无法打开窗口：本机缺少图形界面所需的系统组件（Qt 的 xcb 显示插件依赖它们）。\n"
                "请让信息科同志用管理员权限执行下面一行（Debian/Ubuntu、统信UOS、麒麟通用），然后重新打开本程序：\n"
                f"    {INSTALL_LINE}\n"
                f"Detail: Qt platform plugin \"xcb\" cannot load; missing system libraries: {', '.join(missing)}")
    if not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY"):
        return ("无法打开窗口：当前没有可用的图形显示（例如通过远程命令行登录）。请在桌面环境中打开本程序；"
                "只需命令行功能时，请使用 python app.py --help 中的子命令。\n"
                "Detail: no DISPLAY or WAYLAND_DISPLAY is set, so Qt's xcb platform plugin cannot connect.")
    return None


_explained: list[bool] = []


def chinese_fatal_handler(mode, _context, message: str) -> None:
    """A Qt message handler: a platform-plugin failure gets the Chinese explanation (once) before Qt stops."""
    text = str(message)
    if "platform plugin" in text and not _explained:
        _explained.append(True)
        sys.stderr.write("无法打开窗口：Qt 无法加载显示插件。若在 Linux 上，请安装：\n"
                         f"    {INSTALL_LINE}\n")
    sys.stderr.write(text + "\n")
