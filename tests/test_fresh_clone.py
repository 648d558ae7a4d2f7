"""A fresh clone is complete: no test, bench or module reads outside the repository."""
from __future__ import annotations

import re
import subprocess

from tests.conftest import DATA, ROOT

OUTSIDE = re.compile(r"""\.\./shared|parent\s*/\s*["']shared["']|parents\[\d\]\s*/\s*["']shared["']""")


def tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    if out.returncode == 0 and out.stdout.strip():
        return out.stdout.split("\n")
    return [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if ".venv" not in p.parts and p.is_file()]


def test_nothing_refers_to_a_sibling_shared_folder():
    offenders = []
    for name in tracked_files():
        if not name.endswith((".py", ".spec", ".toml", ".cfg", ".ini")) and not name.startswith(".ci/"):
            continue
        path = ROOT / name
        if name == "tests/test_fresh_clone.py":   # this file names the pattern it looks for
            continue
        if path.is_file() and OUTSIDE.search(path.read_text(encoding="utf-8", errors="replace")):
            offenders.append(name)
    assert offenders == [], offenders


def test_every_data_file_has_its_provenance():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for path in DATA.iterdir():
        if path.name != "README.md":
            assert f"`{path.name}`" in readme or path.name in readme, f"{path.name} has no line in tests/data/README.md"
