"""The Windows installer script (packaging/windows/ducha.nsi) compiles with makensis, here on Linux, so it cannot rot."""
from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NSI = ROOT / "packaging" / "windows" / "ducha.nsi"
needs_makensis = pytest.mark.skipif(shutil.which("makensis") is None,
                                    reason="makensis is not installed (Debian package nsis; .ci/run installs it)")


def version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def stand_in(folder: Path) -> Path:
    """A one-folder build as PyInstaller lays it out on Windows: the exe and _internal/ beside it."""
    app = folder / "督查台账"
    (app / "_internal" / "PySide6").mkdir(parents=True)
    (app / "督查台账.exe").write_bytes(b"MZ stand-in")
    (app / "_internal" / "python311.dll").write_bytes(b"MZ stand-in")
    (app / "_internal" / "PySide6" / "Qt6Core.dll").write_bytes(b"MZ stand-in")
    return app


@needs_makensis
def test_installer_compiles_without_warnings(tmp_path):
    app = stand_in(tmp_path)
    out = tmp_path / f"督查台账-安装-{version()}.exe"
    run = subprocess.run(["makensis", "-WX", "-V2", f"-DVERSION={version()}", f"-DSRCDIR={app}", f"-DOUTFILE={out}",
                          str(NSI)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr   # -WX: a warning fails the build too
    data = out.read_bytes()
    assert data[:2] == b"MZ" and len(data) > 50_000
    # per-user install: the manifest asks for the invoker's rights, never for an administrator's
    assert b'level="asInvoker"' in data and b"requireAdministrator" not in data


@needs_makensis
def test_installer_needs_the_version(tmp_path):
    app = stand_in(tmp_path)
    run = subprocess.run(["makensis", "-V2", f"-DSRCDIR={app}", f"-DOUTFILE={tmp_path / 'x.exe'}", str(NSI)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode != 0 and "VERSION" in run.stdout + run.stderr


def test_installer_is_per_user_and_keeps_the_ledgers():
    """What the script promises: no admin, the user's own Programs folder, Chinese shortcuts, HKCU uninstall entry,
    and an uninstaller that deletes the program and its shortcuts only (never the data folder)."""
    nsi = NSI.read_text(encoding="utf-8")
    assert re.search(r"^Unicode true$", nsi, re.M) and re.search(r"^RequestExecutionLevel user$", nsi, re.M)
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\${APPNAME}"' in nsi and '!define APPNAME "督查台账"' in nsi
    assert '"$SMPROGRAMS\\${APPNAME}\\${APPNAME}.lnk"' in nsi and '"$DESKTOP\\${APPNAME}.lnk"' in nsi
    assert "HKLM" not in nsi and 'WriteRegStr HKCU "${UNINSTKEY}" "UninstallString"' in nsi
    uninstall = nsi[nsi.index('Section "Uninstall"'):]
    deletes = re.findall(r"^\s*(?:RMDir|Delete)\b.*$", uninstall, re.M)
    assert deletes and all("$INSTDIR" in d or "$SMPROGRAMS" in d or "$DESKTOP" in d for d in deletes), deletes
    assert not re.search(r'RMDir /r "\$INSTDIR"\s*$', uninstall, re.M)  # never the whole folder blindly
    assert "DuchaTaizhang" not in "".join(deletes) and "$APPDATA" not in uninstall and "$LOCALAPPDATA" not in uninstall
