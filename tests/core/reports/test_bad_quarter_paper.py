"""A bad April–June at real lengths (late, missing, 否-heavy; receipts as a clerk logs them), every document rendered
through LibreOffice: one definition of 完成/未完成/未报 across documents, summarised bulletin and brief, page limits."""
from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from tests.helpers.paper_bad import TODAY, fill_bad_quarter
from tests.helpers.paper import docx_text
from tests.helpers.paper_filler_docs import has_soffice, pdf_pages, pdf_pages_text, squash, to_pdf

PERIOD = "2026-06"
needs_office = pytest.mark.skipif(not has_soffice(), reason="LibreOffice and poppler are needed")


@pytest.fixture
def bad(new_2026_target):
    from core.ledger.store import Ledger
    target = new_2026_target()
    led = Ledger(target)
    info = fill_bad_quarter(led)
    yield led, str(target), info
    led.close()




def _status(target: str, capsys, today=TODAY, period=PERIOD) -> dict:
    import app
    capsys.readouterr()
    assert app.main(["--ledger", target, "status", "--tasks", "--json", "--period", period,
                     "--today", today.isoformat()]) == 0
    return json.loads(capsys.readouterr().out)


def _figures(ledger, tmp_path, period=PERIOD, quarter="2026Q2", today=TODAY) -> dict[str, dict[str, int]]:
    """{document: {done, behind, unreported, red, yellow}} as each document prints them for `period` (June)."""
    from openpyxl import load_workbook

    from core.reports.brief import write_brief
    from core.reports.bulletin_docx import write_bulletin
    from core.reports.leader_pages import write_leader_pages
    from core.reports.livelihood_xlsx import write_livelihood
    from core.reports.summary_xlsx import write_summary
    out: dict[str, dict[str, int]] = {}
    brief = docx_text(write_brief(ledger, period, tmp_path / "简报.docx", today=today)["path"])
    m = re.search(r"完成阶段任务目标(\d+)项、未完成(\d+)项、尚有责任单位未报(\d+)项", brief)
    lights = re.search(r"红灯（滞后）(\d+)项，黄灯（需关注）(\d+)项", brief)
    out["简报"] = {"done": int(m[1]), "behind": int(m[2]), "unreported": int(m[3]), "red": int(lights[1]),
                 "yellow": int(lights[2])}
    bulletin = docx_text(write_bulletin(ledger, quarter, tmp_path / "通报.docx", today=today, charts=False)["path"])
    found = re.findall(r"其中完成阶段任务目标(\d+)项、未完成阶段任务目标(\d+)项、尚有责任单位未报(\d+)项", bulletin)
    assert len(found) == 2 and f"以{period[:4]}年{int(period[5:])}月落实情况为准" in bulletin
    out["通报"] = {k: sum(int(f[i]) for f in found) for i, k in enumerate(("done", "behind", "unreported"))}
    summary = {}
    for name, write in (("key", write_summary), ("livelihood", write_livelihood)):
        ws = load_workbook(write(ledger, period, tmp_path / f"{name}.xlsx", today=today, charts=False)["path"]).active
        sub = ws.cell(2, 1).value
        assert f"数据截至{today.year}年{today.month}月{today.day}日" in sub
        summary[name] = {k: int(re.search(pat, sub)[1]) for k, pat in (
            ("done", r"：完成(\d+)项"), ("behind", r"未完成(\d+)项"), ("unreported", r"未报(\d+)项"),
            ("red", r"红色滞后(\d+)项"), ("yellow", r"黄色需关注(\d+)项"))}
    out["汇总表"] = {k: summary["key"][k] + summary["livelihood"][k] for k in summary["key"]}
    from docx import Document
    doc = Document(write_leader_pages(ledger, period, tmp_path / "领导页.docx", today=today)["path"])
    states = {}
    for t in doc.tables:
        for row in t.rows[1:]:
            states[row.cells[0].text] = row.cells[3].text   # a task under two leaders counted once
    light_of = Counter(s.split("\n")[0] for s in states.values())
    verdict_of = Counter(s.split("\n")[-1] for s in states.values())
    out["领导页"] = {"done": verdict_of["完成"], "behind": verdict_of["未完成"], "unreported": verdict_of["未报"],
                   "red": light_of["红"], "yellow": light_of["黄"]}
    return out


def test_one_definition_across_documents_and_status(bad, tmp_path, capsys):
    ledger, target, info = bad
    figures = _figures(ledger, tmp_path)
    status = _status(target, capsys)
    figures["status"] = {k: status[k] for k in ("done", "behind", "unreported", "red", "yellow")}
    print(json.dumps(figures, ensure_ascii=False))
    for name, f in figures.items():
        common = {k: f[k] for k in f if k in figures["通报"]}
        assert common == figures["通报"], (name, figures)
        if "red" in f:
            assert (f["red"], f["yellow"]) == (figures["status"]["red"], figures["status"]["yellow"]), (name, figures)
    # missing units make tasks 未报, not 完成: never counted as 0
    assert figures["status"]["unreported"] > 0 and status["total"] == 118
    # the receipt the clerk logged after --today is not received yet; two days later it is
    later = _status(target, capsys, TODAY.replace(day=23))
    assert later["unreported"] < status["unreported"], (later, status)


@pytest.fixture(scope="module")
def demo_year(tmp_path_factory):
    """The demo year (core/demo: eight months merged, November staged), as the window's --demo builds it."""
    from core.demo import ensure_demo_ledger
    return ensure_demo_ledger(tmp_path_factory.mktemp("demo-year") / "演示台账.sqlite3")


def test_one_definition_across_documents_and_status_on_the_demo_year(demo_year, tmp_path, capsys):
    """September of the demo year, generated on 5 December: brief, bulletin, summary + 民生实事表, leader pages and
    `status --tasks` give the same 完成/未完成/未报 and red/yellow counts."""
    from datetime import date

    from core.ledger.store import Ledger
    today = date(2026, 12, 5)
    ledger = Ledger(demo_year)
    try:
        figures = _figures(ledger, tmp_path, "2026-09", "2026Q3", today)
    finally:
        ledger.close()
    status = _status(str(demo_year), capsys, today, "2026-09")
    figures["status"] = {k: status[k] for k in ("done", "behind", "unreported", "red", "yellow")}
    for name, f in figures.items():
        assert {k: f[k] for k in f if k in figures["通报"]} == figures["通报"], (name, figures)
        if "red" in f:
            assert (f["red"], f["yellow"]) == (figures["status"]["red"], figures["status"]["yellow"]), (name, figures)
    assert status["total"] == 118 and status["behind"] > 0 and status["red"] > 0   # the demo's behind tasks counted


@needs_office
def test_bulletin_summarises_a_bad_quarter(bad, tmp_path):
    from core.reports.bulletin_docx import write_bulletin
    ledger, _target, info = bad
    path = write_bulletin(ledger, "2026Q2", tmp_path / "通报.docx", today=TODAY)["path"]
    pdf = to_pdf(tmp_path / "通报.docx", tmp_path / "pdf")
    pages = pdf_pages_text(pdf)
    text = squash("".join(pages))
    assert pdf_pages(pdf) <= 8
    assert "本通报数据截至2026年7月20日" in text and "未报送或未明确0项" not in text
    assert "5月尚有9家单位未报" in text and "6月尚有" in text          # months with no returns named, never 0
    problems = text[text.index("三、存在的主要问题"):text.index("四、报送情况")]
    assert re.search(r"1\.重点任务第\d+项", problems) and "主要是" in problems   # described with reasons, not a bare list
    assert "详见当月汇总表" in problems and len(re.findall(r"第\d+项", problems)) <= 12
    reporting = text[text.index("四、报送情况"):text.index("五、下一步工作要求")]
    assert re.search(r"等9家单位未报5月、6月", reporting)                  # the 9 units that never reported: one group
    assert len(reporting) < 700, len(reporting)
    assert path


@needs_office
def test_brief_reads_in_three_minutes(bad, tmp_path):
    from core.reports.brief import MOST_ITEMS, write_brief
    ledger, _target, _info = bad
    result = write_brief(ledger, PERIOD, tmp_path / "简报.docx", today=TODAY)
    pdf = to_pdf(tmp_path / "简报.docx", tmp_path / "pdf")
    text = squash("".join(pdf_pages_text(pdf)))
    assert pdf_pages(pdf) <= 4
    assert result["red"] == MOST_ITEMS and re.search(r"其余\d+项见汇总表", text)
    assert "数据截至2026年7月20日" in text and "等15家单位" in text       # units sharing a pattern grouped


def _printed_charts(package, pdf) -> list[dict]:
    """Each chart of the package as printed: {min_pt, width_mm, caption-free size} from its PNG and the PDF's placing."""
    import io

    from PIL import Image

    from core.office import charts
    from tests.helpers.paper_filler_docs import media_pngs, pdf_images
    placed = pdf_images(pdf)
    out = []
    for png in media_pngs(package):
        img = Image.open(io.BytesIO(png))
        where = [p for p in placed if (p["width"], p["height"]) == img.size]
        assert where, ("a chart is not printed", img.size, placed)
        ppi = where[0]["x_ppi"]
        out.append({"min_pt": float(img.text["min_pt"]) * charts.DPI / ppi, "width_mm": img.width / ppi * 25.4,
                    "page": where[0]["page"]})
    return out


@pytest.mark.layout
@needs_office
def test_charts_print_legibly(bad, tmp_path):
    """Every chart prints at least 9 pt text; the bulletin's at the full text width (156 mm); the unit chart shows the
    units under 100 % lowest first with a caption saying which; a month alone is no line chart."""
    from core.office import charts
    from core.reports.bulletin_docx import write_bulletin
    from core.reports.data import bulletin_data
    from core.reports.livelihood_xlsx import write_livelihood
    ledger, _target, _info = bad
    write_bulletin(ledger, "2026Q2", tmp_path / "通报.docx", today=TODAY)
    pdf = to_pdf(tmp_path / "通报.docx", tmp_path / "pdf")
    printed = _printed_charts(tmp_path / "通报.docx", pdf)
    assert len(printed) == 3, printed
    for c in printed:
        assert c["min_pt"] >= 9 - 0.05 and abs(c["width_mm"] - 156) < 2, printed
    text = squash("".join(pdf_pages_text(pdf)))
    by_unit = bulletin_data(ledger, "2026Q2", TODAY)["by_unit"]
    shown, below, full = charts.units_shown(by_unit)
    shares = [r["ok"] / r["rows"] for r in shown]
    assert shares == sorted(shares) and len(shown) <= charts.MOST_UNITS and below > len(shown)
    assert f"报告“是”占比最低的{len(shown)}家单位（共{below}家低于100%，其余{full}家为100%）" in text, text[-600:]
    # the 民生实事 table's chart sheet: printed at its drawn size, and April alone (no earlier month) has no line chart
    write_livelihood(ledger, PERIOD, tmp_path / "民生.xlsx", today=TODAY)
    sheet = _printed_charts(tmp_path / "民生.xlsx", to_pdf(tmp_path / "民生.xlsx", tmp_path / "pdf2"))
    assert len(sheet) == 2 and all(c["min_pt"] >= 9 - 0.05 for c in sheet), sheet
    write_livelihood(ledger, "2026-04", tmp_path / "民生4.xlsx", today=TODAY)
    from tests.helpers.paper_filler_docs import media_pngs
    assert len(media_pngs(tmp_path / "民生4.xlsx")) == 1   # by 重点领域 only: one month is no line


@pytest.mark.layout
@needs_office
def test_signature_and_colophon_as_gbt9704(bad, tmp_path):
    """The last text lines, 署名 and 成文日期 on one page, the date starting two characters right of the 署名 and ending
    about two characters from the right; the 版记 (抄送, 印发机关 and 印发日期 between three rules) at the foot of the last
    page — in the quarterly bulletin (whose last page holds the figures) and the 一事一通报."""
    from core.ledger.settings import save_settings
    from core.reports.bulletin_docx import write_bulletin
    from core.reports.bulletin_single import write_single
    from tests.helpers.paper_filler_docs import TEXT_BOTTOM_PT, TEXT_RIGHT_PT, document_ending
    ledger, _target, _info = bad
    save_settings(ledger, settings={"bulletin_cc": "区委办公室，区人大常委会办公室"})
    write_bulletin(ledger, "2026Q2", tmp_path / "通报.docx", today=TODAY)
    write_single(ledger, "2026Q2", "key:2", tmp_path / "一事.docx", today=TODAY)
    char = 441 / 28   # the 28-character grid on 156 mm
    for name in ("通报", "一事"):
        end = document_ending(to_pdf(tmp_path / f"{name}.docx", tmp_path / "pdf"))
        sig, date = end["signature"], end["date"]
        assert sig and date and date[5].startswith("2026"), (name, end)
        assert abs((date[1] - sig[1]) - 2 * char) < 3, (name, sig, date)          # two characters right of the 署名
        assert 1.2 * char <= TEXT_RIGHT_PT - end["date_end"] <= 3.5 * char, (name, end["date_end"])   # about 右空二字
        assert end["lines_above"] >= 2, (name, end)                               # never alone on a page
        issued, cc = end["issued"], end["cc"]
        assert issued and issued[0] == end["pages"], (name, end)                  # on the last page
        assert TEXT_BOTTOM_PT - 28 < issued[4] <= TEXT_BOTTOM_PT + 2, (name, issued)   # its last line at the foot
        assert cc and cc[0] == issued[0] and cc[4] < issued[2], (name, cc)
        rules = [y for y in end["rules_pt"] if y > cc[2] - 14]
        assert len(rules) == 3 and rules[-1] <= TEXT_BOTTOM_PT + 4, (name, end["rules_pt"])   # three full-width rules


def test_one_as_of_rule_for_dashboard_status_and_documents(bad, capsys):
    """A June return the clerk logged on 22 July: as of 20 July it is not yet received on 督办 (matrix, tiles, lights),
    in `status --json` and in the documents alike; as of 23 July it is received everywhere (core.tracking.states.
    received_by, the one rule)."""
    import app
    from sqlalchemy import select

    from core.ledger import schema
    from core.tracking.states import dashboard_data
    ledger, target, info = bad
    with ledger.read() as conn:
        cid = conn.execute(select(schema.campaign.c.id)).scalar_one()
        name = conn.execute(select(schema.unit.c.name).where(schema.unit.c.id == info["future"])).scalar_one()
    for today, received in ((TODAY, False), (TODAY.replace(day=23), True)):
        board = dashboard_data(ledger, cid, PERIOD, today)
        row = next(r for r in board["matrix"] if r["unit_id"] == info["future"] and r["period"] == PERIOD)
        assert (row["received"] is not None) == received, (today, row)
        capsys.readouterr()
        assert app.main(["--ledger", target, "status", "--period", PERIOD, "--json", "--today", today.isoformat()]) == 0
        listed = next(r for r in json.loads(capsys.readouterr().out) if r["unit"] == name and r["form"] == "report")
        assert (listed["received"] is not None) == received, (today, listed)
        tasks = _status(target, capsys, today)
        assert tasks["as_of"] == today.isoformat() or str(today) in json.dumps(tasks)
    early, late = (dashboard_data(ledger, cid, PERIOD, d)["tiles"] for d in (TODAY, TODAY.replace(day=23)))
    assert early != late   # the tiles count the later receipt only once it is received


@needs_office
def test_made_line_gives_the_page_count(bad, tmp_path, capsys):
    """“已生成：…（N 页）” prints the count the print preview shows (it printed “（ 页）” for the brief)."""
    import app
    _ledger, target, _info = bad
    out = tmp_path / "简报.docx"
    capsys.readouterr()
    assert app.main(["--ledger", target, "summary", "--brief", "--period", PERIOD, "--out", str(out),
                     "--today", TODAY.isoformat()]) == 0
    said = capsys.readouterr()
    n = pdf_pages(to_pdf(out, tmp_path / "pdf"))
    assert f"{out.name}（{n} 页）" in said.out + said.err, said


@needs_office
@pytest.mark.layout
def test_summary_of_a_bad_quarter_at_9pt_fills_its_pages(bad, tmp_path):
    """June of the bad quarter: body ≥ 9 pt, ≤ 70 pages (61 measured at 9 pt), the header on every page, every page but
    the last at least half filled by its rows (row heights are stored exactly, and LibreOffice breaks where the plan
    does; many rows of 未报 units are short of characters, so fill is measured in height), every task's text printed
    (across a page break where it reads on)."""
    from openpyxl import load_workbook

    from core.reports import summary_xlsx as sx
    from core.reports.data import summary_data
    from core.reports.summary_xlsx import write_summary
    ledger, _target, _info = bad
    written = write_summary(ledger, PERIOD, tmp_path / "汇总表.xlsx", today=TODAY, charts=False)
    ws = load_workbook(written["path"]).worksheets[0]
    sizes = {float(c.font.sz) for row in ws.iter_rows(min_row=4) for c in row if isinstance(c.value, str) and c.value}
    assert min(sizes) >= 9, sizes
    pdf = to_pdf(tmp_path / "汇总表.xlsx", tmp_path / "pdf")
    pages = pdf_pages_text(pdf)
    assert len(pages) == written["pages"] <= 70, len(pages)   # LibreOffice added no break of its own
    assert all("下一步计划" in p and "状态" in p for p in pages)
    data = summary_data(ledger, PERIOD, "key", TODAY)
    widths = sx.plan_widths(data, sx.KEY_COLUMNS)
    planned = sx.layout(data, widths, sx.KEY_COLUMNS)
    room = sx.printable_height() - sx.header_height(widths, sx.KEY_COLUMNS)
    used = [sum(sum(i["heights"]) if i["type"] == "task" else i["height"] for i in p) for p in planned]
    used[0] += sx.TITLE_PT + sx.SUBTITLE_PT
    assert len(planned) == len(pages) and min(used[:-1]) >= 0.5 * room, [round(u / room, 2) for u in used]
    from sqlalchemy import text

    from tests.helpers.paper import missing_texts
    with ledger.read() as conn:
        tasks = [r[0] for r in conn.execute(text("SELECT text FROM task WHERE kind = 'key' AND active = TRUE"))]
    assert len(tasks) > 90 and missing_texts(pdf, tasks) == []


def test_data_preview_html_holds_every_row_in_a_table_per_task(bad):
    """数据预览's HTML (core.reports.html.summary_html): every unit row's text of a bad month at real lengths, each
    task in its own table whose first row gives the same column widths as the header (so the window lays out what
    is in view first, and the columns still line up)."""
    from html.parser import HTMLParser

    from core.reports.data import summary_data
    from core.reports.html import summary_html
    led, _target, _info = bad
    data = summary_data(led, "2026-06", "key", TODAY)
    html = summary_html(data, "汇总表")

    class Tables(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tables: list[list[list[str]]] = []   # per table, per row, the cells' width attributes
            self.text: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag == "table":
                self.tables.append([])
            elif tag == "tr":
                self.tables[-1].append([])
            elif tag in ("td", "th"):
                self.tables[-1][-1].append(dict(attrs).get("width", ""))

        def handle_data(self, data):
            self.text.append(data)
    parsed = Tables()
    parsed.feed(html)
    text = "".join(parsed.text)
    tasks = [t for g in data["groups"] for t in g["tasks"]]
    rows = [u for t in tasks for u in t["unit_rows"]]
    assert len(rows) > 200 and max(len(u["done"]) for u in rows) > 120   # a month at real lengths
    for u in rows:
        for field in ("done", "problems", "next_steps"):
            assert u[field].replace("\n", "") in text.replace("\n", ""), (u["name"], field)
    header = parsed.tables[0][0]
    assert len(header) == 9 and sum(int(w.rstrip("%")) for w in header) == 100
    task_tables = [t for t in parsed.tables[1:] if len(t[0]) == 9]
    assert len(task_tables) == len(tasks)
    assert all(t[0] == header for t in task_tables)   # every task's first row: the header's column widths
    assert all(len(r) == 6 for t in task_tables for r in t[1:])   # further unit rows under the row-spanning cells


def test_a_bulletin_before_the_last_months_forms_are_due_is_of_the_month_before(bad):
    """On 3 July June is over but its forms are due on the 7th: the Q2 bulletin is of May (its returns and the tasks
    behind in it), June named as not yet due — not June counted with every unit still to report (a Q4 bulletin on
    5 December read “完成0项、未完成0项、尚有责任单位未报98项” and an empty problems section)."""
    from datetime import date

    from core.reports.bulletin_docx import overall_paragraphs
    from core.reports.data import bulletin_data
    led, _target, _info = bad
    early = bulletin_data(led, "2026Q2", date(2026, 7, 3))
    assert early["as_of"] == "2026-05"
    assert sum(early["counts"][k]["reported"] for k in ("key", "livelihood")) > 50 and early["behind_tasks"]
    text = "".join(overall_paragraphs(early))
    assert "以2026年5月落实情况为准" in text and "6月落实情况表尚未到报送截止日" in text, text
    assert bulletin_data(led, "2026Q2", TODAY)["as_of"] == "2026-06"   # once June's forms are due, June
