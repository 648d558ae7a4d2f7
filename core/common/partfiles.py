"""Half-written outputs (*.part files and folders): never read as real files, and cleaned once they are stale."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

STALE_AFTER_S = 3600  # a .part older than this belongs to a run that died (power cut, killed process)


def is_part(path: Path) -> bool:
    """True for a temp output (x.part) or anything inside a temp folder (.x.part/…)."""
    return any(p.endswith(".part") for p in Path(path).parts)


def clean_stale_parts(folder: Path, max_age_s: float = STALE_AFTER_S) -> list[Path]:
    """Remove *.part files and folders directly in `folder` not touched for `max_age_s` seconds."""
    folder = Path(folder)
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    cutoff = time.time() - max_age_s
    for p in folder.glob("*.part"):
        try:
            if p.lstat().st_mtime > cutoff:
                continue
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink()
            removed.append(p)
        except OSError:
            pass
    return removed
