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
    runs = sorted({_blue_run(img, y) for y in range(img.height)} - {0})
    three = max(runs)   # 75 %, the highest under 100 % (区发展和改革局 at 100 % is left out)
    assert any(abs(r - three / 3) <= 4 for r in runs), runs          # 25 %
    assert any(abs(r - three * 2 / 3) <= 4 for r in runs), runs      # 50 %
    assert three > img.width * 0.4


def test_by_area_and_by_month_draw_every_row():
    areas = [{"area": f"领域{i}：推进城市更新和基础设施建设", "total": 6 + i, "met": 3, "behind": i % 3} for i in range(6)]
    small = _image(charts.by_area(areas[:2]))
    large = _image(charts.by_area(areas))
    assert large.height > small.height   # the chart grows with the 重点领域
    months = [{"period": f"2026-{m:02d}", "rows": 120, "ok": 60 + 5 * m} for m in range(1, 7)]
    line = _image(charts.by_month(months))
    assert line.width == round(charts.PRINT_MM / 25.4 * charts.DPI)   # drawn at the 156 mm it prints at
    assert any(_blue_run(line, y) for y in range(line.height))


def test_chinese_font_is_found():
    if charts.cjk_font() is None:
        pytest.skip("no Chinese font installed on this machine")
    assert "CJK" in charts.cjk_font() or "Hei" in charts.cjk_font() or "PingFang" in charts.cjk_font()


def test_sixty_units_show_the_lowest_at_a_legible_size():
    """A district's 60 units: the chart shows the units under 100 %, lowest first, at most MOST_UNITS of them, each
    name on a line of at least 9 pt at the full text width it is printed at, short enough to share a page."""
    rows = [{"unit": f"区第{i}责任单位（{'长名称' * (i % 4)}）", "rows": 10, "ok": 1 + i % 10} for i in range(60)]
    png = charts.by_unit(rows)
    img = _image(png)
    assert float(Image.open(io.BytesIO(png)).text["min_pt"]) >= charts.MIN_PT
    width_mm, height_mm = img.width / charts.DPI * 25.4, img.height / charts.DPI * 25.4
    assert abs(width_mm - charts.PRINT_MM) < 1
    assert height_mm <= 180, height_mm
    shown, below, full = charts.units_shown(rows)
    assert (len(shown), below, full) == (charts.MOST_UNITS, 54, 6)
    shares = [r["ok"] / r["rows"] for r in shown]
    assert shares == sorted(shares) and shares[-1] < 1
    bars = [y for y in range(img.height) if _blue_run(img, y) > 0]
    rows_drawn = 1 + sum(1 for a, b in zip(bars, bars[1:], strict=False) if b > a + 1)
    assert rows_drawn == charts.MOST_UNITS   # every unit shown a bar of its own
    pitch_pt = (bars[-1] - bars[0]) / (rows_drawn - 1) / charts.DPI * 72
    assert pitch_pt >= 9 * 1.2, pitch_pt   # a line of 9 pt names per bar
    assert "最低的25家单位" in charts.unit_caption(rows) and "其余6家为100%" in charts.unit_caption(rows)


def test_no_text_under_nine_points_and_no_one_point_line():
    areas = [{"area": "推进城市更新和基础设施建设", "total": 9, "met": 3, "behind": 2}]
    months = [{"period": "2026-01", "rows": 120, "ok": 80}]
    for png in (charts.by_area(areas), charts.by_month(months), charts.by_unit([{"unit": "区民政局", "rows": 3, "ok": 3}])):
        assert float(Image.open(io.BytesIO(png)).text["min_pt"]) >= charts.MIN_PT
    assert not charts.month_chart_useful(months) and charts.month_chart_useful(months * 2)
