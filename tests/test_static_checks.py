"""Static checks (ruff, mypy) against a committed baseline of their findings, which may only shrink.

A new finding of a rule (ruff) or in a file (mypy) beyond the baseline fails. After fixing some, shrink the
baseline:  python tests/test_static_checks.py --update
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "tests" / "static_baseline.json"
RUFF_PATHS = ["app.py", "core", "cli", "ui", "tests", "bench"]
MYPY_PATHS = ["app.py", "core", "cli", "ui"]
MYPY_LINE = re.compile(r"^(?P<path>[^:]+):\d+(?::\d+)?: error: ")


def ruff_counts() -> Counter:
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "--output-format=json", "--exit-zero", *RUFF_PATHS],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return Counter(item["code"] or "syntax" for item in json.loads(out.stdout or "[]"))


def mypy_counts() -> Counter:
    out = subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary", "--no-color-output", *MYPY_PATHS],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode in (0, 1), out.stderr or out.stdout
    counts: Counter = Counter()
    for line in out.stdout.splitlines():
        m = MYPY_LINE.match(line)
        if m:
            counts[m.group("path").replace("\\", "/")] += 1
    return counts


def over(now: Counter, allowed: dict) -> dict:
    return {key: f"{n} (baseline {allowed.get(key, 0)})" for key, n in sorted(now.items()) if n > allowed.get(key, 0)}


def test_ruff_findings_never_grow():
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert over(ruff_counts(), baseline["ruff"]) == {}, "new ruff findings: run `python -m ruff check` and fix them"


def test_mypy_findings_never_grow():
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert over(mypy_counts(), baseline["mypy"]) == {}, "new mypy errors: run `python -m mypy core cli ui app.py`"


def test_over_reports_only_growth():
    assert over(Counter({"F401": 3, "E501": 1}), {"F401": 2, "E501": 5}) == {"F401": "3 (baseline 2)"}


if __name__ == "__main__" and sys.argv[1:] == ["--update"]:
    ruff, mypy = ruff_counts(), mypy_counts()
    BASELINE.write_text(json.dumps({"ruff": dict(sorted(ruff.items())), "mypy": dict(sorted(mypy.items())),
                                    "totals": {"ruff": sum(ruff.values()), "mypy": sum(mypy.values())}},
                                   ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"baseline: ruff {sum(ruff.values())}, mypy {sum(mypy.values())}")
