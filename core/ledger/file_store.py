"""Content-addressed store of every received file, written before any row points at it.

A SQLite ledger keeps the files beside it (ledger.store_dir/ab/<sha256>); a server ledger keeps them in
its database (table file_blob), so every clerk's PC sees them; a local copy is made only to open one.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sqlalchemy import Connection, insert, select

from core.ledger import schema
from core.ledger.schema import file_blob
from core.ledger.store import now


def _on_server(ledger) -> bool:
    return bool(getattr(ledger, "is_server", False))


def _put_blobs(ledger, blobs: list[bytes]) -> list[str]:
    """Insert the bytes not yet in file_blob, in one committed transaction (two clerks storing one file: both fine)."""
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    digests = [sha256_of(bytes(d)) for d in blobs]
    fresh = {h: bytes(d) for h, d in zip(digests, blobs, strict=True)}
    with ledger.engine.connect() as conn:
        have = set(conn.execute(select(file_blob.c.hash).where(file_blob.c.hash.in_(list(fresh)))).scalars())
        rows = [{"hash": h, "data": d} for h, d in fresh.items() if h not in have]
        if rows:
            conn.execute(pg_insert(file_blob).on_conflict_do_nothing(index_elements=["hash"]), rows)
        conn.commit()
    return digests


def _blob(ledger, digest: str) -> bytes | None:
    with ledger.read() as conn:
        return conn.execute(select(file_blob.c.data).where(file_blob.c.hash == digest)).scalar()


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def path_of(ledger, digest: str) -> Path:
    """The file on this PC; for a server ledger a local copy, made from the database when first asked for."""
    target = Path(ledger.store_dir) / digest[:2] / digest
    if _on_server(ledger) and not target.is_file():
        data = _blob(ledger, digest)
        if data is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f"{digest}.{os.getpid()}.part")
            tmp.write_bytes(data)
            tmp.replace(target)
    return target


def put(ledger, source: Path | str | bytes, name: str = "") -> str:
    """Store the bytes (temp name + rename, fsync) and return their sha256; idempotent."""
    data = source if isinstance(source, (bytes, bytearray)) else Path(source).read_bytes()
    if _on_server(ledger):
        return _put_blobs(ledger, [bytes(data)])[0]
    digest = sha256_of(bytes(data))
    target = path_of(ledger, digest)
    if target.exists() and target.stat().st_size == len(data):
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{digest}.{os.getpid()}.part")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(target)
    return digest


def put_many(ledger, blobs: list[bytes]) -> list[str]:
    """Store several files with one sync at the end (fsync per file costs ms each on a busy disk)."""
    if _on_server(ledger):
        return _put_blobs(ledger, blobs) if blobs else []
    digests, written = [], []
    for data in blobs:
        digest = sha256_of(bytes(data))
        digests.append(digest)
        target = path_of(ledger, digest)
        if target.exists() and target.stat().st_size == len(data) or digest in digests[:-1]:
            continue  # already stored, or the same bytes twice in this batch (a zip holding one file twice)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{digest}.{os.getpid()}.part")
        with open(tmp, "wb") as fh:
            fh.write(data)
        written.append((tmp, target))
    if written:
        if hasattr(os, "sync"):
            os.sync()
        else:  # pragma: no cover - Windows
            for tmp, _ in written:
                with open(tmp, "rb+") as fh:
                    os.fsync(fh.fileno())
        for tmp, target in written:
            tmp.replace(target)
    return digests


def record(conn: Connection, digest: str, name: str, size: int) -> None:
    """The stored_file row (once per hash), inside the caller's transaction."""
    exists = conn.execute(select(schema.stored_file.c.hash).where(schema.stored_file.c.hash == digest)).first()
    if not exists:
        conn.execute(insert(schema.stored_file).values(hash=digest, name=name, size=size, stored_at=now()))


def read(ledger, digest: str) -> bytes:
    if _on_server(ledger):
        data = _blob(ledger, digest)
        if data is None:
            raise FileNotFoundError(f"stored file {digest[:12]} is not in the ledger's database")
        return bytes(data)
    return path_of(ledger, digest).read_bytes()


def verify(ledger, digest: str) -> bool:
    """True when the stored file exists and its bytes still hash to its name."""
    if _on_server(ledger):
        data = _blob(ledger, digest)
        return data is not None and sha256_of(bytes(data)) == digest
    target = path_of(ledger, digest)
    if not target.exists():
        return False
    h = hashlib.sha256()
    with open(target, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest() == digest


def copy_out(ledger, folder: Path) -> int:
    """Every stored file of the ledger into folder/ab/<sha256> (the store's layout); returns how many were copied."""
    copied = 0
    with ledger.read() as conn:
        hashes = list(conn.execute(select(schema.stored_file.c.hash)).scalars())
    for digest in hashes:
        target = Path(folder) / digest[:2] / digest
        if target.is_file():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".part")
        try:
            tmp.write_bytes(read(ledger, digest))
        except FileNotFoundError:
            continue   # `check` reports a missing file; the export still carries every row
        tmp.replace(target)
        copied += 1
    return copied
