"""Email drafts as .eml files that desktop mail clients (Outlook, Foxmail, Thunderbird) open as unsent messages."""
from __future__ import annotations

import mimetypes
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path


def write_eml_draft(path: Path, to: str, subject: str, body: str, attachments: list[Path] = (),
                    sender: str = "") -> Path:
    """Write an unsent message (X-Unsent: 1) with the attachments; written to a temp name, then renamed."""
    msg = EmailMessage()
    msg["To"] = to or ""
    if sender:
        msg["From"] = sender
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    msg["X-Unsent"] = "1"
    msg.set_content(body, charset="utf-8")
    for attachment in attachments:
        attachment = Path(attachment)
        ctype, _ = mimetypes.guess_type(attachment.name)
        maintype, subtype = (ctype or "application/octet-stream").split("/", 1)
        msg.add_attachment(attachment.read_bytes(), maintype=maintype, subtype=subtype, filename=attachment.name)
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(bytes(msg))
    tmp.replace(path)
    return path
