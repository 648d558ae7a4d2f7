"""A table longer than an Excel sheet (ten years × 630 units: 1.25 million audit rows, 1.2 million change rows) is
exported on continuation sheets and read back whole; an export that lost rows is refused, never imported short."""
from __future__ import annotations

import pytest

from core.common.errors import UserError
from core.ledger import export_xlsx, import_xlsx
from core.ledger.store import Ledger
from tests.helpers.backup import dump, fill_quarter


@pytest.fixture
def quarter(ledger_2026):
    fill_quarter(ledger_2026)
    return ledger_2026


def test_long_tables_continue_on_more_sheets_and_come_back_byte_for_byte(quarter, tmp_path, monkeypatch):
    monkeypatch.setattr(export_xlsx, "SHEET_ROWS", 97)   # Excel's 1,048,574, scaled to the test ledger
    monkeypatch.setattr(import_xlsx, "SHEET_ROWS", 97)
    before = dump(quarter)
    out = tmp_path / "整本台账.xlsx"
    counts = export_xlsx.export_ledger(quarter, out)
    from python_calamine import CalamineWorkbook
    names = CalamineWorkbook.from_path(str(out)).sheet_names
    assert counts["progress_row"] > 3 * 97 and "进展（续3）" in names and "痕迹（续1）" in names
    assert "续写（续1）" in names   # the long texts and empty strings run past one sheet too
    fresh = Ledger(tmp_path / "other" / "ledger.sqlite3")
    try:
        import_xlsx.import_ledger(fresh, out)
        batches = {r[2] for r in dump(fresh)["audit"] if r[4] == "import-ledger"}
        assert dump(fresh, batches) == before   # every row of every sheet, every text, ids kept
    finally:
        fresh.close()


def test_an_export_short_of_its_stated_rows_is_refused(quarter, tmp_path):
    import openpyxl
    out = tmp_path / "整本台账.xlsx"
    counts = export_xlsx.export_ledger(quarter, out)
    wb = openpyxl.load_workbook(out)
    info = wb[export_xlsx.INFO_SHEET]
    for row in info.iter_rows():
        if row[0].value == "进展（行数）":   # as an older version's export past Excel's last row said: more than it held
            row[1].value = str(counts["progress_row"] + 1)
    wb.save(out)
    fresh = Ledger(tmp_path / "other" / "ledger.sqlite3")
    try:
        with pytest.raises(UserError, match="应有 .* 行，读到"):
            import_xlsx.import_ledger(fresh, out)
        assert not dump(fresh)["progress_row"]
    finally:
        fresh.close()
