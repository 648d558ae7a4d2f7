"""Earlier years' 立项表 as text extracted from a PDF notice (table broken into lines): tasks, leaders, units."""
from __future__ import annotations

import re
from pathlib import Path

from core.draft.suggest import PastTask
from core.common.textnorm import find_year

_SEQ = re.compile(r"^(\d{1,3})(?:\s+(.*))?$")
_HEADER_BITS = ("序号", "责任单位", "（加黑的为牵头单位）", "(加黑的为牵头单位)")
_NAME = re.compile(r"^[\u4e00-\u9fff]{2,3}$")
_UNIT_START = re.compile(r"^(区|市|济南|各|团区委|公安|生态环境|相关|[\u4e00-\u9fff]{2,6}街道)")
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
    """The key tasks of 附件1 and projects of 附件2 from a PDF-extracted notice; lead = first unit (bold is lost)."""
    year = year or find_year(text) or 0
    return [PastTask(year, t["text"], t["leaders"], t["units"], kind=t["kind"], seq=t["seq"], area=t["category"])
            for t in notice_rows(text)]


def notice_rows(text: str) -> list[dict]:
    """附件1/附件2 rows as dicts {kind, seq, category, text, leaders, units[{name, lead}]} (lead = first unit)."""
    lines = [ln.strip().translate(_QUOTES) for ln in text.replace("\r", "").split("\n")]
    annex = {n: next((i for i, ln in enumerate(lines) if re.match(rf"^附件\s*{n}$", ln)), None) for n in (1, 2, 3)}
    if annex[1] is None:
        return []
    end = annex[3] if annex[3] is not None else len(lines)
    sections = [("key", annex[1], annex[2] if annex[2] is not None else end)]
    if annex[2] is not None:
        sections.append(("livelihood", annex[2], end))
    rows: list[dict] = []
    for kind, a, b in sections:
        category = ""
        for seq, rec in _records(lines[a + 1:b]):
            row = _row(rec)
            if row is None:
                continue
            category = row.pop("category") or category
            rows.append({"kind": kind, "seq": seq, "category": category if kind == "key" else "", **row})
    return rows


def _records(lines: list[str]) -> list[tuple[int, list[str]]]:
    records: list[tuple[int, list[str]]] = []
    expected = 1
    for ln in lines:
        if not ln or _URL.fullmatch(ln) or ln.startswith(_HEADER_BITS) or "责任分解" in ln:
            continue
        m = _SEQ.match(ln)
        if m and int(m.group(1)) == expected:
            records.append((expected, [m.group(2) or ""]))
            expected += 1
        elif records:
            records[-1][1].append(ln)
    return records


_END = re.compile(r"[。；！]”?$|[。；]）$")
_UNIT_END = "局心司联处部委办会团组队所院站"


def _row(rec: list[str]) -> dict | None:
    """One record's lines → category, text, leaders, units. The text ends at the last sentence end (。)."""
    lines = [ln for ln in rec if ln.strip()]
    tokens = [(i, tok) for i, ln in enumerate(lines) for tok in ln.split()]
    stop = max((k for k, (_, tok) in enumerate(tokens) if _END.search(tok)), default=None)
    if stop is None:
        return None
    # category: the leading short lines (a narrow merged cell, wrapped every few characters)
    first_text_line = 0
    while first_text_line < len(lines) and len(lines[first_text_line].replace(" ", "")) <= 9 \
            and not _END.search(lines[first_text_line]) and tokens[stop][0] > first_text_line:
        first_text_line += 1
    category = "".join(lines[:first_text_line]).replace(" ", "")
    text = "".join(tok for i, tok in tokens[:stop + 1] if i >= first_text_line)
    rest_lines: dict[int, list[str]] = {}
    for i, tok in tokens[stop + 1:]:
        rest_lines.setdefault(i, []).append(tok)
    leaders: list[str] = []
    unit_lines: list[str] = []
    collective = "".join("".join(rest_lines[i]) for i in sorted(rest_lines))
    if collective.startswith("各分管副区长"):  # 2023 附件1 第76项: the leader cell names no one person
        leaders.append("各分管副区长")
        rest_lines = {i: t for i, t in rest_lines.items() if "".join(t) not in ("各分管", "副区长", "各分管副区长")}
    for i in sorted(rest_lines):
        toks = rest_lines[i]
        if not unit_lines:
            split = _leader_split(" ".join(toks))
            if split is not None:
                leaders += split[0]
                if split[1]:
                    unit_lines.append(split[1])
                continue
        unit_lines.append(" ".join(toks))
    joined = ""
    for ln in unit_lines:
        ln = re.sub(rf"(?<=[{_UNIT_END}])\s+(?=[\u4e00-\u9fff])", "、", ln).replace(" ", "")
        if joined and joined[-1] in _UNIT_END and _UNIT_START.match(ln) and not joined.endswith("街道办"):
            joined += "、"
        joined += ln
    units = [u for u in _split_units(_URL.sub("", joined)) if u]
    if not text or not units:
        return None
    return {"category": category, "text": text, "leaders": leaders,
            "units": [{"name": u, "lead": i == 0} for i, u in enumerate(units)]}


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
    return [PastTask(year, t.text, list(t.leaders), [{"name": u.name, "lead": u.lead} for u in t.units],
                     kind=t.kind, seq=t.seq, area="".join(x for x in (t.area, t.category) if x and x != "--"))
            for t in plan.tasks]
