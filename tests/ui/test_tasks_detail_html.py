"""The 台账 page's detail pane as plain functions (no window): a task's fields, its months as merged and its history."""
from __future__ import annotations

from ui.pages.tasks.detail_html import task_html, year_html

DONE = ("一是完成老旧小区改造项目立项12个，涉及楼栋86栋、居民3120户，已完成施工招标；二是开工建设8个小区，"
        "累计完成投资1.26亿元，占年度计划的58%；三是同步推进加装电梯21部，其中已投入使用9部，群众满意度调查"
        "满意率96.5%。下一步将加快剩余4个小区手续办理，确保年底前全部开工。")
TASK = {"kind": "livelihood", "seq": 7, "text": "实施老旧小区改造<第一批>", "area": None, "category": "城市更新",
        "leaders": ["王某某"], "units": [{"name": "区住房城乡建设局", "lead": True}, {"name": "区财政局", "lead": False}],
        "active": True, "closed_on": None}


def _month(period: str, unit: str, lead: bool, on_track) -> dict:
    return {"period": period, "unit": unit, "lead": lead, "on_track": on_track, "on_track_raw": "",
            "done": DONE, "problems": "资金拨付进度偏慢", "next_steps": "加快手续办理", "file_hash": "ab" * 32,
            "file_name": f"{unit}-{int(period[5:])}月落实情况表.xlsx", "received_at": f"{period}-28 09:30",
            "merges": [{"at": f"{period}-28 10:02", "clerk": "张三", "file_name": "", "file_hash": "ab" * 32,
                        "fields": ["done", "on_track"]}]}


def test_task_html_names_the_lead_unit_in_bold_and_escapes_unit_text():
    months = [_month("2026-05", "区住房城乡建设局", True, True), _month("2026-04", "区财政局", False, False)]
    history = [{"at": "2026-01-05 09:00:00", "source_kind": "import", "source_ref": "file:立项表.docx", "field": "created",
                "old": None, "new": None},
               {"at": "2026-03-01 10:00:00", "source_kind": "hand", "source_ref": "", "field": "text",
                "old": "实施老旧小区改造", "new": "实施老旧小区改造<第一批>"}]
    page = task_html(TASK, months, history)
    assert "民生实事 第 7 项" in page and "&lt;第一批&gt;" in page and "<第一批>" not in page
    assert "<b>区住房城乡建设局</b>、区财政局" in page
    assert page.index("2026年5月") < page.index("2026年4月")              # the months as core ordered them
    assert DONE in page and "href='stored:" + "ab" * 32 + "'" in page     # the whole 完成情况, its source file
    assert "合并自 ab" in page and "（完成情况、是否完成）" in page
    assert page.index("任务内容") < page.index("立项表.docx")             # history newest first


def test_year_html_says_when_nothing_was_merged_yet():
    assert "还没有合并进台账的月度报送" in "".join(year_html([]))
