"""Turning errors from the operating system (locked file, read-only folder, full disk) into plain Chinese UserErrors."""
from __future__ import annotations

import errno
from pathlib import Path


_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", -1), getattr(errno, "EFBIG", -1)}
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS, errno.EBUSY, getattr(errno, "ETXTBSY", -1)}


def _name(exc: OSError) -> str:
    for candidate in (getattr(exc, "filename2", None), getattr(exc, "filename", None)):
        if candidate:
            return str(candidate)
    return ""


def describe_os_error(exc: OSError, path: str | Path | None = None) -> str:
    """One Chinese sentence: which file, what went wrong, what to do."""
    name = str(path) if path else _name(exc)
    shown = f"“{name}”" if name else ""
    win = getattr(exc, "winerror", None)
    if exc.errno in _DISK_FULL or win in (39, 112):
        return f"磁盘空间不足，无法写入文件{shown}。请清理磁盘或换一个有空间的文件夹后重试；台账未被改动。"
    if isinstance(exc, PermissionError) or exc.errno in _DENIED or win in (5, 32, 33):
        return (f"文件{shown}被其他程序（如 Excel/WPS）占用或文件夹只读，"
                f"请关闭该文件或换一个文件夹后重试。")
    if isinstance(exc, FileNotFoundError) or exc.errno == errno.ENOENT:
        return f"找不到文件或文件夹{shown}。请确认它存在（可能已被移动或删除）后重试。"
    if isinstance(exc, IsADirectoryError):
        return f"{shown}是一个文件夹，不是文件。请选择一个文件。"
    if isinstance(exc, NotADirectoryError):
        return f"{shown}不是文件夹。请选择一个文件夹。"
    if exc.errno == errno.ENAMETOOLONG:
        return f"文件名或路径太长{shown}。请换一个较短的文件夹或文件名。"
    if exc.errno == errno.EIO:
        return f"读写文件{shown}时磁盘出错（可能是 U 盘被拔出或网络盘断开）。请检查磁盘后重试。"
    detail = exc.strerror or str(exc)
    return f"文件操作失败{shown}：{detail}。请检查文件是否被其他程序打开、磁盘是否已满或文件夹是否可写。"
