"""Issue 29 point 1: the 台账 page's detail shows what units reported for the selected task, month by month (newest
first), each with its source file (one click opens it) and the merge 痕迹; `progress --task key:N --json` agrees."""
from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import returns as rh
from tests.helpers.tasks import open_window


def done_text(month: int, i: int) -> str:
    """完成情况 as units write it: 一是/二是/三是, about 170 characters, figures rising month by month."""
    return (f"{month}月，一是细化工作方案，明确责任分工和时间节点，建立周调度、月通报工作机制，召开专题会议{i % 3 + 1}次；"
            f"二是加强部门协同，会同相关单位开展现场督导{month - 5}次，协调解决具体问题{i % 5 + 3}个；"
            f"三是强化要素保障，落实专项资金{(i % 7 + 1) * 50}万元，完成阶段目标任务的{month * 8}%，各项工作按计划有序推进。")


def merge_months(ledger, unit: str, months: list[int], tmp_path: Path) -> None:
    """下发 → the unit fills its 附件4 (openpyxl) → 收文 → accept → merge, for each month, through the real stages."""
    from core.returns.collect import collect
    from core.returns.merge import merge
    from core.returns.review import set_file_decision
    for month in months:
        period = f"2026-{month:02d}"
        form = Path(rh.generate_forms(ledger, "report", period, tmp_path / f"out{month}", [unit])[0]["path"])
        if not form.is_absolute():
            form = next((tmp_path / f"out{month}").rglob(form.name))
        keys = rh.row_keys(form)
        answers = {k: {"done": done_text(month, i), "problems": "项目资金尚未完全到位，部分子项目前期手续办理周期较长。",
                       "next_steps": "下一步，将加快推进，确保按期完成；同时加强督促检查，及时协调解决困难和问题。",
                       "on_track": "是" if (i + month) % 3 else "否"} for i, k in enumerate(keys)}
        filled = rh.fill(form, tmp_path / f"{unit}-{month}月落实情况表.xlsx", answers)
        result = collect(ledger, [filled])
        assert result[0]["status"] == "staged", result
        set_file_decision(ledger, result[0]["submission_id"], "accepted")
        merge(ledger, [result[0]["submission_id"]])


def test_task_detail_shows_the_year_with_sources_and_merge_trace(qtbot, ledger_2026, tmp_path, monkeypatch):
    from core.ledger.queries import list_tasks
    task = next(t for t in list_tasks(ledger_2026) if t["kind"] == "key" and t["seq"] == 2)
    lead = next(u["name"] for u in task["units"] if u["lead"])
    merge_months(ledger_2026, lead, [9, 10], tmp_path)

    window = open_window(qtbot, ledger_2026)
    window.resize(1366, 768)
    page = window.show_page("tasks")
    assert page.select_uid(task["uid"])
    text = page.detail.toPlainText()
    # per month, newest first, with what was merged
    assert "2026年10月" in text and "2026年9月" in text
    assert text.index("2026年10月") < text.index("2026年9月")
    assert done_text(10, 0)[:60] in text.replace("\n", "") and done_text(9, 0)[:60] in text.replace("\n", "")
    for label in ("完成情况", "存在问题", "下一步计划", "是否完成"):
        assert label in text
    # its source file and the merge 痕迹 (who, when, which file)
    assert f"来源文件：{lead}-10月落实情况表.xlsx" in text
    assert f"合并自 {lead}-10月落实情况表.xlsx" in text and "痕迹：" in text
    # one click on the source file opens a copy of the very file the unit sent
    opened: list = []
    monkeypatch.setattr("ui.stored_file_open.QDesktopServices.openUrl", lambda url: opened.append(url) or True)
    anchor = next(a for a in page.detail.toHtml().split("href=\"")[1:] if a.startswith("stored:"))
    from PySide6.QtCore import QUrl
    page.detail.anchorClicked.emit(QUrl(anchor.split("\"", 1)[0]))
    assert opened and page.opened_files[-1].name == f"{lead}-10月落实情况表.xlsx"
    assert page.opened_files[-1].read_bytes() == (tmp_path / f"{lead}-10月落实情况表.xlsx").read_bytes()


def test_progress_task_command_gives_the_same_year(ledger_2026, tmp_path, capsys):
    import app
    from core.ledger.queries import list_tasks
    task = next(t for t in list_tasks(ledger_2026) if t["kind"] == "key" and t["seq"] == 2)
    lead = next(u["name"] for u in task["units"] if u["lead"])
    merge_months(ledger_2026, lead, [9, 10], tmp_path)
    path = ledger_2026.location
    ledger_2026.close()
    capsys.readouterr()
    assert app.main(["--ledger", str(path), "progress", "--task", "key:2", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    mine = [r for r in rows if r["unit"] == lead]
    assert [r["period"] for r in mine] == ["2026-10", "2026-09"]
    assert mine[0]["done"] == done_text(10, 0) and mine[0]["file_name"] == f"{lead}-10月落实情况表.xlsx"
    assert mine[0]["merges"][0]["file_name"] == f"{lead}-10月落实情况表.xlsx" and mine[0]["merges"][0]["at"]
    assert set(mine[0]["merges"][0]["fields"]) >= {"done", "on_track"}
    assert app.main(["--ledger", str(path), "progress", "--task", "key:999"]) != 0
    assert "没有重点任务第999项" in capsys.readouterr().err
