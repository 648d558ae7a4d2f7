"""The quarterly bulletin draft (.docx, GB/T 9704): counts, tasks met and behind, late and missing reports, charts, sources."""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from core.office import docx_style as ds
from core.common.errors import UserError
from core.common.work import Work, given
from core.ledger.row_types import TaskRow
from core.reports.data import bulletin_data, cn_date, month_end_of
from core.reports.report_types import BehindTask, BulletinData, BulletinWritten, UnitPeriod

OFFICE = "区政府督查室"


def seq_list(seqs: list[int]) -> str:
    """[1,2,3,5] → 第1—3、5项"""
    return f"第{num_list(seqs)}项" if seqs else "无"


def num_list(nums: list[int]) -> str:
    nums = sorted(nums)
    parts, i = [], 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        parts.append(f"{nums[i]}" if i == j else f"{nums[i]}—{nums[j]}")
        i = j + 1
    return "、".join(parts) or "无"


def counts_sentence(label: str, c: dict[str, int]) -> str:
    """“重点任务98项，其中完成阶段任务目标N项、未完成N项、尚有责任单位未报N项（、已办结N项）” (core.tracking.verdict)."""
    text = (f"{label}{c['total']}项，其中完成阶段任务目标{c['met']}项、未完成阶段任务目标{c['behind']}项、"
            f"尚有责任单位未报{c['unclear']}项")
    return text + (f"、已办结{c['closed']}项" if c.get("closed") else "")


def month_cn(period: str) -> str:
    return f"{int(period[5:7])}月"


def overall_paragraphs(d: BulletinData) -> list[str]:
    """总体情况: the 数据截至 date and the month the figures are of; months not over or still owed named as such."""
    y, qc = d["year"], d["quarter_cn"]
    as_of = d["as_of"]
    key, liv = d["counts"]["key"], d["counts"]["livelihood"]
    head = f"本通报数据截至{cn_date(d['today'])}，任务完成情况以{y}年{month_cn(as_of)}落实情况为准"
    not_over = [p for p in d["periods"] if month_end_of(p) >= d["today"]]
    if not_over:
        head += f"（第{qc}季度尚未结束，{'、'.join(month_cn(p) for p in not_over)}不计入）"
    out = [head + "。" + f"截至{y}年{month_cn(as_of)}，" + counts_sentence("《政府工作报告》重点任务", key) + "；"
           + counts_sentence("民生实事项目", liv) + "。"]
    late_n, miss_n = len(d["late"]), len(d["missing"])
    expected = _expected(d)
    text = (f"本季度应报送月度落实情况{expected}家次，按时报送{expected - late_n - miss_n}家次，"
            f"迟报{late_n}家次，未报{miss_n}家次")
    owed: dict[str, int] = defaultdict(int)
    for x in d["missing"]:
        owed[x["period"]] += 1
    pending = sorted({p for p, due in d["dues"].items() if due is not None and due >= d["today"]})
    if owed:
        text += "；" + "、".join(f"{month_cn(p)}尚有{n}家单位未报" for p, n in sorted(owed.items()))
    if pending:
        text += "；" + "、".join(month_cn(p) for p in pending) + "落实情况表尚未到报送截止日，不计为未报"
    n_unrep = key["unclear"] + liv["unclear"]
    if n_unrep:
        text += f"。因责任单位未报，{n_unrep}项任务{month_cn(as_of)}完成情况暂无法确认，未计入完成或未完成"
    out.append(text + "。")
    return out


def write_bulletin(ledger, quarter: str, out: Path | str, today: date | None = None, work: Work | None = None,
                   charts: bool = True) -> BulletinWritten:
    """The circulated 通报 at `out` and, next to it, its 底稿 (“<name>-底稿.docx”: every figure's source files and checksums)."""
    out = Path(out)
    if out.suffix.lower() != ".docx":
        raise UserError(f"输出文件“{out.name}”应以 .docx 结尾。")
    step = _stepper(given(work), 5)
    d = bulletin_data(ledger, quarter, today)
    step("数据")
    pictures = _charts(d) if charts else []
    step("图表")
    # the behind tasks get the lines the rest of the text leaves
    probe, _n = _compose(d, [], behind_lines=None)
    figure_pages = -int(-estimate_lines(_compose(d, pictures, 0)[0], figures_only=True) // ds.LINES_PER_PAGE)
    # the text gets whole pages, one fewer than what the figures leave, so an estimate off by a page still fits
    text_pages = max(2, MAX_PAGES - figure_pages - 1)
    budget = text_pages * ds.LINES_PER_PAGE - SLACK_LINES - estimate_lines(probe)
    if pictures:
        budget -= 4  # the line pointing at the figures, and the 附件 note
    doc, figure_no = _compose(d, pictures, behind_lines=budget)
    late_n, miss_n = len(d["late"]), len(d["missing"])
    step("正文")
    basis = basis_path(out)
    _write_basis(basis, d, out.name)
    step("底稿")
    ds.save(doc, out)
    step("保存")
    return BulletinWritten(path=str(out), basis=str(basis), counts=d["counts"], late=late_n, missing=miss_n,
                           files=len(d["files"]), figures=figure_no)


MAX_PAGES = 8  # text and figure pages together
SLACK_LINES = 3  # the estimate runs a few lines short of LibreOffice/Word


def _charts(d: BulletinData) -> list[tuple[bytes, str, float]]:
    """(png, caption, printed width in mm) per figure: each drawn at the full text width it prints at (labels ≥ 9 pt);
    the month line only when the quarter has two months of returns; units under 100 % only, lowest first."""
    from core.office import charts as ch
    out: list[tuple[bytes, str, float]] = []
    if d["by_area"]:
        out.append((ch.by_area(d["by_area"]), "各重点领域完成阶段任务目标情况", ch.PRINT_MM))
    if ch.month_chart_useful(d["by_month"]):
        out.append((ch.by_month(d["by_month"]), "逐月完成阶段任务目标情况", ch.PRINT_MM))
    if d["by_unit"] and not d["no_ranking"]:
        out.append((ch.by_unit(d["by_unit"]), ch.unit_caption(d["by_unit"]), ch.PRINT_MM))
    return out


def _compose(d: BulletinData, pictures, behind_lines: int | None):
    """The circulated text; behind_lines None leaves the behind tasks out (to measure the rest)."""
    y, qc = d["year"], d["quarter_cn"]
    doc = ds.new_document()
    ds.char_grid(doc)
    h = _Headings(doc)
    ds.title(doc, f"关于{y}年第{qc}季度《政府工作报告》\n重点任务落实情况的通报")
    ds.para(doc, "各有关单位：", indent=False)
    ds.para(doc, f"根据区政府工作安排，{OFFICE}对{y}年第{qc}季度《政府工作报告》重点任务和民生实事项目落实情况进行了调度。"
                 "现将有关情况通报如下：")
    h.add(1, "总体情况")
    for text in overall_paragraphs(d):
        ds.para(doc, text)
    if pictures:
        ds.para(doc, f"有关情况见附件图{num_list(list(range(1, len(pictures) + 1)))}。")
    h.add(1, "主要成效")
    _went_well(doc, h, d)
    h.add(1, "存在的主要问题")
    if behind_lines is not None:
        _behind(doc, h, d, behind_lines)
    h.add(1, "报送情况")
    _reporting(doc, d)
    h.add(1, "下一步工作要求")
    _next_steps(doc, h, d)
    if pictures:
        ds.para(doc, "")
        ds.para(doc, "附件：" + "、".join(f"图{i + 1}  {caption}" for i, (_png, caption, _w) in enumerate(pictures))
                if len(pictures) == 1 else "附件：有关图表", keep_with_next=True)
    ds.keep_last_lines(doc)
    ds.signature(doc, OFFICE, cn_date(d["today"]))
    if pictures:
        _figures_attachment(doc, pictures)
    ds.colophon(doc, d["colophon"]["issuer"], cn_date(d["today"]), d["colophon"]["cc"])
    return doc, len(pictures)


def _figures_attachment(doc, pictures) -> None:
    """The charts after the signature, as the 附件 (GB/T 9704 8: “附件” in 黑体 at the top left of a new page)."""
    from docx.enum.text import WD_BREAK
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    ds.para(doc, "附件", indent=False, font=ds.H1_FONT)
    ds.para(doc, "有关图表", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, font=ds.TITLE_FONT, size=ds.TITLE_PT)
    for i, (png, caption, width) in enumerate(pictures):
        ds.picture(doc, png, f"图{i + 1}  {caption}", width_mm=width)


def estimate_lines(doc, figures_only: bool = False) -> int:
    """Body lines (28 pt each) the document fills, laid out page by page: text wraps at the line width and flows on;
    a picture that does not fit the rest of a page starts the next one, leaving the rest blank."""
    from docx.oxml.ns import qn
    per_page = ds.LINES_PER_PAGE
    total = 0.0
    paragraphs = doc.paragraphs
    if figures_only:
        start = next((i for i, p in enumerate(paragraphs) if p.text == "附件"), len(paragraphs))
        paragraphs = paragraphs[start:]
    for p in paragraphs:
        pics = p._element.findall(".//" + qn("wp:extent"))
        if pics:
            need = sum(int(e.get("cy")) / 36000 for e in pics) / ds.LINE_MM + 0.3
            used = total % per_page
            if used + need > per_page:
                total += per_page - used
            total += need
            continue
        size = max((r.font.size.pt for r in p.runs if r.font.size), default=ds.BODY_PT)
        if size >= ds.TITLE_PT:
            total += 1.3 * (p.text.count("\n") + 1) + 1
            continue
        lines = ds.lines_of(p.text, size, indent=p.paragraph_format.first_line_indent is not None)
        total += lines * 1.05 if lines > 2 else lines  # a line seldom ends flush: punctuation is not set at a line start
    return int(total + 0.999)


def basis_path(out: Path) -> Path:
    """Where the 底稿 of a bulletin goes: next to it, “<name>-底稿.docx”."""
    out = Path(out)
    return out.with_name(out.stem + "-底稿.docx")


class _Headings:
    """Numbers headings by level (一、 （一） 1. （1）); a new heading restarts the numbers of the levels below it."""

    def __init__(self, doc):
        self.doc = doc
        self.counts = [0, 0, 0, 0, 0]

    def number(self, level: int) -> str:
        self.counts[level] += 1
        for lower in range(level + 1, len(self.counts)):
            self.counts[lower] = 0
        return ds.heading_number(level, self.counts[level])

    def add(self, level: int, text: str):
        return ds.heading(self.doc, self.number(level) + text, level)


CLAUSE_END = re.compile(r"(?<=[。；，;,！？!?])")
LEADING_ORDINAL = re.compile(r"^\s*(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]+[)）]"
                             r"|\d+[.．、]|[一二三四五六七八九十]+、)\s*")


def summarise(text: str, limit: int) -> str:
    """Whole clauses from the start (split after 。；，), as many as fit in `limit` characters, ending with 。.

    The first clause is kept whole even when longer: a clause is never cut in the middle."""
    text = " ".join(str(text or "").split())
    text = LEADING_ORDINAL.sub("", text)
    if not text:
        return ""
    clauses = [c for c in CLAUSE_END.split(text) if c.strip()]
    out = clauses[0]
    for c in clauses[1:]:
        if len(out) + len(c) > limit:
            break
        out += c
    out = out.rstrip("。；，;,、 ")
    return out + ("" if out.endswith(("！", "？", "!", "?")) else "。")


def _task_name(t: TaskRow, limit: int = 36) -> str:
    """A task named by the first whole clauses of its text, without the closing 。."""
    return summarise(t["text"], limit).rstrip("。")


def _lead(t: TaskRow) -> str:
    return "、".join(u["name"] for u in t["units"] if u["lead"]) or "未明确牵头单位"


def _went_well(doc, h: _Headings, d: BulletinData) -> None:
    key_met = [t for t in d["met_tasks"] if t["kind"] == "key"]
    liv_met = [t for t in d["met_tasks"] if t["kind"] == "livelihood"]
    h.add(2, "重点任务")
    if not key_met:
        ds.para(doc, "本季度暂无全部责任单位均报告完成阶段任务目标的重点任务。")
    else:
        by_area: dict[str, list[int]] = defaultdict(list)
        for t in key_met:
            by_area[t["area"] or "其他"].append(t["seq"])
        ds.para(doc, f"本季度共有{len(key_met)}项重点任务的全部责任单位报告完成阶段任务目标。分领域看，"
                + "；".join(f"{area}{seq_list(seqs)}，共{len(seqs)}项" for area, seqs in by_area.items()) + "。")
        examples = _examples(key_met, d, most=3)
        if examples:
            ds.para(doc, "从报送情况看，" + "；".join(examples) + "。")
    h.add(2, "民生实事项目")
    if liv_met:
        ds.para(doc, f"民生实事项目{seq_list([t['seq'] for t in liv_met])}，"
                     f"共{len(liv_met)}项的全部责任单位报告完成阶段任务目标。")
        examples = _examples(liv_met, d, most=1)
        if examples:
            ds.para(doc, "其中，" + "；".join(examples) + "。")
    else:
        ds.para(doc, "本季度暂无全部责任单位均报告完成阶段任务目标的民生实事项目。")


def _examples(tasks: list[TaskRow], d: BulletinData, most: int = 4) -> list[str]:
    """A few met tasks, one from each area first met, each with the first clause of its lead unit's latest 完成情况."""
    out: list[str] = []
    areas: set[str] = set()
    done = d.get("latest_done", {})
    for t in tasks:
        if len(out) >= most:
            break
        area = t["area"] or "其他"
        text = done.get(t["id"], "")
        if area in areas or not text:
            continue
        areas.add(area)
        label = "重点任务" if t["kind"] == "key" else "民生实事项目"
        out.append(f"{_lead(t)}牵头的{label}第{t['seq']}项（{_task_name(t, 24)}）{summarise(text, 40).rstrip('。')}")
    return out


MOST_DETAILED = 8       # behind tasks described one by one, at most; the rest are counted by area
MOST_ALWAYS = 3         # described whatever the line budget (the section is never a bare count)


def worst_first(behind: list[BehindTask]) -> list[BehindTask]:
    """Red before yellow, then more months behind, then more units behind, then 重点 before 民生, then 序号."""
    rank = {"red": 0, "yellow": 1}
    return sorted(behind, key=lambda t: (rank.get(t.get("light", ""), 2), -t.get("months_behind", 0),
                                         -len(t["behind_units"]), t["kind"] != "key", t["seq"]))


def _behind(doc, h: _Headings, d: BulletinData, budget: int) -> None:
    """存在的主要问题: the worst behind tasks described with their reasons, the rest counted by area (详见汇总表).

    Never empty when a task is behind: the first (worst) one is always described, whatever the line budget."""
    behind = d["behind_tasks"]
    if not behind:
        ds.para(doc, f"截至{month_cn(d['as_of'])}，各责任单位均未报告未完成阶段任务目标的情况。")
        return
    n_key = sum(t["kind"] == "key" for t in behind)
    n_liv = len(behind) - n_key
    n_red = sum(t.get("light") == "red" for t in behind)
    counted = "、".join(x for x in (f"{n_key}项重点任务" if n_key else "", f"{n_liv}项民生实事项目" if n_liv else "") if x)
    intro = (f"截至{month_cn(d['as_of'])}，有{counted}的责任单位报告未完成阶段任务目标"
             + (f"，其中{n_red}项连续两个月未完成或牵头单位逾期未报（红灯）" if n_red else "") + "。")
    ordered = worst_first(behind)
    chosen: list[BehindTask] = []
    budget -= ds.lines_of(intro) + ds.lines_of(_rest_text(ordered))
    for t in ordered[:MOST_DETAILED]:
        rest = [x for x in ordered if x is not t and x not in chosen]
        cost = ds.lines_of("1." + _behind_line(t)) + ds.lines_of(_rest_text(rest)) - ds.lines_of(
            _rest_text([x for x in ordered if x not in chosen]))
        if len(chosen) >= MOST_ALWAYS and cost > budget:
            break
        budget -= cost
        chosen.append(t)
    shown = len(chosen)
    ds.para(doc, intro + (f"问题较突出的{shown}项如下：" if shown < len(behind) else "具体如下："))
    for t in chosen:
        ds.para(doc, h.number(3) + _behind_line(t))
    rest = [t for t in ordered if t not in chosen]
    if rest:
        ds.para(doc, _rest_text(rest))


def _area(t: TaskRow) -> str:
    return "民生实事项目" if t["kind"] == "livelihood" else (t["area"] or "其他")


def _short_area(area: str) -> str:
    """An area named by its first clause (“实施产业重构，加快打造……” → “实施产业重构”)."""
    return re.split(r"[，,、；]", area, maxsplit=1)[0]


def _rest_text(rest: list[BehindTask]) -> str:
    """The behind tasks not described, counted by area: “其余N项分布在：A方面X项、B方面Y项……，详见汇总表。”"""
    if not rest:
        return ""
    by_area: dict[str, list[int]] = defaultdict(list)
    for t in rest:
        by_area[_area(t)].append(t["seq"])
    parts = [f"{_short_area(a)}方面{len(seqs)}项" if a != "民生实事项目" else f"民生实事项目{len(seqs)}项"
             for a, seqs in sorted(by_area.items(), key=lambda kv: -len(kv[1]))]
    return f"其余{len(rest)}项中，" + "、".join(parts) + "，各单位存在的问题和下一步措施详见当月汇总表。"


def first_sentence(text: str, limit: int) -> str:
    """The first sentence of `text` (up to 。or ；), or as many of its whole clauses as fit in `limit`; no closing mark."""
    text = LEADING_ORDINAL.sub("", " ".join(str(text or "").split()))
    sentence = re.split(r"[。；;]", text, maxsplit=1)[0]
    return summarise(sentence, limit).rstrip("。") if len(sentence) > limit else sentence.rstrip("，,、 ")


def _behind_line(t: BehindTask) -> str:
    """第N项（task, 牵头单位）：each behind unit with whole clauses of its 存在问题 and 下一步 (worst tasks only)."""
    label = "重点任务" if t["kind"] == "key" else "民生实事项目"
    months = f"，已连续{t['months_behind']}个月未完成" if t.get("months_behind", 0) >= 2 else ""
    head = f"{label}第{t['seq']}项（{_task_name(t, 24)}，牵头单位{_lead(t)}{months}）："
    parts = []
    groups: dict[str, list[str]] = defaultdict(list)
    for u in t["behind_units"]:
        problem = u["problems"].strip()
        problem = first_sentence(problem, 44) if problem and problem not in ("无", "暂无") else ""
        groups[problem].append(u["name"])
    for problem, names in list(groups.items())[:3]:
        who = "、".join(names[:3]) + (f"等{len(names)}家单位" if len(names) > 3 else "")
        parts.append(f"{who}未完成阶段任务目标" + (f"，主要是{problem}" if problem else "，未说明原因"))
    return head + "；".join(parts) + "。"


def _next_steps(doc, h: _Headings, d: BulletinData) -> None:
    leads = []
    for t in d["behind_tasks"]:
        for u in t["units"]:
            if u["lead"] and u["name"] not in leads:
                leads.append(u["name"])
    who = ("、".join(leads[:6]) + ("等" if len(leads) > 6 else "") + "牵头单位") if leads else "各牵头单位"
    ds.para(doc, h.number(2) + f"聚焦滞后任务抓整改。{who}要对照年度目标和季度计划，逐项分析未完成阶段任务目标的原因，"
            "明确整改措施、责任人和完成时限，会同配合单位协同推进，确保下季度追上进度。")
    ds.para(doc, h.number(2) + "压实责任抓推进。各责任单位主要负责同志要亲自研究、亲自部署，对已完成阶段目标的任务巩固成效、"
            "持续推进，防止出现反复。")
    ds.para(doc, h.number(2) + "严格时限抓报送。各责任单位要严格落实月度报送制度，按时、如实报送落实情况；"
            "迟报、未报的单位要认真查找原因，确保今后按时报送。督查室将对报送情况和任务推进情况持续跟踪督办。")


def _expected(d: BulletinData) -> int:
    """家次 expected: units that report × months already due (the same rule as late/missing)."""
    return d["expected_reports"]


NAMES_SHOWN = 4   # a group of units sharing a pattern names this many, then “等N家单位”


def reporting_groups(late: Iterable[UnitPeriod], missing: Iterable[UnitPeriod],
                     no_ranking: bool) -> list[tuple[str, list[str]]]:
    """Units that share a pattern (the same months 未报 and 迟报) grouped: [(pattern, [unit names])], worst first;
    names in name order under no_ranking."""
    by_unit: dict[str, dict[str, list[str]]] = {}
    for x in late:
        by_unit.setdefault(x["unit"], {"late": [], "missing": []})["late"].append(x["period"])
    for y in missing:
        by_unit.setdefault(y["unit"], {"late": [], "missing": []})["missing"].append(y["period"])
    groups: dict[tuple, list[str]] = defaultdict(list)
    for name, v in by_unit.items():
        groups[(tuple(sorted(v["missing"])), tuple(sorted(v["late"])))].append(name)
    out = []
    for (months_missing, months_late), names in sorted(groups.items(),
                                                      key=lambda kv: (-len(kv[0][0]), -len(kv[0][1]), -len(kv[1]))):
        parts = []
        if months_missing:
            parts.append("未报" + "、".join(month_cn(p) for p in months_missing))
        if months_late:
            parts.append("迟报" + "、".join(month_cn(p) for p in months_late))
        out.append(("，".join(parts), sorted(names) if no_ranking else names))
    return out


def _reporting(doc, d: BulletinData) -> None:
    """Late and missing units grouped by pattern (“A、B等9家单位未报5月、6月”), the worst patterns first."""
    if not d["late"] and not d["missing"]:
        ds.para(doc, "本季度各责任单位均按时报送了月度落实情况。")
        return
    entries = []
    for pattern, names in reporting_groups(d["late"], d["missing"], d["no_ranking"]):
        shown = "、".join(names[:NAMES_SHOWN])
        who = f"{shown}等{len(names)}家单位" if len(names) > NAMES_SHOWN else shown
        entries.append(f"{who}{pattern}")
    ds.para(doc, "按报送情况归类：" + "；".join(entries) + "。各单位逐月报送情况详见督办台账。")


def _write_basis(path: Path, d: BulletinData, bulletin_name: str) -> None:
    """The 底稿: which files each figure rests on, and every file with its SHA-256 (kept by the 督查室, not circulated)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    doc = ds.new_document()
    ds.para(doc, "底稿", indent=False, font=ds.H1_FONT)
    ds.para(doc, f"{d['year']}年第{d['quarter_cn']}季度通报数据来源文件清单", indent=False,
            align=WD_ALIGN_PARAGRAPH.CENTER, font=ds.TITLE_FONT, size=18)
    ds.para(doc, f"本底稿与通报文件“{bulletin_name}”同时生成于{cn_date(d['today'])}，由{OFFICE}留存备查，不随通报印发。",
            size=14)
    h = _Headings(doc)
    h.add(1, "各项数字和图表所依据的文件")
    ds.table(doc, ["数字或图表", "依据的文件（下表序号）"],
             [[name, num_list(nums)] for name, nums in d["figures"] if name in _visible(d)], [60, 96], size=10.5)
    h.add(1, "文件清单")
    ds.para(doc, "文件内容以 SHA-256 校验值为准，可在台账文件库中按校验值取回原件。", size=14)
    rows = [[str(i + 1), f["name"], f["unit"], f["received_at"].strftime("%Y-%m-%d\n%H:%M") if f["received_at"] else "",
             f["hash"][:32] + "\n" + f["hash"][32:]] for i, f in enumerate(d["files"])]
    ds.table(doc, ["序号", "文件名", "报送单位", "收到时间", "SHA-256"], rows, [10, 35, 27, 22, 62], size=7.5)
    ds.save(doc, path)


def _visible(d: BulletinData) -> set[str]:
    names = {name for name, _n in d["figures"]}
    if d["no_ranking"]:
        names.discard("图3 各单位报告完成情况")
    return names


def _stepper(work: Work, total: int):
    state = {"n": 0}

    def step(label: str) -> None:
        state["n"] += 1
        work.report(state["n"], total, label)
        work.check()
    return step
