"""The 区长 brief's shortening: whole clauses only, short wording of reasons, lists capped; 4 pages when all tasks are behind."""
from __future__ import annotations

from core.reports.brief import (LINES_PER_PAGE, MAX_PAGES, MOST_ITEMS, _item_lines, behind_text, clauses, item_text, plan_items,
                                task_line, whole_clauses)

PROBLEMS = "部分项目用地指标尚未落实，资金拨付进度慢于计划；受雨季影响施工进度放缓。专业技术人员不足"


def test_whole_clauses_never_cut_inside_a_clause():
    assert clauses(PROBLEMS) == ["部分项目用地指标尚未落实，", "资金拨付进度慢于计划；", "受雨季影响施工进度放缓。",
                                 "专业技术人员不足"]
    assert whole_clauses(PROBLEMS, 0) == "部分项目用地指标尚未落实。"  # the first clause, whole, however small the room
    assert whole_clauses(PROBLEMS, 25) == "部分项目用地指标尚未落实，资金拨付进度慢于计划。"
    assert whole_clauses(PROBLEMS, 1000) == PROBLEMS + "。"
    assert whole_clauses("", 10) == ""
    for limit in range(0, 60):
        short = whole_clauses(PROBLEMS, limit).rstrip("。")
        assert PROBLEMS.startswith(short) and PROBLEMS[len(short):len(short) + 1] in ("", "，", "；", "。")


def test_reasons_in_short_wording():
    reasons = ["区商务局（牵头）2026年4月落实情况表逾期 15 个工作日未报",
               "区财政局（配合）连续两个月（3月、4月）未完成阶段任务目标（填“否”）",
               "区财政局（配合）2026年4月完成情况与上月相同（进展停滞）", "一条别的原因"]
    assert behind_text(reasons, "区商务局") == [
        ("区商务局", "牵头单位逾期15个工作日未报"), ("区财政局", "区财政局连续两月未完成阶段目标"),
        ("区财政局", "区财政局4月进展停滞"), ("", "一条别的原因")]


def _task(seq: int, light: str) -> dict:
    return {"seq": seq, "kind": "key", "light": light, "text": "加快推进重点项目建设，确保按期完成年度目标任务。",
            "light_reasons": ["区财政局（配合）2026年4月未完成阶段任务目标（填“否”）"],
            "unit_rows": [{"name": "区发展改革局", "role": "lead", "on_track": "是", "problems": ""},
                          {"name": "区财政局", "role": "co", "on_track": "否", "problems": PROBLEMS}]}


def test_a_task_line_names_what_is_behind_and_why():
    item = task_line(_task(1, "yellow"), 66)
    assert item_text(1, item) == ("1.加快推进重点项目建设（区发展改革局牵头）：区财政局4月未完成阶段目标。"
                                  "原因：部分项目用地指标尚未落实，资金拨付进度慢于计划。")  # a second clause fits
    assert item["why_unit"] == "区财政局"


def test_four_pages_even_when_every_task_is_behind():
    data = {"tasks": {"key": [_task(i, "yellow") for i in range(1, 99)] + [_task(99, "red")],
                      "livelihood": [_task(i, "red") for i in range(1, 21)]}}
    data["tasks"]["key"][40]["verdict"] = "behind"   # a 未完成 task comes before the others
    data["tasks"]["key"][98]["light_reasons"] = ["区发展改革局（牵头）2026年4月落实情况表逾期 9 个工作日未报",
                                                  *data["tasks"]["key"][98]["light_reasons"]]   # more reasons: before
    items = plan_items(data)
    assert len(items["yellow"]) == MOST_ITEMS and len(items["red"]) == MOST_ITEMS   # the rest: “其余N项见汇总表”
    assert items["yellow"][0]["seq"] == 41 and items["red"][0]["seq"] == 99
    assert _item_lines(items) + 2 * LINES_PER_PAGE <= MAX_PAGES * LINES_PER_PAGE
    assert all(i["why"] for i in items["red"])  # the red ones keep their reasons
