"""Charts drawn with Pillow: real PNGs at the chart's size, bars as long as their share, the Chinese font found."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from core.office import charts

BLUE = (0x2E, 0x6D, 0xA4)


def _image(png: bytes) -> Image.Image:
    assert png.startswith(b"\x89PNG")
    return Image.open(io.BytesIO(png)).convert("RGB")


def _blue_run(img: Image.Image, y: int) -> int:
    """How many pixels of the bar colour on row y."""
    pixels = [img.getpixel((x, y)) for x in range(img.width)]
    return sum(1 for p in pixels if isinstance(p, tuple) and sum(abs(a - b) for a, b in zip(p, BLUE, strict=True)) < 30)


def test_by_unit_bars_are_as_long_as_the_share():
    rows = [{"unit": "区发展和改革局", "rows": 4, "ok": 4}, {"unit": "区住房和城乡建设局", "rows": 4, "ok": 2},
            {"unit": "区教育和体育局", "rows": 4, "ok": 0}, {"unit": "区卫生健康局", "rows": 4, "ok": 1},
            {"unit": "区民政局", "rows": 4, "ok": 3}]
    img = _image(charts.by_unit(rows))
    assert img.width == 8 * charts.DPI
    runs = sorted({_blue_run(img, y) for y in range(img.height)})
    full, half, quarter = max(runs), None, None
    for r in runs:
        if abs(r - full / 2) <= 3:
            half = r
        if abs(r - full / 4) <= 3:
            quarter = r
    assert full > img.width * 0.6   # 100 % spans the plot
    assert half is not None and quarter is not None, runs


def test_by_area_and_by_month_draw_every_row():
    areas = [{"area": f"领域{i}：推进城市更新和基础设施建设", "total": 6 + i, "met": 3, "behind": i % 3} for i in range(6)]
    small = _image(charts.by_area(areas[:2]))
    large = _image(charts.by_area(areas))
    assert large.height > small.height   # the chart grows with the 重点领域
    months = [{"period": f"2026-{m:02d}", "rows": 120, "ok": 60 + 5 * m} for m in range(1, 7)]
    line = _image(charts.by_month(months))
    assert line.size == (8 * charts.DPI, round(3.2 * charts.DPI))
    assert any(_blue_run(line, y) for y in range(line.height))


def test_chinese_font_is_found():
    if charts.cjk_font() is None:
        pytest.skip("no Chinese font installed on this machine")
    assert "CJK" in charts.cjk_font() or "Hei" in charts.cjk_font() or "PingFang" in charts.cjk_font()
