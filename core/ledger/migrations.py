"""Schema versions: a fresh ledger gets the latest schema; an older one is backed up, then stepped forward."""
from collections.abc import Callable

from sqlalchemy import Connection, inspect, text

def _submission_sheet(conn: Connection) -> None:
    """v1 → v2: submission.sheet, the worksheet a submission was read from (one file, several units' sheets)."""
    add_column(conn, "submission", "sheet TEXT NOT NULL DEFAULT ''")


def _audit_clerk(conn: Connection) -> None:
    """v2 → v3: audit.clerk, the clerk who made each change (several clerks share a server ledger)."""
    add_column(conn, "audit", "clerk TEXT NOT NULL DEFAULT ''")


def _merge_prior(conn: Connection) -> None:
    """v3 → v4: merge_prior, each merged row's state before the merge (撤销上次合并 without a whole-ledger copy)."""
    from core.ledger import schema
    schema.merge_prior.create(conn, checkfirst=True)


def _audit_lookup_index(conn: Connection) -> None:
    """v4 → v5: an index on audit (table_name, field), so 督办 and 统计 find the files sent back without reading every
    audit row (a ten-year ledger of 630 units holds over a million)."""
    from core.ledger import schema
    next(i for i in schema.audit.indexes if i.name == "ix_audit_table_field").create(conn, checkfirst=True)


STATS_INDEXES = ("ix_submission_campaign", "ix_progress_task_on_track", "ix_dispatch_item_dispatch_unit")


def _stats_indexes(conn: Connection) -> None:
    """v5 → v6: indexes so 统计 over ten years of 630 units reads indexes, not whole tables: a campaign's files
    (submission), the 是/否 answers per task (progress_row), the units each dispatch went to (dispatch_item)."""
    from core.ledger import schema
    for table in (schema.submission, schema.progress_row, schema.dispatch_item):
        for index in table.indexes:
            if index.name in STATS_INDEXES:
                index.create(conn, checkfirst=True)
def _submission_year_indexes(conn: Connection) -> None:
    """v6 → v7 (issue 31): indexes on submission period and status, so the 收文
    list reads one year's files and the files still to review without reading every year's."""
    from core.ledger import schema
    for index in schema.submission.indexes:
        if index.name in ("ix_submission_period", "ix_submission_status"):
            index.create(conn, checkfirst=True)


def add_column(conn: Connection, table: str, column_ddl: str) -> None:
    """ALTER TABLE … ADD COLUMN, skipped when the column is already there."""
    names = {col["name"] for col in inspect(conn).get_columns(table)}
    if column_ddl.split()[0] not in names:
        conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column_ddl}"))


# MIGRATIONS[n] takes a ledger at version n to version n + 1. Append new steps at the end;
# new tables need no step (create_all adds them), new columns and data fixes do.
MIGRATIONS: list[Callable[[Connection], None]] = [_submission_sheet, _audit_clerk, _merge_prior, _audit_lookup_index,
                                                  _stats_indexes, _submission_year_indexes]

SCHEMA_VERSION = 1 + len(MIGRATIONS)
