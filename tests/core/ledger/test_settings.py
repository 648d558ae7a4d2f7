"""Settings: typed getters with defaults, validation that leaves the ledger unchanged, one audited transaction."""
from datetime import date

import pytest
from sqlalchemy import func, select

from core.ledger import schema
from core.ledger import settings
from core.common.errors import UserError


def audit_count(ledger):
    with ledger.read() as conn:
        return conn.execute(select(func.count()).select_from(schema.audit)).scalar_one()


def test_defaults_on_fresh_ledger(ledger):
    assert settings.backup_retention(ledger) == {"keep_last": 3, "keep_daily_days": 7}
    assert settings.no_ranking(ledger) is False
    assert settings.form_password(ledger) == ""
    # one visible output folder per ledger, in the user's Documents, named after the ledger file; 下发 inside it
    assert settings.output_dir(ledger).parts[-2:] == ("督查台账", ledger.path.stem)
    assert settings.outbox_dir(ledger) == settings.output_dir(ledger) / "下发"
    assert settings.output_folder(ledger, "reports").name == "通报"
    assert settings.output_folder(ledger, "reminders").name == "催报"
    assert settings.campaign_options(ledger) is None


def test_save_writes_campaign_and_settings_with_audit(ledger_2026, tmp_path):
    before = audit_count(ledger_2026)
    audited = 8 if ledger_2026.is_server else 9   # 发件箱 is this PC's own on a shared ledger, not in its audit
    n = settings.save_settings(
        ledger_2026,
        campaign={"plan_due": "2026-03-09", "report_workdays": 7, "plan_layout": "columns", "lead_gathering": True},
        settings={"outbox_dir": str(tmp_path), "no_ranking": True, "form_password": "dc2026",
                  "backup_retention": {"keep_last": 5, "keep_daily_days": 14}, "form_font": {"size": 12}}).value
    assert n == 9
    opts = settings.campaign_options(ledger_2026)
    assert opts == {"year": 2026, "plan_due": date(2026, 3, 9), "report_workdays": 7,
                    "plan_layout": "columns", "lead_gathering": True}
    assert settings.outbox_dir(ledger_2026) == tmp_path
    assert settings.output_folder(ledger_2026, "reports").parent != tmp_path   # 下发 moved alone
    assert settings.no_ranking(ledger_2026) is True
    assert settings.backup_retention(ledger_2026)["keep_last"] == 5
    assert settings.form_font(ledger_2026)["size"] == 12
    assert settings.form_font(ledger_2026)["family"] == "宋体"
    assert audit_count(ledger_2026) == before + audited
    with ledger_2026.read() as conn:
        batches = conn.execute(select(schema.audit.c.batch).where(schema.audit.c.source_ref == "设置")).scalars().all()
    assert len(set(batches)) == 1
    # saving the same values again changes nothing and writes no audit
    assert settings.save_settings(ledger_2026, campaign={"report_workdays": 7}, settings={"no_ranking": True}).value == 0
    assert audit_count(ledger_2026) == before + audited


@pytest.mark.parametrize("campaign,values", [
    ({"report_workdays": 0}, {}),
    ({"plan_due": "3月9日"}, {}),
    ({"plan_layout": "diagonal"}, {}),
    ({}, {"backup_retention": {"keep_last": 0, "keep_daily_days": 3}}),
    ({}, {"form_font": {"size": "大"}}),
    ({"report_workdays": 6}, {"unknown_key": 1}),
])
def test_bad_values_refused_ledger_unchanged(ledger_2026, campaign, values):
    before = audit_count(ledger_2026)
    with pytest.raises(UserError):
        settings.save_settings(ledger_2026, campaign=campaign, settings=values)
    assert audit_count(ledger_2026) == before
    assert settings.campaign_options(ledger_2026)["report_workdays"] == 5


def test_campaign_options_need_a_campaign(ledger):
    with pytest.raises(UserError):
        settings.save_settings(ledger, campaign={"report_workdays": 6})


def test_folders_belong_to_the_pc_on_a_shared_ledger(ledger_2026, tmp_path, monkeypatch):
    """输出文件夹 and 发件箱 are paths on one PC: on a server ledger each clerk keeps their own (another PC user sees
    the default), on a SQLite ledger they stay in the ledger, audited like any setting."""
    chosen = tmp_path / "我的输出"
    before = audit_count(ledger_2026)
    assert settings.save_settings(ledger_2026, settings={"output_dir": str(chosen), "no_ranking": True}).value == 2
    assert settings.output_dir(ledger_2026) == chosen and settings.no_ranking(ledger_2026)
    stored = ledger_2026.get_setting("output_dir", None)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "另一位同志"))   # another clerk's PC user
    if ledger_2026.is_server:
        assert stored is None                                               # not written into the shared ledger
        assert settings.output_dir(ledger_2026) != chosen                   # the other clerk: their own default
        assert settings.no_ranking(ledger_2026)                             # a ledger setting is shared
        assert audit_count(ledger_2026) == before + 1
    else:
        assert stored == str(chosen) and settings.output_dir(ledger_2026) == chosen
        assert audit_count(ledger_2026) == before + 2
    assert settings.set_folder(ledger_2026, "outbox_dir", str(tmp_path / "发件")).value is True
    assert settings.outbox_dir(ledger_2026) == tmp_path / "发件"
