"""是否完成阶段任务目标 that is not a plain yes/no (已完成80%, 基本完成) is kept as written, left undecided and flagged."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.returns.answers import normalise
from core.returns.collect import collect
from core.returns.merge import merge
from core.returns.review import submission_detail
from tests.helpers import returns as rh
from tests.helpers.returns_b13 import long_entry, progress, task_of_key, unit_id

PERIOD = "2026-03"
ANSWERS = [("已完成80%", None, True), ("基本完成", None, True), ("部分完成", None, True),
           ("是，已按期完成全年目标", True, False), ("√", True, False), ("否", False, False)]


def test_qualified_answers_keep_their_text_and_are_flagged(ledger_2026, tmp_path):
    unit = "区发展改革局"
    [form] = rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "out", unit_names=[unit])
    src = Path(form["path"])
    keys = rh.row_keys(src)[:len(ANSWERS)]
    assert len(keys) == len(ANSWERS)
    answers = {k: {"done": long_entry(f"第{i}项", i), "on_track": a[0]}
               for i, (k, a) in enumerate(zip(keys, ANSWERS, strict=True))}
    filled = rh.fill(src, tmp_path / "发改局-3月.xlsx", answers)
    [res] = collect(ledger_2026, [filled])
    assert res["status"] == "staged"
    flags = {row["uid"]: c["flags"] for row in submission_detail(ledger_2026, res["submission_id"])["rows"]
             for c in row["changes"] if c["field"] == "on_track"}
    for k, (raw, _value, flagged) in zip(keys, ANSWERS, strict=True):
        assert ("unclear-answer" in flags[k.split(":")[0]]) is flagged, raw
    merge(ledger_2026, accept_all=True)
    me = unit_id(ledger_2026, unit)
    for i, (k, (raw, value, _flagged)) in enumerate(zip(keys, ANSWERS, strict=True)):
        row = progress(ledger_2026, task_of_key(ledger_2026, k), me, PERIOD)
        assert row["on_track_raw"] == raw and row["on_track"] is value
        assert row["done"] == long_entry(f"第{i}项", i)


@pytest.mark.parametrize("raw,expected", [("已完成80%", None), ("基本完成", None), ("部分完成", None),
                                          ("是（基本完成）", None), ("是，已按期完成全年目标", True), ("否，资金未到位", False)])
def test_plain_or_not(raw, expected):
    assert normalise(raw) == (expected, raw)
