"""统计表 and 考评表 as print-ready .xlsx (A4, 制表单位 and 制表日期, the rules in force, the header repeated on every
page) with a units × months sheet of 督办 states coloured as 督办 colours them."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pandas as pd

from core.common.errors import UserError
from core.office.cjk_layout import lines_at, row_pt
from core.stats import kaoping
from core.stats.report import YearStats
from core.stats.tables import TASK_COLUMNS, TREND_COLUMNS, UNIT_COLUMNS
from core.stats.years import YEAR_COLUMNS
from core.tracking.states import STATE_COLORS

FONT = "宋体"
SHARE_KEYS = ("on_time_share", "on_track_share")
SCORE_COLUMNS = [("rank", "名次", 5), ("unit", "单位", 28), ("kind", "类别", 5), ("score", "得分", 7)] + [
    (key, name, 8) for key, name in kaoping.ITEMS.items()]


class _Book:
    def __init__(self, path: Path, office: str, today: date, rules: str):
        import xlsxwriter
        self.path, self.office, self.today, self.rules = path, office, today, rules
        self.tmp = path.with_name(f".{path.name}.part")
        self.wb = xlsxwriter.Workbook(str(self.tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                                       "nan_inf_to_errors": True})
        f = self.wb.add_format
        base = {"font_name": FONT, "font_size": 10, "valign": "vcenter"}
        self.title = f({**base, "font_size": 16, "bold": True, "align": "center"})
        self.meta = f({**base, "font_size": 10})
        self.head = f({**base, "bold": True, "border": 1, "align": "center", "text_wrap": True, "bg_color": "#F2F2F2"})
        self.text = f({**base, "border": 1, "text_wrap": True})
        self.num = f({**base, "border": 1, "align": "center"})
        self.pct = f({**base, "border": 1, "align": "center", "num_format": "0.0%"})
        self.note = f({**base, "text_wrap": True, "valign": "top"})
        self.fills: dict[str, object] = {}
        self.widths: dict[str, list[int]] = {}   # sheet name → column widths, for the row heights

    def fit(self, ws, row: int, texts: list[tuple[int, str]], pt: float = 10) -> None:
        """Make the row as tall as its longest text (column, text) needs, so nothing prints cut."""
        widths = self.widths[ws.name]
        lines = max((lines_at(t, widths[c], pt) for c, t in texts if t), default=1)
        if lines > 1:
            ws.set_row(row, row_pt(lines, pt))

    def fill(self, code: str):
        if code not in self.fills:
            self.fills[code] = self.wb.add_format({"font_name": FONT, "font_size": 9, "border": 1, "text_wrap": True,
                                                   "align": "center", "valign": "vcenter",
                                                   "bg_color": STATE_COLORS.get(code, "#FFFFFF")})
        return self.fills[code]

    def sheet(self, name: str, title: str, columns: list[tuple[str, int]], landscape: bool = True):
        """A sheet with its title, 制表单位 and 制表日期, the header row (repeated on every printed page)."""
        ws = self.wb.add_worksheet(name)
        ws.set_paper(9)
        ws.set_landscape() if landscape else ws.set_portrait()
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        ws.fit_to_pages(1, 0)
        ws.center_horizontally()
        ws.set_footer("&C第 &P 页 共 &N 页")
        last = len(columns) - 1
        ws.merge_range(0, 0, 0, last, title, self.title)
        ws.set_row(0, 28)
        t = self.today
        ws.merge_range(1, 0, 1, last, f"制表单位：{self.office}　　　　制表日期：{t.year}年{t.month}月{t.day}日", self.meta)
        self.widths[name] = [w for _label, w in columns]
        for c, (label, width) in enumerate(columns):
            ws.set_column(c, c, width)
            ws.write_string(2, c, label, self.head)
        ws.set_row(2, 30)
        ws.repeat_rows(2)
        return ws

    def notes(self, ws, row: int, ncols: int, lines: list[str]) -> None:
        width = sum(self.widths[ws.name][:ncols])
        for i, line in enumerate(lines):
            ws.merge_range(row + i, 0, row + i, ncols - 1, line, self.note)
            ws.set_row(row + i, row_pt(lines_at(line, width, 10) + 1, 10))

    def close(self) -> Path:
        self.wb.close()
        os.replace(self.tmp, self.path)
        return self.path


def _cell(ws, book: _Book, r: int, c: int, value, key: str = "") -> None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        ws.write_blank(r, c, None, book.num)
    elif key in SHARE_KEYS or key == "share":
        ws.write_number(r, c, float(value), book.pct)
    elif isinstance(value, (int, float)) and not isinstance(value, bool) or hasattr(value, "item"):
        ws.write_number(r, c, float(value), book.num)
    else:
        ws.write_string(r, c, str(value) if not isinstance(value, date) else value.isoformat(), book.text)


def _frame_sheet(book: _Book, name: str, title: str, frame: pd.DataFrame, names: dict, widths: dict,
                 notes: list[str] | None = None) -> None:
    keys = [k for k in names if k in frame.columns]
    ws = book.sheet(name, title, [(names[k], widths.get(k, 9)) for k in keys])
    for r, row in enumerate(frame[keys].itertuples(index=False), start=3):
        for c, (k, v) in enumerate(zip(keys, row, strict=True)):
            _cell(ws, book, r, c, v, k)
        book.fit(ws, r, [(c, v) for c, v in enumerate(row) if isinstance(v, str)])
    book.notes(ws, 4 + len(frame), len(keys), notes or [])


def _share_sheet(book: _Book, name: str, title: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    cols = [(frame.index.name or "", 16)] + [(f"{int(p[5:7])}月" if len(p) == 7 else p, 7) for p in frame.columns]
    ws = book.sheet(name, title, cols)
    for r, (key, row) in enumerate(frame.iterrows(), start=3):
        ws.write_string(r, 0, str(key), book.text)
        for c, v in enumerate(row, start=1):
            _cell(ws, book, r, c, v, "share")
    book.notes(ws, 4 + len(frame), len(cols),
               ["占比＝该月按计划推进的任务月次 ÷（按计划 + 滞后）；滞后指填“否”或任务亮红灯；空白为该月无填报。"])


def _matrix_sheet(book: _Book, s: YearStats) -> None:
    c = s.data.cells
    cols = list(dict.fromkeys(zip(c["form"], c["period"], strict=True)))
    cols = [k for k in cols if k[0] == "plan"] + sorted(k for k in cols if k[0] != "plan")
    heads = [("单位", 20)] + [("计划表" if f == "plan" else f"{int(p[5:7])}月", 9) for f, p in cols]
    ws = book.sheet("报送情况", f"{s.data.year}年各单位报送情况（与“督办”页一致）", heads)
    cells = {(u, f, p): (state, shown) for u, f, p, state, shown in
             zip(c["unit_id"], c["form"], c["period"], c["state"], c["shown"], strict=True)}
    units = s.data.units
    for r, (uid, name) in enumerate(zip(units["unit_id"], units["unit"], strict=True), start=3):
        ws.write_string(r, 0, name, book.text)
        texts = [(0, name)]
        for i, (f, p) in enumerate(cols, start=1):
            state, shown = cells.get((uid, f, p), ("", "not_dispatched"))
            ws.write_string(r, i, state, book.fill(shown))
            texts.append((i, state))
        book.fit(ws, r, texts)
    legend = "图例（底色同“督办”页）：绿＝已报，橙＝逾期已报，红＝未报（逾期），浅蓝＝已下发未到期，紫＝退回待改，灰＝未下发。"
    book.notes(ws, 4 + len(units), len(heads), [legend])


def _target(out: Path) -> Path:
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise UserError(f"输出文件“{out.name}”应以 .xlsx 结尾，如 统计表.xlsx。")
    if out.is_dir():
        raise UserError(f"“{out}”是一个文件夹。请写出文件名，如 {out / '统计表.xlsx'}。")
    out.parent.mkdir(parents=True, exist_ok=True)
    return out


def write_stats(s: YearStats, out: Path, office: str, today: date) -> Path:
    """统计表.xlsx: units, tasks, leaders, areas, categories, the month trend, years, the 报送情况 matrix."""
    d = s.data
    rules = kaoping.rules_text(s.rules)
    book = _Book(_target(out), office, today, rules)
    span = f"{int(d.periods[0][5:7])}—{int(d.periods[-1][5:7])}月" if d.periods else ""
    widths = {"unit": 22, "kind": 5, "late_workdays": 8, "contradicted_rows": 9}
    _frame_sheet(book, "单位统计", f"{d.year}年{span}各责任单位报送与落实情况统计", s.units, UNIT_COLUMNS, widths,
                 ["说明：应报表数含落实计划表和已过截止日（或已报送）的各月落实情况表；逾期、未报按法定工作日计算，与“督办”页一致；"
                  "照抄上月、填“是”但文字滞后以收文审核标记为准；任务滞后月次指本单位填“否”或牵头任务亮红灯的任务月次。"])
    _frame_sheet(book, "任务统计", f"{d.year}年各项任务推进情况统计", s.tasks, TASK_COLUMNS,
                 {"label": 11, "text": 40, "area": 12, "category": 10, "leaders": 10, "lead_unit": 16},
                 ["说明：按计划＝各责任单位均填“是”且未亮红灯；滞后＝有单位填“否”或亮红灯；未报送＝该月无填报。"])
    _share_sheet(book, "牵头领导", f"{d.year}年各牵头领导分管任务按计划推进占比（逐月）", s.leaders)
    _share_sheet(book, "重点领域", f"{d.year}年各重点领域任务按计划推进占比（逐月）", s.areas)
    _share_sheet(book, "类别", f"{d.year}年各类别任务按计划推进占比（逐月）", s.categories)
    _frame_sheet(book, "月度趋势", f"{d.year}年逐月报送与推进情况", s.trend, TREND_COLUMNS, {"period": 9})
    if not s.years.empty:
        _frame_sheet(book, "逐年对比", "历年报送与推进情况对比", s.years, YEAR_COLUMNS, {})
    _matrix_sheet(book, s)
    return book.close()


def write_kaoping(s: YearStats, out: Path, office: str, today: date) -> Path:
    """考评表.xlsx: ranked scores with the rules under the table, every deduction line by line, the 报送情况 matrix."""
    d = s.data
    rules = kaoping.rules_text(s.rules)
    book = _Book(_target(out), office, today, rules)
    ws = book.sheet("考评表", f"{d.year}年《政府工作报告》重点任务落实情况考评表",
                    [(name, w) for _k, name, w in SCORE_COLUMNS], landscape=False)
    for r, row in enumerate(s.scores.itertuples(index=False), start=3):
        for c, (key, _name, _w) in enumerate(SCORE_COLUMNS):
            value = getattr(row, key)
            if key in kaoping.ITEMS:   # "−3（3 次）": the points and how many lines they come from
                n = getattr(row, f"{key}_count")
                text = f"{value:+g}（{n}）" if n else ""
                ws.write_string(r, c, text, book.num)
            else:
                _cell(ws, book, r, c, value, key)
        book.fit(ws, r, [(1, row.unit)])
    book.notes(ws, 4 + len(s.scores), len(SCORE_COLUMNS),
               [rules, "各项括号内为次数（行数）；每一项扣分、加分的来源见“扣分明细”工作表，报送情况见“报送情况”工作表。"])
    ordered = s.deductions.merge(s.scores[["unit_id", "rank"]], on="unit_id").sort_values(
        ["rank", "unit_id", "period", "item"], kind="stable")
    ordered = ordered.assign(item=ordered["item"].map(kaoping.ITEMS), period=ordered["period"].map(
        lambda p: f"{int(p[5:7])}月" if len(p) == 7 else f"{p}年"))
    _frame_sheet(book, "扣分明细", f"{d.year}年考评扣分、加分明细", ordered, {"rank": "名次", **kaoping.DEDUCTION_COLUMNS},
                 {"rank": 5, "unit": 20, "item": 9, "form": 11, "period": 7, "task": 14, "points": 6, "detail": 46},
                 [rules])
    _matrix_sheet(book, s)
    return book.close()
