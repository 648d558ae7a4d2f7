"""The monthly summary (.xlsx): each task once, grouped by 重点领域, a row per 责任单位, printed A4 landscape, nothing cut."""
from __future__ import annotations

import os
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.office.cjk_layout import LINE_EM, PAD_PT, column_px, lines_at, row_pt, wrap
from core.common.errors import Cancelled, UserError
from core.common.work import Work, given
from core.reports.data import LIGHT_MEANING, LIGHT_NAMES, summary_data
from core.reports.report_types import AreaCount, SummaryData, SummaryTask, SummaryUnitRow, SummaryWritten

BODY_FONT = "仿宋_GB2312"
HEAD_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"   # 小标宋, as the documents' titles
BODY_PT = 9                  # one size for every cell and page (issue 28: at least 9 pt for a reader in their fifties)
OFFICE = "区政府督查室"
# (header, smallest width in column units, field); the flexible columns get their widths from what they hold
KEY_COLUMNS = [("序号", 4, "seq"), ("重点任务", 8, "task"), ("责任单位", 7, "unit"), ("季度目标", 7, "quarter_target"),
               ("完成情况", 12, "done"), ("存在问题", 7, "problems"), ("下一步计划", 7, "next_steps"),
               ("是否完成阶段任务目标", 7, "on_track"), ("状态", 4, "light")]
FIXED = ("seq", "on_track", "light")
LIGHT_FILL = {"green": "#92D050", "yellow": "#FFE699", "red": "#FF7C80", "blue": "#9DC3E6"}
PAGE_HEIGHT_PT, PAGE_WIDTH_PT = 595.3, 841.9       # A4 landscape
MARGINS_IN = {"left": 0.3, "right": 0.3, "top": 0.3, "bottom": 0.45}   # the footer (9 pt at 0.2 in) ends 0.38 in up
TABLE_PX = 1050              # the printable width is 1,065 px; a little room so no renderer shrinks the sheet
LO_PX_PER_UNIT = 7.4         # LibreOffice draws a column of width w (as stored, w + 0.71) at about 7.4 px a unit, wider
                             # than Excel's 7w + 5 for the wide columns: the sheet is kept within the page for both, or
                             # LibreOffice shrinks every page by ~4% and leaves that much white at each page's foot
TITLE_PT, SUBTITLE_PT = 27.0, 18.0
SAFETY = 0.99                # row heights are stored exactly; keep a little room for the renderer's rounding
CONTINUED = "（续）"
TASK_CELL_PT = 360           # the longest 重点任务 text fits beside the rows of one page
MONTHLY_TITLE = "{year}年{month}月《政府工作报告》重点任务落实情况汇总表"


def printed_px(width: float) -> float:
    """A column's printed width in px: the wider of Excel's and LibreOffice's (text is wrapped at Excel's, the narrower)."""
    return max(column_px(width), (width + 0.71) * LO_PX_PER_UNIT)


def printable_height() -> float:
    return (PAGE_HEIGHT_PT - 72 * (MARGINS_IN["top"] + MARGINS_IN["bottom"])) * SAFETY


def _unit_label(u: SummaryUnitRow) -> str:
    return u["name"] + ("（牵头）" if u["role"] == "lead" else "")


def _unit_cells(task: SummaryTask) -> list[dict[str, str]]:
    """The printed cells of each unit's row, by column field; a task without units gets one blank row."""
    rows = task["unit_rows"] or [SummaryUnitRow(name="", role="lead", reported=False, quarter_target="", done="",
                                                problems="", next_steps="", on_track="", source=None)]
    return [{"unit": _unit_label(u), "name": u["name"], "quarter_target": u["quarter_target"] or "",
             "done": u["done"] or "", "problems": u["problems"] or "", "next_steps": u["next_steps"] or "",
             "on_track": u["on_track"] or ""} for u in rows]


@lru_cache(maxsize=200_000)
def _lines(text: str, width: int, font_pt: float = BODY_PT) -> int:
    return lines_at(text, width, font_pt)


def _fits(text: str, width: int, font_pt: float, max_lines: int) -> bool:
    return _lines(text, width, font_pt) <= max_lines


def plan_widths(data: SummaryData, columns: list, font_pt: float = BODY_PT) -> dict[str, int]:
    """Column widths from what the columns hold: the fixed ones as narrow as their header and values allow, the text
    columns share the rest so that the rows, and so the pages, are as short as they can be."""
    widths: dict[str, int] = {}
    tasks = [t for g in data["groups"] for t in g["tasks"]]
    cells = [(t, _unit_cells(t)) for t in tasks]
    for header, least, f in columns:
        if f not in FIXED:
            continue
        values = {str(t["seq"]) for t in tasks} if f == "seq" else (
            {LIGHT_NAMES.get(t["light"], "") for t in tasks} if f == "light" else {c["on_track"] for _t, cs in cells for c in cs})
        w = least
        while not (_fits(header, w, font_pt, 2) and all(_fits(v, w, font_pt, 1) for v in values)):
            w += 1
        widths[f] = w
    longest = max((t["text"] for t in tasks), key=len, default="")
    task_least = next(w for w in range(8, 200) if row_pt(_lines(longest, w, font_pt), font_pt) <= TASK_CELL_PT or w > 120)
    flex = [(f, max(least, task_least) if f == "task" else least) for _h, least, f in columns if f not in FIXED]
    budget = TABLE_PX - sum(printed_px(w) for w in widths.values())
    # start in proportion to the characters each column holds
    chars = {f: 1 + sum(len(t["text"]) if f == "task" else sum(len(c[f]) for c in cs) for t, cs in cells) for f, _l in flex}
    total = sum(chars.values())
    for f, least in flex:
        widths[f] = max(least, int((budget / 7 - 5) * chars[f] / total))
    heads = {f: h for h, _l, f in columns}

    unit_cells = [c for _t, cs in cells for c in cs]
    owner = [i for i, (_t, cs) in enumerate(cells) for _c in cs]   # the task of each unit cell
    text_columns = [f for f, _l in flex if f != "task"]
    line_cache: dict[tuple[str, int], list[int]] = {}

    def column_lines(f: str, w: int) -> list[int]:
        """Lines of every unit cell of column f at width w (each width is tried many times while fitting)."""
        key = (f, w)
        if key not in line_cache:
            line_cache[key] = ([_lines(t["text"], w, font_pt) for t, _cs in cells] if f == "task"
                               else [_lines(c[f], w, font_pt) for c in unit_cells])
        return line_cache[key]

    def cost() -> float:
        rows = [0] * len(cells)
        columns_now = [column_lines(f, widths[f]) for f in text_columns]
        for i, lines in zip(owner, map(max, *columns_now) if len(columns_now) > 1 else columns_now[0], strict=True):
            rows[i] += lines
        return float(sum(map(max, rows, column_lines("task", widths["task"]))))

    def px() -> float:
        return sum(printed_px(w) for w in widths.values())

    while px() > TABLE_PX:  # never wider than the page
        f = max((f for f, least in flex if widths[f] > least), key=lambda f: widths[f])
        widths[f] -= 1
    best = cost()
    for step in (4, 2, 1):
        improved = True
        while improved:
            improved = False
            for a, least_a in flex:
                for b, _least_b in flex:
                    if a == b or widths[a] - step < least_a:
                        continue
                    widths[a] -= step
                    widths[b] += step
                    c = cost()
                    if c < best and _fits(heads[a], widths[a], font_pt, 2):
                        best, improved = c, True
                    else:
                        widths[a] += step
                        widths[b] -= step
        while px() + LO_PX_PER_UNIT <= TABLE_PX:  # spend what is left on the widest text column
            widths["done"] += 1
    return {f: widths[f] for _h, _l, f in columns}


def _split_cell(text: str, width: int, font_pt: float, max_lines: int) -> list[str]:
    """A cell longer than a page in pieces of whole lines (no character lost or added; line breaks kept)."""
    lines: list[str] = []
    for k, para in enumerate(str(text).split("\n")):
        wrapped = wrap(para, width, font_pt)
        if k:
            wrapped[0] = "\n" + wrapped[0]
        lines += wrapped
    pieces = ["".join(lines[i:i + max_lines]) for i in range(0, len(lines), max_lines)]
    return [p[1:] if i and p.startswith("\n") else p for i, p in enumerate(pieces)] or [""]


def _block_rows(task: SummaryTask, widths: dict, font_pt: float, max_lines: int) -> list[dict[str, Any]]:
    """One task's rows, lead unit first: one per 责任单位, continued over extra rows where a cell is longer than a page."""
    fields = [f for f in widths if f not in ("seq", "task", "light")]
    rows: list[dict[str, Any]] = []
    for c in _unit_cells(task):
        pieces = {f: _split_cell(c[f], widths[f], font_pt, max_lines) if _lines(c[f], widths[f], font_pt) > max_lines
                  else [c[f]] for f in fields}
        n = max(len(p) for p in pieces.values())
        for k in range(n):
            row: dict[str, Any] = {f: (p[k] if k < len(p) else "") for f, p in pieces.items()}
            if k:
                row["unit"] = c["name"] + CONTINUED
            row["height"] = row_pt(max(_lines(row[f], widths[f], font_pt) for f in fields), font_pt)
            rows.append(row)
    return rows


SPLIT_LINES = 2   # a unit row (or the 重点任务 text) breaks at a page's foot only when at least this many of its lines
                  # fit there and as many are left for the next page (no lone line at either end)


def _cell_lines(text: str, width: int, font_pt: float) -> list[str]:
    """A cell's printed lines; a line that starts a new paragraph keeps its "\\n" in front (joined back exactly)."""
    lines: list[str] = []
    for k, para in enumerate(str(text).split("\n")):
        wrapped = wrap(para, width, font_pt) or [""]
        if k:
            wrapped[0] = "\n" + wrapped[0]
        lines += wrapped
    return lines


def _split_row(row: dict, widths: dict, font_pt: float, lines: int) -> tuple[dict, dict] | None:
    """A unit row in two at a line boundary: the first `lines` lines of every cell, then the rest under the unit's
    name with “（续）” (whole lines, no character lost or added); None when either part would be under SPLIT_LINES."""
    fields = [f for f in widths if f not in ("seq", "task", "light")]
    wrapped = {f: _cell_lines(row[f], widths[f], font_pt) for f in fields if f != "unit"}
    tallest = max(len(v) for v in wrapped.values())
    if lines < SPLIT_LINES or tallest - lines < SPLIT_LINES:
        return None
    head: dict = {f: "".join(v[:lines]) for f, v in wrapped.items()}
    tail: dict = {f: "".join(v[lines:]).lstrip("\n") for f, v in wrapped.items()}
    head["unit"] = row["unit"]
    tail["unit"] = row["unit"].removesuffix(CONTINUED) + CONTINUED
    for part in (head, tail):
        part["height"] = row_pt(max(_lines(part[f], widths[f], font_pt) for f in fields), font_pt)
    return head, tail


def layout(data: SummaryData, widths: dict, columns: list, font_pt: float = BODY_PT) -> list[list[dict]]:
    """Pages of items (a 重点领域 row, or one task's rows on that page), heights decided here so the page count is known.

    A task's block may break between its rows; the part on the next page says “（续）” in the 重点任务 column. A unit
    row that does not fit what is left of a page breaks at a line boundary (_split_row) so the page is filled: its
    cells read on in the next page's first row under the repeated header, the unit named again with “（续）”."""
    header_pt = header_height(widths, columns, font_pt)
    page = printable_height()
    cap = page - header_pt
    group_pt = row_pt(1, font_pt)
    max_lines = int((min(cap, 409) - 4) // (font_pt * 1.5)) - 1
    pages: list[list[dict]] = [[]]
    used, room = 0.0, page - TITLE_PT - SUBTITLE_PT - header_pt

    def new_page() -> None:
        nonlocal used, room
        pages.append([])
        used, room = 0.0, cap

    for g in data["groups"]:
        for i, t in enumerate(g["tasks"]):
            rows = _block_rows(t, widths, font_pt, max_lines)
            heights = [r["height"] for r in rows]
            lead = group_pt if (data["kind"] == "key" and i == 0) else 0.0
            k, first, rest = 0, True, t["text"]   # rest: the 重点任务 text still to print
            while k < len(rows):
                label = rest if first else CONTINUED + rest
                label_pt = row_pt(_lines(label, widths["task"], font_pt), font_pt)
                free = room - used - lead
                n, h = 0, 0.0
                while k + n < len(rows) and h + heights[k + n] <= free:
                    h += heights[k + n]
                    n += 1
                if k + n < len(rows):
                    fit = int((free - h - PAD_PT) // (font_pt * LINE_EM))
                    parts = _split_row(rows[k + n], widths, font_pt, fit)
                    if parts and h + parts[0]["height"] <= free:
                        rows[k + n:k + n + 1] = list(parts)
                        heights[k + n:k + n + 1] = [parts[0]["height"], parts[1]["height"]]
                        h += heights[k + n]
                        n += 1
                if (n and k + n == len(rows) and h < label_pt and label_pt > free
                        and row_pt(SPLIT_LINES, font_pt) <= free):
                    # every row fits but the 重点任务 text does not: break the last row early so both read on
                    last = rows[k + n - 1]
                    tallest = round((last["height"] - PAD_PT) / (font_pt * LINE_EM))
                    parts = _split_row(last, widths, font_pt, tallest - SPLIT_LINES)
                    if parts:
                        rows[k + n - 1:k + n] = list(parts)
                        heights[k + n - 1:k + n] = [parts[0]["height"], parts[1]["height"]]
                        h += parts[0]["height"] - last["height"]
                carry = ""   # the part of the 重点任务 text that reads on beside the next page's rows
                if n and h < label_pt and label_pt > free:
                    # the task text is taller than what is left of the page: when its rows read on, so does it
                    lines = _cell_lines(label, widths["task"], font_pt)
                    fit_lines = max((m for m in range(len(lines) - SPLIT_LINES + 1) if row_pt(m, font_pt) <= free),
                                    default=0)   # and at least SPLIT_LINES lines left to read on
                    if k + n < len(rows) and fit_lines >= SPLIT_LINES:
                        label, carry = "".join(lines[:fit_lines]), "".join(lines[fit_lines:]).lstrip("\n")
                        label_pt = row_pt(fit_lines, font_pt)
                    else:
                        n = 0  # the 重点任务 text would not fit beside what is left on this page
                if n == 0:
                    if used == 0:  # cannot happen: every row is shorter than a page
                        raise AssertionError("row taller than a page")
                    new_page()
                    continue
                seg_heights = heights[k:k + n]
                if sum(seg_heights) < label_pt:
                    seg_heights[-1] += label_pt - sum(seg_heights)
                if lead:
                    pages[-1].append({"type": "group", "text": g["area"], "height": group_pt})
                    used += lead
                    lead = 0.0
                pages[-1].append({"type": "task", "task": t, "label": label, "rows": rows[k:k + n],
                                  "heights": seg_heights, "first": first})
                used += sum(seg_heights)
                k += n
                first, rest = False, carry
                if k < len(rows):
                    new_page()
    return [p for p in pages if p]


def header_height(widths: dict, columns: list, font_pt: float = BODY_PT) -> float:
    heads = {f: h for h, _w, f in columns}
    return row_pt(max(_lines(heads[f], w, font_pt) for f, w in widths.items()), font_pt)


def write_summary(ledger, period: str, out: Path | str, kind: str = "key", today: date | None = None,
                  work: Work | None = None, charts: bool = True, title: str | None = None,
                  columns: list | None = None) -> SummaryWritten:
    """Write the summary; returns {path, tasks, pages, data_rows, widths}."""
    import xlsxwriter

    work = given(work)
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise UserError(f"输出文件“{out.name}”应以 .xlsx 结尾。")
    data = summary_data(ledger, period, kind, today)
    if not data["task_count"]:
        raise UserError(f"{data['year']}年台账中没有{'重点任务' if kind == 'key' else '民生实事项目'}，无法生成汇总表。")
    columns = columns or KEY_COLUMNS
    title = title or MONTHLY_TITLE.format(year=data["year"], month=data["month"])
    widths = plan_widths(data, columns)
    pages = layout(data, widths, columns)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.stem + ".part.xlsx")
    wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": title, "subject": "督查台账 汇总表", "author": "督查台账"})
    fmt = _formats(wb)
    ws = wb.add_worksheet("汇总表")
    ncol = len(columns)
    fields = [f for _h, _w, f in columns]
    for i, f in enumerate(fields):
        ws.set_column(i, i, widths[f])
    ws.set_row(0, TITLE_PT)
    ws.merge_range(0, 0, 0, ncol - 1, title, fmt["title"])
    counts = _light_counts(data)
    sub = subtitle(data, counts)
    ws.set_row(1, SUBTITLE_PT)
    ws.merge_range(1, 0, 1, ncol - 1, sub, fmt["subtitle"])
    ws.set_row(2, header_height(widths, columns))
    for i, (h, _w, _f) in enumerate(columns):
        ws.write_string(2, i, h, fmt["header"])
    r = 3
    breaks, data_rows, done = [], 0, 0
    total_tasks = data["task_count"]
    for p, items in enumerate(pages):
        if p:
            breaks.append(r)
        for item in items:
            if item["type"] == "group":
                ws.set_row(r, item["height"])
                ws.merge_range(r, 0, r, ncol - 1, item["text"], fmt["group"])
                r += 1
                continue
            t = item["task"]
            first_row = r
            for row, h in zip(item["rows"], item["heights"], strict=True):
                ws.set_row(r, h)
                for c, f in enumerate(fields):
                    if f not in ("seq", "task", "light"):
                        ws.write_string(r, c, row.get(f, ""), fmt["center"] if f == "on_track" else fmt["cell"])
                r += 1
                data_rows += 1
            last_row = r - 1
            task_cells = {"seq": (str(t["seq"]), fmt["center"]), "task": (item["label"], fmt["cell"]),
                          "light": (LIGHT_NAMES.get(t["light"], ""), fmt["light_" + t["light"]])}
            for c, f in enumerate(fields):
                if f in task_cells:
                    text, cf = task_cells[f]
                    if last_row > first_row:
                        ws.merge_range(first_row, c, last_row, c, text, cf)
                    else:
                        ws.write_string(first_row, c, text, cf)
            if item["first"]:
                done += 1
                work.report(done, total_tasks, f"{t['seq']}")
                if work.cancelled:
                    wb.close()
                    tmp.unlink(missing_ok=True)
                    raise Cancelled()
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(**MARGINS_IN)
    ws.repeat_rows(2)
    ws.set_header("", {"margin": 0.2})
    made = data["today"]
    ws.set_footer(f"&L&9制表单位：{OFFICE}&C&9第 &P 页 共 &N 页&R&9制表日期：{made.year}年{made.month}月{made.day}日",
                  {"margin": 0.2})
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_h_pagebreaks(breaks)
    ws.freeze_panes(3, 0)
    n_pages = len(pages)
    if charts:
        n_pages += _chart_sheet(wb, ledger, data, fmt)
    wb.close()
    os.replace(tmp, out)
    return SummaryWritten(path=str(out), tasks=total_tasks, pages=n_pages, data_rows=data_rows, title=title,
                          widths=widths)


def subtitle(data: SummaryData, counts: dict[str, int]) -> str:
    """“（2026年6月，数据截至2026年7月20日，共98项：完成N项、未完成N项、未报N项；绿色…N项；…）” — core.tracking.verdict."""
    from core.tracking.verdict import counts_text
    today = data["today"]
    return (f"（{data['year']}年{data['month']}月，数据截至{today.year}年{today.month}月{today.day}日，"
            f"共{data['task_count']}项：{counts_text(data['counts'])}；"
            + "；".join(f"{LIGHT_NAMES[k]}色{LIGHT_MEANING[k]}{counts.get(k, 0)}项" for k in ("red", "yellow", "green", "blue"))
            + "）")


def _light_counts(data: SummaryData) -> dict[str, int]:
    counts: dict[str, int] = {}
    for g in data["groups"]:
        for t in g["tasks"]:
            counts[t["light"]] = counts.get(t["light"], 0) + 1
    return counts


def _chart_sheet(wb, ledger, data: SummaryData, fmt) -> int:
    """A second sheet with the charts (one printed page)."""
    import io

    from core.office import charts
    from core.reports.data import month_series
    area: dict[str, AreaCount] = {}
    for g in data["groups"]:
        for t in g["tasks"]:
            a = area.setdefault(g["area"], AreaCount(area=g["area"], total=0, met=0, behind=0))
            a["total"] += 1
            a["met"] += t["verdict"] == "done"      # the one definition (core.tracking.verdict)
            a["behind"] += t["verdict"] == "behind"
    ws = wb.add_worksheet("图表")
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(**MARGINS_IN)
    ws.fit_to_pages(1, 1)
    ws.set_footer("&C第 &P 页 共 &N 页", {"margin": 0.3})
    ws.set_column(0, 0, 2)
    ws.write_string(0, 1, f"{data['year']}年{data['month']}月 完成情况图表", fmt["chart_title"])
    label = "各重点领域" if data["kind"] == "key" else "民生实事"
    # drawn at the size they print: two side by side, each half the printable width, labels ≥ 9 pt on paper
    width_mm = 125.0
    png1 = charts.by_area(list(area.values()), f"{data['year']}年{data['month']}月{label}完成阶段任务目标情况",
                          width_mm=width_mm)
    ws.insert_image(2, 1, "by_area.png", {"image_data": io.BytesIO(png1), "x_scale": 1, "y_scale": 1})
    series = month_series(ledger, data["year"], data["month"], data["kind"])
    if charts.month_chart_useful(series):   # January alone would be a one-point line: left out
        png2 = charts.by_month(series, width_mm=width_mm)
        ws.insert_image(2, 1, "by_month.png", {"image_data": io.BytesIO(png2), "x_scale": 1, "y_scale": 1,
                                               "x_offset": round(width_mm / 25.4 * 96) + 12})
    return 1



def _formats(wb) -> dict:
    base = {"font_name": BODY_FONT, "font_size": BODY_PT, "text_wrap": True, "valign": "vcenter", "border": 1}
    f = {
        "title": wb.add_format({"font_name": TITLE_FONT, "font_size": 16, "bold": False, "align": "center",
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

