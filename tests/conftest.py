"""Shared test fixtures: the 2026 fixture files, a fresh ledger per test, an imported 2026 ledger."""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = ROOT / "tests" / "data"   # test inputs with their provenance (tests/data/README.md)


def data_file(path: Path) -> Path:
    """A test input that must be in the repository: a missing one fails loudly, never skips."""
    if not path.is_file():
        raise FileNotFoundError(f"test input missing from the repository: {path.relative_to(ROOT)}")
    return path


FIXTURE_DOCX = data_file(ROOT / "resources" / "demo" / "2026-立项表.docx")   # the app's demo ships it too
CONTACTS_XLSX = data_file(ROOT / "resources" / "demo" / "2026-单位通讯录.xlsx")
EXPECTED_JSON = data_file(DATA / "2026-立项表-expected.json")
REPORT_TXT = data_file(DATA / "2026-政府工作报告.txt")
NOTICE_2026_TXT = data_file(DATA / "2026-督查立项通知-市中政办发2026-1号.txt")
HISTORY_TXT = {year: data_file(DATA / f"{year}-督查立项通知-pdf提取.txt") for year in (2023, 2025)}


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Never touch the real user data dir: platformdirs follows XDG_* on Linux."""
    base = tmp_path_factory.mktemp("userdirs")
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "config"))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(base / "Documents"))   # the default output folders go here
    monkeypatch.setenv("XDG_CACHE_HOME", str(base / "cache"))          # print-preview pages


@pytest.fixture(autouse=True)
def _own_log_handlers():
    """Logging set up during a test (the window, the CLI in-process) writes into that test's folders: afterwards its
    file handlers are closed and the next test starts unconfigured (no handler left open on a removed folder)."""
    from core.common import logs
    log = logging.getLogger("ducha")
    before, configured = list(log.handlers), logs._configured
    yield
    for handler in log.handlers:
        if handler not in before:
            handler.close()
    log.handlers[:] = before
    logs._configured = configured


@pytest.fixture(autouse=True)
def _no_error_logged(request, caplog):
    """A test fails when the code under test logs at ERROR (an error swallowed and only logged is still an error);
    a test that provokes one on purpose says so with @pytest.mark.allow_error_log."""
    caplog.set_level(logging.WARNING, logger="ducha")
    yield
    if request.node.get_closest_marker("allow_error_log"):
        return
    errors = [f"{r.name}: {r.getMessage()}" for when in ("setup", "call") for r in caplog.get_records(when)
              if r.levelno >= logging.ERROR]
    assert not errors, "ERROR logged during the test:\n" + "\n".join(errors)


@pytest.fixture
def ledger(tmp_path):
    from core.ledger.store import Ledger
    led = Ledger(tmp_path / "ledger.sqlite3")
    yield led
    led.close()


@pytest.fixture(scope="session")
def ledger_2026_template(tmp_path_factory):
    """An imported 2026 ledger built once; tests copy it (fast) rather than re-importing."""
    from core.units.contacts_import import apply_contacts, read_contacts
    from core.ledger.store import Ledger
    from core.campaign.importing import apply_import, file_ref, preview_import
    from core.campaign.read import read_plan_file
    path = tmp_path_factory.mktemp("tmpl") / "ledger-2026.sqlite3"
    led = Ledger(path)
    apply_import(led, preview_import(led, read_plan_file(FIXTURE_DOCX), None, file_ref(FIXTURE_DOCX)))
    apply_contacts(led, read_contacts(CONTACTS_XLSX), "contacts")
    led.backup_to(path.with_name("clean.sqlite3"))
    led.close()
    return path.with_name("clean.sqlite3")


@pytest.fixture
def ledger_2026(tmp_path, ledger_2026_template):
    """A fresh copy of the imported 2026 ledger (98 key tasks, 20 projects, contacts filled)."""
    import shutil
    from core.ledger.store import Ledger
    path = tmp_path / "ledger.sqlite3"
    shutil.copyfile(ledger_2026_template, path)
    led = Ledger(path)
    yield led
    led.close()
