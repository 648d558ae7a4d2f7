"""收文 identity from all evidence: a reused last-month form, another unit's form, an edited 填报单位, file-name short names."""
from __future__ import annotations

from pathlib import Path

from core.returns.collect import collect, confirm
from core.returns.merge import merge
from tests.helpers import returns as rh
from tests.helpers.returns_b13 import (all_done_texts, find_pair, key_for, long_entry, progress, set_cells, task_of_key,
                               uid_of, unit_id)

MARCH, APRIL = "2026-03", "2026-04"


def _march_merged(ledger, tmp_path, unit="区民政局"):
    """The unit's March form, filled with long entries and merged; returns (march form, {key: text})."""
    [form] = rh.generate_forms(ledger, "report", MARCH, tmp_path / "mar", unit_names=[unit])
    src = Path(form["path"])
    texts = {k: long_entry(f"三月第{i}项", i) for i, k in enumerate(rh.row_keys(src))}
    filled = rh.fill(src, tmp_path / f"{unit}-3月.xlsx", {k: {"done": t, "on_track": "是"} for k, t in texts.items()})
    [res] = collect(ledger, [filled])
    assert res["status"] == "staged", res
    merge(ledger, accept_all=True)
    return filled, texts


def test_last_months_form_retitled_and_renamed_is_asked_not_merged_over_march(ledger_2026, tmp_path):
    filled, march = _march_merged(ledger_2026, tmp_path)
    rh.generate_forms(ledger_2026, "report", APRIL, tmp_path / "apr", unit_names=["区民政局"])
    april = {k: long_entry(f"四月第{i}项", i + 5) for i, k in enumerate(march)}
    reused = rh.fill(filled, tmp_path / "x.xlsx", {k: {"done": t} for k, t in april.items()})
    reused = set_cells(reused, tmp_path / "区民政局-落实情况表-2026年4月.xlsx", title=("（3月）", "（4月）"))
    [res] = collect(ledger_2026, [reused])
    assert res["status"] == "needs-confirmation", res
    assert "表中的标识为 区民政局 2026年3月的落实情况表，但标题写的是4月" in res["message"]
    assert "文件名“区民政局-落实情况表-2026年4月.xlsx”写的是4月" in res["message"]
    merge(ledger_2026, accept_all=True)
    me = unit_id(ledger_2026, "区民政局")
    for key, text in march.items():   # March keeps what was merged in March; nothing landed in April
        assert progress(ledger_2026, task_of_key(ledger_2026, key), me, MARCH)["done"] == text
        assert progress(ledger_2026, task_of_key(ledger_2026, key), me, APRIL) is None
    out = confirm(ledger_2026, res["submission_id"], me, "report", APRIL).value   # the clerk: it is April's
    assert out["status"] == "staged"
    merge(ledger_2026, accept_all=True)
    for key in march:
        tid = task_of_key(ledger_2026, key)
        assert progress(ledger_2026, tid, me, APRIL)["done"] == april[key]
        assert progress(ledger_2026, tid, me, MARCH)["done"] == march[key]


def test_title_left_at_march_but_file_renamed_april(ledger_2026, tmp_path):
    filled, march = _march_merged(ledger_2026, tmp_path)
    key = next(iter(march))
    text = long_entry("四月改填", 9)
    reused = rh.fill(filled, tmp_path / "区民政局4月报送.xlsx", {key: {"done": text}})
    [res] = collect(ledger_2026, [reused])
    assert res["status"] == "needs-confirmation"
    assert "文件名“区民政局4月报送.xlsx”写的是4月" in res["message"]
    merge(ledger_2026, accept_all=True)
    assert progress(ledger_2026, task_of_key(ledger_2026, key), unit_id(ledger_2026, "区民政局"), MARCH)["done"] == march[key]
    assert text not in all_done_texts(ledger_2026).values()


def test_unchanged_march_form_sent_after_april_went_out_is_asked(ledger_2026, tmp_path):
    filled, march = _march_merged(ledger_2026, tmp_path)
    rh.generate_forms(ledger_2026, "report", APRIL, tmp_path / "apr", unit_names=["区民政局"])
    key = next(iter(march))
    text = long_entry("四月内容填在三月表里", 3)
    reused = rh.fill(filled, tmp_path / "区民政局-3月.xlsx", {key: {"done": text}})
    [res] = collect(ledger_2026, [reused])
    assert res["status"] == "needs-confirmation"
    assert "3月的报送已经合并，而2026年4月的表已经下发" in res["message"]
    merge(ledger_2026, accept_all=True)
    assert progress(ledger_2026, task_of_key(ledger_2026, key), unit_id(ledger_2026, "区民政局"), MARCH)["done"] == march[key]


def test_co_unit_fills_the_leads_forwarded_form_and_renames_it(ledger_2026, tmp_path):
    tid, lead, co = find_pair(ledger_2026)
    [form] = rh.generate_forms(ledger_2026, "report", MARCH, tmp_path / "out", unit_names=[lead])
    src = Path(form["path"])
    key = key_for(src, uid_of(ledger_2026, tid))
    text = long_entry(f"{co}的落实情况", 4)
    short = co[1:] if co.startswith("区") else co
    sent = rh.fill(src, tmp_path / f"{short}-3月落实情况.xlsx", {key: {"done": text, "on_track": "否"}})
    [res] = collect(ledger_2026, [sent])
    assert res["status"] == "needs-confirmation", res
    assert f"表中的标识为 {lead} 2026年3月的落实情况表，但文件名“{sent.name}”写的是{co}" in res["message"]
    merge(ledger_2026, accept_all=True)
    assert progress(ledger_2026, tid, unit_id(ledger_2026, lead), MARCH) is None   # not credited to the lead
    assert progress(ledger_2026, tid, unit_id(ledger_2026, co), MARCH) is None
    out = confirm(ledger_2026, res["submission_id"], unit_id(ledger_2026, co), "report", MARCH).value
    assert out["status"] == "staged"
    merge(ledger_2026, accept_all=True)
    row = progress(ledger_2026, tid, unit_id(ledger_2026, co), MARCH)
    assert row["done"] == text and row["on_track_raw"] == "否"
    assert progress(ledger_2026, tid, unit_id(ledger_2026, lead), MARCH) is None


def test_edited_fill_in_unit_cell_is_asked(ledger_2026, tmp_path):
    tid, lead, co = find_pair(ledger_2026)
    [form] = rh.generate_forms(ledger_2026, "report", MARCH, tmp_path / "out", unit_names=[lead])
    src = Path(form["path"])
    key = key_for(src, uid_of(ledger_2026, tid))
    text = long_entry("改了填报单位", 2)
    filled = rh.fill(src, tmp_path / "f.xlsx", {key: {"done": text}})
    edited = set_cells(filled, tmp_path / "报送.xlsx", unit_cell=f"填报单位：{co}")
    [res] = collect(ledger_2026, [edited])
    assert res["status"] == "needs-confirmation"
    assert f"填报单位写的是“{co}”" in res["message"]
    merge(ledger_2026, accept_all=True)
    assert text not in all_done_texts(ledger_2026).values()


def test_the_generated_name_and_title_agree_with_the_stamp(ledger_2026, tmp_path):
    """The app's own file name (序号-简称-表名-年月) and title are evidence for, not against, the stamp."""
    [form] = rh.generate_forms(ledger_2026, "report", MARCH, tmp_path / "out", unit_names=["区发展改革局"])
    src = Path(form["path"])
    assert "发展改革局" in src.name
    key = rh.row_keys(src)[0]
    text = long_entry("发改局三月", 1)
    [res] = collect(ledger_2026, [rh.fill(src, tmp_path / src.name, {key: {"done": text}})])
    assert res["status"] == "staged", res
    merge(ledger_2026, accept_all=True)
    assert progress(ledger_2026, task_of_key(ledger_2026, key), unit_id(ledger_2026, "区发展改革局"), MARCH)["done"] == text


def test_stampless_file_guessed_from_the_short_name_in_its_file_name(ledger_2026, tmp_path):
    [form] = rh.generate_forms(ledger_2026, "report", MARCH, tmp_path / "out", unit_names=["区民政局"])
    src = Path(form["path"])
    key = rh.row_keys(src)[0]
    text = long_entry("重新录入", 6)
    filled = rh.fill(src, tmp_path / "f.xlsx", {key: {"done": text}})
    blank_unit = set_cells(filled, tmp_path / "g.xlsx", unit_cell="填报单位：")
    bare = rh.strip_stamp(blank_unit, tmp_path / "20-民政局-落实情况表-2026年3月.xlsx")
    [res] = collect(ledger_2026, [bare])
    assert res["status"] == "needs-confirmation"
    assert res["unit"] == "区民政局" and res["period"] == MARCH
    assert "依据文件名、标题推测为：区民政局" in res["message"] or "依据文件名推测为：区民政局" in res["message"] \
        or "依据文件名" in res["message"], res["message"]
    merge(ledger_2026, accept_all=True)
    assert text not in all_done_texts(ledger_2026).values()
    confirm(ledger_2026, res["submission_id"], unit_id(ledger_2026, "区民政局"), "report", MARCH)
    merge(ledger_2026, accept_all=True)
    assert progress(ledger_2026, task_of_key(ledger_2026, key), unit_id(ledger_2026, "区民政局"), MARCH)["done"] == text


def test_stampless_file_with_no_unit_named_is_guessed_from_its_tasks(ledger_2026, tmp_path):
    [form] = rh.generate_forms(ledger_2026, "report", MARCH, tmp_path / "out", unit_names=["区民政局"])
    src = Path(form["path"])
    keys = rh.row_keys(src)
    assert len(keys) >= 2
    text = long_entry("无名表", 7)
    filled = set_cells(rh.fill(src, tmp_path / "f.xlsx", {keys[0]: {"done": text}}), tmp_path / "g.xlsx",
                       unit_cell="填报单位：")
    bare = rh.strip_stamp(filled, tmp_path / "重新录入.xlsx")
    [res] = collect(ledger_2026, [bare])
    assert res["status"] == "needs-confirmation" and res["unit"] == "区民政局"
    assert "依据任务内容、标题推测为：区民政局" in res["message"]
    merge(ledger_2026, accept_all=True)
    assert text not in all_done_texts(ledger_2026).values()


def test_rows_of_another_units_tasks_are_a_doubt(ledger_2026, tmp_path):
    tid, lead, co = find_pair(ledger_2026)
    [form] = rh.generate_forms(ledger_2026, "report", MARCH, tmp_path / "out", unit_names=[lead])
    src = Path(form["path"])
    keys = rh.row_keys(src)
    assert len(keys) >= 3
    text = long_entry("配合单位用了牵头单位的表", 8)
    filled = rh.fill(src, tmp_path / "f.xlsx", {key_for(src, uid_of(ledger_2026, tid)): {"done": text}})
    edited = set_cells(filled, tmp_path / "g.xlsx", unit_cell=f"填报单位：{co}")
    bare = rh.strip_stamp(edited, tmp_path / "报表.xlsx")
    [res] = collect(ledger_2026, [bare])
    assert res["status"] == "needs-confirmation" and res["unit"] == co
    assert f"表中 {len(keys)} 行任务都是{lead}承担的任务，其中只有 1 行是{co}的" in res["message"]
    merge(ledger_2026, accept_all=True)
    assert text not in all_done_texts(ledger_2026).values()


def test_april_text_in_a_march_form_is_not_swallowed_by_a_march_correction(ledger_2026, tmp_path):
    """A file whose month is in doubt takes no part in ordering versions: it waits for the clerk."""
    filled, march = _march_merged(ledger_2026, tmp_path)
    key = next(iter(march))
    fix = rh.fill(filled, tmp_path / "区民政局-3月-更正.xlsx", {key: {"done": long_entry("三月更正", 2)}})
    april = long_entry("四月", 4)
    reused = set_cells(rh.fill(filled, tmp_path / "x.xlsx", {key: {"done": april}}),
                       tmp_path / "区民政局-4月.xlsx", title=("（3月）", "（4月）"))
    r_fix, r_apr = collect(ledger_2026, [fix, reused])
    assert r_fix["status"] == "staged" and r_apr["status"] == "needs-confirmation"
    assert "较新的版本" not in r_apr["message"]
    merge(ledger_2026, accept_all=True)
    me = unit_id(ledger_2026, "区民政局")
    assert progress(ledger_2026, task_of_key(ledger_2026, key), me, MARCH)["done"] == long_entry("三月更正", 2)
    confirm(ledger_2026, r_apr["submission_id"], me, "report", APRIL)
    merge(ledger_2026, accept_all=True)
    assert progress(ledger_2026, task_of_key(ledger_2026, key), me, APRIL)["done"] == april
    assert progress(ledger_2026, task_of_key(ledger_2026, key), me, MARCH)["done"] == long_entry("三月更正", 2)
