"""Identification on its own (core.returns.identify): which unit, form and month a returned workbook is, from the
stamp's carriers, the hidden key column, 填报单位, the file name, the title and the tasks — and when they disagree."""
from __future__ import annotations

import shutil
from pathlib import Path

from core.returns.identify import identify
from core.returns.read import parse_form, read_returned
from tests.helpers import returns as rh

PERIOD = "2026-03"


def _identify(ledger, path: Path, name: str | None = None):
    book = read_returned(path)
    with ledger.read() as conn:
        return identify(conn, book, parse_form(book), name or path.name)


def _form(ledger, tmp_path, unit="区民政局", form="report", period=PERIOD) -> Path:
    return Path(rh.generate_forms(ledger, form, period, tmp_path / "out", unit_names=[unit])[0]["path"])


def test_a_stamped_form_is_known_by_every_carrier(ledger_2026, tmp_path):
    ident = _identify(ledger_2026, _form(ledger_2026, tmp_path))
    assert (ident.unit_name, ident.form, ident.period, ident.year) == ("区民政局", "report", PERIOD, 2026)
    assert ident.stamped and ident.complete and not ident.conflict and not ident.reject
    assert {"keys"} < set(ident.carriers) and len(ident.carriers) >= 3   # properties, names/hidden sheet, row keys


def test_a_retyped_form_is_proposed_from_what_it_still_says(ledger_2026, tmp_path):
    """No stamp, no key column: the title gives the month, 填报单位 or the file name the unit, nothing is certain."""
    retyped = rh.strip_stamp(_form(ledger_2026, tmp_path), tmp_path / "区民政局3月落实情况.xlsx")
    ident = _identify(ledger_2026, retyped)
    assert not ident.stamped and (ident.unit_name, ident.form, ident.period) == ("区民政局", "report", PERIOD)
    assert ident.proposed_from and set(ident.proposed_from) <= {"填报单位", "文件名", "任务内容", "标题"}


def test_a_file_name_naming_another_unit_is_a_doubt(ledger_2026, tmp_path):
    src = _form(ledger_2026, tmp_path)
    misnamed = tmp_path / "区财政局-3月.xlsx"
    shutil.copyfile(src, misnamed)
    ident = _identify(ledger_2026, misnamed)
    assert ident.unit_name == "区民政局"                   # the stamp says so …
    assert "区财政局" in ident.conflict                    # … but the rest of the file is weighed and the doubt told


def test_stamp_of_a_year_the_ledger_lacks_is_rejected(ledger_2026, tmp_path):
    old = rh.restamp(_form(ledger_2026, tmp_path), tmp_path / "2025.xlsx", year=2025, period="2025-03")
    ident = _identify(ledger_2026, old)
    assert ident.reject.startswith("这是 2025 年的表") and "已拒收" in ident.reject


def test_stamp_naming_a_unit_not_in_the_directory_is_rejected(ledger_2026, tmp_path):
    stranger = rh.restamp(_form(ledger_2026, tmp_path), tmp_path / "x.xlsx", unit_id=9999, unit_name="区不存在局")
    ident = _identify(ledger_2026, stranger)
    assert "区不存在局" in ident.reject and ident.unit_id is None
