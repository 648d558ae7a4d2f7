"""立项助手 report parsing: the 2026 report cut into candidates that cover the published table, areas, lead phrases."""
from __future__ import annotations

import pytest

from tests.helpers.draft import REPORT_TXT, expected


@pytest.fixture(scope="module")
def report():
    from core.draft.report import load_report
    return load_report(REPORT_TXT)


def test_2026_report_covers_published_tasks_with_right_areas(report):
    """The issue's bar: ≥90% of the 98 tasks covered (≥80% of their text), 重点领域 right for ≥95% of those."""
    from core.draft.measure import cover_tasks
    tasks = expected()["tasks"]
    covers = cover_tasks(tasks, report.candidates)
    covered = [c for c in covers if c.coverage >= 0.8]
    assert len(covered) / len(tasks) >= 0.90
    assert sum(c.area_ok for c in covered) / len(covered) >= 0.95
    assert sum(c.category_ok for c in covered) / len(covered) >= 0.90
    # the candidates are task-sized, not whole paragraphs: most published tasks are matched tightly
    assert sum(c.tightness >= 0.8 for c in covered) / len(tasks) >= 0.80
    assert 90 <= len(report.candidates) <= 130


def test_structure_year_areas_and_plan_part(report):
    assert report.year == 2026
    titles = [a.title for a in report.areas]
    assert titles[0] == "经济社会发展的主要预期目标"
    assert titles[1] == "实施产业重构，加快打造现代化产业体系"
    assert titles[-1] == "增进民生福祉，提升群众获得感幸福感安全感"
    assert len(titles) == 8
    assert report.text[report.plan_start:].startswith("三、2026年工作安排")
    # closing words (各位代表…) and the self-construction part are not tasks
    assert not any(c.text.startswith("各位代表") for c in report.candidates)
    assert not any("打铁还需自身硬" in c.text or "政治建设摆在首位" in c.text for c in report.candidates)
    # every candidate is the report's own text at its span (so the page can highlight it)
    assert all(report.text[c.start:c.end] == c.text for c in report.candidates)


def test_page_breaks_are_rejoined_and_blanks_dropped(report):
    texts = [c.text for c in report.candidates]
    # “能源互联\n\n产业优势” and “外资准入限\n\n制要求” were cut by page breaks in the source
    assert any("以巩固扩大数字经济、能源互联产业优势为目标" in t for t in texts)
    assert any(t.startswith("落实全面取消制造业领域外资准入限制要求") for t in texts)
    assert any("力争产业规模达到140亿元" in t for t in texts)   # "达到 140 亿元" in the source


def test_lead_phrase_is_the_category_and_subheadings_stay_with_their_sentence(report):
    by_text = {c.text[:12]: c for c in report.candidates}
    c = by_text["推动数智信通网提质增效。充分"[:12]]
    assert c.category == "夯实筑牢“两网”基座"
    assert c.text.startswith("推动数智信通网提质增效。充分发挥")
    first = report.candidates[0]
    assert first.category == "--" and first.text.startswith("地区生产总值增长5%左右")


def test_numeric_targets_found():
    from core.draft.targets import find_targets
    text = ("城镇新增就业1.75万人、失业人员再就业5200人，筹集保障性租赁住房1450套（间），"
            "完成土地出让1000亩以上，增长5％以上，新增学位1350个。")
    found = [t.text for t in find_targets(text)]
    assert found == ["1.75万人", "5200人", "1450套（间）", "1000亩以上", "5％以上", "1350个"]
    assert all(text[t.start:t.end] == t.text for t in find_targets(text))
    assert find_targets("2026年工作安排") == []


SYNTHETIC = """# 政府工作报告
一、2024年工作回顾
过去一年，我们做了很多工作。
二、2025年工作安排
重点抓好以下两个方面工作：
（一）发展经济，稳住基本盘。以稳为主。
扩大有效投资。推进项目建设。力争完成投资100亿
元以上。
（二）保障民生，办好实事。坚持人民至上。
办好民生实事。今年，我们将办好以下民生实事：
1．新增城镇就业1万人。
2．新建幼儿园3所。
各位代表，让我们团结奋斗！
"""


def test_synthetic_report_with_livelihood_list(tmp_path):
    from core.draft.report import load_report
    path = tmp_path / "报告.txt"
    path.write_text(SYNTHETIC, encoding="gb18030")
    r = load_report(path)
    assert r.year == 2025
    assert [a.title for a in r.areas] == ["发展经济，稳住基本盘", "保障民生，办好实事"]
    key = [c for c in r.candidates if c.kind == "key"]
    live = [c for c in r.candidates if c.kind == "livelihood"]
    # a short comma-free sentence is a sub-heading: it stays with the sentence after it
    assert [c.text for c in key] == ["推进项目建设。力争完成投资100亿元以上。"]
    assert key[0].category == "扩大有效投资"
    assert [c.text for c in live] == ["新增城镇就业1万人。", "新建幼儿园3所。"]


def test_docx_report_reads_like_the_text(tmp_path):
    import docx
    from core.draft.report import load_report
    document = docx.Document()
    for line in REPORT_TXT.read_text(encoding="utf-8").splitlines():
        if line.strip():
            document.add_paragraph(line.strip().lstrip("#").strip())
    path = tmp_path / "报告.docx"
    document.save(path)
    from_docx = load_report(path)
    from_txt = load_report(REPORT_TXT)
    assert [c.text for c in from_docx.candidates] == [c.text for c in from_txt.candidates]


def test_refused_inputs_say_what_to_do(tmp_path):
    from core.draft.report import load_report
    from core.common.errors import UserError
    other = tmp_path / "通知.txt"
    other.write_text("关于做好督查工作的通知\n请各单位按时报送。", encoding="utf-8")
    with pytest.raises(UserError, match="工作安排"):
        load_report(other)
    old = tmp_path / "报告.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(UserError, match="另存为"):
        load_report(old)
    with pytest.raises(UserError, match="找不到"):
        load_report(tmp_path / "none.txt")


def test_zip_bomb_report_is_refused_before_unpacking(tmp_path):
    """A bomb dressed as a .docx report is refused by its zip directory, also by the drop check."""
    import zipfile

    from core.draft.report import looks_like_report, read_report_text
    from core.common.errors import UserError
    bomb = tmp_path / "政府工作报告.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<" + b"a" * (400 * 1024 * 1024))
    with pytest.raises(UserError, match="压缩炸弹|体积异常"):
        read_report_text(bomb)
    assert looks_like_report(bomb) is False
