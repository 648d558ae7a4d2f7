"""The installable build: PyInstaller makes the one-folder app from packaging/ducha.spec; the app starts and shows its window."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "ducha.spec"


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def build(dist: Path, work: Path) -> Path:
    """Run PyInstaller from this interpreter's environment; returns the built folder."""
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(work), str(SPEC)],
                   cwd=ROOT, check=True, timeout=900)
    return dist / "督查台账"


def expected_pages() -> int:
    pages = ROOT / "ui" / "pages"   # a page is a module or a package (collect/, dashboard/, …) that names its order;
    # modules beside them without PAGE_ORDER are parts of a page (dispatch_layout, stats_years_tab)
    found = [p for p in pages.glob("*.py") if not p.name.startswith("_")]
    found += [p / "__init__.py" for p in pages.iterdir() if (p / "__init__.py").is_file()]
    return sum(1 for p in found if "\nPAGE_ORDER = " in p.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_built_app_starts_and_shows_its_window(tmp_path):
    pytest.importorskip("PyInstaller")
    folder = build(tmp_path / "dist", tmp_path / "work")
    exe = folder / ("督查台账.exe" if sys.platform == "win32" else "ducha")
    assert exe.exists()
    assert (folder / "_internal" / "resources" / "help" / "index.md").exists()
    assert (folder / "_internal" / "resources" / "demo" / "2026-立项表.docx").exists()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    done = subprocess.run([str(exe), "--demo", "--smoke-test"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    # the window was shown with every page the source tree has: page discovery works in the frozen app
    n = expected_pages()
    assert f"OK pages={n} visited={n} " in done.stdout, done.stdout + done.stderr[-3000:]
    assert "qt_tr=zh_CN" in done.stdout   # Qt's own dialogs (file chooser, buttons) speak Chinese in the build
    # the frozen CLI too: the subcommand modules were collected
    cli = subprocess.run([str(exe), "--demo", "tasks", "--json"], env=env, capture_output=True, text=True, timeout=300)
    assert cli.returncode == 0, cli.stderr[-3000:]
    assert '"seq"' in cli.stdout and '"units"' in cli.stdout
    size = folder_size(folder)
    print(f"\nbuilt one-folder app: {folder} — {size / 1024 / 1024:.0f} MB on disk")
    assert size > 0
