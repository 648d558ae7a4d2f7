"""Paper at real entry lengths: 汇总表, 民生实事 table and 区长 brief through LibreOffice; page, density, whole-text checks."""
from __future__ import annotations

import shutil
import statistics
from pathlib import Path

import pytest

from tests.helpers.paper import (PERIOD, TODAY, build_paper_ledger, measure, missing_texts, norm, page_texts, squash,
                                 to_pdf)

ROOT = Path(__file__).resolve().parents[3]
PLAN = ROOT / "resources" / "demo" / "2026-立项表.docx"
CONTACTS = ROOT / "resources" / "demo" / "2026-单位通讯录.xlsx"
pytestmark = [pytest.mark.layout,
              pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftotext"),
                                 reason="LibreOffice and poppler-utils are needed to measure the printed pages")]
CUTS = ("…", "...")


@pytest.fixture(scope="module")
def paper(tmp_path_factory):
    """One April round of all 63 units at real lengths, and each document written and converted to PDF."""
    from core.reports.livelihood_xlsx import write_livelihood
    from core.reports.summary_xlsx import write_summary
    base = tmp_path_factory.mktemp("paper")
    led, fill = build_paper_ledger(base / "ledger.sqlite3", PLAN, CONTACTS)
    out = {"fill": fill, "dir": base}
    out["summary"] = write_summary(led, PERIOD, base / "汇总表.xlsx", today=TODAY)
    out["livelihood"] = write_livelihood(led, PERIOD, base / "民生实事.xlsx", today=TODAY)
    from core.reports.brief import write_brief
    out["brief"] = write_brief(led, PERIOD, base / "区长简报.docx", today=TODAY)
    for key in ("summary", "livelihood", "brief"):
        out[key]["pdf"] = to_pdf(Path(out[key]["path"]), base)
    with led.read() as conn:
        from sqlalchemy import text
        out["tasks"] = {k: [r[0] for r in conn.execute(text(
            "SELECT text FROM task WHERE kind = :k AND active = TRUE ORDER BY seq"), {"k": k})] for k in ("key", "livelihood")}
        out["names"] = {r[0]: r[1] for r in conn.execute(text("SELECT id, name FROM unit"))}
    out["path"] = base / "ledger.sqlite3"
    led.close()
    return out


def _table_pages(pdf) -> list[str]:
    return [p for p in page_texts(pdf) if "下一步计划" in p]  # the chart page has no table header


def test_filler_is_at_real_lengths(paper):
    texts = paper["fill"]["texts"]["key"]
    done = texts[1::4]
    assert len(done) > 200  # 233 key rows less those of the 3 units missing in April
    assert min(map(len, done)) >= 120 and max(map(len, done)) <= 380
    assert all(t.startswith("一是") and "二是" in t for t in done)
    assert min(map(len, texts[2::4])) >= 40 and max(map(len, texts[2::4])) <= 120


def test_summary_at_9pt_fits_75_pages_at_1500_characters_a_page(paper):
    """April at real lengths, body 9 pt: 67 pages measured (53 at 8 pt); a reader's bound of 75 with room to spare."""
    from openpyxl import load_workbook
    m = measure(paper["summary"]["pdf"])
    assert m["pages"] == paper["summary"]["pages"]  # LibreOffice added no break of its own
    assert m["pages"] <= 75, m["pages"]
    ws = load_workbook(paper["summary"]["path"]).worksheets[0]
    assert min(float(c.font.sz) for row in ws.iter_rows(min_row=4) for c in row if isinstance(c.value, str)) >= 9
    assert m["median"] >= 1500, m["median"]


def test_summary_every_text_whole_and_nothing_cut(paper):
    pdf = paper["summary"]["pdf"]
    assert missing_texts(pdf, paper["fill"]["texts"]["key"]) == []
    assert missing_texts(pdf, paper["tasks"]["key"]) == []
    whole = "".join(page_texts(pdf))
    assert not any(c in whole for c in CUTS)


def test_summary_pages_are_full_and_continued_once(paper):
    """Every table page carries the header row; none is mostly empty but the last; at most one （续） a page."""
    pages = _table_pages(paper["summary"]["pdf"])
    counts = [len(squash(p)) for p in pages]
    median = statistics.median(counts)
    assert all(c >= 0.5 * median for c in counts[:-1]), counts
    assert all(p.count("（续）") <= 2 for p in pages)  # a task continued, and at most one unit row continued
    assert sum(p.count("（续）") for p in pages) <= len(pages) + 5


def test_summary_columns_sized_by_what_they_hold(paper):
    w = paper["summary"]["widths"]
    assert w["done"] == max(w.values())
    assert w["problems"] < w["done"] and w["next_steps"] < w["done"]
    assert w["quarter_target"] >= min(w[f] for f in ("seq", "on_track", "light"))


def test_livelihood_fits_10_pages_whole(paper):
    pdf = paper["livelihood"]["pdf"]
    m = measure(pdf)
    assert m["pages"] == paper["livelihood"]["pages"] and m["pages"] <= 10, m["pages"]
    assert missing_texts(pdf, paper["fill"]["texts"]["livelihood"]) == []
    assert missing_texts(pdf, paper["tasks"]["livelihood"]) == []
    assert not any(c in "".join(page_texts(pdf)) for c in CUTS)


def _is_clause_run(short: str, source: str) -> bool:
    """`short` (its closing mark aside) is the source's first clauses, ending where a clause ends."""
    stem = short.rstrip("。；，")
    rest = source.strip()[len(stem):]
    return source.strip().startswith(stem) and (not rest or rest[0] in "。；，！？")


def test_brief_at_most_8_pages_red_and_yellow_first(paper):
    pdf = paper["brief"]["pdf"]
    m = measure(pdf)
    assert m["pages"] <= 8, m["pages"]
    text = squash("".join(page_texts(pdf)))
    order = [text.index(squash(h)) for h in ("一、总体情况", "二、红灯任务", "三、黄灯任务", "四、迟报和未报单位")]
    assert order == sorted(order)
    assert paper["brief"]["red"] >= 5 and paper["brief"]["yellow"] >= 10  # the filler leaves tasks behind
    figures = text[order[0]:order[1]]
    # 61 reporting units (the two collective entries report through their members, never counted as 已报)
    assert "已报送58个" in figures and "逾期报送4个" in figures and "逾期未报3个" in figures
    assert all(f"{k}灯" in figures for k in "红黄绿蓝")
    late_part = text[order[3]:]
    for period_units in (paper["fill"]["late"][4], paper["fill"]["missing"][4]):
        for uid in period_units:
            assert squash(paper["names"][uid]) in late_part


def test_brief_never_cuts_a_sentence(paper):
    from core.reports.brief import item_text
    pdf = paper["brief"]["pdf"]
    whole = norm("".join(page_texts(pdf)))
    assert not any(c in whole for c in CUTS)
    items = [i for c in ("red", "yellow") for i in paper["brief"]["items"][c]]
    tasks = {t[:len(i["task"])]: t for i in items for t in paper["tasks"][i["kind"]] if t.startswith(i["task"])}
    for i in items:
        assert norm(item_text(1, i)[2:]) in whole
        assert _is_clause_run(i["task"], tasks[i["task"]]), i["task"]
        if i["why"]:
            assert _is_clause_run(i["why"], i["source_problems"]), (i["why"], i["source_problems"])
            assert any(b.startswith(i["why_unit"]) for b in i["behind"]), i  # the why belongs to a unit the line names
    assert sum(bool(i["why"]) for i in items) >= len(items) // 2  # why, from 存在问题


def test_brief_items_in_one_or_two_lines(paper):
    """As printed: three in four tasks take one or two lines; the worst ones (listed first, capped at 10 a list) keep
    their reason and its 存在问题 and may take three."""
    from tests.helpers.paper import item_line_counts
    lines = item_line_counts(paper["brief"]["pdf"])
    assert len(lines) == paper["brief"]["red"] + paper["brief"]["yellow"]
    assert sum(n <= 2 for n in lines) >= 0.75 * len(lines), sorted(lines)
    assert max(lines) <= 3, sorted(lines)


def test_brief_from_the_command_line(paper, tmp_path, capsys):
    import json

    import app
    out = tmp_path / "简报.docx"
    assert app.main(["--ledger", str(paper["path"]), "summary", "--brief", "--period", PERIOD, "--out", str(out),
                     "--today", TODAY.isoformat(), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert out.exists() and result["red"] == paper["brief"]["red"]
    assert app.main(["--ledger", str(paper["path"]), "summary", "--brief", "--period", PERIOD,
                     "--out", str(tmp_path / "简报.xlsx")]) == 2
    assert ".docx" in capsys.readouterr().err
