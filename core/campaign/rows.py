"""Turning a 立项表's rows (from Word, Excel or text) into tasks: headers, carried values, units and lead flags."""
from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Callable

from core.campaign.table import ParsedPlan, ParsedTask, ParsedUnit, classify_header
from core.campaign.which_table import Evidence, TableReading, decide, sheet_evidence, title_evidence
from core.common.textnorm import despace, find_year, split_leaders, split_units, squash, unit_separators

# textual lead markers for files that cannot carry bold (text, .xls, .ods): *单位, 【单位】, 单位（牵头）
_LEAD_MARK = re.compile(r"^\*|^【(.+)】$|[（(]牵头[)）]$")


@dataclass
class Cell:
    text: str
    rich: Callable[[], list[tuple[str, bool]]] | None = None  # characters with their bold flag


def task_label(task: ParsedTask) -> str:
    return f"{'重点任务' if task.kind == 'key' else '民生实事'}第{task.seq}项"


def units_from_chars(chars: list[tuple[str, bool]]) -> list[ParsedUnit]:
    """Split on separators; a name is lead when all its visible characters are bold."""
    text = "".join(c for c, _ in chars)
    units: list[ParsedUnit] = []
    pos = 0
    for match in [*unit_separators(text), None]:
        end = match.start() if match else len(text)
        segment = chars[pos:end]
        name = despace("".join(c for c, _ in segment))
        if name:
            visible = [b for c, b in segment if not c.isspace()]
            units.append(ParsedUnit(name=name, lead=bool(visible) and all(visible)))
        if match:
            pos = match.end()
    return units


def units_from_text(text: str) -> list[ParsedUnit]:
    units = []
    for name in split_units(text):
        lead = bool(_LEAD_MARK.search(name))
        if lead:
            name = _LEAD_MARK.sub(lambda m: m.group(1) or "", name).strip("*")
        units.append(ParsedUnit(name=name, lead=lead))
    return units


def walk_rows(rows: list[list[Cell]], plan: ParsedPlan, where: str, state: dict | None = None,
              sheet: str = "", above: list[str] | None = None) -> dict | None:
    """Add the tasks of one table to `plan`; returns the state so a split table can continue.

    `sheet` is the worksheet's name, `above` the lines before the table (a Word document's title paragraphs):
    with the header words and columns they decide which table is which (core/campaign/which_table.py)."""
    above = list(above or [])
    for r_index, row in enumerate(rows):
        texts = [c.text for c in row]
        header = classify_header(texts)
        if header:
            header_key = tuple(squash(t) for t in texts)
            if state and state.get("header_key") == header_key:
                continue  # header row repeated on a new page
            reading = _read_table(plan, where, header, texts, sheet, above)
            sheet, above = "", []   # a sheet's name speaks for its first table only
            state = {"columns": header["columns"], "kind": reading.kind, "table": reading.where,
                     "header_key": header_key, "area": "", "category": ""}
            continue
        if state is None or not any(texts):
            if any(texts):
                above.append(" ".join(t for t in texts if t))
            continue
        cols = state["columns"]

        def get(field: str, cols: dict = cols, texts: list[str] = texts) -> str:
            idx = cols.get(field)
            return texts[idx] if idx is not None and idx < len(texts) else ""

        text = get("text")
        filled = [t for t in texts if t]
        if not text or (len(filled) > 1 and len(set(filled)) == 1):
            above.append(filled[0] if filled else "")  # a title between two tables (a merged row in Word)
            continue
        kind = state["kind"]
        if "kind" in cols and get("kind"):
            kind = "livelihood" if "民生" in get("kind") or get("kind") == "livelihood" else "key"
        try:
            seq = int(float(squash(get("seq"))))
        except ValueError:
            if "seq" in cols:
                plan.warnings.append(f"{where}第{r_index + 1}行“{text[:20]}…”没有序号，已跳过。")
                continue
            seq = len(plan.of_kind(kind)) + 1
        area = get("area") or state["area"]
        category = get("category") or state["category"]
        state["area"], state["category"] = area, category
        task = ParsedTask(kind=kind, seq=seq, text=text, area=area, category=category,
                          leaders=split_leaders(get("leaders")), table=state["table"])
        task.units = _units_of_row(row, cols)
        if not task.units:
            plan.warnings.append(f"{task_label(task)}没有责任单位。")
        elif not any(u.lead for u in task.units):
            task.units[0].lead = True
            plan.warnings.append(
                f"{task_label(task)}的责任单位没有标出牵头单位（加粗），已默认第一个单位“{task.units[0].name}”为牵头单位，请核对。")
        plan.tasks.append(task)
    return state


def _read_table(plan: ParsedPlan, where: str, header: dict, texts: list[str], sheet: str,
                above: list[str]) -> TableReading:
    """A new table starts: gather the evidence for its kind and record the reading on the plan."""
    evidence: list[Evidence] = []
    if sheet and (e := sheet_evidence(sheet)):
        evidence.append(e)
    if e := title_evidence(above):
        evidence.append(e)
        plan.year = plan.year or find_year(e.text)   # a title inside the table (Word's merged first row)
    cols = header["columns"]
    if header["kind"]:
        evidence.append(Evidence("header", header["kind"], texts[cols["text"]]))
    if "area" in cols or "category" in cols:
        label = "、".join(texts[cols[f]] for f in ("area", "category") if f in cols)
        evidence.append(Evidence("columns", "key", label))
    if len(plan.readings) < 2:
        evidence.append(Evidence("order", "key" if not plan.readings else "livelihood",
                                 f"第{len(plan.readings) + 1}个表"))
    label = where
    if any(r.where == label for r in plan.readings):
        label = f"{where}第{sum(r.where.startswith(where) for r in plan.readings) + 1}个表"
    reading = TableReading(label, decide(evidence), evidence)
    plan.readings.append(reading)
    return reading


def _units_of_row(row: list[Cell], cols: dict) -> list[ParsedUnit]:
    units: list[ParsedUnit] = []
    if "lead_units" in cols:
        for name in split_units(row[cols["lead_units"]].text if cols["lead_units"] < len(row) else ""):
            units.append(ParsedUnit(name=name, lead=True))
        if "co_units" in cols and cols["co_units"] < len(row):
            units += [ParsedUnit(name=n, lead=False) for n in split_units(row[cols["co_units"]].text)]
        if units or "units" not in cols:
            return _dedupe(units)
    idx = cols.get("units")
    if idx is None or idx >= len(row):
        return units
    cell = row[idx]
    if cell.rich is not None:
        chars = cell.rich()
        if any(b for _, b in chars):
            return _dedupe(units_from_chars(chars))
    return _dedupe(units_from_text(cell.text))


def _dedupe(units: list[ParsedUnit]) -> list[ParsedUnit]:
    seen: dict[str, ParsedUnit] = {}
    for u in units:
        if u.name in seen:
            seen[u.name].lead = seen[u.name].lead or u.lead
        else:
            seen[u.name] = u
    return list(seen.values())
