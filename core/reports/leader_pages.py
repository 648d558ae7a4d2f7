"""Leader pages (.docx): for each 牵头领导 one printable page of their tasks with each task's light."""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from core.office import docx_style as ds
from core.common.errors import Cancelled, UserError
from core.reports.data import LIGHT_MEANING, LIGHT_NAMES, summary_data

LIGHT_FILL = {"green": "92D050", "yellow": "FFE699", "red": "FF7C80", "blue": "9DC3E6"}
TEXT_LIMIT = 30


def short_text(text: str, limit: int = TEXT_LIMIT) -> str:
    text = text.strip()
    first = text.split("。")[0]
    return first if len(first) <= limit else first[:limit] + "…"


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


def write_leader_pages(ledger, period: str, out: Path | str, today: date | None = None, progress=None,
                       cancel=None) -> dict:
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    from core.reports.data import parse_period
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
        s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = Mm(20), Mm(18), Mm(20), Mm(18)
        ds.para(doc, f"{name}同志牵头任务落实情况", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER,
                font=ds.TITLE_FONT, size=18)
        counts = {k: sum(t["light"] == k for t in tasks) for k in LIGHT_NAMES}
        ds.para(doc, f"（{year}年{month}月，共{len(tasks)}项："
                + "，".join(f"{LIGHT_NAMES[k]}灯{counts[k]}项" for k in LIGHT_NAMES if counts[k]) + "）",
                indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, font=ds.H2_FONT, size=12)
        compact = len(tasks) > 18  # one line a task so even the longest list stays on one page
        limit, reason_limit, size = (20, 19, 8) if compact else (TEXT_LIMIT, 40, 9.5)
        rows = []
        for t in tasks:
            lead = "、".join(u["name"] for u in t["units"] if u["lead"])
            reason = (t["light_reasons"] or [""])[0]
            rows.append([("重点" if t["kind"] == "key" else "民生") + str(t["seq"]), short_text(t["text"], limit), lead,
                         LIGHT_NAMES.get(t["light"], ""), short_text(reason, reason_limit)])
        table = ds.table(doc, ["序号", "任务", "牵头单位", "状态", "说明"], rows, [15, 60, 32, 10, 55], size=size)
        for r, t in zip(table.rows[1:], tasks):
            ds.shade(r.cells[3], LIGHT_FILL.get(t["light"], "FFFFFF"))
        ds.para(doc, "状态：" + "；".join(f"{LIGHT_NAMES[k]}—{LIGHT_MEANING[k]}" for k in LIGHT_NAMES),
                indent=False, size=10)
        if progress:
            progress(i + 1, len(leaders), name)
        if cancel and cancel():
            raise Cancelled()
    ds.save(doc, out)
    return {"path": str(out), "leaders": len(leaders), "pages": len(leaders)}
