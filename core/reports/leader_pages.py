"""Leader pages (.docx): for each 牵头领导 their tasks with each task's light, every word whole, a leader a page where it fits."""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from core.office import docx_style as ds
from core.common.errors import UserError
from core.common.work import Work, given
from core.reports.data import LIGHT_MEANING, LIGHT_NAMES, summary_data
from core.reports.report_types import LeaderPagesWritten, SummaryTask
from core.tracking.verdict import VERDICT_NAMES

LIGHT_FILL = {"green": "92D050", "yellow": "FFE699", "red": "FF7C80", "blue": "9DC3E6"}
BODY_SIZE = 10.5  # 五号, on every page and in every row
WIDTHS_MM: list[float] = [17, 139, 34, 13, 54]  # A4 landscape: the task text gets the width


LIGHT_RANK = {"red": 0, "yellow": 1, "green": 2, "blue": 3}


def leader_tasks(ledger, period: str, today: date | None = None) -> dict[str, list[SummaryTask]]:
    """{leader: [task with light]} — red, then yellow, green, blue; within a light key tasks then 民生实事 in 序号
    order; leaders in the order first met."""
    out: dict[str, list[SummaryTask]] = defaultdict(list)
    for kind in ("key", "livelihood"):
        data = summary_data(ledger, period, kind, today)
        for g in data["groups"]:
            for t in g["tasks"]:
                for name in t["leaders"] or ["（未定牵头领导）"]:
                    out[name].append(t)
    return {name: sorted(tasks, key=lambda t: (LIGHT_RANK.get(t["light"], 4), t["kind"] != "key", t["seq"]))
            for name, tasks in out.items()}


def explanation(t: SummaryTask) -> str:
    """说明: the light's reasons in short words, then why (存在问题) and what next (下一步计划) of a unit that said 否,
    each its first sentence; 绿 “按计划推进”."""
    from core.reports.brief import behind_text
    from core.reports.bulletin_docx import first_sentence
    if t["light"] in ("green", "blue"):
        return "；".join(r.strip() for r in t["light_reasons"] if r and r.strip())
    leads = [u["name"] for u in t["unit_rows"] if u["role"] == "lead"]
    reasons = [r for _n, r in behind_text(t["light_reasons"], leads[0] if len(leads) == 1 else "")]
    text = "；".join(reasons) + "。" if reasons else ""
    behind = [u for u in t["unit_rows"] if u["on_track"] == "否"]
    for u in behind[:2]:
        why = first_sentence(u["problems"], 40) if u["problems"].strip() not in ("", "无", "暂无") else ""
        nxt = first_sentence(u["next_steps"], 40) if u["next_steps"].strip() not in ("", "无", "暂无") else ""
        if why:
            text += f"原因：{why}。"
        if nxt:
            text += f"下一步：{nxt}。"
    return text


def write_leader_pages(ledger, period: str, out: Path | str, today: date | None = None,
                       work: Work | None = None) -> LeaderPagesWritten:
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    from core.reports.data import cn_date, parse_period
    work = given(work)
    out = Path(out)
    if out.suffix.lower() != ".docx":
        raise UserError(f"输出文件“{out.name}”应以 .docx 结尾。")
    year, month = parse_period(period)
    leaders = leader_tasks(ledger, period, today)
    if not leaders:
        raise UserError(f"{year}年台账中没有任务，无法生成领导页。")
    doc = ds.new_document()
    for i, (name, tasks) in enumerate(leaders.items()):
        if i:
            doc.add_section(WD_SECTION.NEW_PAGE)
        s = doc.sections[-1]
        s.orientation = WD_ORIENT.LANDSCAPE
        s.page_width, s.page_height = Mm(297), Mm(210)
        s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = Mm(20), Mm(18), Mm(20), Mm(20)
        s.header_distance, s.footer_distance = Mm(10), Mm(10)
        _continued_header(s, f"{name}同志牵头任务落实情况（{year}年{month}月）（续）")
        ds.para(doc, f"{name}同志牵头任务落实情况", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER,
                font=ds.TITLE_FONT, size=18)
        counts = {k: sum(t["light"] == k for t in tasks) for k in LIGHT_NAMES}
        ds.para(doc, f"（{year}年{month}月，共{len(tasks)}项："
                + "，".join(f"{LIGHT_NAMES[k]}灯{counts[k]}项" for k in LIGHT_NAMES if counts[k]) + "）",
                indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, font=ds.H2_FONT, size=12)
        rows = []
        for t in tasks:
            lead = "、".join(u["name"] for u in t["units"] if u["lead"])
            rows.append([("重点" if t["kind"] == "key" else "民生") + str(t["seq"]), t["text"].strip(), lead,
                         LIGHT_NAMES.get(t["light"], "") + "\n" + VERDICT_NAMES.get(t.get("verdict", ""), ""),
                         explanation(t)])
        table = ds.table(doc, ["序号", "任务", "牵头单位", "状态", "说明"], rows, WIDTHS_MM, size=BODY_SIZE)
        for r, t in zip(table.rows[1:], tasks, strict=True):
            ds.shade(r.cells[3], LIGHT_FILL.get(t["light"], "FFFFFF"))
        ds.para(doc, "状态：" + "；".join(f"{LIGHT_NAMES[k]}—{LIGHT_MEANING[k]}" for k in LIGHT_NAMES)
                + f"。完成、未完成、未报按{month}月落实情况判断（数据截至{cn_date(today or date.today())}），"
                "与简报、通报、汇总表相同。",
                indent=False, size=BODY_SIZE)
        work.report(i + 1, len(leaders), name)
        work.check()
    ds.save(doc, out)
    return LeaderPagesWritten(path=str(out), leaders=len(leaders))


def _continued_header(section, text: str) -> None:
    """No header on a leader's first page (the title is there); “……（续）” on the pages that continue it."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    section.different_first_page_header_footer = True
    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        p.text = ""
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        ds.set_run_font(p.add_run(text), ds.H2_FONT, BODY_SIZE)
    section.first_page_header.is_linked_to_previous = False
    _restart_numbers(section)
    footer = section.first_page_footer
    footer.is_linked_to_previous = False
    if not footer.paragraphs[0].runs:
        ds.page_number(footer.paragraphs[0], right=True)


def _restart_numbers(section) -> None:
    """Each leader's pages numbered from 1 (w:pgNumType w:start="1"): a leader's pages can be handed over alone."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    sect = section._sectPr
    el = sect.find(qn("w:pgNumType"))
    if el is None:   # in schema order: before w:cols / w:formProt / … / w:docGrid
        el = OxmlElement("w:pgNumType")
        later = next((c for c in sect if c.tag in {qn(t) for t in ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote",
                                                                    "w:titlePg", "w:textDirection", "w:bidi",
                                                                    "w:rtlGutter", "w:docGrid")}), None)
        if later is not None:
            later.addprevious(el)
        else:
            sect.append(el)
    el.set(qn("w:start"), "1")
