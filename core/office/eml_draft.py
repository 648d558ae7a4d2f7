"""Email drafts as .eml files that desktop mail clients (Outlook, Foxmail, Thunderbird) open as unsent messages.

The MIME text is written directly (the email package's header parsing and folding cost as much as the workbook
itself): headers with non-ASCII text as RFC 2047 encoded-words, the body and attachments in base64, each
attachment's Chinese file name twice — RFC 2231 `filename*` on Content-Disposition (Thunderbird, Foxmail, new
Outlook) and an encoded-word `name=` on Content-Type (older Outlook) — with CRLF line ends and lines within 78
characters (but the Content-Type line of a long media type).
"""
from __future__ import annotations

import base64
import os
import urllib.parse
from email.utils import formatdate
from functools import lru_cache
from pathlib import Path

LINE = 76          # base64 line length (RFC 2045)
WORD_BYTES = 39    # UTF-8 bytes per encoded-word: "=?utf-8?b?" + 52 base64 chars + "?=" = 64 characters
FOLD = "\r\n "     # a folded header line (unfolding joins the encoded-words back)
# the attachments the app sends; any other kind is looked up with mimetypes (which reads the system's tables)
MEDIA_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
}


def write_eml_draft(path: Path, to: str, subject: str, body: str, attachments: list[Path] | tuple = (),
                    sender: str = "") -> Path:
    """Write an unsent message (X-Unsent: 1) with the attachments; written to a temp name, then renamed."""
    files = [(Path(a).name, Path(a).read_bytes()) for a in attachments]
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(draft_bytes(to, subject, body, files, sender))
    tmp.replace(path)
    return path


def draft_bytes(to: str, subject: str, body: str, attachments: list[tuple[str, bytes]] | tuple = (),
                sender: str = "") -> bytes:
    """The .eml text of an unsent message; attachments given as (file name, content)."""
    boundary = "=_dcta_" + os.urandom(12).hex()
    head = [header("To", to or "")]
    if sender:
        head.append(header("From", sender))
    head += [header("Subject", subject), f"Date: {formatdate(localtime=True)}", "X-Unsent: 1", "MIME-Version: 1.0",
             f'Content-Type: multipart/mixed; boundary="{boundary}"', "",
             "This is a multi-part message in MIME format.", ""]
    parts = ["\r\n".join(head).encode("ascii"), f"--{boundary}\r\n".encode("ascii") + b"\r\n".join([
        b'Content-Type: text/plain; charset="utf-8"', b"Content-Transfer-Encoding: base64", b"",
        _base64_lines(body.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8"))])]
    for name, content in attachments:
        part_head = "\r\n".join([
            f"--{boundary}", f"Content-Type: {media_type(name)};", f' name="{_encoded_words(name, FOLD)}"',
            "Content-Transfer-Encoding: base64", "Content-Disposition: attachment;", *_filename_params(name), "", ""])
        parts.append(part_head.encode("ascii") + _base64_lines(content))
    return b"\r\n".join(parts) + f"\r\n--{boundary}--\r\n".encode("ascii")


def media_type(name: str) -> str:
    suffix = os.path.splitext(name)[1].lower()
    if suffix in MEDIA_TYPES:
        return MEDIA_TYPES[suffix]
    import mimetypes
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def header(name: str, value: str) -> str:
    """`Name: value`, any non-ASCII text as encoded-words on folded lines (addresses themselves stay as written)."""
    value = " ".join(value.split())   # no line breaks inside a header
    if value.isascii():
        return f"{name}: {value}"   # an address list may run long; well within the 998-character limit
    if name in ("To", "From", "Cc"):
        return f"{name}: " + ("," + FOLD).join(_address(a.strip()) for a in value.split(","))
    return f"{name}: " + _encoded_words(value, FOLD)


def _address(item: str) -> str:
    """张三 <a@b.cn> → =?utf-8?b?…?= <a@b.cn>: only the display name is encoded."""
    if item.isascii():
        return item
    if "<" in item and item.endswith(">"):
        display, addr = item.rsplit("<", 1)
        display = display.strip().strip('"')
        return f"{_encoded_words(display, FOLD)} <{addr}" if display else f"<{addr}"
    return _encoded_words(item, FOLD)


def _encoded_words(text: str, joiner: str) -> str:
    """RFC 2047 B encoded-words of at most WORD_BYTES UTF-8 bytes each, never splitting a character."""
    words, chunk = [], b""
    for ch in text:
        b = ch.encode("utf-8")
        if len(chunk) + len(b) > WORD_BYTES:
            words.append(chunk)
            chunk = b""
        chunk += b
    if chunk or not words:
        words.append(chunk)
    return joiner.join(f"=?utf-8?b?{base64.b64encode(w).decode('ascii')}?=" for w in words)


def _filename_params(name: str) -> list[str]:
    """RFC 2231 filename*0*=utf-8''…; filename*1*=… continuations (the encoded-word name= on Content-Type is for
    older Outlook; a second, encoded-word filename= here would win over filename* in some readers)."""
    tokens = [_quoted(ch) for ch in name]   # never split a character across two lines
    pieces: list[str] = []
    piece = ""
    for tok in tokens:
        if len(piece) + len(tok) > (48 if not pieces else 60):
            pieces.append(piece)
            piece = ""
        piece += tok
    pieces.append(piece)
    charset = "utf-8''"
    lines = [f" filename*{i}*={charset if i == 0 else ''}{p};" for i, p in enumerate(pieces)]
    lines[-1] = lines[-1].rstrip(";")
    return lines


@lru_cache(maxsize=4096)
def _quoted(ch: str) -> str:
    return urllib.parse.quote(ch, safe="")


def _base64_lines(data: bytes) -> bytes:
    """Base64 in lines of LINE characters joined by CRLF (no line end after the last)."""
    encoded = base64.b64encode(data)
    return b"\r\n".join([encoded[i:i + LINE] for i in range(0, len(encoded), LINE)])
