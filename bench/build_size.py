"""Build the one-folder app with PyInstaller into a temp dir and print the build time and its size on disk."""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_build import build, folder_size  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        folder = build(Path(tmp) / "dist", Path(tmp) / "work")
        took = time.perf_counter() - start
        size = folder_size(folder)
        files = sum(1 for p in folder.rglob("*") if p.is_file())
        print(f"build: {took:.0f} s; folder {folder.name}: {size / 1024 / 1024:.1f} MB, {files} files")


if __name__ == "__main__":
    main()
