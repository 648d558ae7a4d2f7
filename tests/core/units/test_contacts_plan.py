"""Address-book rows against the directory: two rows on one unit wait for the clerk's choice; counts for every screen."""
from __future__ import annotations

import xlsxwriter

from core.ledger.queries import list_units
from core.units.contacts_import import apply_contacts, read_contacts
from core.units.contacts_plan import KEEP_BOTH, contact_counts, counts_sentence, plan_contacts

ROWS = [["区财政局", "张三（办公室）", "0531-86660001", "bgs@example.org"],
        ["区财政局", "李四（预算科）", "0531-86660002", "ysk@example.org"],
        ["区财政局", "张三（办公室）", "0531-86660001", "bgs@example.org"],      # a repeat of the first: no question
        ["区商务局", "王五", "0531-86660003", "swj@example.org"],
        ["区不存在局", "赵六", "0531-86660004", "x@example.org"]]


def _book(path):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["单位名称", "联系人", "办公电话", "电子邮箱"])
    for i, row in enumerate(ROWS, start=1):
        ws.write_row(i, 0, row)
    wb.close()
    return path


def _unit(ledger, name):
    return next(u for u in list_units(ledger) if u["name"] == name)


def test_two_rows_on_one_unit_are_a_question_not_an_overwrite(ledger_2026, tmp_path):
    rows = read_contacts(_book(tmp_path / "通讯录.xlsx"))
    before = _unit(ledger_2026, "区财政局")
    plan = plan_contacts(ledger_2026, rows)
    assert [c["unit"] for c in plan["conflicts"]] == ["区财政局"] and len(plan["conflicts"][0]["rows"]) == 2
    assert plan["unknown"] == ["区不存在局"]
    undecided = apply_contacts(ledger_2026, rows, "test").value
    assert undecided["undecided"] == ["区财政局"] and _unit(ledger_2026, "区财政局")["contact"] == before["contact"]
    assert _unit(ledger_2026, "区商务局")["contact"] == "王五"
    apply_contacts(ledger_2026, rows, "test", choices={"区财政局": 1})
    assert _unit(ledger_2026, "区财政局")["contact"] == "李四（预算科）"
    apply_contacts(ledger_2026, rows, "test", choices={"区财政局": KEEP_BOTH})
    finance = _unit(ledger_2026, "区财政局")
    assert finance["contact"] == "张三（办公室）、李四（预算科）"
    assert finance["email"] == "bgs@example.org, ysk@example.org"
    assert finance["phone"] == "0531-86660001 / 0531-86660002"


def test_counts_leave_out_collective_names_and_keep_directory_order(ledger_2026):
    counts = contact_counts(ledger_2026)
    units = list_units(ledger_2026)
    assert counts["units"] + counts["collective"] == len(units)
    assert counts["collective"] == sum(1 for u in units if u["collective"])
    sentence = counts_sentence(counts)
    assert f"{counts['units']} 个责任单位" in sentence and f"{counts['with_contact']} 个已有联系人" in sentence
