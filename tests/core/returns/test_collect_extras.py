"""收文 sees everything a unit put in the file (issue 27): the form sheet by evidence, columns by meaning, comments,
text outside the table, struck-through text, pictures, text boxes, versions by content, targets and roles."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from core.common.errors import UserError
from core.ledger import schema
from core.returns.collect import collect, confirm
from core.returns.merge import merge
from core.returns.review import submission_detail
from tests.helpers import returns as rh
from tests.helpers import returns_messy as mx
from tests.helpers import returns_outside as ro

PERIOD = "2026-04"
UNIT = "区发展改革局"


@pytest.fixture
def form(ledger_2026, tmp_path):
    [f] = rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "out", unit_names=[UNIT])
    return Path(f["path"])


def ledger_rows(ledger, period: str = PERIOD) -> dict[str, dict]:
    p, t = schema.progress_row, schema.task
    with ledger.read() as conn:
        rows = conn.execute(select(p, t.c.uid).join(t, t.c.id == p.c.task_id).where(p.c.period == period)).mappings()
        return {f"{r['uid']}:{r['unit_id']}": dict(r) for r in rows}


def changes_of(ledger, sid: int) -> list[dict]:
    return [c for row in submission_detail(ledger, sid)["rows"] for c in row["changes"]]


def assert_merged(ledger, answers: dict, fields=("done", "problems", "next_steps")) -> None:
    got = ledger_rows(ledger)
    assert set(got) == set(answers)
    for key, values in answers.items():
        for f in fields:
            assert got[key][f] == values[f], (key, f)
        assert got[key]["on_track_raw"] == values["on_track"], key


def unit_id(ledger) -> int:
    with ledger.read() as conn:
        return conn.execute(select(schema.unit.c.id).where(schema.unit.c.name == UNIT)).scalar_one()


# -- the form sheet by evidence -------------------------------------------------------------------
def test_form_sheet_chosen_by_evidence_not_position(ledger_2026, form, tmp_path):
    answers = mx.answers(form, length=220)
    filled = rh.fill(form, tmp_path / "filled.xlsx", answers)
    book = ro.highlights_in_front(filled, tmp_path / "发改局4月（含亮点）.xlsx")
    [res] = collect(ledger_2026, [book])
    print(res["message"])
    assert res["status"] == "staged", res
    assert "已读取工作表「4月」" in res["message"] and "「亮点工作」" in res["message"]
    merge(ledger_2026, accept_all=True)
    assert_merged(ledger_2026, answers)
    everything = "".join(str(v) for r in ledger_rows(ledger_2026).values() for v in r.values())
    assert ro.HIGHLIGHTS[0][2] not in everything   # the 亮点 table is kept with the file, never read as the form


def test_clerk_picks_the_sheet_when_confirming(ledger_2026, form, tmp_path):
    answers = mx.answers(form, length=160)
    filled = rh.fill(form, tmp_path / "filled.xlsx", answers)
    retyped = rh.strip_stamp(filled, tmp_path / "retyped.xlsx")   # no stamp, no key column: evidence is weak
    book = ro.highlights_in_front(retyped, tmp_path / "发改局4月.xlsx", form_title="4月")
    [res] = collect(ledger_2026, [book])
    assert res["status"] == "needs-confirmation", res
    uid = unit_id(ledger_2026)
    with pytest.raises(UserError, match="所选工作表「无此表」"):
        confirm(ledger_2026, res["submission_id"], uid, "report", PERIOD, sheet="无此表")
    out = confirm(ledger_2026, res["submission_id"], uid, "report", PERIOD, sheet="4月")
    assert out["status"] == "staged"
    merge(ledger_2026, accept_all=True)
    got = ledger_rows(ledger_2026)
    assert sorted(r["done"] for r in got.values()) == sorted(a["done"] for a in answers.values())


# -- columns by meaning ---------------------------------------------------------------------------
def test_percentage_column_is_an_added_column_never_on_track(ledger_2026, form, tmp_path):
    answers = mx.answers(form, length=240)
    keys = list(answers)
    filled = rh.fill(form, tmp_path / "filled.xlsx", answers)
    pct = {k: f"{35 + 5 * i}%" for i, k in enumerate(keys)}
    added = mx.add_column(filled, tmp_path / "序时进度.xlsx", "序时进度（%）", pct, before="done")
    [res] = collect(ledger_2026, [added])
    print(res["message"])
    assert res["status"] == "staged", res
    assert "「序时进度（%）」" in res["message"] and "「是否完成" not in res["message"]
    merge(ledger_2026, accept_all=True)
    assert_merged(ledger_2026, answers)   # 是否完成 from the real 是/否 column
    got = ledger_rows(ledger_2026)
    for k in keys:
        assert got[k]["note"] == f"序时进度（%）：{pct[k]}"


@pytest.mark.parametrize("label", ["序时进度（%）", "完成进度", "序时进度", "完成比例(%)", "进度％"])
def test_percentage_headers_name_no_field(label):
    from core.returns.read import header_field
    assert header_field(label) is None
