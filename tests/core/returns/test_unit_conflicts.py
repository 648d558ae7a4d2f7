"""A lead's file carrying its co-unit's row while the co-unit reports too: both kept, the clerk chooses; 牵头单位汇总 decides."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from core.ledger import schema
from core.ledger.settings import save_settings
from core.returns.collect import collect
from core.returns.merge import merge
from core.returns.review import rival_values, set_row_decision, submission_detail
from tests.helpers import returns as rh
from tests.helpers.returns_b13 import append_row, find_pair, key_for, long_entry, progress, uid_of, unit_id

PERIOD = "2026-03"


def _files(ledger, tmp_path):
    """The lead's form with the co-unit's row pasted in, and the co-unit's own form, with different texts."""
    tid, lead, co = find_pair(ledger)
    uid = uid_of(ledger, tid)
    out = rh.generate_forms(ledger, "report", PERIOD, tmp_path / "out", unit_names=[lead, co])
    lead_form = Path(next(f["path"] for f in out if f["unit"] == lead))
    co_form = Path(next(f["path"] for f in out if f["unit"] == co))
    co_key = key_for(co_form, uid)
    lead_text, co_text = long_entry(f"{lead}代填的{co}情况", 1), long_entry(f"{co}自报", 2)
    lead_own = long_entry(f"{lead}自己的情况", 3)
    lead_file = rh.fill(lead_form, tmp_path / "l.xlsx", {key_for(lead_form, uid): {"done": lead_own, "on_track": "是"}})
    import openpyxl
    ws = rh.data_sheet(openpyxl.load_workbook(co_form))
    cols, header = rh._columns(ws)
    task_text = next(ws.cell(r, cols["task"]).value for r in range(header + 1, ws.max_row + 1)
                     if ws.cell(r, cols["key"]).value == co_key)
    lead_file = append_row(lead_file, tmp_path / f"{lead}-3月汇总.xlsx",
                           {"task": task_text, "done": lead_text, "on_track": "是", "key": co_key})
    co_file = rh.fill(co_form, tmp_path / f"{co}-3月.xlsx", {co_key: {"done": co_text, "on_track": "否",
                                                                    "problems": "配套资金未到位"}})
    return tid, lead, co, lead_file, co_file, lead_text, co_text, lead_own


def test_both_kept_and_the_clerk_chooses(ledger_2026, tmp_path):
    tid, lead, co, lead_file, co_file, lead_text, co_text, lead_own = _files(ledger_2026, tmp_path)
    r_lead, r_co = collect(ledger_2026, [lead_file, co_file])
    assert r_lead["status"] == "staged" and r_co["status"] == "staged"
    assert f"本表所填的{co}这一行与{co}自己报送的“{co_file.name}”" in r_lead["message"]
    assert "两份内容都保留，请逐项选择采用哪一份" in r_lead["message"]
    assert f"牵头单位的表 “{lead_file.name}”" in r_co["message"] and "两份内容都保留" in r_co["message"]
    flags = {(c["unit_id"], c["field"]): c["flags"] for row in submission_detail(ledger_2026, r_co["submission_id"])["rows"]
             for c in row["changes"]}
    assert "unit-conflict" in flags[(unit_id(ledger_2026, co), "done")]
    side = rival_values(ledger_2026, r_co["submission_id"])
    assert any(o["new"] == lead_text for v in side.values() for o in v)   # shown side by side
    merge(ledger_2026, accept_all=True)
    assert progress(ledger_2026, tid, unit_id(ledger_2026, co), PERIOD) is None   # neither replaced the other
    assert progress(ledger_2026, tid, unit_id(ledger_2026, lead), PERIOD)["done"] == lead_own
    set_row_decision(ledger_2026, r_co["submission_id"], tid, "accepted")   # the clerk takes the co-unit's own
    merge(ledger_2026, [r_co["submission_id"]])
    row = progress(ledger_2026, tid, unit_id(ledger_2026, co), PERIOD)
    assert row["done"] == co_text and row["problems"] == "配套资金未到位" and row["on_track_raw"] == "否"
    assert row["reporter_unit_id"] == unit_id(ledger_2026, co)


def test_lead_gathering_mode_takes_the_leads_row_and_still_shows_the_other(ledger_2026, tmp_path):
    tid, lead, co, lead_file, co_file, lead_text, co_text, _ = _files(ledger_2026, tmp_path)
    save_settings(ledger_2026, campaign={"lead_gathering": True})
    r_co, r_lead = collect(ledger_2026, [co_file, lead_file])
    assert "本批次为牵头单位汇总，以牵头单位汇总的内容为准" in r_co["message"]
    assert "本表这一行不随“全部接受”合入" in r_co["message"]
    assert "“全部接受”采用本表的内容" in r_lead["message"]
    merge(ledger_2026, accept_all=True)
    row = progress(ledger_2026, tid, unit_id(ledger_2026, co), PERIOD)
    assert row["done"] == lead_text and row["reporter_unit_id"] == unit_id(ledger_2026, lead)
    with ledger_2026.read() as conn:
        st = conn.execute(select(schema.submission.c.status).where(
            schema.submission.c.id == r_co["submission_id"])).scalar()
    assert st == "staged"   # the co-unit's own row is still there, pending, for the clerk to take instead


def test_lead_row_arriving_after_the_co_units_own_was_merged(ledger_2026, tmp_path):
    tid, lead, co, lead_file, co_file, lead_text, co_text, _ = _files(ledger_2026, tmp_path)
    collect(ledger_2026, [co_file])
    merge(ledger_2026, accept_all=True)
    [r_lead] = collect(ledger_2026, [lead_file])
    assert f"{co}自己报送的内容（已合并入台账）不同" in r_lead["message"]
    merge(ledger_2026, accept_all=True)
    assert progress(ledger_2026, tid, unit_id(ledger_2026, co), PERIOD)["done"] == co_text
