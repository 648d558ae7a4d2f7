"""Address-book rows against the unit directory before anything is written: rows that land on one unit (the clerk chooses
one or keeps both), rows that match no unit, and which units still lack a contact (one count for every screen)."""
from __future__ import annotations

from sqlalchemy import select

from core.ledger import schema
from core.ledger.store import Ledger
from core.units.directory import UnitDirectory

KEEP_BOTH = "both"   # a conflict's choice: both rows become the unit's contacts
FIELDS = ("contact", "phone", "email")
JOINERS = {"contact": "、", "phone": " / ", "email": ", "}   # e-mail: a list the To: header takes as it is


def group_rows(directory: UnitDirectory, contacts: list[dict]) -> tuple[dict[str, list[dict]], list[str]]:
    """({unit name: its rows in sheet order}, names matching no unit); identical rows for one unit count once."""
    by_unit: dict[str, list[dict]] = {}
    unknown: list[str] = []
    for row in contacts:
        name = directory.resolve(row["name"])
        if name is None:
            unknown.append(row["name"])
            continue
        rows = by_unit.setdefault(name, [])
        if all(any(row[k] != other[k] for k in FIELDS) for other in rows):
            rows.append(row)
    return by_unit, unknown


def plan_contacts(ledger: Ledger, contacts: list[dict]) -> dict:
    """What an import would do: {"units": {unit: rows}, "unknown": [...], "conflicts": [{"unit", "rows"}]}."""
    with ledger.read() as conn:
        by_unit, unknown = group_rows(UnitDirectory(conn), contacts)
    conflicts = [{"unit": unit, "rows": rows} for unit, rows in by_unit.items() if len(rows) > 1]
    return {"units": by_unit, "unknown": unknown, "conflicts": conflicts}


def chosen_values(rows: list[dict], choice: int | str | None) -> dict | None:
    """The contact values for a unit from its rows and the clerk's choice (None: undecided, write nothing)."""
    if len(rows) == 1:
        return {k: rows[0][k] for k in FIELDS}
    if choice == KEEP_BOTH:
        out = {}
        for k in FIELDS:
            seen: list[str] = []
            for r in rows:
                if r[k] and r[k] not in seen:
                    seen.append(r[k])
            out[k] = JOINERS[k].join(seen)
        return out
    if isinstance(choice, int) and 0 <= choice < len(rows):
        return {k: rows[choice][k] for k in FIELDS}
    return None


def has_contact(unit: dict) -> bool:
    """A unit someone can be reached at: a named contact or an e-mail address."""
    return bool((unit.get("contact") or "").strip() or (unit.get("email") or "").strip())


def contact_counts(ledger: Ledger) -> dict:
    """{"units", "with_contact", "missing": [names in directory order], "collective"}: collective names
    (各街道办事处…) are not units one writes to and are left out of the counts."""
    u = schema.unit
    with ledger.read() as conn:
        rows = conn.execute(select(u.c.name, u.c.contact, u.c.email, u.c.collective).order_by(u.c.id)).mappings().all()
    real = [dict(r) for r in rows if not r["collective"]]
    missing = [r["name"] for r in real if not has_contact(r)]
    return {"units": len(real), "with_contact": len(real) - len(missing), "missing": missing,
            "collective": len(rows) - len(real)}


def counts_sentence(counts: dict, show: int = 8) -> str:
    """The one sentence the wizard, its summary and the 单位 page use."""
    text = f"台账中 {counts['units']} 个责任单位，{counts['with_contact']} 个已有联系人"
    if not counts["missing"]:
        text += "，全部齐全。"
    else:
        more = f" 等 {len(counts['missing'])} 个" if len(counts["missing"]) > show else ""
        text += f"，尚缺 {len(counts['missing'])} 个：{'、'.join(counts['missing'][:show])}{more}。"
    if counts["collective"]:
        text += f"另有集合名称 {counts['collective']} 个（如“各街道办事处”），不单独联系，不计在内。"
    return text
