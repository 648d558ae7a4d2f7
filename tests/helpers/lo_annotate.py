"""Edits a workbook in a headless LibreOffice the way a unit does beyond typing (comments, text boxes, pictures,
struck-through and red text, text outside the table) and saves it as .xlsx; run with a Python that has uno.

    python3 lo_annotate.py SRC SPEC.json OUT      SPEC: [{"op": "comment"|"textbox"|"picture"|"strike"|"text",
                                                          "cell": "E5", "text": …, "old": …, "new": …, "png": …}]
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main(src: str, spec_file: str, out: str) -> int:
    import uno
    from com.sun.star.awt import Point, Size
    from com.sun.star.beans import PropertyValue

    def prop(name, value):
        p = PropertyValue()
        p.Name, p.Value = name, value
        return p

    spec = json.loads(Path(spec_file).read_text(encoding="utf-8"))
    profile = tempfile.mkdtemp(prefix="ducha-lo-annotate-")
    pipe = f"ducha-annotate{os.getpid()}"
    office = subprocess.Popen(["soffice", f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                               "--invisible", "--norestore", f"--accept=pipe,name={pipe};urp;"])
    desktop = None
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(120):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # noqa: BLE001 - office still starting
                time.sleep(0.5)
        if ctx is None:
            return 3
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
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
    finally:
        try:
            if desktop is not None:
                desktop.terminate()
        except Exception:  # noqa: BLE001
            pass
        try:
            office.wait(timeout=20)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
