"""Opening the ledger (a SQLite file, WAL and foreign keys on, or a PostgreSQL database), its migrated schema, audit rows."""
from __future__ import annotations

import json
import sqlite3
import uuid
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from collections.abc import Iterator

from sqlalchemy import Connection, create_engine, event, func, insert, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.sql.expression import Insert

from core.ledger import location, migrations
from core.ledger.clerk import clerk_name
from core.common import paths
from core.ledger import schema
from core.common.errors import UserError


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


class Ledger:
    """One ledger: a SQLite file, or a PostgreSQL database named by a connection string.

    Every write goes through `begin()`: one transaction, all or nothing, writers one at a time
    (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-scoped advisory lock, so several clerks'
    writes queue exactly as on SQLite while their reads never wait).
    """

    def __init__(self, target: Path | str, password: str | None = None):
        self.is_server = location.is_server(target)
        self._password = password   # in memory only, to reopen the same server ledger (after a restore)
        if self.is_server:
            url = location.server_url(str(target))
            self.location = location.canonical(str(target))
            self.path = location.local_folder(self.location) / str(url.database)
            args: dict[str, Any] = {"connect_timeout": 10, "application_name": "督查台账",
                                    "options": f"-c lock_timeout={LOCK_WAIT_MS}"}
            if password:
                args["password"] = password  # from the window's prompt: kept in memory only
            self.engine: Engine = create_engine(url, hide_parameters=True, pool_pre_ping=True, connect_args=args)
        else:
            self.path = Path(target)
            self.location = str(self.path)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._check_is_sqlite()
            # hide_parameters: no units' text in errors/logs
            self.engine = create_engine(f"sqlite:///{self.path}", future=True, hide_parameters=True)
            event.listen(self.engine, "connect", _on_connect)
        self._migrate()

    def reopen(self) -> Ledger:
        """A new Ledger on the same file or database (with the password given to this one)."""
        return Ledger(self.location if self.is_server else self.path, password=self._password)

    @property
    def display_name(self) -> str:
        """What the window title and messages call this ledger."""
        return location.display_name(self.location) if self.is_server else self.path.name

    # -- connections -------------------------------------------------------------
    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A write transaction (BEGIN IMMEDIATE, so two writers never interleave)."""
        with self.engine.connect() as conn:
            if self.is_server:
                _take_write_lock(conn)
            else:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.rollback()
                raise
            else:
                conn.commit()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()

    @property
    def store_dir(self) -> Path:
        return paths.store_dir(self.path)

    @property
    def backup_dir(self) -> Path:
        return paths.backup_dir(self.path)

    # -- settings ----------------------------------------------------------------
    def get_setting(self, key: str, default: Any = None) -> Any:
        with self.read() as conn:
            value = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == f"setting:{key}")).scalar()
        return default if value is None else json.loads(value)

    def set_setting(self, key: str, value: Any, conn: Connection | None = None) -> None:
        def write(c: Connection) -> None:
            old = c.execute(select(schema.meta.c.value).where(schema.meta.c.key == f"setting:{key}")).scalar()
            c.execute(schema.meta.delete().where(schema.meta.c.key == f"setting:{key}"))
            c.execute(insert(schema.meta).values(key=f"setting:{key}", value=json.dumps(value, ensure_ascii=False)))
            record_audit(c, new_batch(), "meta", key, "value", old, json.dumps(value, ensure_ascii=False), "hand")
        if conn is not None:
            write(conn)
        else:
            with self.begin() as c:
                write(c)

    # -- schema ------------------------------------------------------------------
    def schema_version(self) -> int:
        with self.read() as conn:
            value = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")).scalar()
        return int(value) if value is not None else 0

    def backup_to(self, target: Path) -> Path:
        """A consistent copy through SQLite's backup API (safe while the ledger is open)."""
        if self.is_server:
            raise RuntimeError("a server ledger is backed up as a SQLite copy (core.ledger.server_copy)")
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".part")
        src = sqlite3.connect(self.path)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
            finally:
                dst.close()
        finally:
            src.close()
        tmp.replace(target)
        return target

    def _check_is_sqlite(self) -> None:
        if self.path.exists() and self.path.stat().st_size > 0:
            with open(self.path, "rb") as fh:
                if fh.read(16) != b"SQLite format 3\x00":
                    raise UserError(f"“{self.path.name}”不是台账文件（不是 SQLite 数据库）。"
                                    "请选择正确的台账文件，或新建一个台账。")

    def _migrate(self) -> None:
        if self.is_server:
            self._migrate_server()
            return
        try:
            with self.engine.connect() as conn:
                version = _stored_version(conn)
        except sqlite3.DatabaseError as exc:  # pragma: no cover - depends on the file
            raise UserError(f"台账文件“{self.path.name}”已损坏，无法打开：{exc}。请从备份恢复。") from exc
        self._refuse_newer(version)
        if version == migrations.SCHEMA_VERSION:
            return
        if version > 0:
            stamp = now().strftime("%Y%m%d-%H%M%S")
            self.backup_to(self.backup_dir / f"{self.path.stem}-迁移前-v{version}-{stamp}.sqlite3")
        with self.begin() as conn:
            _step_forward(conn, version)

    def _migrate_server(self) -> None:
        """Under a lock held for the whole migration, so two clerks starting a new version at once cannot both migrate."""
        from sqlalchemy.exc import OperationalError
        try:
            with self.engine.connect() as conn:
                version = _stored_version(conn)
                if version == migrations.SCHEMA_VERSION:
                    return
                self._refuse_newer(version)
                conn.rollback()
        except OperationalError as exc:
            raise UserError(server_error_message(self.location, exc)) from exc
        with self.engine.connect() as conn:
            _take_write_lock(conn)
            version = _stored_version(conn)   # again, under the lock: another clerk may have just migrated
            if version != migrations.SCHEMA_VERSION:
                self._refuse_newer(version)
                if version > 0:   # the whole ledger exported first (read on another connection), as SQLite copies its file
                    from core.ledger.export_xlsx import export_ledger
                    stamp = now().strftime("%Y%m%d-%H%M%S")
                    self.backup_dir.mkdir(parents=True, exist_ok=True)
                    export_ledger(self, self.backup_dir / f"{self.path.stem}-迁移前-v{version}-{stamp}.xlsx")
                _step_forward(conn, version)
                schema.server_metadata.create_all(conn)
            conn.commit()

    def _refuse_newer(self, version: int) -> None:
        if version > migrations.SCHEMA_VERSION:
            raise UserError(f"台账“{self.display_name}”由更新版本的督查台账创建（结构版本 {version}），请升级本软件后再打开。")


WRITE_LOCK = 0x4475636861  # "Ducha": the one advisory lock every writer of a server ledger takes
LOCK_WAIT_MS = 60_000       # how long a writer waits for another clerk's write (a merge of a month: seconds)


def _take_write_lock(conn: Connection) -> None:
    from sqlalchemy.exc import OperationalError
    try:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
    except OperationalError as exc:
        if "lock timeout" in str(exc.orig).lower():
            raise UserError("另一位同志正在写入共享台账（例如合并一批报送），等候 1 分钟仍未完成，本次没有改动任何内容。"
                            "请稍后再试。") from exc
        raise


def _stored_version(conn: Connection) -> int:
    if not inspect(conn).has_table("meta"):
        return 0
    value = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")).scalar()
    return int(value) if value is not None else 0


def _step_forward(conn: Connection, version: int) -> None:
    """Inside the caller's write transaction: the migration steps after `version`, new tables, the version row."""
    if version > 0:
        for step in migrations.MIGRATIONS[version - 1:]:
            step(conn)
    schema.metadata.create_all(conn)
    conn.execute(schema.meta.delete().where(schema.meta.c.key == "schema_version"))
    conn.execute(insert(schema.meta).values(key="schema_version", value=str(migrations.SCHEMA_VERSION)))
    record_audit(conn, new_batch(), "meta", "schema_version", "value",
                 str(version) if version else None, str(migrations.SCHEMA_VERSION), "system")


def server_error_message(where: str, exc: BaseException) -> str:
    """A connection failure in Chinese, naming the server (never a password) and what to do."""
    detail = location.mask(str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
    if "password" in detail.lower():
        hint = "需要密码：请在 .pgpass 文件（或 PGPASSFILE 指定的文件）中写好密码，或在窗口中连接时输入密码。"
    elif "does not exist" in detail:
        hint = "数据库或用户不存在：请让信息科按说明建好数据库和用户。"
    else:
        hint = "请检查服务器地址、端口和网络，或联系信息科。"
    return f"无法连接共享台账“{location.mask(where)}”：{detail}。{hint}"


def _on_connect(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def new_batch() -> str:
    return uuid.uuid4().hex[:16]


def record_audit(conn: Connection, batch: str, table_name: str, row_key: str, field: str,
                 old: Any, new: Any, source_kind: str, source_ref: str = "") -> None:
    """One row of 痕迹: what changed, from what to what, and where it came from."""
    conn.execute(insert(schema.audit).values(
        at=now(), batch=batch, table_name=table_name, row_key=str(row_key), field=field,
        old=None if old is None else str(old), new=None if new is None else str(new),
        source_kind=source_kind, source_ref=source_ref, clerk=clerk_name(),
    ))


def new_id(conn: Connection, statement: Insert) -> int:
    """Run one INSERT and return the new row's id (the single-column primary key every table here has)."""
    key = conn.execute(statement).inserted_primary_key
    assert key is not None, "a single-row INSERT always reports its key"
    return key[0]


def count_rows(conn: Connection, table) -> int:
    return conn.execute(select(func.count()).select_from(table)).scalar_one()
