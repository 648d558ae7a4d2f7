"""A returned .xlsx is unpacked once: the safety checks hand the parts they unpacked to the stamp and number-format
readers, and a carrier part declaring entities is still refused (the check scans the whole part, not its head)."""
from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path

import pytest

from core.common.errors import UserError
from core.common.read_limits import check_workbook_limits
from core.returns.read import read_returned
from tests.helpers import returns as rh
from tests.helpers.returns import PERIOD, answers_for


@pytest.fixture
def returned(ledger_2026, tmp_path) -> Path:
    form = rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "out", unit_names=["区民政局"])[0]
    src = Path(form["path"])
    return rh.fill(src, tmp_path / "区民政局-3月.xlsx", answers_for(src, form["unit"]))


def test_every_part_of_a_return_is_unpacked_once(returned, monkeypatch):
    opened: Counter[str] = Counter()
    real_open = zipfile.ZipFile.open

    def counting_open(self, name, *args, **kwargs):
        opened[getattr(name, "filename", name)] += 1
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", counting_open)
    book = read_returned(returned, returned.read_bytes(), "xlsx")
    assert book.properties and book.stamp_sheet and book.sheets    # the stamp's carriers and the form were read
    assert opened and max(opened.values()) == 1, {k: v for k, v in opened.items() if v > 1}
    assert {"docProps/custom.xml", "xl/workbook.xml", "xl/styles.xml"} <= set(opened)


def test_the_parts_handed_on_are_the_zip_parts_themselves(returned):
    with zipfile.ZipFile(returned) as zf:
        parts = check_workbook_limits(returned, None, zf)
        assert "docProps/custom.xml" in parts and "xl/workbook.xml" in parts
        assert all(parts[name] == zf.read(name) for name in parts)


def test_a_carrier_declaring_entities_is_still_refused(returned, tmp_path):
    bomb = rh.entity_bomb(returned, tmp_path / "bomb.xlsx")
    with pytest.raises(UserError, match="实体"):
        read_returned(bomb, bomb.read_bytes(), "xlsx")
