"""Paper at real entry lengths: the 汇总表, 民生实事 table and 区长 brief through LibreOffice, with page, density and whole-text checks."""
from __future__ import annotations

import shutil
import statistics
from pathlib import Path

import pytest

from tests.paper_helpers import PERIOD, TODAY, build_paper_ledger, measure, missing_texts, page_texts, squash, to_pdf

ROOT = Path(__file__).resolve().parents[3]
PLAN = ROOT / "resources" / "demo" / "2026-立项表.docx"
CONTACTS = ROOT / "resources" / "demo" / "2026-单位通讯录.xlsx"
pytestmark = pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftotext"),
                                reason="LibreOffice and poppler-utils are needed to measure the printed pages")
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
    for key in ("summary", "livelihood"):
        out[key]["pdf"] = to_pdf(Path(out[key]["path"]), base)
    with led.read() as conn:
        from sqlalchemy import text
        out["tasks"] = {k: [r[0] for r in conn.execute(text(
            "SELECT text FROM task WHERE kind = :k AND active = 1 ORDER BY seq"), {"k": k})] for k in ("key", "livelihood")}
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
    assert 40 <= min(map(len, texts[2::4])) and max(map(len, texts[2::4])) <= 120


def test_summary_fits_60_pages_at_1500_characters_a_page(paper):
    m = measure(paper["summary"]["pdf"])
    assert m["pages"] == paper["summary"]["pages"]  # LibreOffice added no break of its own
    assert m["pages"] <= 60, m["pages"]
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
