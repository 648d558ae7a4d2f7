"""`status` on the command line: JSON shape, plain text, the calendar warning, 催报 output, refused input."""
import json
import subprocess
import sys
from datetime import datetime

from tests.conftest import ROOT
from tests.helpers.tracking import assigned_units, campaign_id, dispatch, submit


def _run(*args):
    return subprocess.run([sys.executable, str(ROOT / "app.py"), *args], capture_output=True, text=True, timeout=120)


def test_status_json_and_text(ledger_2026, tmp_path):
    led = ledger_2026
    cid = campaign_id(led)
    units = assigned_units(led, cid)
    dispatch(led, cid, "report", "2026-03", units)
    submit(led, cid, units[0], "report", "2026-03", datetime(2026, 4, 3, 9, 30), name="发改局3月.xlsx")
    path = led.location
    led.close()
    res = _run("status", "--ledger", path, "--period", "2026-03", "--today", "2026-04-13", "--json",
               "--form", "report", "--remind", str(tmp_path / "催报"))
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    assert len(rows) == len(units)
    first = rows[0]
    assert set(first) >= {"unit", "form", "period", "state", "due", "received"}
    assert first["form"] == "report" and first["period"] == "2026-03" and first["state"] == "已报"
    assert first["due"] == "2026-04-08" and first["received"] == "2026-04-03T09:30:00"
    assert {r["state"] for r in rows[1:]} == {"未报（逾期 3 个工作日）"}
    assert "催报" in res.stderr
    assert len(list((tmp_path / "催报").glob("*.eml"))) == len(units) - 1
    assert len(list((tmp_path / "催报").glob("催报单-2026-04-13.xlsx"))) == 1

    text = _run("status", "--ledger", path, "--period", "2026-03", "--today", "2026-04-13")
    assert text.returncode == 0 and "计划表 2026  未下发" in text.stdout and "落实情况表 2026-03  已报" in text.stdout

    warn = _run("status", "--ledger", path, "--period", "2026-12", "--today", "2027-01-20", "--json")
    assert warn.returncode == 0
    assert "日历未覆盖该年份" in warn.stderr  # the December report is due in January 2027

    bad = _run("status", "--ledger", path, "--period", "2026-13")
    assert bad.returncode == 2 and bad.stderr.startswith("错误：") and "2026-03" in bad.stderr


def test_close_task_and_holidays_commands(ledger_2026, tmp_path):
    path = ledger_2026.location
    ledger_2026.close()
    evidence = tmp_path / "验收.pdf"
    evidence.write_bytes(b"%PDF ok")
    res = _run("close-task", "--ledger", path, "--kind", "livelihood", "--seq", "2", "--date", "2026-06-30",
               "--note", "已完工", "--evidence", str(evidence), "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == {"kind": "livelihood", "seq": 2, "closed_on": "2026-06-30", "note": "已完工",
                                      "evidence": "验收.pdf"}
    again = _run("close-task", "--ledger", path, "--kind", "livelihood", "--seq", "2", "--date", "2026-07-01")
    assert again.returncode == 2 and "撤销办结" in again.stderr
    undo = _run("close-task", "--ledger", path, "--kind", "livelihood", "--seq", "2", "--undo", "--json")
    assert undo.returncode == 0 and json.loads(undo.stdout)["closed_on"] is None
    missing = _run("close-task", "--ledger", path, "--seq", "999")
    assert missing.returncode == 2 and "第 999 项" in missing.stderr

    res = _run("holidays", "--ledger", path, "--off", "2027-02-06..2027-02-12", "--work", "2027-02-14",
               "--note", "春节", "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["year"] == 2027 and data["covered_by_calendar"] is False and len(data["overrides"]) == 8
    # with 2027 entered, the December report's due date is no longer an estimate
    status = _run("status", "--ledger", path, "--period", "2026-12", "--today", "2027-01-20", "--json")
    assert status.returncode == 0 and "日历未覆盖" not in status.stderr
    bad = _run("holidays", "--ledger", path, "--off", "2027-13-01")
    assert bad.returncode == 2 and "格式不对" in bad.stderr
