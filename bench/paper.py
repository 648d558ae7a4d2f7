"""Benchmark: pages, body size, median and least characters a page of every document at real lengths (April round, a bad
quarter, the demo year); --images: docs/paper-*.png (the April round's first pages; with --ledger bad the bulletin's first and
problems pages and the brief's first page); --ledger april|bad|demo (default april)."""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PLAN = ROOT / "resources" / "demo" / "2026-立项表.docx"
CONTACTS = ROOT / "resources" / "demo" / "2026-单位通讯录.xlsx"
IMAGE_NAMES = {"汇总表": "summary", "民生实事": "livelihood", "区长简报": "brief"}
DEMO_TODAY = date(2026, 12, 5)


def documents(led, base: Path, period: str, today: date, quarter: str | None = None) -> dict:
    """{name: written file} for `period` (and the quarter's bulletin and leader pages when `quarter` is given)."""
    from core.reports.brief import write_brief
    from core.reports.livelihood_xlsx import write_livelihood
    from core.reports.summary_xlsx import write_summary
    out = {"汇总表": write_summary(led, period, base / "汇总表.xlsx", today=today, charts=False)["path"],
           "民生实事": write_livelihood(led, period, base / "民生实事.xlsx", today=today, charts=False)["path"],
           "区长简报": write_brief(led, period, base / "区长简报.docx", today=today)["path"]}
    if quarter:
        from core.reports.bulletin_docx import write_bulletin
        from core.reports.leader_pages import write_leader_pages
        out["季度通报"] = write_bulletin(led, quarter, base / "季度通报.docx", today=today)["path"]
        out["领导页"] = write_leader_pages(led, period, base / "领导页.docx", today=today)["path"]
        from core.reports.notices import write_livelihood_notice
        out["民生实事通报"] = write_livelihood_notice(led, period, base / "民生实事通报.docx", today=today)["path"]
    return out


def _png(pdf: Path, page: int, name: str, dpi: int) -> None:
    import subprocess
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", "-png", str(pdf),
                    str(ROOT / "docs" / name)], check=True, timeout=120)


def _problems_page(pdf: Path, pages: int) -> int:
    """The page of the bulletin where “三、存在的主要问题” starts."""
    import subprocess
    for page in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                              capture_output=True, text=True, timeout=120).stdout
        if "三、存在的主要问题" in text:
            return page
    raise SystemExit("the bulletin has no problems section")


BAD_IMAGES = {   # --ledger bad --images: docs/paper-bad-quarter-*.png
    "季度通报": lambda pdf, pages: [(1, "paper-bad-quarter-bulletin-p1"),
                                 (_problems_page(pdf, pages), "paper-bad-quarter-bulletin-problems")],
    "区长简报": lambda pdf, pages: [(1, "paper-bad-quarter-brief-p1")],
}


def body_pt(path: Path) -> float:
    """The size most characters of the file are set in (docx runs, or xlsx cells)."""
    sizes: Counter = Counter()
    if path.suffix == ".docx":
        from docx import Document
        doc = Document(str(path))
        default = doc.styles["Normal"].font.size
        paras = list(doc.paragraphs) + [p for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
        for p in paras:
            for r in p.runs:
                size = r.font.size or p.style.font.size or default
                if size is not None and r.text.strip():
                    sizes[size.pt] += len(r.text)
    else:
        from openpyxl import load_workbook
        ws = load_workbook(str(path)).worksheets[0]
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.font is not None and c.font.sz:
                    sizes[float(c.font.sz)] += len(c.value)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def build(kind: str, base: Path):
    """(ledger, period, today, quarter) for april | bad | demo."""
    if kind == "bad":
        from tests.helpers.paper_bad import TODAY, build_bad_ledger
        led, _info = build_bad_ledger(base / "ledger.sqlite3", PLAN, CONTACTS)
        return led, "2026-06", TODAY, "2026Q2"
    if kind == "demo":
        from core.demo import build as build_demo
        from core.ledger.store import Ledger
        cached = Path(tempfile.gettempdir()) / "bench-paper-demo" / "demo.sqlite3"
        if not cached.exists():
            build_demo(cached)
        return Ledger(cached), "2026-09", DEMO_TODAY, "2026Q3"
    from tests.helpers.paper import PERIOD, TODAY, build_paper_ledger
    led, _fill = build_paper_ledger(base / "ledger.sqlite3", PLAN, CONTACTS)
    return led, PERIOD, TODAY, None


def main() -> None:
    from tests.helpers.paper import measure, to_pdf
    base = Path(tempfile.mkdtemp(prefix="bench-paper-"))
    keep, images = "--keep" in sys.argv, "--images" in sys.argv
    kind = sys.argv[sys.argv.index("--ledger") + 1] if "--ledger" in sys.argv else "april"
    try:
        led, period, today, quarter = build(kind, base)
        print(f"{kind}: {period}, today {today}")
        print("| document | pages | body pt | median chars/page | least-filled page |")
        print("|---|---|---|---|---|")
        for name, path in documents(led, base, period, today, quarter).items():
            t = time.perf_counter()
            pdf = to_pdf(Path(path), base)
            m = measure(pdf)
            if images and kind == "april" and name in IMAGE_NAMES:  # the first page, small, for docs/
                _png(pdf, 1, f"paper-{IMAGE_NAMES[name]}", 50)
            if images and kind == "bad" and name in BAD_IMAGES:   # the bad quarter's pages a reader looks at first
                for page, png in BAD_IMAGES[name](pdf, m["pages"]):
                    _png(pdf, page, png, 60)
            least = min(range(len(m["counts"])), key=m["counts"].__getitem__)
            print(f"| {name} | {m['pages']} | {body_pt(Path(path)):g} | {m['median']:.0f} | "
                  f"p.{least + 1}: {m['counts'][least]} chars | ({time.perf_counter() - t:.1f} s)")
        led.close()
    finally:
        if keep:
            print(f"kept: {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
