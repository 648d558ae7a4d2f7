"""The monthly summary workbook (.xlsx): every task once, grouped by 重点领域, one row per 责任单位, printed A4 landscape with nothing cut."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from core.office.cjk_layout import LINE_PT, MAX_ROW_PT, PAD_PT, height_for_lines, lines_needed, split_to_lines
from core.common.errors import Cancelled, UserError
from core.reports.data import LIGHT_MEANING, LIGHT_NAMES, summary_data

BODY_FONT = "仿宋_GB2312"
HEAD_FONT = "黑体"
TITLE_FONT = "宋体"
# (header, width in column units, field); widths sum to what fits A4 landscape at 100 %
KEY_COLUMNS = [("序号", 5, "seq"), ("重点任务", 25, "task"), ("责任单位", 12, "unit"), ("季度目标", 16, "quarter_target"),
               ("完成情况", 27, "done"), ("存在问题", 18, "problems"), ("下一步计划", 21, "next_steps"),
               ("是否完成阶段任务目标", 9, "on_track"), ("状态", 6, "light")]
LIGHT_FILL = {"green": "#92D050", "yellow": "#FFE699", "red": "#FF7C80", "blue": "#9DC3E6"}
PAGE_HEIGHT_PT = 595.3       # A4 landscape
MARGINS_IN = {"left": 0.35, "right": 0.35, "top": 0.55, "bottom": 0.6}
TITLE_PT, SUBTITLE_PT, GROUP_PT = 34.5, 20.25, 22.5  # whole pixels
SAFETY = 0.97                # keep a little room so the renderer never adds a break of its own
MONTHLY_TITLE = "{year}年{month}月《政府工作报告》重点任务落实情况汇总表"


def printable_height() -> float:
    return (PAGE_HEIGHT_PT - 72 * (MARGINS_IN["top"] + MARGINS_IN["bottom"])) * SAFETY


def _unit_label(u: dict) -> str:
    return u["name"] + ("（牵头）" if u["role"] == "lead" else "")


def _block_rows(task: dict, columns: list) -> list[dict]:
    """One task's rows: one per 责任单位 (continued over extra rows when a cell would exceed the row height limit)."""
    widths = {f: w for _h, w, f in columns}
    max_lines = int((MAX_ROW_PT - PAD_PT) // LINE_PT)
    rows = []
    unit_rows = task["unit_rows"] or [{"name": "", "role": "lead", "quarter_target": "", "done": "", "problems": "",
                                       "next_steps": "", "on_track": ""}]
    for u in unit_rows:
        cells = {"unit": _unit_label(u), "quarter_target": u["quarter_target"], "done": u["done"],
                 "problems": u["problems"], "next_steps": u["next_steps"], "on_track": u["on_track"]}
        pieces = {f: split_to_lines(v, widths[f], max_lines) if lines_needed(v, widths[f]) > max_lines else [v]
                  for f, v in cells.items() if f in widths}
        n = max(len(p) for p in pieces.values())
        for k in range(n):
            row = {f: (p[k] if k < len(p) else "") for f, p in pieces.items()}
            if k:
                row["unit"] = row["unit"] or f"{u['name']}（续）"
            row["lines"] = max(lines_needed(v, widths[f]) for f, v in row.items())
            rows.append(row)
    return rows


def layout(data: dict, columns: list) -> list[dict]:
    """Rows to write, with heights and page breaks decided here (so the page count is known)."""
    widths = {f: w for _h, w, f in columns}
    header_pt = height_for_lines(max(lines_needed(h, w) for h, w, _f in columns))
    page = printable_height()
    first_cap = page - TITLE_PT - SUBTITLE_PT - header_pt
    cap = page - header_pt
    out: list[dict] = []
    used, room = 0.0, first_cap

    def place(height: float) -> None:
        nonlocal used, room
        if used + height > room and used > 0:
            out.append({"type": "break"})
            used, room = 0.0, cap
        used += height

    for g in data["groups"]:
        blocks = []
        for t in g["tasks"]:
            rows = _block_rows(t, columns)
            heights = [height_for_lines(r["lines"]) for r in rows]
            task_pt = height_for_lines(lines_needed(t["text"], widths["task"]))
            if sum(heights) < task_pt:
                heights[-1] += task_pt - sum(heights)
            blocks.append((t, rows, heights))
        show_group = data["kind"] == "key"
        for i, (t, rows, heights) in enumerate(blocks):
            total = sum(heights)
            merge = total <= cap
            lead_pt = GROUP_PT if (show_group and i == 0) else 0.0
            if merge:
                if used + lead_pt + total > room and used > 0:
                    out.append({"type": "break"})
                    used, room = 0.0, cap
                if lead_pt:
                    out.append({"type": "group", "text": g["area"], "height": GROUP_PT})
                    used += GROUP_PT
                used += total
                out.append({"type": "task", "task": t, "rows": rows, "heights": heights, "merge": True})
            else:  # longer than a page: no merged cells, so nothing is cut at the page edge
                task_lines = lines_needed(t["text"], widths["task"])
                heights[0] = max(heights[0], height_for_lines(min(task_lines, int((MAX_ROW_PT - PAD_PT) // LINE_PT))))
                if lead_pt:
                    place(GROUP_PT)
                    out.append({"type": "group", "text": g["area"], "height": GROUP_PT})
                for k, h in enumerate(heights):
                    place(h)
                    out.append({"type": "task", "task": t, "rows": [rows[k]], "heights": [h], "merge": False,
                                "first": k == 0})
    return out


def write_summary(ledger, period: str, out: Path | str, kind: str = "key", today: date | None = None,
                  progress=None, cancel=None, charts: bool = True, title: str | None = None,
                  columns: list | None = None) -> dict:
    """Write the summary; returns {path, tasks, pages, data_rows}."""
    import xlsxwriter

    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise UserError(f"输出文件“{out.name}”应以 .xlsx 结尾。")
    data = summary_data(ledger, period, kind, today)
    if not data["task_count"]:
        raise UserError(f"{data['year']}年台账中没有{'重点任务' if kind == 'key' else '民生实事项目'}，无法生成汇总表。")
    columns = columns or KEY_COLUMNS
    title = title or MONTHLY_TITLE.format(year=data["year"], month=data["month"])
    rows = layout(data, columns)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.stem + ".part.xlsx")
    wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": title, "subject": "督查台账 汇总表", "author": "督查台账"})
    fmt = _formats(wb)
    ws = wb.add_worksheet("汇总表")
    ncol = len(columns)
    for i, (_h, w, _f) in enumerate(columns):
        ws.set_column(i, i, w)
    ws.set_row(0, TITLE_PT)
    ws.merge_range(0, 0, 0, ncol - 1, title, fmt["title"])
    counts = _light_counts(data)
    sub = (f"（数据截至{data['year']}年{data['month']}月，共{data['task_count']}项；"
           + "；".join(f"{LIGHT_NAMES[k]}色{LIGHT_MEANING[k]}{counts.get(k, 0)}项" for k in ("green", "yellow", "red", "blue"))
           + "）")
    ws.set_row(1, SUBTITLE_PT)
    ws.merge_range(1, 0, 1, ncol - 1, sub, fmt["subtitle"])
    header_pt = height_for_lines(max(lines_needed(h, w) for h, w, _f in columns))
    ws.set_row(2, header_pt)
    for i, (h, _w, _f) in enumerate(columns):
        ws.write_string(2, i, h, fmt["header"])
    r = 3
    breaks, data_rows, done = [], 0, 0
    fields = [f for _h, _w, f in columns]
    total_tasks = data["task_count"]
    for item in rows:
        if item["type"] == "break":
            breaks.append(r)
            continue
        if item["type"] == "group":
            ws.set_row(r, item["height"])
            ws.merge_range(r, 0, r, ncol - 1, item["text"], fmt["group"])
            r += 1
            continue
        t = item["task"]
        first_row = r
        for row, h in zip(item["rows"], item["heights"]):
            ws.set_row(r, h)
            for c, f in enumerate(fields):
                if f in ("seq", "task", "light"):
                    continue
                ws.write_string(r, c, str(row.get(f, "")), fmt["center"] if f == "on_track" else fmt["cell"])
            r += 1
            data_rows += 1
        last_row = r - 1
        task_cells = {"seq": (str(t["seq"]), fmt["center"]), "task": (t["text"], fmt["cell"]),
                      "light": (LIGHT_NAMES.get(t["light"], ""), fmt["light_" + t["light"]])}
        for c, f in enumerate(fields):
            if f not in task_cells:
                continue
            text, cf = task_cells[f]
            if not item["merge"] and not item.get("first", True):
                text = "（续）" if f == "task" else text
            if item["merge"] and last_row > first_row:
                ws.merge_range(first_row, c, last_row, c, text, cf)
            else:
                ws.write_string(first_row, c, text, cf)
        if item.get("first", True):
            done += 1
            if progress:
                progress(done, total_tasks, f"{t['seq']}")
            if cancel and cancel():
                wb.close()
                tmp.unlink(missing_ok=True)
                raise Cancelled()
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(**MARGINS_IN)
    ws.repeat_rows(2)
    ws.set_header("", {"margin": 0.3})
    ws.set_footer("&C第 &P 页 共 &N 页", {"margin": 0.3})
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_h_pagebreaks(breaks)
    ws.freeze_panes(3, 0)
    pages = len(breaks) + 1
    if charts:
        pages += _chart_sheet(wb, ledger, data, fmt)
    wb.close()
    os.replace(tmp, out)
    return {"path": str(out), "tasks": total_tasks, "pages": pages, "data_rows": data_rows, "title": title}


def _light_counts(data: dict) -> dict:
    counts: dict[str, int] = {}
    for g in data["groups"]:
        for t in g["tasks"]:
            counts[t["light"]] = counts.get(t["light"], 0) + 1
    return counts


def _chart_sheet(wb, ledger, data: dict, fmt) -> int:
    """A second sheet with the charts (one printed page)."""
    import io

    from core.office import charts
    from core.reports.data import month_series
    area: dict[str, dict] = {}
    for g in data["groups"]:
        for t in g["tasks"]:
            a = area.setdefault(g["area"], {"area": g["area"], "total": 0, "met": 0, "behind": 0})
            a["total"] += 1
            states = [u["on_track"] for u in t["unit_rows"]]
            a["met"] += bool(states) and all(s == "是" for s in states)
            a["behind"] += any(s == "否" for s in states)
    ws = wb.add_worksheet("图表")
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(**MARGINS_IN)
    ws.fit_to_pages(1, 1)
    ws.set_footer("&C第 &P 页 共 &N 页", {"margin": 0.3})
    ws.set_column(0, 0, 2)
    ws.write_string(0, 1, f"{data['year']}年{data['month']}月 完成情况图表", fmt["chart_title"])
    label = "各重点领域" if data["kind"] == "key" else "民生实事"
    png1 = charts.by_area(list(area.values()), f"{data['year']}年{data['month']}月{label}完成阶段任务目标情况")
    png2 = charts.by_month(month_series(ledger, data["year"], data["month"], data["kind"]))
    # two charts side by side, each about half the printable width (≈ 500 px at 96 dpi)
    k1, k2 = 500 / _png_width(png1), 500 / _png_width(png2)
    ws.insert_image(2, 1, "by_area.png", {"image_data": io.BytesIO(png1), "x_scale": k1, "y_scale": k1})
    ws.insert_image(2, 9, "by_month.png", {"image_data": io.BytesIO(png2), "x_scale": k2, "y_scale": k2})
    return 1


def _png_width(png: bytes) -> int:
    return int.from_bytes(png[16:20], "big") or 1  # IHDR width


def _formats(wb) -> dict:
    base = {"font_name": BODY_FONT, "font_size": 10, "text_wrap": True, "valign": "vcenter", "border": 1}
    f = {
        "title": wb.add_format({"font_name": TITLE_FONT, "font_size": 18, "bold": True, "align": "center",
                                "valign": "vcenter"}),
        "subtitle": wb.add_format({"font_name": BODY_FONT, "font_size": 10, "align": "center", "valign": "vcenter"}),
        "header": wb.add_format({**base, "font_name": HEAD_FONT, "bold": True, "align": "center", "bg_color": "#D9D9D9"}),
        "group": wb.add_format({**base, "font_name": HEAD_FONT, "bold": True, "align": "left", "bg_color": "#EDEDED"}),
        "cell": wb.add_format({**base, "align": "left"}),
        "center": wb.add_format({**base, "align": "center"}),
        "chart_title": wb.add_format({"font_name": TITLE_FONT, "font_size": 14, "bold": True}),
    }
    for k, colour in LIGHT_FILL.items():
        f["light_" + k] = wb.add_format({**base, "align": "center", "bold": True, "bg_color": colour})
    return f

