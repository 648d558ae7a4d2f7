"""Types a text into a workbook's cell in headless LibreOffice (as a unit would), saves .xlsx; run with a Python that has uno."""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main(src: str, sheet_cell: str, text_file: str, out: str) -> int:
    import uno
    from com.sun.star.beans import PropertyValue

    def prop(name, value):
        p = PropertyValue()
        p.Name, p.Value = name, value
        return p

    profile = tempfile.mkdtemp(prefix="ducha-lo-type-")
    pipe = f"ducha{os.getpid()}"
    office = subprocess.Popen(["soffice", f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                               "--invisible", "--norestore", f"--accept=pipe,name={pipe};urp;"])
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
        sheet = doc.Sheets.getByIndex(0)
        sheet.getCellRangeByName(sheet_cell).setString(Path(text_file).read_text(encoding="utf-8"))
        doc.storeToURL(Path(out).resolve().as_uri(), (prop("FilterName", "Calc Office Open XML"),))
        doc.close(True)
        return 0
    finally:
        with contextlib.suppress(Exception):   # NameError too: `desktop` is defined once connected
            desktop.terminate()  # noqa: F821
        try:
            office.wait(timeout=20)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
