"""Helpers for the 立项助手 tests: the 2026 report, the published table as a ParsedPlan, opening the draft page."""
from __future__ import annotations

import json

from tests.conftest import EXPECTED_JSON, REPORT_TXT, ROOT  # noqa: F401  (REPORT_TXT re-exported)


def expected() -> dict:
    return json.loads(EXPECTED_JSON.read_text(encoding="utf-8"))


def published_plan(year: int = 2026):
    """The published 2026 table (expected JSON) as the ParsedPlan an import would give."""
    from core.campaign.table import ParsedPlan, ParsedTask, ParsedUnit
    data = expected()
    plan = ParsedPlan(year=year)
    for kind, rows in (("key", data["tasks"]), ("livelihood", data["projects"])):
        for t in rows:
            plan.tasks.append(ParsedTask(kind, t["seq"], t["text"], t.get("area", ""), t.get("category", ""),
                                         list(t["leaders"]), [ParsedUnit(u["name"], u["lead"]) for u in t["units"]]))
    return plan


def open_draft_page(qtbot, ledger, report=REPORT_TXT):
    from ui.main_window import MainWindow
    window = MainWindow(ledger)
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("draft")
    page.open_report(report)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 or bool(page.last_error), timeout=60000)
    assert not page.last_error, page.last_error
    return window, page


def soffice_convert(src, fmt: str, outdir):
    """LibreOffice headless conversion with a private profile; returns the output path."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        import pytest
        pytest.skip("LibreOffice not installed")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    try:
        subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", fmt, "--outdir", str(outdir), str(src)],
                       check=True, capture_output=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return outdir / (Path(src).stem + "." + fmt.split(":")[0])
