"""The ledger's integrity check: the database's own checks, foreign keys, every referenced file in the store with its hash."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import and_, select, text

from core.ledger import schema

from core.common.work import Work, given


@dataclass
class CheckResult:
    problems: list[dict] = field(default_factory=list)   # {kind, message}
    checked_files: int = 0
    audit_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, kind: str, message: str) -> None:
        self.problems.append({"kind": kind, "message": message})

    def as_json(self) -> dict:
        return {"ok": self.ok, "problems": self.problems, "checked_files": self.checked_files,
                "audit_rows": self.audit_rows}

    def summary(self) -> str:
        if self.ok:
            return f"台账完好：数据库结构与外键无误，{self.checked_files} 个收存文件齐全且校验一致，痕迹 {self.audit_rows} 条。"
        head = f"台账检查发现 {len(self.problems)} 处问题："
        lines = [f"  {p['message']}" for p in self.problems[:50]]
        if len(self.problems) > 50:
            lines.append(f"  ……另有 {len(self.problems) - 50} 处")
        return "\n".join([head, *lines, "请从“备份与检查”页恢复最近一份完好的备份，或联系技术支持。"])


def store_path(ledger, file_hash: str) -> Path | None:
    """Where the store keeps a file by hash (layout of core/file_store), or None when absent."""
    try:
        from core.ledger import file_store
        finder = getattr(file_store, "path_of", None) or getattr(file_store, "path_for", None)
    except ImportError:
        finder = None
    if finder is not None:
        try:
            p = Path(finder(ledger, file_hash))
            if p.is_file():
                return p
        except Exception:
            pass
    base = ledger.store_dir
    for p in (base / file_hash[:2] / file_hash, base / file_hash[:2] / file_hash[2:], base / file_hash):
        if p.is_file():
            return p
    if base.is_dir():
        for p in base.rglob(f"{file_hash}*"):
            if p.is_file() and not p.name.endswith(".part"):
                return p
    return None


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def foreign_key_problems(conn) -> list[tuple[str, object, str]]:
    """(table, row id, parent table) for every row whose reference points at nothing (SQLite or PostgreSQL)."""
    if conn.dialect.name == "sqlite":
        return [(t, rowid, parent) for t, rowid, parent, _fk in conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()]
    found = []
    for table in schema.metadata.sorted_tables:
        for fk in table.foreign_key_constraints:
            parent = fk.referred_table.alias("parent")
            pairs = list(zip(fk.columns, fk.elements, strict=True))
            join_on = and_(*[parent.c[el.column.name] == col for col, el in pairs])
            first = table.primary_key.columns.values()[0]
            query = (select(first).select_from(table.outerjoin(parent, join_on))
                     .where(and_(*[col.isnot(None) for col, _ in pairs]), parent.c[pairs[0][1].column.name].is_(None)))
            found += [(table.name, rowid, fk.referred_table.name) for rowid in conn.execute(query.limit(20)).scalars()]
    return found


def check_ledger(ledger, verify_files: bool = True, work: Work | None = None) -> CheckResult:
    work = given(work)
    result = CheckResult()
    with ledger.read() as conn:
        if conn.dialect.name == "sqlite":
            rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
        else:   # the server keeps its own pages whole; what it can say: every table answers
            rows = ["ok"]
            for table in schema.metadata.sorted_tables:
                try:
                    conn.execute(select(text("1")).select_from(table).limit(1)).all()
                except Exception as exc:  # any failure is a finding
                    rows = [f"{table.name}: {type(exc).__name__}"]
                    conn.rollback()
        if rows != ["ok"]:
            for r in rows[:20]:
                result.add("integrity", f"数据库结构损坏：{r}")
        for child, rowid, parent in foreign_key_problems(conn):
            result.add("foreign_key", f"表 {child} 第 {rowid} 行引用的 {parent} 记录不存在")
        result.audit_rows = conn.execute(text("SELECT count(*) FROM audit")).scalar_one()
        stored = {h: (name, size) for h, name, size in conn.execute(text("SELECT hash, name, size FROM stored_file"))}
        needed: dict[str, str] = {}
        for h, name in conn.execute(text("SELECT file_hash, file_name FROM submission")):
            needed.setdefault(h, name)
        for ref, in conn.execute(text("SELECT DISTINCT source_ref FROM audit WHERE source_kind = 'file'")):
            if ref:
                needed.setdefault(ref, "")
        for h, in conn.execute(text("SELECT closed_evidence FROM task WHERE closed_evidence IS NOT NULL")):
            needed.setdefault(h, "")
    for h, name in needed.items():
        if h not in stored:
            result.add("store_row", f"文件 {name or h[:12]} 被痕迹或报送引用，但收存登记中没有它（{h[:12]}…）")
    if verify_files and getattr(ledger, "is_server", False):
        with ledger.read() as conn:   # the server hashes its own blobs: nothing crosses the network
            held = dict(conn.execute(text("SELECT hash, encode(sha256(data), 'hex') FROM file_blob")).all())
        for h, (name, _size) in sorted(stored.items()):
            if h not in held:
                result.add("store_missing", f"收存文件“{name}”（{h[:12]}…）不在文件库中（共享台账的数据库）")
            elif held[h] != h:
                result.add("store_hash", f"收存文件“{name}”（{h[:12]}…）内容与登记的校验值不符，可能已被改动")
            else:
                result.checked_files += 1
    elif verify_files:
        total = len(stored)
        for i, (h, (name, _size)) in enumerate(sorted(stored.items())):
            work.step(i, total, name)
            p = store_path(ledger, h)
            if p is None:
                result.add("store_missing", f"收存文件“{name}”（{h[:12]}…）不在文件库中")
                continue
            if sha256_of(p) != h:
                result.add("store_hash", f"收存文件“{name}”（{h[:12]}…）内容与登记的校验值不符，可能已被改动")
            result.checked_files += 1
    return result
