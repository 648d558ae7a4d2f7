"""Issue 29 point 7: the default ledger has a Chinese name, and a ledger made under the old English name stays put."""
from __future__ import annotations

from core.common import paths
from core.ledger import settings
from core.ledger.store import Ledger


def test_a_new_default_ledger_is_named_in_chinese():
    path = paths.default_ledger_path()
    assert path.name == "督查台账.sqlite3"
    led = Ledger(path)
    assert "ledger" not in str(settings.output_folder(led, "dispatch"))   # 文档/督查台账/督查台账/下发
    assert settings.output_folder(led, "dispatch").parts[-2:] == ("督查台账", "下发")


def test_an_existing_ledger_under_the_old_name_is_kept_where_it_is():
    old = paths.data_dir() / "ledger.sqlite3"
    Ledger(old)
    assert paths.default_ledger_path() == old
