"""附件1/附件2 Word export: the published 2026 table exported and read back gives the same tasks, units, lead flags."""
from __future__ import annotations

import pytest

from tests.helpers.draft import expected, published_plan, soffice_convert


def as_expected(plan) -> dict:
    def strip(t, keep_area: bool) -> dict:
        return {k: v for k, v in t.as_json().items()
                if k not in ("kind",) and (keep_area or k not in ("area", "category"))}

    return {"tasks": [strip(t, True) for t in plan.of_kind("key")],
            "projects": [strip(t, False) for t in plan.of_kind("livelihood")]}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from core.campaign.export_docx import export_plan_docx
    path = tmp_path_factory.mktemp("export") / "2026年立项表.docx"
    export_plan_docx(published_plan(), path, 2026)
    return path


def test_export_reads_back_to_the_published_table(exported):
    from core.campaign.read import read_plan_file
    back = read_plan_file(exported)
    assert back.warnings == []
    assert as_expected(back) == expected()
    assert back.year == 2026


def test_export_layout_is_the_notice_format(exported):
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    document = docx.Document(str(exported))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    assert abs(section.page_width.cm - 29.7) < 0.1 and abs(section.page_height.cm - 21.0) < 0.1
    texts = [p.text for p in document.paragraphs]
    assert "附件1" in texts and "附件2" in texts
    key, live = document.tables
    assert [c.text for c in key.rows[0].cells] == ["序号", "重点领域", "类别", "重点任务", "牵头领导",
                                                   "责任单位（加黑的为牵头单位）"]
    assert [c.text for c in live.rows[0].cells] == ["序号", "民生实事内容", "牵头领导", "责任单位"]
    for table in (key, live):
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None   # header repeats on every page
    # 重点领域 cells merged vertically: 8 areas → 8 restart cells in column 2
    restarts = [tc for tc in key._tbl.iter(qn("w:tc")) if tc.tcPr is not None
                and tc.tcPr.find(qn("w:vMerge")) is not None and tc.tcPr.find(qn("w:vMerge")).get(qn("w:val")) == "restart"]
    assert len(restarts) >= 8
    # lead units as bold runs, co units not bold; two-character leader names spaced
    row = key.rows[78]       # seq 78: two lead units
    bold = [r.text for r in row.cells[5].paragraphs[0].runs if r.bold]
    assert bold == ["区城管局", "市中交管大队"]
    row = key.rows[86]       # seq 86 王菊
    assert row.cells[4].text == "王  菊"


def test_libreoffice_resave_still_reads_back(exported, tmp_path):
    """The office may open and re-save the file in another suite: LibreOffice's .docx keeps tasks and lead flags."""
    from core.campaign.read import read_plan_file
    resaved = soffice_convert(exported, "docx:MS Word 2007 XML", tmp_path / "lo")
    assert as_expected(read_plan_file(resaved)) == expected()


def test_export_refuses_an_empty_plan(tmp_path):
    from core.common.errors import UserError
    from core.campaign.export_docx import export_plan_docx
    from core.campaign.table import ParsedPlan
    with pytest.raises(UserError, match="没有可导出"):
        export_plan_docx(ParsedPlan(), tmp_path / "x.docx")
    assert not (tmp_path / "x.docx").exists()
