"""Where the app keeps its files: the user data dir (platformdirs), the default ledger, the file store, logs."""
from pathlib import Path

import platformdirs

APP_NAME = "DuchaTaizhang"
APP_AUTHOR = "DuchaShi"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
RESOURCES = PROJECT_ROOT / "resources"
TEMPLATES = PROJECT_ROOT / "templates_xlsx"


def data_dir() -> Path:
    path = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


DEFAULT_LEDGER_NAME = "督查台账.sqlite3"
LEGACY_LEDGER_NAME = "ledger.sqlite3"   # the default before issue 29: a ledger already there stays where it is


def default_ledger_path() -> Path:
    """督查台账.sqlite3 in the user data folder; a ledger made under the old English default name is kept and opened."""
    folder = data_dir()
    legacy = folder / LEGACY_LEDGER_NAME
    if legacy.exists() and not (folder / DEFAULT_LEDGER_NAME).exists():
        return legacy
    return folder / DEFAULT_LEDGER_NAME


def store_dir(ledger_path: Path) -> Path:
    """The content-addressed store of received files sits beside the ledger."""
    return Path(ledger_path).with_name(Path(ledger_path).stem + "-files")


def backup_dir(ledger_path: Path) -> Path:
    return Path(ledger_path).with_name(Path(ledger_path).stem + "-backups")


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """What can be rebuilt at any time (parsed templates, print-preview pages): the user cache folder."""
    path = Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path
