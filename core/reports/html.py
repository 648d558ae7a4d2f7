"""HTML renderings of the summary and the bulletin figures, for the window's print preview, printing and PDF (QTextDocument)."""
from __future__ import annotations

from html import escape

from core.reports.data import LIGHT_MEANING, LIGHT_NAMES
from core.reports.report_types import BulletinData, SummaryData, SummaryUnitRow

LIGHT_BG = {"green": "#92D050", "yellow": "#FFE699", "red": "#FF7C80", "blue": "#9DC3E6"}
STYLE = ("body{font-family:'仿宋_GB2312','FangSong','Noto Serif CJK SC','Noto Sans CJK SC';font-size:9pt}"
         "h1{font-family:'方正小标宋简体','SimSun','Noto Serif CJK SC';font-size:16pt;text-align:center}"
         "th{background:#D9D9D9;font-family:'黑体','SimHei','Noto Sans CJK SC'}"
         "td.group{background:#EDEDED;font-weight:bold}")


def _cell(text: str) -> str:
    return escape(text or "").replace("\n", "<br>")


def _unit_cells(u: SummaryUnitRow | None) -> tuple[str, str, str, str, str, str]:
    """名称（牵头）, target, 完成情况, 存在问题, 下一步计划, 是否完成; blank for a task without units."""
    if u is None:
        return "", "", "", "", "", ""
    name = u["name"] + ("（牵头）" if u["role"] == "lead" else "")
    return name, u["quarter_target"], u["done"], u["problems"], u["next_steps"], u["on_track"]


def summary_html(data: SummaryData, title: str) -> str:
    """Task, its units (lead first) with target, 完成情况, 存在问题, 下一步计划, 是否完成, and the light: a table per task
    (and per area heading), columns of the same widths, so the window lays out what is in view first and a
    630-unit month is not one table of 2,000 rows laid out whole before anything shows."""
    head = ["序号", "任务" if data["kind"] == "key" else "民生实事项目", "责任单位", "季度目标", "完成情况", "存在问题",
            "下一步计划", "是否完成阶段任务目标", "状态"]
    widths = [4, 18, 9, 11, 20, 13, 15, 6, 4]   # per cent, adding up to the table's width
    table = "<table border='1' cellspacing='0' cellpadding='3' width='100%'>"
    out = [f"<html><head><style>{STYLE}</style></head><body><h1>{escape(title)}</h1>", table, "<thead><tr>"]
    out += [f"<th width='{w}%'>{h}</th>" for h, w in zip(head, widths, strict=True)]
    out.append("</tr></thead></table>")
    for g in data["groups"]:
        if data["kind"] == "key":
            out.append(f"{table}<tr><td class='group' width='100%'>{escape(g['area'])}</td></tr></table>")
        for t in g["tasks"]:
            units: list[SummaryUnitRow | None] = [*t["unit_rows"]] or [None]
            n = len(units)
            out.append(table)
            for i, u in enumerate(units):
                *cells, on_track = _unit_cells(u)
                row = [*cells, on_track]
                aligns = [""] * 5 + [" align='center'"]
                if i == 0:
                    row = [str(t["seq"]), _cell(t["text"]), *[_cell(v) for v in row], LIGHT_NAMES.get(t["light"], "")]
                    attrs = [f" rowspan='{n}' align='center'", f" rowspan='{n}'", *aligns,
                             f" rowspan='{n}' align='center' bgcolor='{LIGHT_BG.get(t['light'], '#FFFFFF')}'"]
                    attrs = [f"{a} width='{w}%'" for a, w in zip(attrs, widths, strict=True)]
                else:
                    row = [_cell(v) for v in row]
                    attrs = aligns
                out.append("<tr>" + "".join(f"<td{a}>{v}</td>" for a, v in zip(attrs, row, strict=True)) + "</tr>")
            out.append("</table>")
    out.append("<p>状态：" + "；".join(f"{LIGHT_NAMES[k]}—{LIGHT_MEANING[k]}" for k in LIGHT_NAMES) + "</p></body></html>")
    return "".join(out)


def bulletin_html(d: BulletinData, images: dict[str, str] | None = None) -> str:
    """The bulletin's figures as a preview: counts, met tasks, behind tasks, late/missing units (no ranking words)."""
    c = d["counts"]
    out = [f"<html><head><style>{STYLE}body{{font-size:12pt}}</style></head><body>",
           f"<h1>{d['year']}年第{d['quarter_cn']}季度《政府工作报告》重点任务落实情况（通报数据预览）</h1>"]
    for label, k in (("重点任务", "key"), ("民生实事项目", "livelihood")):
        out.append(f"<p>{label}{c[k]['total']}项：完成阶段任务目标{c[k]['met']}项，未完成阶段任务目标{c[k]['behind']}项，"
                   f"未报送或未明确{c[k]['unclear']}项。</p>")
    out.append(f"<p>应报送{d['expected_reports']}家次，迟报{len(d['late'])}家次，未报{len(d['missing'])}家次。</p>")
    for name, src in (images or {}).items():
        out.append(f"<p align='center'><img src='{escape(src)}' width='600'><br>{escape(name)}</p>")
    out.append("<h3>未完成阶段任务目标的任务</h3><table border='1' cellspacing='0' cellpadding='3' width='100%'>"
               "<tr><th>任务</th><th>单位</th><th>存在问题</th></tr>")
    for t in d["behind_tasks"]:
        for u in t["behind_units"]:
            label = ("重点任务" if t["kind"] == "key" else "民生实事") + f"第{t['seq']}项"
            out.append(f"<tr><td>{label}</td><td>{escape(u['name'])}</td><td>{_cell(u['problems'])}</td></tr>")
    out.append("</table><h3>迟报、未报（按单位名称）</h3><table border='1' cellspacing='0' cellpadding='3' width='100%'>"
               "<tr><th>单位</th><th>月份</th><th>情况</th></tr>")
    rows = [(x["unit"], x["period"], "迟报") for x in d["late"]] + [(x["unit"], x["period"], "未报") for x in d["missing"]]
    for unit, period, what in sorted(rows):
        out.append(f"<tr><td>{escape(unit)}</td><td>{int(period[5:])}月</td><td>{what}</td></tr>")
    out.append("</table></body></html>")
    return "".join(out)
