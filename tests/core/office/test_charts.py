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
    assert abs(img.width - charts.UNIT_CHART_MM / 25.4 * charts.DPI) <= 1   # drawn at its printed size
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


def test_sixty_units_fit_one_page_at_a_legible_size():
    """A district's 60 units: the chart is drawn at the width it is printed (the full text width), so its 7.5 pt
    names print at 7.5 pt, and it stays short enough to share an A4 text page (225 mm) with its caption."""
    rows = [{"unit": f"区第{i}责任单位（{'长名称' * (i % 4)}）", "rows": 10, "ok": 1 + i % 10} for i in range(60)]
    img = _image(charts.by_unit(rows))
    width_mm, height_mm = img.width / charts.DPI * 25.4, img.height / charts.DPI * 25.4
    assert abs(width_mm - charts.UNIT_CHART_MM) < 1
    assert 150 < height_mm <= 200, height_mm
    bars = [y for y in range(img.height) if _blue_run(img, y) > 0]
    rows_drawn = 1 + sum(1 for a, b in zip(bars, bars[1:], strict=False) if b > a + 1)
    assert rows_drawn == 60   # every unit a bar of its own
    pitch_pt = (bars[-1] - bars[0]) / (rows_drawn - 1) / charts.DPI * 72
    assert pitch_pt >= 7.5, pitch_pt   # a line of 7.5 pt names per bar
