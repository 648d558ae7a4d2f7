"""Benchmark: pages and median characters a page of the summary, 民生实事 table and 区长 brief at real lengths (--images: docs/paper-*.png)."""
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
IMAGE_NAMES = {"汇总表": "summary", "民生实事": "livelihood", "区长简报": "brief"}


def documents(led, base: Path) -> dict:
    """{name: written file} for the April round."""
    from core.reports.livelihood_xlsx import write_livelihood
    from core.reports.summary_xlsx import write_summary
    from tests.helpers.paper import PERIOD, TODAY
    out = {"汇总表": write_summary(led, PERIOD, base / "汇总表.xlsx", today=TODAY, charts=False)["path"],
           "民生实事": write_livelihood(led, PERIOD, base / "民生实事.xlsx", today=TODAY, charts=False)["path"]}
    try:
        from core.reports.brief import write_brief
    except ImportError:
        return out
    out["区长简报"] = write_brief(led, PERIOD, base / "区长简报.docx", today=TODAY)["path"]
    return out


def main() -> None:
    from tests.helpers.paper import build_paper_ledger, measure, to_pdf
    base = Path(tempfile.mkdtemp(prefix="bench-paper-"))
    keep, images = "--keep" in sys.argv, "--images" in sys.argv
    try:
        led, _fill = build_paper_ledger(base / "ledger.sqlite3", PLAN, CONTACTS)
        for name, path in documents(led, base).items():
            t = time.perf_counter()
            pdf = to_pdf(Path(path), base)
            m = measure(pdf)
            if images:  # the first page, small, for docs/
                import subprocess
                png = ROOT / "docs" / f"paper-{IMAGE_NAMES[name]}"
                subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-singlefile", "-png", str(pdf),
                                str(png)], check=True, timeout=120)
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
