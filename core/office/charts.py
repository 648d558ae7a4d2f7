"""Charts as PNG bytes (matplotlib, Agg backend, imported lazily): completion by 重点领域, by unit, month over month."""
from __future__ import annotations

import io
import textwrap
import threading

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "WenQuanYi Micro Hei",
                "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei", "PingFang SC", "Source Han Sans SC")
DPI = 120  # sharp at the 150 mm the bulletin prints them
_font_cache: list = []
_lock = threading.Lock()  # charts are drawn from worker threads; matplotlib's settings are global


class _Figures:
    """pyplot-free figures (Figure + Agg canvas): no global figure registry, safe off the GUI thread."""

    @staticmethod
    def subplots(figsize):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        fig = Figure(figsize=figsize)
        FigureCanvasAgg(fig)
        return fig, fig.add_subplot(1, 1, 1)


def _pyplot():
    import matplotlib
    from matplotlib import font_manager
    if not _font_cache:
        names = {f.name for f in font_manager.fontManager.ttflist}
        chosen = next((n for n in CJK_FAMILIES if n in names), None)
        _font_cache.append(chosen)
    if _font_cache[0]:
        matplotlib.rcParams["font.family"] = "sans-serif"
        matplotlib.rcParams["font.sans-serif"] = [_font_cache[0], "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return _Figures


def cjk_font() -> str | None:
    with _lock:
        _pyplot()
    return _font_cache[0]


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
    return buf.getvalue()


def _locked(fn):
    def wrapper(*args, **kwargs):
        with _lock:
            return fn(*args, **kwargs)
    wrapper.__doc__, wrapper.__name__ = fn.__doc__, fn.__name__
    return wrapper


def _wrap(label: str, width: int = 10) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


@_locked
def by_area(rows: list[dict], title: str = "各重点领域完成阶段任务目标情况") -> bytes:
    """rows: [{area, total, met, behind}] → horizontal stacked bars."""
    plt = _pyplot()
    labels = [_wrap(r["area"], 14) for r in rows][::-1]
    met = [int(r["met"]) for r in rows][::-1]
    behind = [int(r["behind"]) for r in rows][::-1]
    other = [int(r["total"]) - m - b for r, m, b in zip(rows[::-1], met, behind)]
    fig, ax = plt.subplots((8, 0.55 * max(len(rows), 3) + 1.2))
    ax.barh(labels, met, color="#2e8b57", label="完成阶段目标")
    ax.barh(labels, behind, left=met, color="#c0392b", label="未完成")
    ax.barh(labels, other, left=[m + b for m, b in zip(met, behind)], color="#f1c40f", label="未报送或未填写")
    for i, r in enumerate(rows[::-1]):
        ax.text(int(r["total"]) + 0.2, i, f"{int(r['met'])}/{int(r['total'])}", va="center", fontsize=9)
    ax.set_xlabel("任务数（项）")
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8)
    ax.tick_params(axis="y", labelsize=8)
    return _png(fig)


@_locked
def by_unit(rows: list[dict], title: str = "各责任单位报告完成阶段任务目标情况") -> bytes:
    """rows: [{unit, rows, ok}] in the order given (by name, never by count)."""
    plt = _pyplot()
    labels = [r["unit"] for r in rows][::-1]
    rate = [100.0 * r["ok"] / r["rows"] if r["rows"] else 0 for r in rows][::-1]
    fig, ax = plt.subplots((8, min(0.16 * max(len(rows), 5) + 1.2, 10.5)))
    ax.barh(labels, rate, color="#2e6da4")
    ax.set_xlim(0, 100)
    ax.set_xlabel("报告“是”的任务占比（%）")
    ax.set_title(title)
    ax.tick_params(axis="y", labelsize=6)
    return _png(fig)


@_locked
def by_month(rows: list[dict], title: str = "逐月完成阶段任务目标情况") -> bytes:
    """rows: [{period, rows, ok}] → a line of the share of 是 per month."""
    plt = _pyplot()
    labels = [f"{int(r['period'][5:])}月" for r in rows]
    rate = [100.0 * r["ok"] / r["rows"] if r["rows"] else 0 for r in rows]
    fig, ax = plt.subplots((8, 3.2))
    ax.plot(labels, rate, marker="o", color="#2e6da4")
    for x, y in zip(labels, rate):
        ax.annotate(f"{y:.1f}%", (x, y), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)
    ax.set_ylim(0, 105)
    ax.set_ylabel("报告“是”的占比（%）")
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)
