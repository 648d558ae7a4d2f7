"""Reading a 政府工作报告 into its work-plan structure: 重点领域 parts, paragraph lead phrases, sentences, candidate tasks."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from core.common.errors import UserError

# sentence ends: 。！？ plus any closing quotes/brackets that belong to the sentence
_SENTENCE = re.compile(r"[^。！？]*[。！？]+[”’」』）)]*|[^。！？]+$")
_TERMINAL = re.compile(r"([。！？：:；…]|[。！？][”’」』）)])$")
_TOP_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
_AREA_HEADING = re.compile(r"^[（(]([一二三四五六七八九十]+)[)）]")
_PLAN_HEADING = re.compile(r"(\d{4}年|今年)?.*(工作安排|工作任务|主要任务|重点工作|工作部署)")
_NUMBERED_ITEM = re.compile(r"^\s*(?:\d+|[一二三四五六七八九十]+|[（(]\d+[)）])[、.．:：)）]\s*")
_RHETORIC = ("各位代表",)
_SPACE = re.compile(r"[ \t\u3000\xa0]+")
MAX_LEAD_LEN = 24  # a lead phrase (类别) is a short sentence without commas


@dataclass
class Paragraph:
    start: int
    end: int
    text: str


@dataclass
class Candidate:
    """One proposed task: its text is the report slice text[start:end] until the clerk edits it."""
    kind: str  # key | livelihood
    area: str
    category: str
    text: str
    start: int
    end: int
    leaders: list[str] = field(default_factory=list)
    units: list[dict] = field(default_factory=list)  # [{name, lead}]
    reasons: list[str] = field(default_factory=list)
    note: str = ""

    def copy(self) -> Candidate:
        return Candidate(self.kind, self.area, self.category, self.text, self.start, self.end,
                         list(self.leaders), [dict(u) for u in self.units], list(self.reasons), self.note)


@dataclass
class Area:
    title: str
    start: int
    end: int


@dataclass
class DraftReport:
    text: str
    paragraphs: list[Paragraph]
    plan_start: int
    plan_end: int
    areas: list[Area]
    candidates: list[Candidate]
    year: int | None = None
    source_name: str = ""


# -- reading --------------------------------------------------------------------------------------
def read_report_text(path: Path | str) -> str:
    """The raw text of a report file (.txt in UTF-8/GB18030, or .docx paragraphs)."""
    path = Path(path)
    if not path.exists():
        raise UserError(f"找不到文件“{path}”。请确认路径是否正确。")
    from core.common.sniff import check_input_limits
    check_input_limits(path)  # a zip bomb dressed as .docx is refused before python-docx unpacks it
    data = path.read_bytes()
    if data[:2] == b"PK":
        try:
            import docx
            document = docx.Document(str(path))
        except Exception as exc:
            raise UserError(f"Word 文件“{path.name}”无法打开（{type(exc).__name__}），可能已损坏。"
                            f"请在 Word/WPS 中打开后另存为 .docx，或另存为纯文本再试。") from exc
        return "\n\n".join(p.text for p in document.paragraphs)
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise UserError(f"“{path.name}”是旧版 Word（.doc）文件。请在 Word/WPS 中另存为 .docx 或纯文本后再打开。")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UserError(f"“{path.name}”不是可识别的文本文件。请另存为 UTF-8 文本或 .docx 后再试。")


def _clean_line(line: str) -> str:
    line = line.strip().lstrip("#").strip().replace("**", "")
    line = unicodedata.normalize("NFC", line)
    # blanks are typesetting noise in Chinese; keep one only between two ASCII letters/digits
    def keep(m: re.Match) -> str:
        a = line[m.start() - 1] if m.start() else ""
        b = line[m.end()] if m.end() < len(line) else ""
        return " " if a.isascii() and b.isascii() and a.isalnum() and b.isalpha() and a.isalpha() else ""
    return _SPACE.sub(keep, line)


def _is_heading(line: str) -> bool:
    return bool(_TOP_HEADING.match(line)) and len(line) <= 40 and "。" not in line


def join_paragraphs(raw: str) -> list[str]:
    """Lines → paragraphs, re-joining paragraphs that a page break cut mid-sentence."""
    paragraphs: list[str] = []
    continuing = False
    for raw_line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _clean_line(raw_line)
        if not line:
            continue
        heading = _is_heading(line) or raw_line.lstrip().startswith("#")
        if continuing and not heading and not _AREA_HEADING.match(line):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
        last = paragraphs[-1]
        continuing = not heading and not _TERMINAL.search(last)
    return paragraphs


# -- structure --------------------------------------------------------------------------------------
def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each sentence in text, shifted by offset; the end punctuation stays with its sentence."""
    spans = []
    for m in _SENTENCE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        if e > s:
            spans.append((offset + s, offset + e))
    return spans


def lead_phrase(sentence: str) -> str | None:
    """The paragraph's lead phrase (类别) when its first sentence is short and comma-free."""
    body = sentence.rstrip("。！？")
    if 2 <= len(body) <= MAX_LEAD_LEN and not re.search(r"[，,；;：:]", body):
        return body
    return None


def _is_subheading(sentence: str) -> bool:
    body = sentence.rstrip("。！？")
    return len(body) <= 20 and not re.search(r"[，,；;：:、]", body)


def parse_report(raw: str, source_name: str = "", year: int | None = None) -> DraftReport:
    paras_text = join_paragraphs(raw)
    text = "\n".join(paras_text)
    paragraphs: list[Paragraph] = []
    pos = 0
    for p in paras_text:
        paragraphs.append(Paragraph(pos, pos + len(p), p))
        pos += len(p) + 1
    plan_idx = _find_plan_start(paragraphs)
    if plan_idx is None:
        raise UserError("在报告中没有找到工作安排部分（例如“三、2026年工作安排”或“（一）……”）。"
                        "请确认打开的是政府工作报告全文。")
    if year is None:
        # the plan heading names the year (三、2026年工作安排); else the latest year the report mentions
        m = re.search(r"(20\d{2})年", paragraphs[plan_idx].text)
        years = [int(y) for y in re.findall(r"(20\d{2})年", text)]
        year = int(m.group(1)) if m else (max(years) if years else None)
    end_idx = len(paragraphs)
    for i in range(plan_idx + 1, len(paragraphs)):
        if _is_heading(paragraphs[i].text):
            end_idx = i
            break
    report = DraftReport(text=text, paragraphs=paragraphs, plan_start=paragraphs[plan_idx].start,
                         plan_end=paragraphs[end_idx - 1].end, areas=[], candidates=[], year=year,
                         source_name=source_name)
    _cut(report, paragraphs[plan_idx:end_idx])
    return report


def _find_plan_start(paragraphs: list[Paragraph]) -> int | None:
    for i, p in enumerate(paragraphs):
        if _is_heading(p.text) and _PLAN_HEADING.search(p.text):
            return i
    for i, p in enumerate(paragraphs):
        if _AREA_HEADING.match(p.text):
            return max(i - 1, 0)
    return None


def _cut(report: DraftReport, paras: list[Paragraph]) -> None:
    area: Area | None = None
    livelihood_mode = False
    for p in paras:
        t = p.text
        m = _AREA_HEADING.match(t)
        if m:
            sents = split_sentences(t[m.end():], p.start + m.end())
            title = report.text[sents[0][0]:sents[0][1]].rstrip("。！？") if sents else t[m.end():]
            area = Area(title, p.start, p.end)
            report.areas.append(area)
            livelihood_mode = False
            continue
        if "民生实事" in t and t.rstrip().endswith(("：", ":")):
            livelihood_mode = True
            continue
        if livelihood_mode and (mm := _NUMBERED_ITEM.match(t)):
            report.candidates.append(Candidate("livelihood", "", "", t[mm.end():], p.start + mm.end(), p.end))
            continue
        livelihood_mode = False
        if t.startswith(_RHETORIC):
            if area is not None:
                area.end = min(area.end, p.start)
                area = None  # closing words end the part; later paragraphs until the next （N） are not tasks
            continue
        if area is None:
            _target_paragraph(report, p)
            continue
        area.end = p.end
        _paragraph_candidates(report, p, area.title)


def _target_paragraph(report: DraftReport, p: Paragraph) -> None:
    """Before the first （一）: a paragraph like “经济社会发展的主要预期目标为：…” becomes one task."""
    m = re.match(r"^([^，。：:]{2,30}?)(?:为|是)?[：:]", p.text)
    if not m or "目标" not in m.group(1):
        return
    title = re.sub(r"(为|是)$", "", m.group(1))
    report.areas.append(Area(title, p.start, p.end))
    start = p.start + m.end()
    report.candidates.append(Candidate("key", title, "--", report.text[start:p.end], start, p.end))


def _paragraph_candidates(report: DraftReport, p: Paragraph, area_title: str) -> None:
    sents = split_sentences(p.text, p.start)
    if not sents:
        return
    category = ""
    first = report.text[sents[0][0]:sents[0][1]]
    lead = lead_phrase(first)
    if lead and len(sents) > 1:
        category = lead
        sents = sents[1:]
    merged: list[list[int]] = []
    pending_sub: int | None = None
    for s, e in sents:
        if pending_sub is not None:
            merged.append([pending_sub, e])
            pending_sub = None
        elif _is_subheading(report.text[s:e]):
            pending_sub = s
        else:
            merged.append([s, e])
    if pending_sub is not None:
        merged.append([pending_sub, sents[-1][1]])
    for s, e in merged:
        report.candidates.append(Candidate("key", area_title, category, report.text[s:e], s, e))


def load_report(path: Path | str) -> DraftReport:
    path = Path(path)
    return parse_report(read_report_text(path), source_name=path.name)


def looks_like_report(path) -> bool:
    """Quick check for drag-and-drop: a 政府工作报告 (not a 立项表) — it names itself and has a work-plan part."""
    try:
        text = read_report_text(path)
    except Exception:  # unreadable or not a report: the drop goes elsewhere
        return False
    return "工作报告" in text[:3000] and "工作安排" in text
