"""Reading a whole-ledger export workbook back into an EMPTY ledger, nothing lost (one transaction, audited)."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import cast

from sqlalchemy import Boolean, Date, DateTime, Integer, func, insert, select

from core.ledger import schema
from core.common.errors import UserError
from core.common.work import Work, given
from core.ledger.changes import Changed, LedgerChange
from core.ledger.store import new_batch, record_audit
from core.ledger.export_xlsx import EXTRA_SHEET, FORMAT, INFO_SHEET, SHEET_ROWS, continued_name, sheet_name

# tables a fresh ledger already fills by itself (they are replaced, not checked for emptiness)
_SELF_FILLED = {"meta", "audit"}


def _value(raw, col, where: str):
    if raw is None or raw == "":
        return None
    try:
        if isinstance(col.type, Boolean):
            if raw in ("是", True, 1, "1", "True", "true"):
                return True
            if raw in ("否", False, 0, "0", "False", "false"):
                return False
            raise ValueError(raw)
        if isinstance(col.type, Integer):
            if isinstance(raw, float) and raw.is_integer():
                return int(raw)
            return int(str(raw).strip())
        if isinstance(col.type, DateTime):
            return raw if isinstance(raw, datetime) else datetime.fromisoformat(str(raw))
        if isinstance(col.type, Date):
            if isinstance(raw, datetime):
                return raw.date()
            return raw if isinstance(raw, date) else date.fromisoformat(str(raw))
    except ValueError:
        raise UserError(f"导出文件中{where}的值“{str(raw)[:30]}”格式不对，无法导入。请使用未经修改的导出文件。") from None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw)


def read_export(path: Path) -> dict[str, list[dict]]:
    """{table: [row dict]} exactly as exported; refuses a workbook that is not a ledger export."""
    from python_calamine import CalamineWorkbook

    from core.common.sniff import check_zip_limits, sniff
    path = Path(path)
    if sniff(path) != "xlsx":
        raise UserError(f"“{path.name}”不是督查台账的导出工作簿（.xlsx）。请选择用“导出整个台账”生成的文件。")
    check_zip_limits(path)
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        raise UserError(f"无法读取“{path.name}”：{exc}。请确认文件完整。") from exc
    names = set(wb.sheet_names)
    if INFO_SHEET not in names:
        raise UserError(f"“{path.name}”不是督查台账的导出工作簿（缺少“{INFO_SHEET}”表）。")
    info = {str(r[0]): r[1] for r in wb.get_sheet_by_name(INFO_SHEET).to_python() if len(r) >= 2}
    if info.get("格式") != FORMAT:
        raise UserError(f"“{path.name}”不是督查台账的导出工作簿。请选择用“导出整个台账”生成的文件。")
    extra: dict[tuple, list] = {}
    empties: set[tuple] = set()
    extra_lines = []
    k = 0
    while continued_name(EXTRA_SHEET, k) in names:   # 续写, then 续写（续1）… past Excel's last row
        extra_lines += wb.get_sheet_by_name(continued_name(EXTRA_SHEET, k)).to_python()[1:]
        k += 1
    if extra_lines:
        for r in extra_lines:
            if len(r) < 6 or r[0] == "":
                continue
            # the row number and the part number were written by export_xlsx as numbers
            ref = (str(r[0]), int(cast(float, r[1])), str(r[2]))
            if r[3] == "空串":
                empties.add(ref)
            else:
                extra.setdefault(ref, []).append((int(cast(float, r[4])), "" if r[5] is None else str(r[5])))
    data: dict[str, list[dict]] = {}
    for table in schema.metadata.sorted_tables:
        name = sheet_name(table.name)
        if name not in names:
            raise UserError(f"导出文件“{path.name}”缺少“{name}”表，无法导入。请使用完整的导出文件。")
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        if len(rows) < 2:
            raise UserError(f"导出文件的“{name}”表缺少列名行，无法导入。")
        k = 1
        while continued_name(name, k) in names:   # a table longer than one sheet: each full, its rows numbered on
            if len(rows) != 2 + k * SHEET_ROWS:
                raise UserError(f"导出文件的“{continued_name(name, k - 1)}”表不完整，无法导入。请使用未经修改的导出文件。")
            rows += wb.get_sheet_by_name(continued_name(name, k)).to_python(skip_empty_area=False)[2:]
            k += 1
        keys = [str(k) for k in rows[1]]
        while keys and keys[-1] == "":
            keys.pop()
        unknown = [k for k in keys if k not in table.c]
        if unknown:
            raise UserError(f"导出文件的“{name}”表有本软件不认识的列（{'、'.join(unknown)}），可能来自更新版本，请升级后再导入。")
        out = []
        for r_index, raw in enumerate(rows[2:], start=2):
            if not any(v not in (None, "") for v in raw):
                continue
            row = {}
            for c, key in enumerate(keys):
                col = table.c[key]
                cell = raw[c] if c < len(raw) else None
                where = f"“{name}”表第 {r_index + 1} 行“{key}”列"
                if (table.name, r_index, key) in empties:
                    row[key] = ""
                    continue
                value = _value(cell, col, where)
                parts = extra.get((table.name, r_index, key))
                if parts:
                    value = (value or "") + "".join(p for _, p in sorted(parts))
                if value is None and not col.nullable and isinstance(col.type, schema.Text | schema.String):
                    value = ""
                row[key] = value
            out.append(row)
        data[table.name] = out
        stated = info.get(f"{name}（行数）")
        if stated not in (None, "") and str(stated).strip().isdigit() and int(str(stated).strip()) != len(out):
            raise UserError(f"导出文件“{path.name}”的“{name}”表应有 {int(str(stated).strip())} 行，读到 {len(out)} 行："
                            "文件不完整（或由旧版本导出时超出了 Excel 的行数上限）。请用本版本重新导出。")
    return data


def import_ledger(ledger, path: Path, work: Work | None = None) -> Changed[dict[str, int]]:
    """Fill an EMPTY ledger from an export workbook, keeping ids and uids; returns {table: rows} (and everything
    changed)."""
    work = given(work)
    data = read_export(path)
    path = Path(path)
    with ledger.read() as conn:
        busy = [sheet_name(t.name) for t in schema.metadata.sorted_tables
                if t.name not in _SELF_FILLED and conn.execute(select(func.count()).select_from(t)).scalar_one()]
    if busy:
        raise UserError(f"只能导入到空台账，但当前台账已有数据（{'、'.join(busy[:5])}）。请先新建一个空台账再导入。")
    _store_files(ledger, path, data)   # before any row points at them, as a collect does
    with ledger.begin() as conn:
        counts = fill_tables(conn, data, work)
        record_audit(conn, new_batch(), "meta", "import-ledger", "from", None, path.name, "import", path.name)
    return Changed(counts, change=LedgerChange.everything())


def _store_files(ledger, path: Path, data: dict[str, list[dict]]) -> int:
    """The received files carried beside the export (<stem>-files/, see export_xlsx.copy_files) into this ledger's store."""
    from core.ledger import file_store
    from core.ledger.export_xlsx import files_folder
    folder, blobs = files_folder(path), []
    for row in data.get("stored_file", []):
        source = folder / row["hash"][:2] / row["hash"]
        if source.is_file():
            blob = source.read_bytes()
            if file_store.sha256_of(blob) == row["hash"]:
                blobs.append(blob)
    for start in range(0, len(blobs), 50):
        file_store.put_many(ledger, blobs[start:start + 50])
    return len(blobs)


def fill_tables(conn, data: dict[str, list[dict]], work: Work | None = None, replace: bool = False) -> dict[str, int]:
    """Inside the caller's write transaction: every table's rows from `data` (replace=True empties them first)."""
    work = given(work)
    counts = {}
    tables = list(schema.metadata.sorted_tables)
    version = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")).scalar()
    for table in reversed(tables) if replace else (schema.meta, schema.audit):
        conn.execute(table.delete())
    for n, table in enumerate(tables):
        work.step(n, len(tables), sheet_name(table.name))
        rows = data[table.name]
        if table.name == "meta":
            rows = [r for r in rows if r.get("key") != "schema_version"]
            rows.append({"key": "schema_version", "value": version})
        for start in range(0, len(rows), 500):
            conn.execute(insert(table), rows[start:start + 500])
        counts[table.name] = len(rows)
    from core.ledger.integrity import foreign_key_problems
    bad = foreign_key_problems(conn)
    if bad:
        raise UserError(f"导出文件中的数据互相引用不一致（如 {bad[0][0]} 表第 {bad[0][1]} 行），未导入。"
                        "请使用未经修改的导出文件。")
    reset_sequences(conn)
    return counts


def reset_sequences(conn) -> None:
    """On PostgreSQL, rows inserted with their ids leave each id sequence behind: move it past the highest id."""
    if conn.dialect.name != "postgresql":
        return
    for table in schema.metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) == 1 and pk[0].name == "id" and isinstance(pk[0].type, Integer):
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                f"COALESCE((SELECT max(id) FROM \"{table.name}\"), 0) + 1, false)")
