"""The quick look at a sheet's cell tags (display._may_use) never hides a number format the full parse would find."""
from __future__ import annotations

import io
from datetime import date

import xlsxwriter

from core.returns import display


def _book(write) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("附件4")
    write(wb, ws)
    wb.close()
    return buf.getvalue()


def _full(data: bytes, monkeypatch) -> dict:
    with monkeypatch.context() as m:
        m.setattr(display, "_may_use", lambda xml, special: True)
        return display.xlsx_formats(data)


def test_dated_and_percent_cells_are_found(monkeypatch):
    def write(wb, ws):
        ws.write_string(0, 0, "完成情况：一是已完成前期调研；二是方案已报批。", wb.add_format({"num_format": "@"}))
        ws.write_datetime(1, 1, date(2026, 4, 3), wb.add_format({"num_format": "yyyy年m月d日"}))
        ws.write_number(2, 2, 0.35, wb.add_format({"num_format": "0%"}))
    data = _book(write)
    quick = display.xlsx_formats(data)
    assert quick == _full(data, monkeypatch)
    assert quick["附件4"][(1, 1)] == "yyyy年m月d日" and quick["附件4"][(2, 2)] == "0%"


def test_text_only_sheet_skips_the_parse(monkeypatch):
    def write(wb, ws):
        text = wb.add_format({"num_format": "yyyy-mm-dd"})   # a date style, but only on text cells
        for r in range(5):
            ws.write_string(r, 0, f"第{r + 1}项：推进城市更新，已完成投资{r * 10}%。\n二是强化督导。", text)
        ws.write_number(6, 0, 12)   # a General number
    data = _book(write)
    assert display.xlsx_formats(data) == _full(data, monkeypatch) == {"附件4": {}}
    sheet = __import__("zipfile").ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    special = {1: "yyyy-mm-dd"}
    assert display._may_use(sheet, special) is False
    assert display._may_use(sheet.replace(b"<c ", b'<c t="n" '), special) is True   # a number in that style
    assert display._may_use(sheet.replace(b"sheetData", b"x:sheetData"), special) is True   # prefixed: parsed
