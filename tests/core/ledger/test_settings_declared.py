"""Every ledger setting the code reads or writes is declared once, with its default, in core.ledger.settings.DEFAULTS."""
from __future__ import annotations

import re
from pathlib import Path

from core.ledger.settings import DEFAULTS

ROOT = Path(__file__).resolve().parents[3]
RAW = re.compile(r"""\b(get_setting|set_setting)\(\s*["']([a-z_]+)["']""")
TYPED = re.compile(r"""\b(settings\.get|set_folder)\(\s*[\w.]+,\s*["']([a-z_]+)["']""")


def literal_setting_keys(patterns=(RAW, TYPED)) -> dict[str, list[str]]:
    """{key: [file:line, …]} for every raw (get_setting/set_setting) or typed (settings.get, set_folder) use of a
    literal setting key in core, cli and ui."""
    found: dict[str, list[str]] = {}
    for folder in ("core", "cli", "ui"):
        for path in (ROOT / folder).rglob("*.py"):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                for pattern in patterns:
                    for m in pattern.finditer(line):
                        found.setdefault(m.group(2), []).append(f"{path.relative_to(ROOT)}:{n}")
    return found


def test_every_setting_used_is_declared_with_a_default():
    used = literal_setting_keys()
    assert used, "the scan found no setting at all: the pattern is wrong"
    undeclared = {k: v for k, v in used.items() if k not in DEFAULTS}
    assert undeclared == {}, f"declare these in core.ledger.settings.DEFAULTS: {undeclared}"


def test_reads_go_through_the_typed_getters():
    """Outside core/ledger, nothing reads or writes a setting raw (get_setting/set_setting): typed functions do."""
    raw = [where for places in literal_setting_keys((RAW,)).values() for where in places
           if not where.startswith("core/ledger/")]
    assert raw == []
