"""立项助手 draft table: merge, split, move, delete, edit with undo; accepting the draft as a new campaign."""
from __future__ import annotations

import pytest

from tests.helpers.draft import REPORT_TXT


@pytest.fixture
def table():
    from core.draft.model import DraftTable
    from core.draft.report import load_report
    return DraftTable.from_report(load_report(REPORT_TXT))


def texts(table):
    return [c.text for c in table.candidates]


def test_merge_split_move_delete_edit_each_undoable(table):
    original = texts(table)
    n = len(original)
    table.merge_next(1)
    assert len(table.candidates) == n - 1
    assert table.candidates[1].text == original[1] + original[2]      # adjacent report slices join as written
    merged = table.candidates[1]
    assert table.report_text[merged.start:merged.end] == merged.text
    table.split(1, len(original[1]))
    assert texts(table) == original                                   # split at the join restores both
    assert table.move(0, 1) == 1 and texts(table)[:2] == [original[1], original[0]]
    assert table.move(0, -1) == 0                                     # already at the top: no-op
    table.delete(5)
    table.edit(0, "units", [{"name": "区商务局", "lead": True}])
    table.edit(0, "text", "改写的任务。")
    assert table.candidates[0].text == "改写的任务。"
    labels = []
    while table.can_undo:
        labels.append(table.undo())
    assert labels == ["修改", "修改", "删除", "下移", "拆分", "合并"]
    assert texts(table) == original and table.candidates[0].units == []
    assert table.undo() is None


def test_bad_operations_are_refused_in_chinese(table):
    from core.common.errors import UserError
    with pytest.raises(UserError, match="最后一条"):
        table.merge_next(len(table.candidates) - 1)
    with pytest.raises(UserError, match="拆分"):
        table.split(0, 0)
    assert not table.can_undo


def test_to_plan_numbers_kinds_and_defaults_a_lead(table):
    from core.draft.report import Candidate
    table.candidates[0].units = [{"name": "区发展改革局", "lead": False}, {"name": "区财政局", "lead": False}]
    table.insert(1, Candidate("livelihood", "", "", "新建幼儿园3所。", 0, 0))
    plan = table.to_plan(2027)
    key, live = plan.of_kind("key"), plan.of_kind("livelihood")
    assert [t.seq for t in key] == list(range(1, len(key) + 1))
    assert [t.seq for t in live] == [1] and live[0].area == ""
    assert key[0].units[0].lead and not key[0].units[1].lead
    assert key[0].category == "--" and key[1].category == "夯实筑牢“两网”基座"


def test_accept_draft_as_new_campaign(ledger_2026):
    from core.draft.model import DraftTable, accept_as_campaign
    from core.draft.report import load_report
    from core.draft.suggest import apply_suggestions, index_for
    from core.common.errors import UserError
    from core.ledger.queries import list_tasks
    table = DraftTable.from_report(load_report(REPORT_TXT))
    apply_suggestions(index_for(ledger_2026, 2027), table.candidates)
    assert all(c.units for c in table.candidates)
    with pytest.raises(UserError, match="已经有2026年"):
        accept_as_campaign(ledger_2026, table, 2026)
    result = accept_as_campaign(ledger_2026, table, 2027).value
    assert result["added"] == len(table.candidates)
    tasks = list_tasks(ledger_2026, 2027)
    assert [t["text"] for t in tasks] == [c.text for c in table.candidates]
    assert tasks[1]["area"] == "实施产业重构，加快打造现代化产业体系"
    assert all(any(u["lead"] for u in t["units"]) for t in tasks)
    assert len(list_tasks(ledger_2026, 2026)) == 118                  # the earlier year untouched


def test_accept_refuses_tasks_without_units_and_leaves_ledger_unchanged(ledger):
    from core.draft.model import DraftTable, accept_as_campaign
    from core.draft.report import load_report
    from core.common.errors import UserError
    table = DraftTable.from_report(load_report(REPORT_TXT))
    with pytest.raises(UserError, match="责任单位"):
        accept_as_campaign(ledger, table, 2026)
    from sqlalchemy import func, select
    from core.ledger import schema
    with ledger.read() as conn:
        assert conn.execute(select(func.count()).select_from(schema.campaign)).scalar() == 0
        assert conn.execute(select(func.count()).select_from(schema.task)).scalar() == 0
