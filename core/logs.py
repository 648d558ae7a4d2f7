"""The app's log: a rotated file in the user data dir, file names only, never the units' text."""
from __future__ import annotations

import logging
import logging.handlers

from . import paths

_configured = False


def setup_logging() -> logging.Logger:
    global _configured
    log = logging.getLogger("ducha")
    if not _configured:
        try:
            handler = logging.handlers.RotatingFileHandler(
                paths.log_dir() / "ducha.log", maxBytes=1_000_000, backupCount=5, encoding="utf-8")
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
            log.addHandler(handler)
        except OSError:
            log.addHandler(logging.NullHandler())
        log.setLevel(logging.INFO)
        _configured = True
    return log
