"""Expand what the clerk dropped (files, folders, .zip with GBK names, .eml attachments) into single files to read."""
from __future__ import annotations

import email
import email.policy
import zipfile
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import cast

from core.common.errors import UserError
from core.common.work import Work, given
from core.common.sniff import check_zip_limits, sniff
from core.common.partfiles import is_part

WORKBOOK_KINDS = {"xlsx", "xlsm", "xls", "ods"}
MAX_ZIP_MEMBERS = 2000
MAX_MEMBER_BYTES = 50 * 1024 * 1024


@dataclass
class Source:
    path: Path            # a real file on disk (members are extracted to a work dir)
    label: str            # what the clerk sees: the path, or "包.zip › 成员.xlsx", or "邮件.eml › 附件.xlsx"
    name: str             # the file's own name
    received_at: datetime
    error: str = ""       # set when the container itself was refused
    mailed: bool = False  # an e-mail attachment: received_at is the message's Date header
    kind: str = ""        # what core.common.sniff found the file to be when it was listed ("" not looked at)


def zip_member_name(info: zipfile.ZipInfo) -> str:
    """Windows' built-in zip writes names in the local code page (GBK) without the UTF-8 flag."""
    name = info.filename
    if info.flag_bits & 0x800:
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return name


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)


def _safe_name(name: str, taken: set[str]) -> str:
    base = Path(name.replace("\\", "/")).name or "附件"
    base = "".join(ch for ch in base if ch not in '<>:"|?*\x00') or "附件"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{Path(base).stem}({n}){Path(base).suffix}"
    taken.add(candidate)
    return candidate


def expand(paths: list[Path | str], workdir: Path, work: Work | None = None) -> list[Source]:
    """Every single file to read, in a stable order; containers are opened one level deep (zip in eml too).

    Raises Cancelled when 取消 is pressed while containers are being opened."""
    work = given(work)
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    out: list[Source] = []

    def add_file(path: Path, label: str, received: datetime, depth: int = 0, mailed: bool = False) -> None:
        work.check()
        kind = sniff(path) if path.exists() else "unknown"
        if kind == "zip" and depth < 2:
            add_zip(path, label, received, depth)
        elif kind == "unknown" and path.suffix.lower() == ".eml" or kind == "text" and _looks_like_eml(path):
            add_eml(path, label, depth)
        else:
            out.append(Source(path, label, path.name.split("›")[-1].strip(), received, mailed=mailed, kind=kind))

    def add_zip(path: Path, label: str, received: datetime, depth: int) -> None:
        try:
            check_zip_limits(path)
            with zipfile.ZipFile(path) as zf:
                infos = [i for i in zf.infolist() if not i.is_dir()]
                if len(infos) > MAX_ZIP_MEMBERS:
                    raise UserError(f"压缩包“{path.name}”内文件过多（{len(infos)} 个），已拒收。")
                sub = workdir / f"z{len(out)}_{len(taken)}"
                sub.mkdir(parents=True, exist_ok=True)
                for info in infos:
                    name = zip_member_name(info)
                    if Path(name).name.startswith(("~$", ".")) or "__MACOSX" in name:
                        continue
                    if info.file_size > MAX_MEMBER_BYTES:
                        out.append(Source(path, f"{label} › {name}", Path(name).name, received,
                                          error=f"压缩包内文件“{Path(name).name}”过大，已拒收。"))
                        continue
                    target = sub / _safe_name(name, taken)
                    target.write_bytes(zf.read(info))
                    when = datetime(*info.date_time) if info.date_time[0] >= 1980 else received
                    add_file(target, f"{label} › {name}", when, depth + 1)
        except UserError as exc:
            out.append(Source(path, label, path.name, received, error=exc.message))
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
            out.append(Source(path, label, path.name, received,
                              error=f"压缩包“{path.name}”已损坏或加密，无法打开（{type(exc).__name__}）。请让对方重新发送。"))

    def add_eml(path: Path, label: str, depth: int) -> None:
        try:
            msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        except Exception as exc:  # noqa: BLE001 - any malformed message is the sender's problem
            out.append(Source(path, label, path.name, _mtime(path), error=f"邮件“{path.name}”无法解析：{exc}"))
            return
        received, dated = _mtime(path), False
        try:
            if msg["Date"]:
                received = parsedate_to_datetime(str(msg["Date"])).astimezone().replace(tzinfo=None, microsecond=0)
                dated = True
        except (TypeError, ValueError):
            pass
        found = 0
        sub = workdir / f"e{len(out)}_{len(taken)}"
        sub.mkdir(parents=True, exist_ok=True)
        for part in msg.walk():
            filename = part.get_filename()
            if not filename or part.is_multipart():
                continue
            data = cast(bytes | None, part.get_payload(decode=True)) or b""   # a leaf part decodes to bytes
            target = sub / _safe_name(filename, taken)
            target.write_bytes(data)
            found += 1
            add_file(target, f"{label} › {filename}", received, depth + 1, mailed=dated)
        if not found:
            out.append(Source(path, label, path.name, received, error=f"邮件“{path.name}”没有附件。"))

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for child in sorted(x for x in p.rglob("*") if x.is_file()):
                if child.name.startswith(("~$", ".")) or is_part(child.relative_to(p)):
                    continue  # Office lock files, hidden files, half-written temp files and folders
                add_file(child, str(child), _mtime(child))
        elif p.exists():
            if p.suffix.lower() == ".eml":
                add_eml(p, str(p), 0)
            else:
                add_file(p, str(p), _mtime(p))
        else:
            out.append(Source(p, str(p), p.name, datetime.now().replace(microsecond=0),
                              error=f"找不到文件“{p}”。"))
    return out


def _looks_like_eml(path: Path) -> bool:
    if path.suffix.lower() == ".eml":
        return True
    with open(path, "rb") as fh:
        head = fh.read(2048).lower()
    return b"mime-version:" in head and b"content-type:" in head
