"""A headless LibreOffice for the UNO helper scripts (lo_type_cell.py, lo_annotate.py): started on a private profile,
connected over a pipe, terminated afterwards; run with a Python that has uno."""
from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


def prop(name: str, value):
    """A com.sun.star.beans.PropertyValue (load and store options)."""
    from com.sun.star.beans import PropertyValue
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


@contextlib.contextmanager
def office_desktop(prefix: str) -> Iterator[tuple[object, object] | None]:
    """(component context, Desktop) of a LibreOffice started for this run; None if it never answered within a minute."""
    import uno
    profile = tempfile.mkdtemp(prefix=prefix)
    pipe = f"{prefix}{os.getpid()}"
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
        if ctx is not None:
            desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        yield (ctx, desktop) if desktop is not None else None
    finally:
        if desktop is not None:
            with contextlib.suppress(Exception):
                desktop.terminate()
        try:
            office.wait(timeout=20)
        except subprocess.TimeoutExpired:
            office.kill()
