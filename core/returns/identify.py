"""Which unit, form and period a returned workbook is: from any surviving stamp carrier, else a proposal to confirm."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, select

from core.ledger import schema
from core.returns.evidence import UnitKeys, doubts, rounds_of, rows_doubt, task_owners, unit_keys, units_of_rows
from core.returns.read import ParsedForm, ReturnedBook
from core.forms.stamp import PROPERTY_PREFIX, STAMP_NAME, STAMP_MAGIC, Stamp
from core.common.textnorm import find_year, squash
from core.units.directory import UnitDirectory

CARRIER_NAMES = {"properties": "文档属性", "sheet": "隐藏标识页", "name": "定义名称", "keys": "隐藏键列"}
MONTH_RE = re.compile(r"[（(]\s*(\d{1,2})\s*月\s*[)）]|(\d{1,2})\s*月")


@dataclass
class Identity:
    unit_id: int | None = None
    unit_name: str = ""
    form: str = ""            # plan | report
    period: str = ""          # YYYY | YYYY-MM
    year: int | None = None
    stamped: bool = False
    carriers: list[str] = field(default_factory=list)
    conflict: str = ""        # carriers disagree
    reject: str = ""          # unknown unit, other year …
    proposed_from: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return bool(self.unit_id and self.form and self.period)


def stamps_of(book: ReturnedBook) -> dict[str, Stamp]:
    found: dict[str, Stamp] = {}
    props = book.properties
    stamp = Stamp.decode(props.get(f"{PROPERTY_PREFIX}STAMP", ""))
    if stamp is None and props.get(f"{PROPERTY_PREFIX}UNIT_ID") and props.get(f"{PROPERTY_PREFIX}FORM"):
        try:
            stamp = Stamp(year=int(props.get(f"{PROPERTY_PREFIX}YEAR", "0")), form=props[f"{PROPERTY_PREFIX}FORM"],
                          period=props.get(f"{PROPERTY_PREFIX}PERIOD", ""), unit_id=int(props[f"{PROPERTY_PREFIX}UNIT_ID"]),
                          unit_name=props.get(f"{PROPERTY_PREFIX}UNIT", ""),
                          template_version=props.get(f"{PROPERTY_PREFIX}TEMPLATE", ""),
                          fingerprint=props.get(f"{PROPERTY_PREFIX}FINGERPRINT", ""))
        except ValueError:
            stamp = None
    if stamp:
        found["properties"] = stamp
    if len(book.stamp_sheet) >= 2 and book.stamp_sheet[0] == STAMP_MAGIC:
        s = Stamp.decode(book.stamp_sheet[1])
        if s:
            found["sheet"] = s
    s = Stamp.decode(book.names.get(STAMP_NAME, ""))
    if s:
        found["name"] = s
    return found


def key_units(form: ParsedForm | None) -> set[int]:
    from core.returns.match_keys import parse_key
    units = set()
    for row in (form.rows if form else []):
        parsed = parse_key(row.key)
        if parsed:
            units.add(parsed[1])
    return units


def identify(conn: Connection, book: ReturnedBook, form: ParsedForm | None, file_name: str, cache=None,
             siblings: frozenset[int] = frozenset()) -> Identity:
    """cache: a collect run's RunCache (units, campaigns), so a folder of files asks the ledger once.
    siblings: the other units whose sheets share this workbook (a file name may name any of them)."""
    ident = Identity()
    stamps = stamps_of(book)
    if cache is not None:
        units, years = cache.units, set(cache.campaigns)
    else:
        units = {r.id: r.name for r in conn.execute(select(schema.unit.c.id, schema.unit.c.name))}
        years = {r.year for r in conn.execute(select(schema.campaign.c.year))}
    keyed = key_units(form)
    if stamps:
        ident.stamped = True
        votes: dict[tuple, list[str]] = {}
        for carrier, s in stamps.items():
            votes.setdefault((s.year, s.form, s.period, s.unit_id), []).append(carrier)
        best = max(votes.items(), key=lambda kv: len(kv[1]))
        year, form_kind, period, unit_id = best[0]
        ident.carriers = list(best[1])
        stamp = stamps[best[1][0]]
        if len(votes) > 1:
            others = "；".join(f"{'、'.join(CARRIER_NAMES[c] for c in cs)}：{stamps[cs[0]].unit_name} {k[2]}"
                              for k, cs in votes.items() if cs is not best[1])
            carrier_names = "、".join(CARRIER_NAMES[c] for c in best[1])
            ident.conflict = f"标识不一致：{carrier_names}为 {stamp.unit_name} {period}，而{others}"
        if keyed:
            if unit_id in keyed:   # with 牵头单位汇总 the lead's form also holds its co-units' rows
                ident.carriers.append("keys")
            elif not ident.conflict:
                keyed_names = "、".join(units.get(u, str(u)) for u in sorted(keyed))
                ident.conflict = f"隐藏键列指向其他单位（{keyed_names}），与标识（{stamp.unit_name}）不一致"
        ident.year, ident.form, ident.period = year, form_kind, period
        if year not in years:
            ident.reject = f"这是 {year} 年的表，台账中没有 {year} 年的立项任务（不是本批次下发的表），已拒收。"
        if unit_id in units and (squash(units[unit_id]) == squash(stamp.unit_name) or not stamp.unit_name):
            ident.unit_id, ident.unit_name = unit_id, units[unit_id]
        else:
            resolved = UnitDirectory(conn).resolve(stamp.unit_name) if stamp.unit_name else None
            if resolved:
                ident.unit_id = next(i for i, n in units.items() if n == resolved)
                ident.unit_name = resolved
            elif not ident.reject:
                ident.reject = f"表中标识的单位“{stamp.unit_name}”（编号 {unit_id}）在台账中不存在，已拒收。请核对单位名录。"
        if not ident.reject and ident.unit_id:
            found = _doubts(conn, ident, form, file_name, cache, siblings)
            if found:   # the stamp alone never decides when the rest of the file says otherwise
                lead = (f"{ident.conflict}；另外" if ident.conflict
                        else f"表中的标识为 {ident.unit_name} {_period_text(ident)}，但")
                ident.conflict = lead + "；".join(found)
        return ident
    # no stamp: propose and ask
    directory = UnitDirectory(conn)
    if keyed and len(keyed) == 1 and next(iter(keyed)) in units:
        ident.unit_id = next(iter(keyed))
        ident.unit_name = units[ident.unit_id]
        ident.proposed_from.append("隐藏键列")
    keys = _unit_keys(conn, cache)
    if not ident.unit_id and form and form.unit_cell:
        name = directory.resolve(form.unit_cell)
        named = {next(i for i, n in units.items() if n == name)} if name else keys.mentioned(form.unit_cell)
        if len(named) == 1:
            ident.unit_id = next(iter(named))
            ident.unit_name = units.get(ident.unit_id, "")
            ident.proposed_from.append("填报单位")
    if not ident.unit_id:   # full names, aliases and the short names the app writes into file names
        named = keys.mentioned(Path(file_name).stem)
        if len(named) == 1:
            ident.unit_id = next(iter(named))
            ident.unit_name = units.get(ident.unit_id, "")
            ident.proposed_from.append("文件名")
    ident.form = form.form if form else ""
    title = form.title if form else ""
    year = find_year(title) or find_year(Path(file_name).stem)
    if year is None and years:
        year = max(years)
    ident.year = year
    if not ident.unit_id and year is not None:   # last: the one unit every row's task belongs to
        count, owners = units_of_rows(_task_texts(form), _owners(conn, year, cache))
        if count and len(owners) == 1 and next(iter(owners)) in units:
            ident.unit_id = next(iter(owners))
            ident.unit_name = units[ident.unit_id]
            ident.proposed_from.append("任务内容")
    if year is not None and years and year not in years:
        ident.reject = f"这是 {year} 年的表，台账中没有 {year} 年的立项任务，已拒收。"
    if ident.form == "plan" and year:
        ident.period = str(year)
    elif ident.form == "report" and year:
        month = _month(title) or _month(Path(file_name).stem)
        if month:
            ident.period = f"{year}-{month:02d}"
            ident.proposed_from.append("标题" if _month(title) else "文件名")
    if ident.unit_id and not ident.reject:
        found = _doubts(conn, ident, form, file_name, cache, siblings)
        if found:
            got = "、".join(ident.proposed_from) or "无"
            ident.conflict = (f"表中的标识已丢失（可能是重新录入的表），依据{got}推测为：{ident.unit_name} "
                              f"{_period_text(ident) or '？'}；但" + "；".join(found))
    return ident


def _unit_keys(conn: Connection, cache) -> UnitKeys:
    return cache.memo(("unit_keys",), lambda: unit_keys(conn)) if cache is not None else unit_keys(conn)


def _owners(conn: Connection, year: int | None, cache) -> dict[str, set[int]]:
    if cache is not None:
        return cache.memo(("task_owners", year), lambda: task_owners(conn, year))
    return task_owners(conn, year)


def _task_texts(form: ParsedForm | None) -> list[str]:
    return [r.values.get("task", "") for r in (form.rows if form else [])]


def _doubts(conn: Connection, ident: Identity, form: ParsedForm | None, file_name: str, cache,
            siblings: frozenset[int] = frozenset()) -> list[str]:
    return doubts(conn, ident.unit_id, ident.form, ident.period, form.title if form else "",
                  form.unit_cell if form else "", file_name, _unit_keys(conn, cache), _task_texts(form),
                  _owners(conn, ident.year, cache),
                  cache.memo(("rounds",), lambda: rounds_of(conn)) if cache is not None else None, siblings)


def _units(conn: Connection, cache) -> dict[int, str]:
    if cache is not None:
        return cache.units
    return {r.id: r.name for r in conn.execute(select(schema.unit.c.id, schema.unit.c.name))}


def sheet_unit(conn: Connection, form: ParsedForm, year: int | None, cache=None) -> tuple[int | None, list[str]]:
    """The one unit a sheet's own evidence names — its 填报单位 cell, its rows' tasks, its hidden keys — and the
    evidence that names it; (None, []) when the sheet names no unit, several, or its evidence disagrees."""
    keys = _unit_keys(conn, cache)
    units = _units(conn, cache)
    by_cell: set[int] = set()
    if form.unit_cell:
        name = UnitDirectory(conn).resolve(form.unit_cell)
        by_cell = {i for i, n in units.items() if n == name} if name else keys.mentioned(form.unit_cell)
        if len(by_cell) > 1:
            return None, []
    owners = _owners(conn, year, cache)
    count, by_rows = units_of_rows(_task_texts(form), owners)
    keyed = key_units(form)
    if by_cell:
        unit = next(iter(by_cell))
    elif count and len(by_rows) == 1:
        unit = next(iter(by_rows))
    elif len(keyed) == 1:
        unit = next(iter(keyed))
    else:
        return None, []
    if (count and unit not in by_rows) or (keyed and unit not in keyed) or unit not in units:
        return None, []
    if rows_doubt(_task_texts(form), owners, unit, keys):
        return None, []
    evidence = (["填报单位"] if by_cell else []) + (["任务内容"] if count else []) + (["隐藏键列"] if keyed else [])
    return unit, evidence


def identify_sheets(conn: Connection, book: ReturnedBook, forms: list[ParsedForm], file_name: str,
                    cache=None) -> list[tuple[ParsedForm, Identity]] | None:
    """一个单位两块牌子: when the book's filled form sheets are each a DIFFERENT unit's by their own evidence, every
    such sheet with its own identity. The workbook's stamp (year, form, month) applies to the sheet of the unit
    it names; another unit's sheet is taken without asking only when its 填报单位 cell and its rows' tasks both
    name that unit and nothing else in it disagrees. None when the sheets are not clearly different units
    (a filled copy and an edited copy of one unit's sheet): the file stays one question for the clerk."""
    filled = [f for f in forms if f.has_answers()]
    if len(filled) < 2 or len({f.form for f in filled}) > 1:
        return None
    base = identify(conn, book, None, file_name, cache)
    if base.reject:
        return None
    found = [(f, *sheet_unit(conn, f, base.year, cache)) for f in filled]
    units = [u for _f, u, _e in found if u is not None]
    if len(units) < len(found) or len(set(units)) < len(units):
        return None
    base = identify(conn, book, None, file_name, cache, frozenset(units))   # the file name may name any of them
    if base.reject or base.conflict:
        return None
    if base.stamped and (base.unit_id not in units or base.form != filled[0].form):
        return None   # the stamp names none of the sheets' units: ask
    names = _units(conn, cache)
    out: list[tuple[ParsedForm, Identity]] = []
    for f, unit, evidence in found:
        if unit is None:
            return None
        siblings = frozenset(u for u in units if u != unit)
        if not base.stamped or unit == base.unit_id:
            ident = identify(conn, book, f, file_name, cache, siblings)
            if not base.stamped and ident.unit_id != unit:   # the sheet's own evidence, not the file name
                ident.unit_id, ident.unit_name, ident.proposed_from = unit, names.get(unit, ""), list(evidence)
            out.append((f, ident))
            continue
        ident = Identity(unit_id=unit, unit_name=names.get(unit, ""), form=base.form, period=base.period,
                         year=base.year, stamped=True, carriers=["同簿标识（年度、表式、月份）", *evidence])
        if not {"填报单位", "任务内容"} <= set(evidence):
            ident.conflict = (f"工作表「{f.sheet}」只有{'、'.join(evidence)}指向 {ident.unit_name}"
                              f"（工作簿的标识是 {base.unit_name} 的）")
        doubt = _doubts(conn, ident, f, file_name, cache, siblings)
        if doubt:
            lead = f"{ident.conflict}；另外" if ident.conflict else f"工作表「{f.sheet}」属于 {ident.unit_name}，但"
            ident.conflict = lead + "；".join(doubt)
        out.append((f, ident))
    return out


def _period_text(ident: Identity) -> str:
    if ident.form == "report" and len(ident.period or "") == 7:
        return f"{ident.period[:4]}年{int(ident.period[5:7])}月的落实情况表"
    if ident.form == "plan" and ident.period:
        return f"{ident.period}年的落实计划表"
    return ident.period or ""


def _month(text: str) -> int | None:
    for m in MONTH_RE.finditer(text or ""):
        value = int(m.group(1) or m.group(2))
        if 1 <= value <= 12:
            return value
    return None
