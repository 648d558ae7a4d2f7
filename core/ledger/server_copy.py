"""A shared (server) ledger's backup as a SQLite ledger file, and its rows read back for a restore.

Every ledger table is copied in one consistent read (a REPEATABLE READ transaction); the received files' contents
stay in the server's database (`file_blob`, as with the whole-ledger export that served as the backup before): a
restore keeps them. At ten years × 63 units the whole-ledger .xlsx export took 21 s (3.8 million cells through
XlsxWriter); this copy takes about 2 s, and older copies are gzip-compressed like any SQLite copy (issue 31).
The copy carries `MARK` in its meta table, so only a shared ledger's own copy is restored onto a shared ledger (a
single-PC ledger's copy keeps its received files beside it, not in the database)."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, insert, select

from core.ledger import schema

MARK = "backup_of_server"   # meta key of a shared ledger's copy; its value names the database
PART = 20_000   # rows read and written at a time


def copy_to_sqlite(ledger, target: Path) -> Path:
    """Every table of the server ledger `ledger` into a new SQLite file `target` (written whole, then renamed)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    tmp.unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{tmp}")
    try:
        schema.metadata.create_all(engine)
        with ledger.engine.connect() as src, engine.begin() as dst:
            src = src.execution_options(isolation_level="REPEATABLE READ")   # one snapshot for every table
            with src.begin():
                for table in schema.metadata.sorted_tables:
                    _copy_table(src, dst, table)
            dst.execute(insert(schema.meta), [{"key": MARK, "value": _database_name(ledger)}])
    finally:
        engine.dispose()
    tmp.replace(target)
    return target


def _copy_table(src, dst, table) -> None:
    """One table, in parts of `PART` rows, as plain tuples: the server's driver reads them (a named cursor, so a
    ten-year audit table is never held whole), SQLite's driver writes them, and the values SQLite stores as text
    (dates, times) go through SQLAlchemy's own SQLite conversion, so the copy holds what a SQLite ledger would."""
    columns = list(table.columns)
    names = ", ".join(f'"{c.name}"' for c in columns)
    convert = [c.type.dialect_impl(dst.dialect).bind_processor(dst.dialect) for c in columns]
    converting = [(i, f) for i, f in enumerate(convert) if f is not None]
    sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" * len(columns))})'
    writer = dst.connection.driver_connection
    with src.connection.driver_connection.cursor(name=f"copy_{table.name}") as cur:
        cur.itersize = PART
        cur.execute(f'SELECT {names} FROM "{table.name}"')
        while rows := cur.fetchmany(PART):
            if converting:
                rows = [list(row) for row in rows]
                for row in rows:
                    for i, f in converting:
                        row[i] = f(row[i])
            writer.executemany(sql, rows)


def _database_name(ledger) -> str:
    url = getattr(ledger.engine, "url", None)
    return str(getattr(url, "database", "") or "")


def is_server_copy(path: Path) -> bool:
    """True when the SQLite file at `path` is a shared ledger's copy (`copy_to_sqlite`)."""
    import sqlite3
    # as backup._open_readonly opens a copy: a file URI escapes what a Windows path or a folder named “备份#1” holds
    con = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return con.execute("SELECT 1 FROM meta WHERE key = ?", (MARK,)).fetchone() is not None
    except sqlite3.DatabaseError:
        return False
    finally:
        con.close()


def read_copy(path: Path) -> dict[str, list[dict]]:
    """Every table's rows of a copy at the current schema (`fill_tables` takes them), without its mark."""
    from core.ledger.store import Ledger
    led = Ledger(path)   # an older copy is migrated forward first (the caller hands a temporary file)
    try:
        with led.read() as conn:
            data = {t.name: [dict(r._mapping) for r in conn.execute(select(t))] for t in schema.metadata.sorted_tables}
    finally:
        led.close()
    data["meta"] = [r for r in data["meta"] if r.get("key") != MARK]
    return data
