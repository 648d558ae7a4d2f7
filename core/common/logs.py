"""The app's log: a rotated file in the user data dir, file names only, never the units' text."""
from __future__ import annotations

import logging
import logging.handlers
import re

from core.common import paths

_configured = False
_PARAMS = re.compile(r"\[parameters: .*?\](?=\n|$)", re.S)
_LONG_QUOTED = re.compile(r"(['\"“])([^'\"”\n]{40,})(['\"”])")
_MAX_MESSAGE = 4000


def scrub(text: str) -> str:
    """Keep the log free of units' text: drop SQL parameters, shorten long quoted values to their length."""
    text = _PARAMS.sub("[parameters: 已隐去]", text)
    text = _LONG_QUOTED.sub(lambda m: f"{m.group(1)}<{len(m.group(2))} 字已隐去>{m.group(3)}", text)
    return text if len(text) <= _MAX_MESSAGE else text[:_MAX_MESSAGE] + f"…（共 {len(text)} 字）"


_EXC_LINE = re.compile(r"^([A-Za-z_][\w.]*): (.*)$", re.M)


def _hide_cjk_message(m: re.Match) -> str:
    """An exception's message may quote a cell: keep it only when it holds no Chinese text."""
    message = m.group(2)
    if re.search(r"[\u3400-\u9fff]", message):
        return f"{m.group(1)}: <{len(message)} 字的说明已隐去>"
    return m.group(0)


class _Redact(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = scrub(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            trace = logging.Formatter().formatException(record.exc_info)
            record.exc_text = scrub(_EXC_LINE.sub(_hide_cjk_message, trace))
        return True


def setup_logging() -> logging.Logger:
    global _configured
    log = logging.getLogger("ducha")
    if not _configured:
        try:
            handler = logging.handlers.RotatingFileHandler(
                paths.log_dir() / "ducha.log", maxBytes=1_000_000, backupCount=5, encoding="utf-8")
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
            handler.addFilter(_Redact())
            log.addHandler(handler)
        except OSError:
            log.addHandler(logging.NullHandler())
        log.setLevel(logging.INFO)
        _configured = True
    return log
