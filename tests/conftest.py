"""Shared test fixtures: the 2026 fixture files, a fresh ledger per test, an imported 2026 ledger, on each backend.

Tests under tests/core that use a ledger fixture run twice: on SQLite and on PostgreSQL (a throwaway
cluster, tests/pg_cluster.py). `--ledger-backend=sqlite|postgresql|both` (or DUCHA_LEDGER_BACKEND) chooses;
the PostgreSQL runs skip, saying why, when the server programs are not installed.
"""
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


BACKENDS = ("sqlite", "postgresql")
PARAMETRISED = ROOT / "tests" / "core"   # the core suite runs on both backends; the window tests on SQLite


def pytest_addoption(parser):
    parser.addoption("--ledger-backend", choices=("sqlite", "postgresql", "both"),
                     default=os.environ.get("DUCHA_LEDGER_BACKEND", "both"),
                     help="which ledger backend the core tests run on (default both; env DUCHA_LEDGER_BACKEND)")


def pytest_generate_tests(metafunc):
    if "ledger_backend" not in metafunc.fixturenames:
        return
    chosen = metafunc.config.getoption("--ledger-backend")
    in_core = Path(str(metafunc.definition.path)).is_relative_to(PARAMETRISED)
    backends = BACKENDS if chosen == "both" else (chosen,)
    if not in_core:
        backends = ("sqlite",)
    metafunc.parametrize("ledger_backend", backends, indirect=True, ids=[f"{b}" for b in backends])


@pytest.fixture(scope="session")
def pg_cluster(request):
    """The session's throwaway PostgreSQL server (started on first use), or a skip saying why there is none."""
    from tests.pg_cluster import Cluster, missing_reason
    if request.config.getoption("--ledger-backend") == "sqlite":
        pytest.skip("--ledger-backend=sqlite: the PostgreSQL tests are not run")
    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    started_by_ci = os.environ.get("DUCHA_TEST_PG_DIR")   # .ci/run starts the server before pytest
    if started_by_ci:
        yield Cluster.attach(started_by_ci)
        return
    cluster = Cluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture
def ledger_backend(request):
    return getattr(request, "param", "sqlite")


@pytest.fixture
def new_ledger_target(request, tmp_path, ledger_backend):
    """`target(name)`: where a new, empty ledger goes on this test's backend (a file path, or a fresh database's URL)."""
    made: list[str] = []
    cluster = request.getfixturevalue("pg_cluster") if ledger_backend == "postgresql" else None

    def target(name: str = "ledger", template: str | None = None) -> Path | str:
        if cluster is None:
            return tmp_path / f"{name}.sqlite3"
        made.append(cluster.create(template=template))
        return made[-1]
    yield target
    for url in made:
        cluster.drop(url)


@pytest.fixture
def ledger(new_ledger_target):
    from core.ledger.store import Ledger
    led = Ledger(new_ledger_target("ledger"))
    yield led
    led.close()


def _build_2026(led) -> None:
    from core.units.contacts_import import apply_contacts, read_contacts
    from core.campaign.importing import apply_import, file_ref, preview_import
    from core.campaign.read import read_plan_file
    apply_import(led, preview_import(led, read_plan_file(FIXTURE_DOCX), None, file_ref(FIXTURE_DOCX)))
    apply_contacts(led, read_contacts(CONTACTS_XLSX), "contacts")


@pytest.fixture(scope="session")
def ledger_2026_template(tmp_path_factory):
    """An imported 2026 ledger built once; tests copy it (fast) rather than re-importing."""
    from core.ledger.store import Ledger
    path = tmp_path_factory.mktemp("tmpl") / "ledger-2026.sqlite3"
    led = Ledger(path)
    _build_2026(led)
    led.backup_to(path.with_name("clean.sqlite3"))
    led.close()
    return path.with_name("clean.sqlite3")


@pytest.fixture(scope="session")
def ledger_2026_pg_template(pg_cluster):
    """The same on the PostgreSQL server: a database later tests are created from (CREATE DATABASE … TEMPLATE).

    Named per session and dropped after it: CI runs pytest twice on one server (the layout tests again with another
    font), and a fixed name left by the first run would stop the second."""
    import uuid
    from core.ledger.store import Ledger
    name = "tmpl_2026_" + uuid.uuid4().hex[:8]
    url = pg_cluster.create(name=name)
    led = Ledger(url)
    _build_2026(led)
    led.close()
    yield name
    pg_cluster.drop(name)


@pytest.fixture
def new_2026_target(request, tmp_path, ledger_backend, new_ledger_target):
    """`target(name)`: a fresh copy of the imported 2026 ledger on this test's backend (a path or a URL), not opened."""
    import shutil

    def target(name: str = "ledger") -> Path | str:
        if ledger_backend == "postgresql":
            return new_ledger_target(template=request.getfixturevalue("ledger_2026_pg_template"))
        path = tmp_path / f"{name}.sqlite3"
        shutil.copyfile(request.getfixturevalue("ledger_2026_template"), path)
        return path
    return target


@pytest.fixture
def ledger_2026(new_2026_target):
    """A fresh copy of the imported 2026 ledger (98 key tasks, 20 projects, contacts filled)."""
    from core.ledger.store import Ledger
    led = Ledger(new_2026_target())
    yield led
    led.close()
