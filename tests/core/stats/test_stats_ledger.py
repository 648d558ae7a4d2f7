"""统计与考评 on a real ledger (SQLite and PostgreSQL): a unit's real returned forms with a copied row and a contradicted
是, another late by working days, a third never reporting; the tables, the deductions and a changed rule."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from core.common.errors import UserError
from core.ledger import settings
from core.stats import kaoping, tables
from core.stats.read import read_year
from core.stats.report import as_json, year_stats
from core.tracking.states import submission_matrix
from tests.helpers import tracking as th
from tests.helpers.review_grid import UNIT, make_may

TODAY = date(2026, 6, 20)
LATE, MISSING = "区财政局", "区教育体育局"


@pytest.fixture
def year(ledger_2026, tmp_path):
    make_may(ledger_2026, tmp_path)   # April merged; May with a copied row and a contradicted 是, collected
    cid = th.campaign_id(ledger_2026)
    late, missing = th.unit_id(ledger_2026, LATE), th.unit_id(ledger_2026, MISSING)
    th.dispatch(ledger_2026, cid, "report", "2026-05", [late, missing])
    th.submit(ledger_2026, cid, late, "report", "2026-05", datetime(2026, 6, 12, 9, 30))   # due 6月5日: 5 working days late
    return ledger_2026


def test_unit_figures_come_from_the_dashboard_matrix(year):
    d = read_year(year, 2026, TODAY)
    units = tables.unit_table(d).set_index("unit")
    matrix = {(r["unit"], r["period"]): r for r in submission_matrix(year, d.cid, d.periods, TODAY, forms=("report",))}
    assert units.loc[LATE, "late"] == 1
    assert units.loc[LATE, "late_workdays"] == matrix[(LATE, "2026-05")]["late_workdays"] == 5
    assert units.loc[MISSING, "missing"] == 1 and units.loc[MISSING, "on_time"] == 0
    assert matrix[(MISSING, "2026-05")]["state"].startswith("未报（逾期")
    assert units.loc[UNIT, "copied_rows"] == 1 and units.loc[UNIT, "contradicted_rows"] == 1
    assert units.loc[UNIT, "tasks_lead"] > 0
    # the stats' cells are the matrix's cells, state for state
    cells = {(r.unit, r.period): r.state for r in d.cells.itertuples() if r.form == "report"}
    assert cells == {k: r["state"] for k, r in matrix.items()}


def test_every_deduction_is_listed_and_the_score_adds_up(year):
    s = year_stats(year, 2026, TODAY, with_years=False)
    lines = s.deductions
    mine = lines[lines["unit"] == UNIT]
    assert set(mine["item"]) >= {"copied", "contradicted"}
    assert all(p == "2026-05" for p in mine.loc[mine["item"].isin(["copied", "contradicted"]), "period"])
    assert mine.loc[mine["item"] == "copied", "task"].str.startswith("重点任务第").all()
    [late] = lines[(lines["unit"] == LATE)].itertuples()
    assert late.item == "late" and late.points == -1 and late.detail == "5月落实情况表逾期 5 个工作日报送"
    [missing] = lines[(lines["unit"] == MISSING) & (lines["item"] == "missing")].itertuples()
    assert missing.points == -2 and missing.detail.startswith("5月落实情况表未报（逾期")
    # not reporting turns every task it leads red that month (督办's light rule): each is a task-month behind
    red = lines[(lines["unit"] == MISSING) & (lines["item"] == "behind")]
    d = s.data
    led = set(d.assign.loc[(d.assign["unit_id"] == missing.unit_id) & (d.assign["role"] == "lead"), "task_id"])
    assert len(red) == len(led) > 0 and (red["detail"] == "5月牵头的任务亮红灯").all()
    scores = s.scores.set_index("unit")
    for unit, row in scores.iterrows():
        assert row["score"] == 100 + lines.loc[lines["unit"] == unit, "points"].sum()
    assert scores.loc[MISSING, "rank"] > scores.loc[LATE, "rank"]
    assert list(s.scores["score"]) == sorted(s.scores["score"], reverse=True)


def test_a_changed_rule_recomputes_and_is_printed(year):
    settings.save_settings(year, settings={"kaoping_rules": {"late": 3, "missing": 5}})
    s = year_stats(year, 2026, TODAY, with_years=False)
    scores = s.scores.set_index("unit")["score"]
    behind = (s.deductions[s.deductions["unit"] == MISSING]["item"] == "behind").sum()
    assert scores[LATE] == 97 and scores[MISSING] == 100 - 5 - behind
    doc = as_json(s)
    assert "每表扣 3 分" in doc["kaoping"]["rules_text"] and "逾期未报每表扣 5 分" in doc["kaoping"]["rules_text"]
    assert doc["kaoping"]["rules"]["base"] == 100


def test_rules_are_declared_with_defaults_and_bad_values_are_refused(ledger_2026):
    assert settings.kaoping_rules(ledger_2026) == settings.DEFAULT_KAOPING
    assert settings.office_name(ledger_2026) == "区政府督查室"
    for bad, words in (({"late": "一分"}, "应为数字"), ({"missing": -2}, "0 到 100"), ({"base": 0}, "大于 0")):
        with pytest.raises(UserError, match=words):
            settings.save_settings(ledger_2026, settings={"kaoping_rules": bad, "office_name": "某某督查室"})
    assert settings.kaoping_rules(ledger_2026) == settings.DEFAULT_KAOPING   # nothing saved, not even the name
    assert settings.office_name(ledger_2026) == "区政府督查室"
    with pytest.raises(UserError, match="制表单位"):
        settings.save_settings(ledger_2026, settings={"office_name": "  "})


def test_a_month_range_outside_the_year_is_refused(ledger_2026):
    with pytest.raises(UserError, match="不在 2026 年内"):
        read_year(ledger_2026, 2026, TODAY, first="2025-12")
    with pytest.raises(UserError, match="颠倒"):
        read_year(ledger_2026, 2026, TODAY, first="2026-05", last="2026-04")
    with pytest.raises(UserError, match="没有 2019 年"):
        read_year(ledger_2026, 2019, TODAY)


def test_rules_text_names_every_rule():
    text = kaoping.rules_text(settings.DEFAULT_KAOPING)
    for word in ("基础分 100 分", "迟报", "未报", "退回", "滞后", "照抄上月", "填“是”", "早于计划办结"):
        assert word in text
