"""Where a ledger lives: a SQLite file path, or a PostgreSQL connection string (never holding a password), shown masked."""
from __future__ import annotations

import re
from pathlib import Path

from core.common import paths
from core.common.errors import UserError

SERVER_PREFIXES = ("postgresql://", "postgres://", "postgresql+psycopg://")
_UNSAFE = re.compile(r"[^0-9A-Za-z_.@-]+")


def is_server(target: object) -> bool:
    """True for a PostgreSQL connection string, False for a file path."""
    return isinstance(target, str) and target.strip().lower().startswith(SERVER_PREFIXES)


def server_url(target: str):
    """The connection string checked and parsed (sqlalchemy URL); refuses a password written into it."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError
    text = target.strip()
    if text.lower().startswith("postgres://"):
        text = "postgresql://" + text[len("postgres://"):]
    try:
        url = make_url(text)
    except (ArgumentError, ValueError):
        raise UserError(f"共享台账的连接串“{mask(text)}”格式不对。应写成 postgresql://用户名@服务器:5432/数据库名"
                        "（可在后面加 ?sslmode=require 等选项）。") from None
    if url.password:
        raise UserError("连接串中不能写密码（会留在命令行、设置和日志里）。请把密码写在 .pgpass 文件中"
                        "（或用 PGPASSFILE 指定的文件），在窗口中连接时也可以在提示框里输入。")
    if not url.database:
        raise UserError(f"连接串“{mask(text)}”缺少数据库名，应写成 postgresql://用户名@服务器:5432/数据库名。")
    return url.set(drivername="postgresql+psycopg")


def mask(target: str) -> str:
    """The connection string as it may be shown or logged: any password replaced by ***."""
    return re.sub(r"(://[^:/@?#]*):[^@/?#]*@", r"\1:***@", str(target))


def canonical(target: str) -> str:
    """The connection string a clerk sees and the recent-ledgers list keeps: postgresql://user@host:port/db?options."""
    url = server_url(target)
    return mask(url.set(drivername="postgresql").render_as_string(hide_password=True))


def display_name(target: str) -> str:
    """A short name for the window title: 数据库名（服务器）."""
    url = server_url(target)
    host = url.host or url.query.get("host") or "本机"
    if isinstance(host, tuple):
        host = host[0]
    return f"{url.database}（{Path(str(host)).name if str(host).startswith('/') else host}）"


def local_folder(target: str) -> Path:
    """This PC's folder for a server ledger's own files (its backups, opened copies of received files)."""
    url = server_url(target)
    host = url.host or url.query.get("host") or "local"
    if isinstance(host, tuple):
        host = host[0]
    name = _UNSAFE.sub("_", f"{url.database}@{Path(str(host)).name or host}_{url.port or url.query.get('port') or 5432}")
    return paths.data_dir() / "共享台账" / name
