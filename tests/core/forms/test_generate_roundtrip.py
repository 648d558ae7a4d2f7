"""下发 × LibreOffice: workbooks re-saved as .xlsx/.xls/.ods keep their identity stamp; one renders to A4 paper cleanly."""
from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from core.forms.generate import generate
from core.forms.stamp import ROW_KEY_HEADER, STAMP_MAGIC, STAMP_NAME, STAMP_SHEET, Stamp, parse_row_key_quarter
from tests.helpers.generate import convert, data_part, soffice, stamp_carriers_xlsx

pytestmark = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")


def _calamine_carriers(path: Path) -> dict[str, str | None]:
    """Hidden sheet and key column, read with python-calamine (works for .xlsx, .xls and .ods)."""
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(str(path))
    out: dict[str, str | None] = {"sheet": None, "key_column": None}
    if STAMP_SHEET in wb.sheet_names:
        rows = wb.get_sheet_by_name(STAMP_SHEET).to_python()
        if rows and rows[0] and rows[0][0] == STAMP_MAGIC:
            out["sheet"] = rows[1][0]
    labels, data, _ = data_part(wb.get_sheet_by_index(0).to_python())
    keys = [parse_row_key_quarter(row[labels[ROW_KEY_HEADER]]) for row in data]
    if data and all(keys):
        out["key_column"] = ";".join(f"{k[0]}:{k[1]}" for k in keys)
    return out


def _ods_carriers(path: Path) -> dict[str, str | None]:
    out = _calamine_carriers(path)
    with zipfile.ZipFile(path) as z:
        meta = z.read("meta.xml").decode("utf-8")
        content = z.read("content.xml").decode("utf-8")
    m = re.search(r'<meta:user-defined meta:name="DCTA_STAMP"[^>]*>([^<]*)<', meta)
    out["property"] = m.group(1).replace("&quot;", '"').replace("&amp;", "&") if m else None
    m = re.search(rf'<table:named-expression table:name="{STAMP_NAME}"[^>]*?'
                  r'table:expression="(?:of:=)?&quot;(.*?)&quot;"', content)
    out["name"] = m.group(1).replace("&quot;&quot;", '"').replace("&amp;", "&") if m else None
    return out


def _xls_carriers(path: Path) -> dict[str, str | None]:
    out = _calamine_carriers(path)
    raw = path.read_bytes()
    # custom properties live in the OLE property stream; their names are a fair sign they survived
    out["property"] = "present" if ("DCTA_FINGERPRINT".encode("utf-16-le") in raw or b"DCTA_FINGERPRINT" in raw) else None
    # the name appears once among the properties (DCTA_STAMP) and once more in the NAME record
    out["name"] = "present" if raw.count(STAMP_NAME.encode()) + raw.count(STAMP_NAME.encode("utf-16-le")) >= 2 else None
    return out


def test_stamp_survives_libreoffice_resave(ledger_2026, tmp_path):
    plan = Path(generate(ledger_2026, "plan", None, tmp_path / "out", unit_names=["区财政局"], with_eml=False)[0]["path"])
    report = Path(generate(ledger_2026, "report", "2026-03", tmp_path / "out", unit_names=["区发展改革局"],
                           with_eml=False)[0]["path"])
    originals = {}
    for p in (plan, report):
        carriers = stamp_carriers_xlsx(p)
        originals[p.stem] = (Stamp.decode(carriers["property"]), _calamine_carriers(p)["key_column"])
    survived: dict[str, dict[str, list[str]]] = {}
    for fmt, reader in (("xlsx", lambda p: {**stamp_carriers_xlsx(p), **_calamine_carriers(p)}),
                        ("xls", _xls_carriers), ("ods", _ods_carriers)):
        outs = convert([plan, report], fmt, tmp_path / fmt)
        for out in outs:
            assert out.exists(), out
            stamp, keys = originals[out.stem]
            found = reader(out)
            survived.setdefault(fmt, {})[out.stem] = sorted(k for k, v in found.items() if v)
            # at least the hidden sheet and the key column come back, exactly
            assert Stamp.decode(found["sheet"]) == stamp, (fmt, found)
            assert found["key_column"] == keys, fmt
            for carrier in ("property", "name"):
                if found.get(carrier) and found[carrier] != "present":
                    assert Stamp.decode(found[carrier]) == stamp, (fmt, carrier)
    report_lines = [f"{fmt}: {', '.join(sorted(set(sum(v.values(), []))))}" for fmt, v in survived.items()]
    print("\nstamp carriers surviving a LibreOffice re-save:\n" + "\n".join(report_lines))
    # what LibreOffice keeps: all four carriers in .xlsx and .ods; in .xls at least sheet, key column, properties
    assert set(survived["xlsx"][plan.stem]) == {"property", "sheet", "name", "key_column"}
    assert set(survived["ods"][plan.stem]) == {"property", "sheet", "name", "key_column"}
    assert {"sheet", "key_column"} <= set(survived["xls"][plan.stem])


@pytest.mark.layout
def test_rendered_page_is_a4_landscape_with_all_columns(ledger_2026, tmp_path):
    plan = Path(generate(ledger_2026, "plan", None, tmp_path / "out", unit_names=["区工业和信息化局"],
                         with_eml=False)[0]["path"])
    pdf = convert([plan], "pdf", tmp_path / "pdf")[0]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert round(w) == 842 and round(h) == 595  # A4 landscape
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 2
    for page in (1, 2):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        squashed = "".join(text.split())
        # the last column's header is on every page (header rows repeat, nothing spills to a second page across)
        assert "分管" in squashed and "季度目标及推进计划" in squashed, page
        assert f"第{page}页共{pages}页" in squashed
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert "填报单位：区工业和信息化局" in "".join(first.split())
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts  # Chinese drawn with a CJK font, not tofu
