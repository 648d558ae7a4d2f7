"""The quarterly bulletin on a ledger driven through Q1: its numbers equal counts computed with plain SQL."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import text

from tests.helpers.reports import drive
from tests.helpers.paper import docx_text

TODAY = date(2026, 5, 1)
# 月报 due 5 working days after month end (2026: 春节 from Feb 15, 清明 Apr 4–6), worked out by hand
DUE = {"2026-01": "2026-02-06", "2026-02": "2026-03-06", "2026-03": "2026-04-08"}




def sql_counts(conn, kind: str) -> dict:
    """The one definition (core.tracking.verdict) for March, the quarter's last month: any assigned unit 否 → behind;
    every assigned unit reported 是 → met; else (a unit, lead or co, has not reported) unclear — never met."""
    rows = conn.execute(text("""
        SELECT t.id,
               SUM(CASE WHEN p.on_track = FALSE THEN 1 ELSE 0 END) AS no_,
               SUM(CASE WHEN p.on_track = TRUE THEN 1 ELSE 0 END) AS yes_,
               COUNT(a.unit_id) AS n
        FROM task t LEFT JOIN assignment a ON a.task_id = t.id
        LEFT JOIN progress_row p ON p.task_id = t.id AND p.unit_id = a.unit_id AND p.period = '2026-03'
        WHERE t.kind = :kind AND t.active = TRUE
        GROUP BY t.id"""), {"kind": kind}).all()
    behind = sum(1 for r in rows if (r.no_ or 0) > 0)
    met = sum(1 for r in rows if not r.no_ and r.n > 0 and r.yes_ == r.n)
    return {"total": len(rows), "met": met, "behind": behind, "unclear": len(rows) - met - behind}


def sql_reporting(conn) -> dict:
    units = [r[0] for r in conn.execute(text(
        "SELECT DISTINCT a.unit_id FROM assignment a JOIN task t ON t.id = a.task_id JOIN unit u ON u.id = a.unit_id"
        " WHERE t.active = TRUE AND u.collective = FALSE"))]   # collective entries report through their members
    late, missing = set(), set()
    for period, due in DUE.items():
        for uid in units:
            first = conn.execute(text(
                "SELECT MIN(received_at) FROM submission WHERE unit_id = :u AND period = :p AND form = 'report'"),
                {"u": uid, "p": period}).scalar()
            if first is None:
                missing.add((uid, period))
            elif str(first)[:10] > due:
                late.add((uid, period))
    return {"expected": len(units) * 3, "late": late, "missing": missing, "units": set(units)}


@pytest.fixture
def driven(ledger_2026):
    info = drive(ledger_2026)
    return ledger_2026, info


def test_bulletin_numbers_equal_sql_counts(driven, tmp_path):
    from core.reports.bulletin_docx import write_bulletin
    ledger, info = driven
    out = tmp_path / "通报.docx"
    result = write_bulletin(ledger, "2026Q1", out, today=TODAY)
    body = docx_text(out)
    with ledger.read() as conn:
        key, liv = sql_counts(conn, "key"), sql_counts(conn, "livelihood")
        rep = sql_reporting(conn)
        names = dict(conn.execute(text("SELECT id, name FROM unit")).all())
        n_files = conn.execute(text("SELECT COUNT(*) FROM submission WHERE period BETWEEN '2026-01' AND '2026-03'")).scalar()
        hashes = [r[0] for r in conn.execute(text("SELECT file_hash FROM submission"))]
    assert key["behind"] > 0 and key["met"] > 0 and key["unclear"] > 0  # the drive gives all three kinds
    for label, c in (("《政府工作报告》重点任务", key), ("民生实事项目", liv)):
        m = re.search(re.escape(label) + r"(\d+)项，其中完成阶段任务目标(\d+)项、未完成阶段任务目标(\d+)项、"
                      r"尚有责任单位未报(\d+)项", body)
        assert m, label
        assert [int(x) for x in m.groups()] == [c["total"], c["met"], c["behind"], c["unclear"]]
    m = re.search(r"应报送月度落实情况(\d+)家次，按时报送(\d+)家次，迟报(\d+)家次，未报(\d+)家次", body)
    assert m
    assert [int(x) for x in m.groups()] == [rep["expected"], rep["expected"] - len(rep["late"]) - len(rep["missing"]),
                                           len(rep["late"]), len(rep["missing"])]
    # the helper's own record of who was late or silent agrees with the SQL
    assert {(u, f"2026-{m:02d}") for m, us in info["late"].items() for u in us if u in rep["units"]} == rep["late"]
    # every late or silent unit is named with the month (groups here are small: no “等N家单位”)
    section = body.split("四、报送情况")[1].split("五、")[0]
    for uid, period in rep["late"] | rep["missing"]:
        assert re.search(re.escape(names[uid]) + r"[^；。]*" + f"{int(period[5:])}月", section), names[uid]
    # the worst behind tasks are described with their units; the rest counted by area, pointing at the 汇总表
    from core.reports.bulletin_docx import worst_first
    behind = worst_first(bulletin_data_behind(ledger))
    problems = body.split("三、存在的主要问题")[1].split("四、")[0]
    assert re.search(f"第{behind[0]['seq']}项（", problems) and behind[0]["behind_units"][0]["name"] in problems
    assert len(re.findall(r"^\d+\.", problems, re.M)) < len(behind) and "详见当月汇总表" in problems
    # the 底稿 next to it: every received file of the quarter, with its full hash; none in the circulated text
    assert result["files"] == n_files
    basis = docx_text(result["basis"]).replace("\n", "")
    flat = body.replace("\n", "")
    for h in hashes:
        assert h in basis and h[:16] not in flat
    assert "数据来源文件清单" in basis and "SHA-256" not in body


def bulletin_data_behind(ledger) -> list[dict]:
    from core.reports.data import bulletin_data
    return bulletin_data(ledger, "2026Q1", TODAY)["behind_tasks"]


def test_bulletin_layout_follows_official_document_rules(driven, tmp_path):
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    from core.reports.bulletin_docx import write_bulletin
    ledger, _ = driven
    out = tmp_path / "b.docx"
    write_bulletin(ledger, "2026Q1", out, today=TODAY)
    doc = Document(str(out))
    s = doc.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [37, 35, 28, 26]
    title = doc.paragraphs[0]
    run = title.runs[0]
    assert run.font.size == Pt(22)
    assert run._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in doc.paragraphs if p.text.startswith("根据区政府工作安排"))
    assert body.runs[0].font.size == Pt(16)
    assert body.runs[0]._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.paragraph_format.first_line_indent == Pt(32)
    assert doc.styles["Normal"].paragraph_format.line_spacing == Pt(28)
    h1 = next(p for p in doc.paragraphs if p.text == "一、总体情况")
    assert h1.runs[0]._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
    assert len(doc.inline_shapes) == 3  # 图1–图3 as PNG


def test_no_ranking_setting_removes_ranking_and_count_order(driven, tmp_path):
    from core.reports.bulletin_docx import write_bulletin
    ledger, _ = driven
    ledger.set_setting("no_ranking", True)
    out = tmp_path / "b.docx"
    result = write_bulletin(ledger, "2026Q1", out, today=TODAY)
    body = docx_text(out)
    for word in ("排名", "排序", "由多到少", "靠后", "倒数", "名次", "末位"):
        assert word not in body
    assert result["figures"] == 2  # no per-unit league chart
    section = body.split("四、报送情况")[1].split("五、")[0]
    groups = section.split("归类：")[1].split("。")[0].split("；")
    for entry in groups:   # units sharing a pattern, by name only
        listed = re.split(r"(?:等\d+家单位)?(?:未报|迟报)", entry)[0].split("、")
        assert listed and listed == sorted(listed), entry


def test_single_task_bulletin(driven, tmp_path):
    from core.reports.bulletin_single import write_single
    from core.common.errors import UserError
    ledger, _ = driven
    out = tmp_path / "一事一通报.docx"
    result = write_single(ledger, "2026Q1", "key:12", out, today=TODAY)
    body = docx_text(out)
    assert "重点任务第12项" in body and "3月" in body and "SHA-256" not in body
    assert "数据来源文件" in docx_text(result["basis"])
    with ledger.read() as conn:
        n_units = conn.execute(text("""SELECT COUNT(*) FROM assignment a JOIN task t ON t.id = a.task_id
                                      WHERE t.kind = 'key' AND t.seq = 12""")).scalar()
        n_files = conn.execute(text("""SELECT COUNT(*) FROM progress_row p JOIN task t ON t.id = p.task_id
                                       WHERE t.kind = 'key' AND t.seq = 12""")).scalar()
    assert result["files"] == n_files and n_files <= 3 * n_units
    with pytest.raises(UserError):
        write_single(ledger, "2026Q1", "key:999", out, today=TODAY)
    with pytest.raises(UserError):
        write_single(ledger, "2026Q1", "第12项", out, today=TODAY)


def test_leader_pages_one_section_per_leader(driven, tmp_path):
    from docx import Document

    from core.reports.leader_pages import write_leader_pages
    ledger, _ = driven
    out = tmp_path / "领导.docx"
    result = write_leader_pages(ledger, "2026-03", out, today=TODAY)
    doc = Document(str(out))
    with ledger.read() as conn:
        leaders = conn.execute(text("SELECT COUNT(DISTINCT leader_id) FROM task_leader")).scalar()
        pairs = conn.execute(text("""SELECT COUNT(*) FROM task_leader tl JOIN task t ON t.id = tl.task_id
                                     WHERE t.active = TRUE""")).scalar()
    assert result["leaders"] == leaders == len(doc.sections)
    assert sum(len(t.rows) - 1 for t in doc.tables) == pairs


def test_cli_summary_and_bulletin(driven, tmp_path, capsys):
    import json

    import app
    ledger, _ = driven
    xlsx, docx_ = tmp_path / "s.xlsx", tmp_path / "b.docx"
    assert app.main(["--ledger", ledger.location, "summary", "--period", "2026-03", "--out", str(xlsx),
                     "--today", "2026-05-01", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["tasks"] == 98
    assert app.main(["--ledger", ledger.location, "bulletin", "--quarter", "2026Q1", "--out", str(docx_),
                     "--today", "2026-05-01"]) == 0
    assert docx_.exists() and xlsx.exists()
    assert app.main(["--ledger", ledger.location, "bulletin", "--quarter", "2026Q1", "--task", "key:3",
                     "--out", str(tmp_path / "one.docx")]) == 0
    assert app.main(["--ledger", ledger.location, "summary", "--period", "2026-13", "--out", str(xlsx)]) == 2
    assert "2026-03" in capsys.readouterr().err


@pytest.mark.skipif(not __import__("shutil").which("soffice"), reason="LibreOffice is needed")
@pytest.mark.layout
def test_leader_pages_print_one_page_each(driven, tmp_path):
    import subprocess

    from core.reports.leader_pages import write_leader_pages
    from core.office.pdf_export import convert_to_pdf
    ledger, _ = driven
    result = write_leader_pages(ledger, "2026-03", tmp_path / "领导.docx", today=TODAY)
    pdf = convert_to_pdf(result["path"], tmp_path / "pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    starts = [page for page in text.split("\f")[:pages] if "同志牵头任务落实情况" in page and "（续）" not in page]
    assert len(starts) == result["leaders"] <= pages  # each leader starts a page; longer lists continue with （续）
    assert "…" not in text
