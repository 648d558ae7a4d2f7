"""Leader pages (.docx): for each 牵头领导 their tasks with each task's light, every word whole, one leader a page where it fits."""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from core.office import docx_style as ds
from core.common.errors import UserError
from core.common.work import Work, given
from core.reports.data import LIGHT_MEANING, LIGHT_NAMES, summary_data

LIGHT_FILL = {"green": "92D050", "yellow": "FFE699", "red": "FF7C80", "blue": "9DC3E6"}
BODY_SIZE = 10.5  # 五号, on every page and in every row
WIDTHS_MM = [17, 139, 34, 13, 54]  # A4 landscape: the task text gets the width


def leader_tasks(ledger, period: str, today: date | None = None) -> dict[str, list[dict]]:
    """{leader: [task with light]} — key tasks then 民生实事, in 序号 order; leaders in the order first met."""
    out: dict[str, list[dict]] = defaultdict(list)
    for kind in ("key", "livelihood"):
        data = summary_data(ledger, period, kind, today)
        for g in data["groups"]:
            for t in g["tasks"]:
                for name in t["leaders"] or ["（未定牵头领导）"]:
                    out[name].append(t)
    return dict(out)


def write_leader_pages(ledger, period: str, out: Path | str, today: date | None = None,
                       work: Work | None = None) -> dict:
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    from core.reports.data import parse_period
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
            reasons = "；".join(r.strip() for r in t["light_reasons"] if r and r.strip())
            rows.append([("重点" if t["kind"] == "key" else "民生") + str(t["seq"]), t["text"].strip(), lead,
                         LIGHT_NAMES.get(t["light"], ""), reasons])
        table = ds.table(doc, ["序号", "任务", "牵头单位", "状态", "说明"], rows, WIDTHS_MM, size=BODY_SIZE)
        for r, t in zip(table.rows[1:], tasks):
            ds.shade(r.cells[3], LIGHT_FILL.get(t["light"], "FFFFFF"))
        ds.para(doc, "状态：" + "；".join(f"{LIGHT_NAMES[k]}—{LIGHT_MEANING[k]}" for k in LIGHT_NAMES),
                indent=False, size=BODY_SIZE)
        work.report(i + 1, len(leaders), name)
        work.check()
    ds.save(doc, out)
    return {"path": str(out), "leaders": len(leaders)}


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
    footer = section.first_page_footer
    footer.is_linked_to_previous = False
    if not footer.paragraphs[0].runs:
        ds.page_number(footer.paragraphs[0], right=True)
