"""Text normalisation (core.common.textnorm): cells as a clerk sees them, compare-forms, leaders and units split."""
from __future__ import annotations

from core.common.textnorm import clean_cell, despace, find_year, split_leaders, split_units, squash


def test_clean_cell_folds_excel_line_breaks_and_trims():
    assert clean_cell(None) == "" and clean_cell(3.0) == "3" and clean_cell(2.5) == "2.5"
    assert clean_cell("  一是完成招商_x000D_\r\n  二是签约项目3个  \r三是开工 ") == "一是完成招商\n二是签约项目3个\n三是开工"


def test_squash_compares_across_width_and_spaces():
    assert squash("区农业 农村局") == squash("区农业农村局") == "区农业农村局"
    assert squash("ＡＢＣ１２３\u3000（一）") == "ABC123(一)"      # full-width letters, digits and brackets: NFKC
    assert squash("第一\n第二") == "第一第二" and squash(None) == ""   # type: ignore[arg-type]


def test_despace_keeps_characters_as_written():
    assert despace("区 发展改革局\u3000") == "区发展改革局"
    assert despace("（区）发改局") == "（区）发改局"                     # unlike squash: no width folding


def test_split_leaders_joins_two_character_names_typeset_with_spaces():
    assert split_leaders("王  菊") == ["王菊"]
    assert split_leaders("陈  剑   何  洋") == ["陈剑", "何洋"]
    assert split_leaders("栾长征、王菊；李  明") == ["栾长征", "王菊", "李明"]
    assert split_leaders("") == []


def test_split_units_on_every_separator():
    assert split_units("区发展改革局、区财政局，区民政局;区教体局\n区卫健局  区住建局") == [
        "区发展改革局", "区财政局", "区民政局", "区教体局", "区卫健局", "区住建局"]
    assert split_units("区农业 农村局") == ["区农业农村局"]                 # a stray single space inside a name
    assert split_units(" 、 ") == []


def test_find_year():
    assert find_year("市中区2026年重点任务") == 2026 and find_year("2025 年度") == 2025
    assert find_year("第一季度") is None and find_year("") is None
