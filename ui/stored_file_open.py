"""Opening a file kept in the ledger's store (a unit's returned workbook) in the office suite, as a copy under its own name."""
from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices


def stored_copy(ledger, digest: str, name: str) -> Path:
    """A copy of the stored file under its original name in a new temporary folder (the store keeps it by hash)."""
    from core.ledger import file_store
    folder = Path(tempfile.mkdtemp(prefix="dcta-original-"))
    copy = folder / (Path(name).name or f"{digest[:12]}.xlsx")
    copy.write_bytes(file_store.read(ledger, digest))
    return copy


def open_stored(ledger, digest: str, name: str) -> Path:
    copy = stored_copy(ledger, digest, name)
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy)))
    return copy
