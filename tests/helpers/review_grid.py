"""The review grid's April/May fixture: realistic 附件4 entries for one unit, and a May return with a copied row, a
contradicted 是, an empty 完成情况, a reworded task and a deleted row, collected but not merged."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from core.demo import texts
from core.returns.collect import collect
from core.returns.merge import merge
from tests.helpers import returns as rh

UNIT = "区发展改革局"


def entries(path: Path, month: int, stories: dict) -> dict:
    """What the unit writes for each row: realistic 一是/二是/三是 entries that develop from month to month."""
    out = {}
    for i, key in enumerate(rh.row_keys(path)):
        story = stories.setdefault(key, texts.new_story(f"推进第{i + 1}项重点工作，完成投资12亿元，建成项目8个", True, 7000 + i))
        done, problems, next_steps = texts.monthly_entry(story, month)
        out[key] = {"done": done, "problems": problems, "next_steps": next_steps, "on_track": "是"}
    return out


def make_may(ledger_2026, tmp_path):
    """April collected and merged; May returned with a copied row, a contradicted 是, an empty 完成情况,
    a reworded task text and a deleted row, collected but not merged. Returns (submission id, keys, april, may)."""
    stories: dict = {}
    [april_form] = rh.generate_forms(ledger_2026, "report", "2026-04", tmp_path / "out4", unit_names=[UNIT])
    april = entries(Path(april_form["path"]), 4, stories)
    filled = rh.fill(Path(april_form["path"]), tmp_path / "发改局4月.xlsx", april)
    [got] = collect(ledger_2026, [filled])
    assert got["status"] == "staged"
    received_on(ledger_2026, got["submission_id"], datetime(2026, 5, 7, 10, 26))
    merge(ledger_2026, accept_all=True)
    [may_form] = rh.generate_forms(ledger_2026, "report", "2026-05", tmp_path / "out5", unit_names=[UNIT])
    src = Path(may_form["path"])
    keys = rh.row_keys(src)
    assert len(keys) >= 6
    answers = entries(src, 5, stories)
    answers[keys[1]] = dict(april[keys[1]])                                  # copied from April
    answers[keys[2]]["done"] = answers[keys[2]]["done"][:-1] + "。" + texts.behind_note(stories[keys[2]])
    answers[keys[2]]["on_track"] = "是"                                      # 是, but the text says it is behind
    answers[keys[3]]["done"] = ""                                            # 完成情况 left empty
    answers[keys[4]]["task"] = "（已调整）推进重点工作，完成投资10亿元"           # the unit rewrote the task text
    filled = rh.fill(src, tmp_path / "发改局5月-填.xlsx", answers)
    filled = rh.edit_rows(filled, tmp_path / "区发展改革局5月落实情况表.xlsx", delete=5)   # and deleted a row
    [res] = collect(ledger_2026, [filled])
    assert res["status"] == "staged", res
    received_on(ledger_2026, res["submission_id"], datetime(2026, 6, 5, 10, 26))
    return res["submission_id"], keys, april, answers


def received_on(ledger, submission_id: int, at: datetime) -> None:
    """The receipt time a clerk logs for a file collected in a test (the machine's clock is not the story's: a file
    received after the as-of date is not yet received, core.tracking.states.received_by)."""
    from sqlalchemy import update

    from core.ledger import schema
    with ledger.begin() as conn:
        conn.execute(update(schema.submission).where(schema.submission.c.id == submission_id)
                     .values(received_at=at, collected_at=at))
