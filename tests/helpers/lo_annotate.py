"""Edits a workbook in a headless LibreOffice the way a unit does beyond typing (comments, text boxes, pictures,
struck-through and red text, text outside the table) and saves it as .xlsx; run with a Python that has uno.

    python3 lo_annotate.py SRC SPEC.json OUT      SPEC: [{"op": "comment"|"textbox"|"picture"|"strike"|"text",
                                                          "cell": "E5", "text": …, "old": …, "new": …, "png": …}]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def main(src: str, spec_file: str, out: str) -> int:
    import uno  # noqa: F401 - installs the com.sun.star importer
    from com.sun.star.awt import Point, Size
    from lo_office import office_desktop, prop   # beside this script (run by path)

    spec = json.loads(Path(spec_file).read_text(encoding="utf-8"))
    with office_desktop("ducha-lo-annotate-") as office:
        if office is None:
            return 3
        ctx, desktop = office
        doc = desktop.loadComponentFromURL(Path(src).resolve().as_uri(), "_blank", 0, (prop("Hidden", True),))
        for op in spec:
            sheet = doc.Sheets.getByName(op["sheet"]) if op.get("sheet") else doc.Sheets.getByIndex(0)
            cell = sheet.getCellRangeByName(op["cell"])
            kind = op["op"]
            if kind == "text":
                cell.setString(op["text"])
                if op.get("merge"):   # a line merged across the table (合并后居中)
                    sheet.getCellRangeByName(op["merge"]).merge(True)
            elif kind == "comment":
                sheet.getAnnotations().insertNew(cell.CellAddress, op["text"])
            elif kind == "strike":   # the old figure struck through, the new one typed after it in red
                cell.setString(op["old"] + op["new"])
                cursor = cell.createTextCursor()
                cursor.gotoStart(False)
                cursor.goRight(len(op["old"]), True)
                cursor.CharStrikeout = 1   # SINGLE
                cursor.collapseToEnd()
                cursor.goRight(len(op["new"]), True)
                cursor.CharColor = 0xC00000
            elif kind == "strike_cell":   # the whole cell struck through (its format, not a run of its text)
                cell.CharStrikeout = 1
            elif kind in ("textbox", "picture"):
                if kind == "textbox":
                    shape = doc.createInstance("com.sun.star.drawing.TextShape")
                else:
                    shape = doc.createInstance("com.sun.star.drawing.GraphicObjectShape")
                sheet.DrawPage.add(shape)
                pos = cell.Position
                shape.Position = Point(pos.X + 100, pos.Y + 100)
                shape.Size = Size(op.get("width", 6000), op.get("height", 2500))
                shape.Anchor = cell
                if kind == "textbox":
                    shape.setString(op["text"])
                else:
                    provider = ctx.ServiceManager.createInstanceWithContext("com.sun.star.graphic.GraphicProvider", ctx)
                    shape.Graphic = provider.queryGraphic((prop("URL", Path(op["png"]).resolve().as_uri()),))
        doc.storeToURL(Path(out).resolve().as_uri(), (prop("FilterName", "Calc Office Open XML"),))
        doc.close(True)
        return 0

if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
