"""Benchmark: pages and median characters per page of the summary, the 民生实事 table and the 区长 brief at real entry lengths."""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PLAN = ROOT / "resources" / "demo" / "2026-立项表.docx"
CONTACTS = ROOT / "resources" / "demo" / "2026-单位通讯录.xlsx"


def documents(led, base: Path) -> dict:
    """{name: written file} for the April round."""
    from core.reports.livelihood_xlsx import write_livelihood
    from core.reports.summary_xlsx import write_summary
    from tests.paper_helpers import PERIOD, TODAY
    out = {"汇总表": write_summary(led, PERIOD, base / "汇总表.xlsx", today=TODAY, charts=False)["path"],
           "民生实事": write_livelihood(led, PERIOD, base / "民生实事.xlsx", today=TODAY, charts=False)["path"]}
    try:
        from core.reports.brief import write_brief
    except ImportError:
        return out
    out["区长简报"] = write_brief(led, PERIOD, base / "区长简报.docx", today=TODAY)["path"]
    return out


def main() -> None:
    from tests.paper_helpers import build_paper_ledger, measure, to_pdf
    base = Path(tempfile.mkdtemp(prefix="bench-paper-"))
    keep = "--keep" in sys.argv
    try:
        led, _fill = build_paper_ledger(base / "ledger.sqlite3", PLAN, CONTACTS)
        for name, path in documents(led, base).items():
            t = time.perf_counter()
            m = measure(to_pdf(Path(path), base))
            print(f"{name}: {m['pages']} pages, median {m['median']:.0f} characters a page "
                  f"(min {min(m['counts'])}, LibreOffice {time.perf_counter() - t:.1f} s)")
        led.close()
    finally:
        if keep:
            print(f"kept: {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
