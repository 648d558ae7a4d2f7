"""Unit contacts (联系人, 电话, 邮箱) from a sheet the office keeps, matched to the directory by name and alias."""
from __future__ import annotations

from pathlib import Path
from typing import TypedDict

from sqlalchemy import select, update

from core.ledger import schema
from core.common.errors import UserError
from core.ledger.changes import Area, Changed, LedgerChange
from core.ledger.store import Ledger, new_batch, record_audit
from core.common.textnorm import clean_cell, squash
from core.units.directory import UnitDirectory, ensure_unit

LABELS = {"name": ("单位名称", "单位", "责任单位"), "contact": ("联系人",), "phone": ("办公电话", "电话", "联系电话"),
          "mobile": ("手机", "手机号码"), "email": ("电子邮箱", "邮箱", "email", "E-mail")}


def read_contacts(path: Path) -> list[dict]:
    from python_calamine import CalamineWorkbook

    from core.common.sniff import check_input_limits
    check_input_limits(Path(path))
    try:
        wb = CalamineWorkbook.from_path(str(path))
        rows = wb.get_sheet_by_index(0).to_python()
    except Exception as exc:
        raise UserError(f"通讯录“{Path(path).name}”无法读取（{exc}）。请选择 .xlsx/.xls 通讯录。") from exc
    header = _find_header(rows)
    if header is None:
        raise UserError(f"通讯录“{Path(path).name}”中没有找到“单位名称”列。")
    h_index, cols = header
    out = []
    for row in rows[h_index + 1:]:
        def get(k: str, row: list = row) -> str:
            return clean_cell(row[cols[k]]) if k in cols and cols[k] < len(row) else ""

        if not get("name"):
            continue
        phones = [p for p in (get("phone"), get("mobile")) if p]
        out.append({"name": get("name"), "contact": get("contact"), "phone": " / ".join(phones), "email": get("email")})
    return out


def _find_header(rows: list[list]) -> tuple[int, dict[str, int]] | None:
    """The first of the top 10 rows that names a 单位名称 column: its index and its column map (field → column)."""
    for index, row in enumerate(rows[:10]):
        labels = [squash(clean_cell(v)).lower() for v in row]
        cols: dict[str, int] = {}
        for key, names in LABELS.items():
            for i, label in enumerate(labels):
                if label in [n.lower() for n in names] and key not in cols:
                    cols[key] = i
        if "name" in cols:
            return index, cols
    return None
class ContactsApplied(TypedDict):
    """Units whose contacts changed, names that matched no unit, units matched, units left for the clerk to choose."""
    updated: int
    unknown: list[str]
    matched: int
    undecided: list[str]


def apply_contacts(ledger: Ledger, contacts: list[dict], source: str, create_missing: bool = False,
                   choices: dict | None = None) -> Changed[ContactsApplied]:
    """Fill contacts of known units; rows that land on one unit are written only as `choices` says ({unit: row index
    or KEEP_BOTH}); returns counts, the names that matched no unit and the units left undecided."""
    from core.units.contacts_plan import chosen_values, group_rows
    batch, updated, choices = new_batch(), 0, choices or {}
    with ledger.begin() as conn:
        directory = UnitDirectory(conn)
        by_unit, unknown = group_rows(directory, contacts)
        if create_missing:
            for name in dict.fromkeys(unknown):
                ensure_unit(conn, name)
                by_unit[name] = [c for c in contacts if c["name"] == name][:1]
            unknown = []
        undecided = []
        for name, rows in by_unit.items():
            chosen = chosen_values(rows, choices.get(name))
            if chosen is None:
                undecided.append(name)
                continue
            row = conn.execute(select(schema.unit).where(schema.unit.c.name == name)).mappings().one()
            values = {k: v for k, v in chosen.items() if v and v != row[k]}
            if values:
                conn.execute(update(schema.unit).where(schema.unit.c.id == row["id"]).values(**values))
                for k, v in values.items():
                    record_audit(conn, batch, "unit", name, k, row[k], v, "import", source)
                updated += 1
    return Changed(ContactsApplied(updated=updated, unknown=unknown, matched=len(by_unit) - len(undecided),
                                   undecided=undecided), change=LedgerChange.of(Area.UNITS))
