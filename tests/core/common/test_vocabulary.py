"""The StrEnums are the stored strings: a member compares, hashes, binds to SQL and prints to JSON as its value."""
from __future__ import annotations

import json

from sqlalchemy import select

from core.common.vocabulary import (
    FORM_NAMES, KIND_NAMES, ROLE_NAMES, SUBMISSION_STATUS_NAMES, Decision, Form, Kind, Light, Role, SubmissionStatus,
)
from core.ledger import schema
from core.ledger.queries import list_tasks, list_units
from core.tracking.states import COUNTED_STATUSES, LIGHT_NAMES


def test_members_are_their_stored_strings():
    assert Role.LEAD == "lead" and {"lead": 1}[Role.LEAD] == 1 and str(Kind.LIVELIHOOD) == "livelihood"
    assert json.dumps({"form": Form.REPORT, "light": Light.RED}) == '{"form": "report", "light": "red"}'
    assert SubmissionStatus("needs-confirmation") is SubmissionStatus.NEEDS_CONFIRMATION
    assert "merged" in COUNTED_STATUSES and "returned" not in COUNTED_STATUSES


def test_chinese_names_kept():
    assert KIND_NAMES == {"key": "重点任务", "livelihood": "民生实事"}
    assert FORM_NAMES == {"plan": "落实计划表", "report": "落实情况表"} and ROLE_NAMES == {"lead": "牵头", "co": "配合"}
    assert LIGHT_NAMES == {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "blue": "蓝灯"}
    assert SUBMISSION_STATUS_NAMES["needs-confirmation"] == "待确认" and len(SUBMISSION_STATUS_NAMES) == len(SubmissionStatus)


def test_an_enum_bound_in_sql_finds_the_stored_rows(ledger_2026):
    with ledger_2026.read() as conn:
        by_enum = conn.execute(select(schema.assignment.c.id).where(schema.assignment.c.role == Role.LEAD)).all()
        by_text = conn.execute(select(schema.assignment.c.id).where(schema.assignment.c.role == "lead")).all()
    assert by_enum == by_text and len(by_enum) > 90
    kinds = {t["kind"] for t in list_tasks(ledger_2026)}
    assert kinds == {Kind.KEY, Kind.LIVELIHOOD}
    units = list_units(ledger_2026)
    assert sum(u["tasks_lead"] for u in units) == len(by_enum)


def test_decisions_are_the_stored_words():
    from core.returns.review import set_decision  # noqa: F401 - the writer stores these very strings
    assert [d.value for d in Decision] == ["pending", "accepted", "rejected"]
    assert Decision.REJECTED == "rejected" and Decision.ACCEPTED.cn == "接受"
