"""Two versions from one unit for one period: the later supersedes the earlier whole; by name or e-mail date; a tie is asked."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from core.ledger import schema
from core.returns.collect import collect, confirm
from core.returns.merge import merge
from core.returns.review import submission_detail
from core.returns.versions import rank
from tests.helpers import returns as rh
from tests.helpers.returns_b13 import all_done_texts, long_entry, progress, task_of_key, unit_id

PERIOD = "2026-03"


@pytest.fixture
def form(ledger_2026, tmp_path):
    [f] = rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "out", unit_names=["区民政局"])
    return Path(f["path"])


def _statuses(ledger) -> dict[str, tuple[str, str]]:
    s = schema.submission
    with ledger.read() as conn:
        return {r.file_name: (r.status, r.message) for r in conn.execute(select(s.c.file_name, s.c.status, s.c.message))}


def _two(form, tmp_path, first_name, second_name):
    keys = rh.row_keys(form)
    first = {keys[0]: {"done": long_entry("初报第一项", 1), "on_track": "是"},
             keys[1]: {"done": long_entry("初报第二项", 2), "problems": "项目资金尚未全部到位，需协调财政部门", "on_track": "否"}}
    second = {keys[0]: {"done": long_entry("更正第一项", 3)},
              keys[1]: {"done": "", "problems": "", "on_track": ""}}   # the correction empties the second row
    a = rh.fill(form, tmp_path / first_name, first)
    b = rh.fill(a, tmp_path / second_name, second)
    return keys, a, b


@pytest.mark.parametrize("word", ["更正", "修改版", "二稿", "修订"])
def test_correction_in_one_batch_supersedes_the_original_whatever_the_sort_order(ledger_2026, form, tmp_path, word):
    keys, a, b = _two(form, tmp_path, "区民政局-3月.xlsx", f"区民政局-3月-{word}.xlsx")
    results = collect(ledger_2026, [b, a])   # the correction first, as a name sort puts "-更正" before ".xlsx"
    st = _statuses(ledger_2026)
    assert st[a.name][0] == "superseded" and f"已被较新的版本“{b.name}”" in st[a.name][1] and f"“{word}”" in st[a.name][1]
    assert st[b.name][0] == "staged"
    merge(ledger_2026, accept_all=True)
    me = unit_id(ledger_2026, "区民政局")
    t0, t1 = task_of_key(ledger_2026, keys[0]), task_of_key(ledger_2026, keys[1])
    assert progress(ledger_2026, t0, me, PERIOD)["done"] == long_entry("更正第一项", 3)
    row1 = progress(ledger_2026, t1, me, PERIOD)
    assert row1 is None or (row1["done"] == "" and row1["problems"] == "" and row1["on_track_raw"] == "")
    assert not any("初报" in t for t in all_done_texts(ledger_2026).values())
    assert len(results) == 2


def test_correction_after_the_first_was_merged_empties_cells_as_deletions(ledger_2026, form, tmp_path):
    keys, a, b = _two(form, tmp_path, "区民政局3月.xlsx", "区民政局3月（修改版）.xlsx")
    collect(ledger_2026, [a])
    merge(ledger_2026, accept_all=True)
    me = unit_id(ledger_2026, "区民政局")
    t1 = task_of_key(ledger_2026, keys[1])
    assert progress(ledger_2026, t1, me, PERIOD)["done"] == long_entry("初报第二项", 2)
    [res] = collect(ledger_2026, [b])
    assert res["status"] == "staged" and "本期已合并过“区民政局3月.xlsx”" in res["message"]
    deletions = {c["field"]: c for row in submission_detail(ledger_2026, res["submission_id"])["rows"]
                 for c in row["changes"] if row["task_id"] == t1}
    assert deletions["done"]["new"] == "" and "cleared" in deletions["done"]["flags"]
    assert deletions["problems"]["old"] == "项目资金尚未全部到位，需协调财政部门" and "cleared" in deletions["problems"]["flags"]
    merge(ledger_2026, accept_all=True)
    row = progress(ledger_2026, t1, me, PERIOD)
    assert row["done"] == "" and row["problems"] == "" and row["on_track_raw"] == ""
    assert progress(ledger_2026, task_of_key(ledger_2026, keys[0]), me, PERIOD)["done"] == long_entry("更正第一项", 3)
    st = _statuses(ledger_2026)
    assert st[a.name][0] == "superseded" and st[b.name][0] == "merged"


def test_original_arriving_after_the_correction_never_wins(ledger_2026, form, tmp_path):
    keys, a, b = _two(form, tmp_path, "区民政局-3月.xlsx", "区民政局-3月-更正.xlsx")
    collect(ledger_2026, [b])
    merge(ledger_2026, accept_all=True)
    [res] = collect(ledger_2026, [a])   # the original, forwarded again later
    assert res["status"] == "superseded" and "已被较新的版本“区民政局-3月-更正.xlsx”" in res["message"]
    assert merge(ledger_2026, accept_all=True).value["files"] == 0
    me = unit_id(ledger_2026, "区民政局")
    assert progress(ledger_2026, task_of_key(ledger_2026, keys[0]), me, PERIOD)["done"] == long_entry("更正第一项", 3)
    assert not any("初报" in t for t in all_done_texts(ledger_2026).values())


def test_two_emails_the_later_date_wins(ledger_2026, form, tmp_path):
    keys, a, b = _two(form, tmp_path, "a.xlsx", "b.xlsx")
    same_a, same_b = tmp_path / "m1", tmp_path / "m2"
    same_a.mkdir(), same_b.mkdir()
    (same_a / "区民政局落实情况.xlsx").write_bytes(a.read_bytes())
    (same_b / "区民政局落实情况.xlsx").write_bytes(b.read_bytes())
    late = rh.eml_with([same_b / "区民政局落实情况.xlsx"], tmp_path / "1-来信.eml", date="Fri, 03 Apr 2026 16:40:00 +0800")
    early = rh.eml_with([same_a / "区民政局落实情况.xlsx"], tmp_path / "2-来信.eml", date="Fri, 03 Apr 2026 09:15:00 +0800")
    r_late, r_early = collect(ledger_2026, [late, early])
    assert r_early["status"] == "superseded" and "邮件发送时间更晚" in r_early["message"]
    assert r_late["status"] == "staged"
    merge(ledger_2026, accept_all=True)
    me = unit_id(ledger_2026, "区民政局")
    assert progress(ledger_2026, task_of_key(ledger_2026, keys[0]), me, PERIOD)["done"] == long_entry("更正第一项", 3)
    assert not any("初报" in t for t in all_done_texts(ledger_2026).values())


def test_a_tie_is_asked_and_the_clerks_pick_is_merged(ledger_2026, form, tmp_path):
    keys, a, b = _two(form, tmp_path, "民政局报送.xlsx", "区民政局.xlsx")
    ra, rb = collect(ledger_2026, [a, b])
    assert ra["status"] == rb["status"] == "needs-confirmation"
    assert "无法判断哪份是最新版本" in ra["message"] and "无法判断哪份是最新版本" in rb["message"]
    assert merge(ledger_2026, accept_all=True).value["files"] == 0
    assert not all_done_texts(ledger_2026)
    out = confirm(ledger_2026, rb["submission_id"], unit_id(ledger_2026, "区民政局"), "report", PERIOD).value
    assert out["status"] == "staged"
    st = _statuses(ledger_2026)
    assert st[a.name][0] == "superseded" and "已人工选用“区民政局.xlsx”" in st[a.name][1]
    merge(ledger_2026, accept_all=True)
    me = unit_id(ledger_2026, "区民政局")
    assert progress(ledger_2026, task_of_key(ledger_2026, keys[0]), me, PERIOD)["done"] == long_entry("更正第一项", 3)
    assert not any("初报" in t for t in all_done_texts(ledger_2026).values())


@pytest.mark.parametrize("name,expected", [
    ("区民政局.xlsx", 1), ("区民政局-更正.xlsx", 2), ("区民政局（修改版）.xlsx", 2), ("区民政局二稿.xlsx", 2),
    ("区民政局第三稿.xlsx", 3), ("区民政局v3.xlsx", 3), ("区民政局修订.xlsx", 2), ("区民政局初稿.xlsx", 1),
    ("01-民政局-落实情况表-2026年3月.xlsx", 1),
])
def test_version_words_in_file_names(name, expected):
    assert rank(name)[0] == expected


def test_undoing_the_corrections_merge_never_revives_the_unmerged_original(ledger_2026, form, tmp_path):
    from core.returns.merge_undo import undo_last_merge
    keys, a, b = _two(form, tmp_path, "区民政局-3月.xlsx", "区民政局-3月-更正.xlsx")
    collect(ledger_2026, [b, a])
    merge(ledger_2026, accept_all=True)
    undo_last_merge(ledger_2026)
    st = _statuses(ledger_2026)
    assert st[a.name][0] == "superseded" and st[b.name][0] == "staged"
    assert not all_done_texts(ledger_2026) or not any(all_done_texts(ledger_2026).values())
