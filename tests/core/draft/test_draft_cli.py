"""`app.py draft`: the report cut into candidates with suggestions as JSON, exported to Word, accepted as a campaign."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT
from tests.helpers.draft import REPORT_TXT


def run_app(*args, ledger_path):
    return subprocess.run([sys.executable, str(ROOT / "app.py"), "--ledger", str(ledger_path), *args],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_draft_json_export_and_accept(tmp_path, ledger_2026):
    from core.campaign.read import read_plan_file
    path = ledger_2026.location
    ledger_2026.close()
    out = tmp_path / "草稿.docx"
    proc = run_app("draft", str(REPORT_TXT), "--year", "2027", "--out", str(out), "--accept", "--json",
                   ledger_path=path)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["year"] == 2027 and len(data["candidates"]) == 98
    first = data["candidates"][0]
    assert first["area"] == "经济社会发展的主要预期目标" and "5%左右" in first["targets"]
    assert first["units"] and first["reasons"]
    assert data["accepted"]["added"] == 98
    assert len(read_plan_file(out).of_kind("key")) == 98
    proc = run_app("draft", str(REPORT_TXT), "--year", "2027", "--accept", ledger_path=path)
    assert proc.returncode == 2 and "已经有2027年" in proc.stderr


def test_accept_without_a_year_is_refused(tmp_path, ledger_2026):
    """A report that names no year cannot be accepted without --year (it once fell back to today's year)."""
    from core.ledger.store import Ledger
    path = ledger_2026.location
    ledger_2026.close()
    text = REPORT_TXT.read_text(encoding="utf-8")
    import re
    nameless = tmp_path / "报告.txt"
    nameless.write_text(re.sub(r"20\d{2}\s*年", "今年", text), encoding="utf-8")
    proc = run_app("draft", str(nameless), "--accept", ledger_path=path)
    assert proc.returncode == 2 and "--year" in proc.stderr and "台账未作改动" in proc.stderr
    led = Ledger(path)
    try:
        from core.ledger.queries import campaign_years
        assert campaign_years(led) == [2026]
    finally:
        led.close()
