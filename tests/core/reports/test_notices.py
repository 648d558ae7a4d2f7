"""办结通报 and the 民生实事 通报 at the ledger's cadence, on a bad April–June at real lengths, rendered by LibreOffice:
the one definition's figures, reasons for what is behind, units grouped, 署名 and 版记; the cadence setting; the CLI."""
from __future__ import annotations

import json
import re

import pytest

from tests.helpers.paper_bad import TODAY, fill_bad_quarter
from tests.helpers.paper_filler_docs import has_soffice, pdf_pages, pdf_pages_text, squash, to_pdf

needs_office = pytest.mark.skipif(not has_soffice(), reason="LibreOffice and poppler are needed")


@pytest.fixture
def bad(new_2026_target):
    from core.ledger.store import Ledger
    target = new_2026_target()
    led = Ledger(target)
    fill_bad_quarter(led)
    yield led, str(target)
    led.close()


def _verdicts(ledger, period):
    from sqlalchemy import select

    from core.ledger import schema
    from core.tracking.verdict import task_verdicts, verdict_counts
    with ledger.read() as conn:
        cid = conn.execute(select(schema.campaign.c.id)).scalar_one()
        ids = {r.id for r in conn.execute(select(schema.task.c.id).where(schema.task.c.kind == "livelihood"))}
        return verdict_counts(task_verdicts(conn, cid, period, TODAY), ids)


@pytest.mark.layout
@needs_office
def test_monthly_livelihood_notice_in_a_bad_month(bad, tmp_path):
    from core.reports.notices import write_livelihood_notice
    ledger, _target = bad
    result = write_livelihood_notice(ledger, "2026-06", tmp_path / "民生.docx", today=TODAY)
    c = _verdicts(ledger, "2026-06")
    assert result["counts"] == {k: c[k] for k in ("done", "behind", "unreported", "closed", "total")}
    pdf = to_pdf(tmp_path / "民生.docx", tmp_path / "pdf")
    pages = pdf_pages_text(pdf)
    text = squash("".join(pages))
    assert pdf_pages(pdf) <= 4
    assert "关于2026年6月民生实事项目进展情况的通报" in text and "“一月一通报”" in text
    assert "本通报数据截至2026年7月20日" in text
    assert (f"其中完成阶段任务目标{c['done']}项、未完成阶段任务目标{c['behind']}项、尚有责任单位未报{c['unreported']}项"
            in text)
    behind = text[text.index("三、进展滞后的项目"):text.index("四、报送情况")]
    assert c["behind"] == 0 or ("主要是" in behind and re.search(r"1\.民生实事项目第\d+项", behind))
    assert "未报6月" in text[text.index("四、报送情况"):]             # the units that owe June named
    last = squash(pages[-1])
    assert "区政府督查室2026年7月20日" in last and "2026年7月20日印发" in last   # 署名, 成文日期 and 版记 on one page
    assert len(last) > 60                                             # with text, never alone


def test_cadence_is_a_ledger_setting(bad, tmp_path):
    from docx import Document

    from core.common.errors import UserError
    from core.ledger.settings import livelihood_cadence, save_settings
    from core.reports.notices import write_livelihood_notice
    ledger, _target = bad
    assert livelihood_cadence(ledger) == 1
    with pytest.raises(UserError, match="频次"):
        save_settings(ledger, settings={"livelihood_cadence": 2})
    save_settings(ledger, settings={"livelihood_cadence": 3})
    assert livelihood_cadence(ledger) == 3
    with pytest.raises(UserError, match="每季度通报一次.*6月"):
        write_livelihood_notice(ledger, "2026-05", tmp_path / "5月.docx", today=TODAY)
    assert not (tmp_path / "5月.docx").exists()
    result = write_livelihood_notice(ledger, "2026-06", tmp_path / "二季度.docx", today=TODAY)
    assert result["periods"] == ["2026-04", "2026-05", "2026-06"]
    text = "\n".join(p.text for p in Document(str(tmp_path / "二季度.docx")).paragraphs)
    assert "2026年第二季度民生实事项目" in text and "本季度承担民生实事项目的单位应报送落实情况" in text


@pytest.mark.layout
@needs_office
def test_closure_notice_the_day_a_task_is_closed(bad, tmp_path):
    from core.common.errors import UserError
    from core.reports.notices import write_closure_notice
    from core.tracking.closure import close_task
    from core.reports.data import find_task
    ledger, _target = bad
    with pytest.raises(UserError, match="尚未办结"):
        write_closure_notice(ledger, "key:12", tmp_path / "x.docx", today=TODAY)
    evidence = tmp_path / "验收报告.pdf"
    evidence.write_bytes(b"%PDF-1.4 acceptance")
    close_task(ledger, find_task(ledger, 2026, "key:12"), "2026-07-15", "项目已全部建成并通过竣工验收", evidence)
    write_closure_notice(ledger, "key:12", tmp_path / "办结.docx", today=TODAY)
    pdf = to_pdf(tmp_path / "办结.docx", tmp_path / "pdf")
    pages = pdf_pages_text(pdf)
    text = squash("".join(pages))
    assert pdf_pages(pdf) <= 3
    assert "关于《政府工作报告》重点任务第12项办结情况的通报" in text
    assert "已于2026年7月15日办结销号" in text and "项目已全部建成并通过竣工验收。" in text
    assert "验收报告.pdf" in text and "自2026年8月起，该任务不再报送月度落实情况" in text
    assert re.search(r"据区.+?报送的6月落实情况", text)             # the lead unit's own last words, whole clauses
    last = squash(pages[-1])
    assert "区政府督查室2026年7月20日" in last and "2026年7月20日印发" in last


def test_cli_makes_both_notices(bad, tmp_path, capsys):
    import app
    _ledger, target = bad
    common = ["--ledger", target, "bulletin", "--today", TODAY.isoformat()]
    assert app.main([*common, "--livelihood", "--period", "2026-06", "--out", str(tmp_path / "民生.docx"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["cadence"] == 1
    assert app.main([*common, "--closure", "key:3", "--out", str(tmp_path / "办结.docx")]) != 0
    assert "尚未办结" in capsys.readouterr().err
    assert app.main([*common, "--livelihood", "--out", str(tmp_path / "x.docx")]) != 0
    assert "--period" in capsys.readouterr().err
    assert (tmp_path / "民生.docx").exists() and not (tmp_path / "办结.docx").exists()
