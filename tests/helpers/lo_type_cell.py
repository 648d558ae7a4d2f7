"""Types a text into a workbook's cell in headless LibreOffice (as a unit would), saves .xlsx; run with a Python that has uno."""
from __future__ import annotations

import sys
from pathlib import Path


def main(src: str, sheet_cell: str, text_file: str, out: str) -> int:
    from lo_office import office_desktop, prop   # beside this script (run by path)

    with office_desktop("ducha-lo-type-") as office:
        if office is None:
            return 3
        _ctx, desktop = office
        doc = desktop.loadComponentFromURL(Path(src).resolve().as_uri(), "_blank", 0, (prop("Hidden", True),))
        sheet = doc.Sheets.getByIndex(0)
        sheet.getCellRangeByName(sheet_cell).setString(Path(text_file).read_text(encoding="utf-8"))
        doc.storeToURL(Path(out).resolve().as_uri(), (prop("FilterName", "Calc Office Open XML"),))
        doc.close(True)
        return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
