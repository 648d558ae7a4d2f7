"""Charts as PNG bytes drawn with Pillow and a CJK font: completion by 重点领域, by unit, month over month.

Pillow draws them in tens of milliseconds; matplotlib cost the summary and the bulletin a second (its import and its
text layout). Drawn at twice the size and scaled down, so lines and text are smooth. Each chart is drawn at the width
it is printed (`width_mm`, the full 156 mm text width by default) with no text under MIN_PT, so a point on the chart is
a point on paper; the PNG carries its smallest text size (`min_pt`) and its intended width for tests and callers.
"""
from __future__ import annotations

import io
import math
import os
import textwrap
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "WenQuanYi Micro Hei",
                "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei", "PingFang SC", "Source Han Sans SC")
DPI = 120  # sharp at the 156 mm the bulletin prints them
SS = 2     # supersampling factor
PRINT_MM = 156   # the full text width of a GB/T 9704 page: charts are drawn at it unless told otherwise
MIN_PT = 9       # no chart text smaller than this at print size (a reader in their fifties, on paper)
MOST_UNITS = 25  # the unit chart shows at most this many units (the lowest shares), each a 9 pt line
_WIN_FONTS = Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"
FONT_FILES = (  # (family, file, face index in a collection)
    ("Noto Sans CJK SC", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("Noto Sans CJK SC", "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("Noto Sans CJK SC", "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("Noto Sans CJK SC", "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf", 0),
    ("WenQuanYi Micro Hei", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("WenQuanYi Zen Hei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("Microsoft YaHei", str(_WIN_FONTS / "msyh.ttc"), 0),
    ("SimHei", str(_WIN_FONTS / "simhei.ttf"), 0),
    ("PingFang SC", "/System/Library/Fonts/PingFang.ttc", 0),
    ("Source Han Sans SC", "/usr/share/fonts/adobe-source-han-sans/SourceHanSansSC-Regular.otf", 0),
    ("Noto Serif CJK SC", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
)
GREEN, RED, YELLOW, BLUE = "#2e8b57", "#c0392b", "#f1c40f", "#2e6da4"
INK, GRID = "#222222", "#d9d9d9"
_lock = threading.Lock()   # charts are drawn from worker threads; the font cache is shared
_font_file: list = []      # [(family, path, index)] once found, [None] when no CJK font is installed
_fonts: dict = {}

Rows = Sequence[Mapping[str, Any]]   # the figures' rows: report data TypedDicts (core.reports.report_types)


def _find_font() -> tuple[str, str, int] | None:
    if not _font_file:
        found = next(((fam, path, idx) for fam, path, idx in FONT_FILES if os.path.isfile(path)), None)
        _font_file.append(found or _font_from_fontconfig())
    return _font_file[0]


def _font_from_fontconfig() -> tuple[str, str, int] | None:
    """Where no known file exists: ask fontconfig (Linux) for any Chinese font."""
    import shutil
    import subprocess
    if not shutil.which("fc-match"):
        return None
    try:
        out = subprocess.run(["fc-match", "-f", "%{family[0]}|%{file}|%{index}", ":lang=zh-cn"],
                             capture_output=True, text=True, timeout=10).stdout
        family, path, index = out.split("|")
        return (family, path, int(index)) if os.path.isfile(path) else None
    except (OSError, ValueError, subprocess.SubprocessError):
        return None


def _font(pt: float):
    """The CJK font at `pt` points (at DPI, supersampled)."""
    from PIL import ImageFont
    px = round(pt * DPI / 72 * SS)
    if px not in _fonts:
        found = _find_font()
        _fonts[px] = (ImageFont.truetype(found[1], px, index=found[2]) if found
                      else ImageFont.load_default(size=px))
    return _fonts[px]


def cjk_font() -> str | None:
    """The family of the Chinese font the charts use (None: none installed, Chinese shows as boxes)."""
    with _lock:
        found = _find_font()
    return found[0] if found else None


def _locked(fn):
    def wrapper(*args, **kwargs):
        with _lock:
            return fn(*args, **kwargs)
    wrapper.__doc__, wrapper.__name__ = fn.__doc__, fn.__name__
    return wrapper


def _wrap(label: str, width: int = 10) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


class _Canvas:
    """A white image in inches at DPI×SS with text measuring and the plot box's coordinate mapping."""

    def __init__(self, width_in: float, height_in: float):
        from PIL import Image, ImageDraw
        self.w, self.h = round(width_in * DPI * SS), round(height_in * DPI * SS)
        self.min_pt = 99.0
        self.img = Image.new("RGB", (self.w, self.h), "white")
        self.draw = ImageDraw.Draw(self.img)

    def size(self, text: str, pt: float) -> tuple[int, int]:
        if not text:
            return 0, 0
        box = self.draw.multiline_textbbox((0, 0), text, font=_font(pt), spacing=2 * SS)
        return round(box[2] - box[0]), round(box[3] - box[1])

    def text(self, xy, text: str, pt: float, anchor: str = "la", fill: str = INK, align: str = "left") -> None:
        if pt < MIN_PT:
            raise ValueError(f"chart text at {pt} pt is under {MIN_PT} pt")
        self.min_pt = min(self.min_pt, pt)
        if "\n" in text:
            self.draw.multiline_text(xy, text, font=_font(pt), fill=fill, anchor=anchor, spacing=2 * SS, align=align)
        else:
            self.draw.text(xy, text, font=_font(pt), fill=fill, anchor=anchor)

    def png(self) -> bytes:
        img = self.img.reduce(SS)   # box filter: smooth edges at a fraction of LANCZOS's cost
        from PIL.PngImagePlugin import PngInfo
        info = PngInfo()
        info.add_text("min_pt", f"{self.min_pt:g}")   # the smallest text drawn, in points at the drawn size
        buf = io.BytesIO()
        img.save(buf, format="PNG", dpi=(DPI, DPI), compress_level=3, pnginfo=info)
        return buf.getvalue()


def _nice_ticks(top: float, most: int = 8) -> list[float]:
    """0, step, 2·step, … covering `top`, with step 1, 2 or 5 × 10ⁿ."""
    top = max(top, 1)
    raw = top / most
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    if step < 1:
        step = 1
    return [i * step for i in range(int(math.ceil(top / step - 1e-9)) + 1)]


def _tick_label(v: float) -> str:
    return f"{v:g}"


def _hbars(c: _Canvas, labels: list[str], stacks: list, xmax: float, ticks: list[float],
           title: str, xlabel: str, label_pt: float, after: list[str] | None = None,
           legend: list[tuple[str, str]] | None = None) -> tuple[int, int, int, int]:
    """Horizontal (stacked) bars, first label at the top, the legend in a row under the title; returns the plot box."""
    pad = 10 * SS
    title_w, title_h = c.size(title, 12)
    left = max((c.size(lab, label_pt)[0] for lab in labels), default=0) + pad * 2
    right_room = max((c.size(a, 9)[0] for a in after or []), default=0) + pad * 2
    top = pad + title_h + pad * 2
    if legend:
        top = _legend(c, legend, top - pad) + pad
    xl_w, xl_h = c.size(xlabel, 10)
    tick_h = c.size("0", 9)[1]
    bottom = c.h - pad - xl_h - pad - tick_h - pad
    x0, x1 = left, c.w - max(right_room, pad * 2)
    c.text(((x0 + x1) // 2, pad), title, 12, anchor="ma")
    scale = (x1 - x0) / xmax
    for t in ticks:
        x = x0 + t * scale
        c.draw.line([(x, top), (x, bottom)], fill=GRID, width=SS)
        c.draw.line([(x, bottom), (x, bottom + 4 * SS)], fill=INK, width=SS)
        c.text((x, bottom + 6 * SS), _tick_label(t), 9, anchor="ma")
    c.text(((x0 + x1) // 2, c.h - pad), xlabel, 10, anchor="md")
    n = max(len(labels), 1)
    slot = (bottom - top) / n
    bar = slot * 0.8
    for i, (lab, stack) in enumerate(zip(labels, stacks, strict=True)):
        yc = top + slot * (i + 0.5)
        start = 0.0
        for value, colour in stack:
            if value > 0:
                c.draw.rectangle([x0 + start * scale, yc - bar / 2, x0 + (start + value) * scale, yc + bar / 2],
                                 fill=colour)
            start += value
        c.text((x0 - pad, yc), lab, label_pt, anchor="rm", align="right")
        if after:
            c.text((x0 + start * scale + 4 * SS, yc), after[i], 9, anchor="lm")
    c.draw.rectangle([x0, top, x1, bottom], outline=INK, width=SS)
    return x0, top, x1, bottom


def _legend(c: _Canvas, items: list[tuple[str, str]], y: int) -> int:
    """Swatches and names in one centred row from `y` down; returns the row's bottom."""
    pad, swatch = 6 * SS, 14 * SS
    sizes = [c.size(name, MIN_PT) for name, _ in items]
    height = max(max(h for _, h in sizes), swatch)
    width = sum(swatch + pad + w for w, _ in sizes) + pad * 3 * (len(items) - 1)
    x = (c.w - width) // 2
    for (name, colour), (w, _) in zip(items, sizes, strict=True):
        c.draw.rectangle([x, y + height // 2 - swatch // 3, x + swatch, y + height // 2 + swatch // 3], fill=colour)
        c.text((x + swatch + pad, y + height // 2), name, MIN_PT, anchor="lm")
        x += swatch + pad + w + pad * 3
    return y + height


@_locked
def by_area(rows: Rows, title: str = "各重点领域完成阶段任务目标情况", width_mm: float = PRINT_MM) -> bytes:
    """rows: [{area, total, met, behind}] → horizontal stacked bars (met, behind, not reported), drawn `width_mm` wide."""
    c = _Canvas(width_mm / 25.4, 0.34 * max(len(rows), 3) + 1.2)
    labels = [_wrap(r["area"], 10 if width_mm < 140 else 12) for r in rows]
    stacks = []
    for r in rows:
        met, behind = int(r["met"]), int(r["behind"])
        stacks.append([(met, GREEN), (behind, RED), (int(r["total"]) - met - behind, YELLOW)])
    top = max((int(r["total"]) for r in rows), default=1)
    ticks = _nice_ticks(top * 1.05)
    _hbars(c, labels, stacks, max(ticks[-1], top * 1.12), ticks, title, "任务数（项）", MIN_PT,
           after=[f"{int(r['met'])}/{int(r['total'])}" for r in rows],
           legend=[("完成阶段目标", GREEN), ("未完成", RED), ("未报送或未填写", YELLOW)])
    return c.png()


UNIT_CHART_MM = PRINT_MM


def units_shown(rows: Rows, most: int = MOST_UNITS) -> tuple[list[Mapping[str, Any]], int, int]:
    """The units the unit chart shows: those whose share of 是 is under 100 %, lowest first (then by name), at most
    `most`; returns (shown, below, full) — how many units are below 100 % and how many are at 100 %."""
    def rate(r: Mapping[str, Any]) -> float:
        return r["ok"] / r["rows"] if r["rows"] else 0.0
    below = sorted((r for r in rows if rate(r) < 1), key=lambda r: (rate(r), r["unit"]))
    return below[:most], len(below), len(rows) - len(below)


def unit_caption(rows: Rows, most: int = MOST_UNITS) -> str:
    """The caption that says which units the unit chart shows and which it leaves out."""
    shown, below, full = units_shown(rows, most)
    if not below:
        return f"各责任单位报告“是”的占比（{full}家均为100%）"
    rest = f"，其余{full}家为100%" if full else ""
    if len(shown) == below:
        return f"报告“是”占比低于100%的{below}家单位（由低到高{rest}）"
    return f"报告“是”占比最低的{len(shown)}家单位（共{below}家低于100%{rest}）"


@_locked
def by_unit(rows: Rows, title: str = "报告“是”占比低于100%的责任单位", width_mm: float = PRINT_MM,
            most: int = MOST_UNITS) -> bytes:
    """rows: [{unit, rows, ok}] → the units under 100 % (units_shown: lowest share at the top, at most `most`), each
    name on a 9 pt line; when every unit is at 100 % one bar says so. Drawn `width_mm` wide, at most a text page tall."""
    shown, _below, full = units_shown(rows, most)
    if not shown:
        shown = [{"unit": f"全部{full}家单位", "rows": 1, "ok": 1}]
    c = _Canvas(width_mm / 25.4, min(0.2 * max(len(shown), 4) + 1.2, 7.8))
    rate = [100.0 * r["ok"] / r["rows"] if r["rows"] else 0 for r in shown]
    _hbars(c, [r["unit"] for r in shown], [[(v, BLUE)] for v in rate], 100, list(range(0, 101, 20)), title,
           "报告“是”的任务占比（%）", MIN_PT, after=[f"{v:.0f}%" for v in rate])
    return c.png()


def month_chart_useful(rows: Rows) -> bool:
    """A month-over-month line needs two months at least: one point is no line (callers leave the chart out)."""
    return len(rows) >= 2


@_locked
def by_month(rows: Rows, title: str = "逐月完成阶段任务目标情况", width_mm: float = PRINT_MM) -> bytes:
    """rows: [{period, rows, ok}] → a line of the share of 是 per month, each point labelled; one month alone is drawn
    as a labelled column, never a one-point line (documents leave it out: month_chart_useful)."""
    c = _Canvas(width_mm / 25.4, 2.6)
    labels = [f"{int(r['period'][5:])}月" for r in rows]
    rate = [100.0 * r["ok"] / r["rows"] if r["rows"] else 0 for r in rows]
    pad = 10 * SS
    title_h = c.size(title, 12)[1]
    ylabel = "报告“是”的占比（%）"
    yl_w, yl_h = c.size(ylabel, 10)
    tick_w = c.size("100", 9)[0]
    x0 = pad + yl_h + pad + tick_w + pad
    x1 = c.w - pad * 3
    top = pad + title_h + pad * 2
    bottom = c.h - pad - c.size("12月", 9)[1] - pad
    c.text(((x0 + x1) // 2, pad), title, 12, anchor="ma")
    scale = (bottom - top) / 105
    for t in range(0, 101, 20):
        y = bottom - t * scale
        c.draw.line([(x0, y), (x1, y)], fill=GRID, width=SS)
        c.text((x0 - 6 * SS, y), str(t), 9, anchor="rm")
    # the y label, turned upright
    from PIL import Image, ImageDraw
    label = Image.new("RGB", (yl_w + 4 * SS, yl_h + 8 * SS), "white")
    ImageDraw.Draw(label).text((2 * SS, 4 * SS), ylabel, font=_font(10), fill=INK, anchor="lt")
    label = label.rotate(90, expand=True)
    c.img.paste(label, (pad, (top + bottom) // 2 - label.height // 2))
    n = max(len(rows), 1)
    xs = [x0 + (x1 - x0) * (i + 0.5) / n for i in range(n)]
    points = [(x, bottom - v * scale) for x, v in zip(xs, rate, strict=True)]
    r = 4 * SS
    if len(points) > 1:
        c.draw.line(points, fill=BLUE, width=2 * SS, joint="curve")
    else:
        half = (x1 - x0) / 10
        for x, y in points:
            c.draw.rectangle([x - half, y, x + half, bottom], fill=BLUE)
    for (x, y), lab, v in zip(points, labels, rate, strict=True):
        if len(points) > 1:
            c.draw.ellipse([x - r, y - r, x + r, y + r], fill=BLUE)
        c.text((x, y - r - 4 * SS), f"{v:.1f}%", MIN_PT, anchor="md")
        c.text((x, bottom + 6 * SS), lab, 9, anchor="ma")
    c.draw.rectangle([x0, top, x1, bottom], outline=INK, width=SS)
    return c.png()
