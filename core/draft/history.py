"""Earlier years' 立项表 as text extracted from a PDF notice (table broken into lines): tasks, leaders, units."""
from __future__ import annotations

import re
from pathlib import Path

from core.draft.suggest import PastTask
from core.common.textnorm import find_year

_SEQ = re.compile(r"^(\d{1,3})(?:\s+(.*))?$")
_HEADER_BITS = ("序号", "责任单位", "（加黑的为牵头单位）", "(加黑的为牵头单位)")
_NAME = re.compile(r"^[\u4e00-\u9fff]{2,3}$")
_UNIT_START = re.compile(r"^(区|市|济南|各|团区委|[\u4e00-\u9fff]{2,6}街道)")
# two unit names glued by a line break without 、: split before the next 区/市/济南 name (not 市中分局)
_GLUED = re.compile(r"(?:(?<=[局心司联处部委办会])|(?<=集团))(?=区|济南|团区委|市(?!中分局))")
_URL = re.compile(r"https?://\S+")
_QUOTES = str.maketrans({"‚": "“", "‛": "”", "臵": "置"})


def _leader_split(line: str) -> tuple[list[str], str] | None:
    """'栾长征 区工业和信息化局、区科技局' → (['栾长征'], '区工业…'); '王  莹' → (['王莹'], ''); else None."""
    tokens = line.split()
    names: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if len(tok) == 1 and i + 1 < len(tokens) and len(tokens[i + 1]) == 1:
            names.append(tok + tokens[i + 1])
            i += 2
        elif _NAME.match(tok) and not _UNIT_START.match(tok):
            names.append(tok)
            i += 1
        else:
            break
    if not names:
        return None
    rest = " ".join(tokens[i:])
    if rest and not _UNIT_START.match(rest):
        return None
    return names, rest


def parse_notice_tables(text: str, year: int | None = None) -> list[PastTask]:
    """The key tasks of 附件1 (and projects of 附件2) from a PDF-extracted notice; lead = first unit (bold is lost)."""
    year = year or find_year(text) or 0
    lines = [ln.strip().translate(_QUOTES) for ln in text.replace("\r", "").split("\n")]
    start = next((i for i, ln in enumerate(lines) if re.match(r"^附件\s*1$", ln)), None)
    if start is None:
        return []
    end = next((i for i, ln in enumerate(lines) if i > start and re.match(r"^附件\s*3$", ln)), len(lines))
    records: list[list[str]] = []
    expected = 1
    for ln in lines[start + 1:end]:
        if not ln or any(ln.startswith(b) for b in _HEADER_BITS) or ln.startswith("序号"):
            continue
        if re.match(r"^附件\s*2$", ln):
            expected = 1
            continue
        m = _SEQ.match(ln)
        if m and int(m.group(1)) == expected:
            records.append([m.group(2) or ""])
            expected += 1
            continue
        if records:
            records[-1].append(ln)
    tasks = []
    for rec in records:
        task = _record(rec, year)
        if task is not None:
            tasks.append(task)
    return tasks


def _record(lines: list[str], year: int) -> PastTask | None:
    text_parts: list[str] = []
    leaders: list[str] = []
    unit_text = ""
    phase = "area"
    for ln in [x for x in lines if x]:
        if phase in ("area", "text"):
            split = _leader_split(ln) if phase == "text" else None
            if split is not None and text_parts and text_parts[-1].endswith(("。", "；", "”")):
                leaders, unit_text = split[0], split[1]
                phase = "people"
                continue
            if phase == "area" and len(ln) <= 8 and not ln.endswith("。"):
                continue  # 类别/重点领域 cell, broken into short lines
            phase = "text"
            text_parts.append(ln)
        else:
            split = _leader_split(ln)
            if split is not None and not unit_text:
                leaders += split[0]
                unit_text = split[1]
            else:
                unit_text += ln
    text = "".join(text_parts).replace(" ", "")
    units = [u for part in _split_units(_URL.sub("", unit_text)) for u in _GLUED.split(part) if u]
    if not text or not units:
        return None
    return PastTask(year, text, leaders, [{"name": u, "lead": i == 0} for i, u in enumerate(units)])


def _split_units(text: str) -> list[str]:
    """Split on 、，, and blanks, but not inside “…” (区“暖企、助企、兴企”行动领导小组)."""
    parts: list[str] = []
    for piece in re.split(r"[、，,\s]+", text):
        if parts and parts[-1].count("“") > parts[-1].count("”"):
            parts[-1] += "、" + piece
        elif piece:
            parts.append(piece)
    return parts


def load_notice(path: Path | str) -> list[PastTask]:
    from core.draft.report import read_report_text
    return parse_notice_tables(read_report_text(path))


def load_history_file(path: Path | str) -> list[PastTask]:
    """An earlier year's 立项表 for suggestions: a Word/Excel table (read as on import) or a PDF-extracted notice."""
    from core.common.errors import UserError
    path = Path(path)
    if not path.exists():
        raise UserError(f"找不到文件“{path}”。请确认路径是否正确。")
    if path.suffix.lower() in (".txt", ".text"):
        tasks = load_notice(path)
        if not tasks:
            raise UserError(f"在“{path.name}”中没有找到“附件1”立项表。请选择往年的立项通知或立项表文件。")
        return tasks
    from core.campaign.read import read_plan_file
    plan = read_plan_file(path)
    year = plan.year or 0
    return [PastTask(year, t.text, list(t.leaders), [{"name": u.name, "lead": u.lead} for u in t.units])
            for t in plan.tasks]
