"""Shared test fixtures: the 2026 fixture files, a fresh ledger per test, an imported 2026 ledger."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SHARED = ROOT.parent / "shared"
FIXTURE_DOCX = SHARED / "fixtures" / "2026-立项表-附件1-附件2.docx"
if not FIXTURE_DOCX.exists():  # a checkout without ../shared still has the demo copy
    FIXTURE_DOCX = ROOT / "resources" / "demo" / "2026-立项表.docx"
EXPECTED_JSON = SHARED / "fixtures" / "2026-立项表-expected.json"
CONTACTS_XLSX = ROOT / "resources" / "demo" / "2026-单位通讯录.xlsx"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Never touch the real user data dir: platformdirs follows XDG_* on Linux."""
    base = tmp_path_factory.mktemp("userdirs")
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "config"))


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
