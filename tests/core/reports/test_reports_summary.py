"""The monthly summary and 民生实事 table: each task once, print setup, row heights vs the width model, PDF pages, no clipping."""
from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from datetime import date

import pytest

from core.office.cjk_layout import lines_at, row_pt
from core.reports.summary_xlsx import BODY_PT
from tests.helpers.reports import drive

TODAY = date(2026, 5, 1)
needs_soffice = pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftoppm"),
                                   reason="LibreOffice and poppler-utils are needed for the PDF round trip")


@pytest.fixture(scope="module")
def summary_files(tmp_path_factory, ledger_2026_template):
    """One driven ledger and its summary + 民生实事 table, shared by the tests of this module (LibreOffice is slow)."""
    from core.ledger.store import Ledger
    from core.reports.livelihood_xlsx import write_livelihood
    from core.reports.summary_xlsx import write_summary
    base = tmp_path_factory.mktemp("summary")
    path = base / "ledger.sqlite3"
    shutil.copyfile(ledger_2026_template, path)
    ledger = Ledger(path)
    drive(ledger)
    out = {"summary": write_summary(ledger, "2026-03", base / "汇总表.xlsx", today=TODAY),
           "livelihood": write_livelihood(ledger, "2026-03", base / "民生实事.xlsx", today=TODAY)}
    with ledger.read() as conn:
        from sqlalchemy import text
        out["tasks"] = {k: [r[0] for r in conn.execute(text(
            "SELECT text FROM task WHERE kind = :k AND active = TRUE ORDER BY seq"), {"k": k})] for k in ("key", "livelihood")}
    ledger.close()
    out["dir"] = base
    return out


def read_rows(path) -> list[list[str]]:
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(str(path))
    return [[str(c) for c in row] for row in wb.get_sheet_by_name(wb.sheet_names[0]).to_python()]


@pytest.mark.parametrize("kind", ["key", "livelihood"])
def test_every_task_appears_exactly_once(summary_files, kind):
    result = summary_files["summary" if kind == "key" else "livelihood"]
    rows = read_rows(result["path"])
    printed: list[str] = []   # each task's text, read on from its first cell into the （续） cells of the next pages
    for r in rows[3:]:
        if r[1].startswith("（续）"):
            printed[-1] += r[1].removeprefix("（续）")
        elif r[1]:
            printed.append(r[1])
    column = Counter(printed)
    for text in summary_files["tasks"][kind]:
        assert column[text] == 1, text[:20]
    assert result["tasks"] == len(summary_files["tasks"][kind])
    assert rows[0][0] == ("2026年3月《政府工作报告》重点任务落实情况汇总表" if kind == "key"
                          else "2026年3月民生实事项目进展情况表")
    assert rows[2][:3] == ["序号", "重点任务" if kind == "key" else "民生实事项目", "责任单位"]


def test_print_setup_and_unit_text_is_never_a_formula(summary_files):
    from openpyxl import load_workbook
    wb = load_workbook(summary_files["summary"]["path"])
    ws = wb["汇总表"]
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    # fitToWidth 1 is the default, so XlsxWriter leaves it out
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$3:$3"
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    formulas = [c for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert not formulas
    starts_eq = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert starts_eq and all(c.data_type == "s" for c in starts_eq)  # the drive makes one unit write “=…”
    fonts = {c.font.name for row in ws.iter_rows(min_row=4) for c in row if c.value}
    assert fonts <= {"仿宋_GB2312", "黑体"}


def test_row_heights_hold_the_longest_cell(summary_files):
    """Each data row is at least as tall as its longest cell needs (the print model at the body size).

    Merged cells are measured over their rows."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
    ws = load_workbook(summary_files["summary"]["path"])["汇总表"]
    widths = {c: round(ws.column_dimensions[get_column_letter(c)].width - 0.71) for c in range(1, ws.max_column + 1)}
    height = {r: ws.row_dimensions[r].height for r in range(1, ws.max_row + 1)}
    merged = {}
    for rng in ws.merged_cells.ranges:
        merged[(rng.min_row, rng.min_col)] = rng
    covered = {(r, c) for rng in ws.merged_cells.ranges for r in range(rng.min_row, rng.max_row + 1)
               for c in range(rng.min_col, rng.max_col + 1)}
    checked = 0
    for row in ws.iter_rows(min_row=4):
        for cell in row:
            if not isinstance(cell.value, str) or not cell.value:
                continue
            rng = merged.get((cell.row, cell.column))
            if rng is not None:
                if rng.min_col != rng.max_col:
                    continue  # a 重点领域 header across the table: one line
                need = row_pt(lines_at(cell.value, widths[cell.column], BODY_PT), BODY_PT)
                have = sum(height[r] for r in range(rng.min_row, rng.max_row + 1))
            else:
                assert (cell.row, cell.column) not in covered
                need = row_pt(lines_at(cell.value, widths[cell.column], BODY_PT), BODY_PT)
                have = height[cell.row]
            assert have is not None and have + 0.01 >= need, (cell.coordinate, cell.value[:20], have, need)
            checked += 1
    assert checked > 500


@needs_soffice
@pytest.mark.layout
def test_pdf_export_pages_and_nothing_clipped(summary_files, tmp_path):
    """LibreOffice renders exactly the planned pages (manual breaks from the height model), and all cell text reaches the PDF.

    Clipping itself is guarded by test_row_heights_hold_the_longest_cell: LibreOffice still writes clipped glyphs
    into the PDF's text layer, so the text check below only proves nothing was dropped or turned into ####."""
    path = summary_files["summary"]["path"]
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), path], check=True, capture_output=True, timeout=240)
    pdf = tmp_path / "汇总表.pdf"
    assert pdf.exists()
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(pdf), str(tmp_path / "p")], check=True, timeout=240)
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == summary_files["summary"]["pages"]
    # every character the cells hold appears at least as often in the PDF's text
    from openpyxl import load_workbook
    ws = load_workbook(path)["汇总表"]
    cells = Counter("".join(str(c.value) for row in ws.iter_rows(min_row=4) for c in row if c.value))
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, timeout=120).stdout.decode()
    drawn = Counter(text)
    short = {ch: (n, drawn[ch]) for ch, n in cells.items() if not ch.isspace() and drawn[ch] < n}
    assert not short


def test_a_cell_longer_than_a_page_continues_over_rows(ledger_2026, tmp_path):
    """3,000 characters in one 完成情况: continuation rows marked （续）, every row below Excel's 409 pt, nothing lost."""
    from openpyxl import load_workbook
    from sqlalchemy import text

    from core.reports.summary_xlsx import write_summary
    drive(ledger_2026, months=(3,))
    long = "一是" + "推进重点项目建设，完成投资12.5亿元；" * 150 + "\n二是完成。"
    with ledger_2026.begin() as conn:
        rid = conn.execute(text("SELECT p.id FROM progress_row p JOIN task t ON t.id = p.task_id "
                                "WHERE t.kind = 'key' AND t.seq = 3 ORDER BY p.id LIMIT 1")).scalar()
        conn.execute(text("UPDATE progress_row SET done = :d WHERE id = :i"), {"d": long, "i": rid})
    result = write_summary(ledger_2026, "2026-03", tmp_path / "s.xlsx", today=TODAY, charts=False)
    ws = load_workbook(result["path"])["汇总表"]
    assert max(ws.row_dimensions[r].height or 0 for r in range(1, ws.max_row + 1)) <= 409
    done_col = [c.value for c in ws["E"][3:] if isinstance(c.value, str) and c.value]
    joined = "".join(done_col)
    assert long.replace("\n", "") in joined.replace("\n", "")
    assert sum("（续）" in (c.value or "") for c in ws["C"]) >= 3


def _synthetic(targets: int, problems: int, task_len: int = 60) -> dict:
    rows = [{"name": f"单位{i}", "role": "lead" if i == 0 else "co", "quarter_target": "完成年度目标，" * (targets // 7),
             "done": "推进项目建设，" * 30, "problems": "资金不足，" * (problems // 5), "next_steps": "加快进度，" * 12,
             "on_track": "是"} for i in range(2)]
    tasks = [{"seq": k + 1, "text": "重点任务内容，" * (task_len // 7), "light": "green", "unit_rows": rows}
             for k in range(5)]
    return {"kind": "key", "groups": [{"area": "领域", "tasks": tasks}]}


def test_columns_follow_what_they_hold():
    """季度目标 holding the most text gets more room than 存在问题, and the reverse; a 600-character task still fits a page."""
    from core.office.cjk_layout import column_px
    from core.reports.summary_xlsx import KEY_COLUMNS, TABLE_PX, layout, plan_widths
    long_targets = plan_widths(_synthetic(targets=200, problems=20), KEY_COLUMNS)
    long_problems = plan_widths(_synthetic(targets=20, problems=200), KEY_COLUMNS)
    assert long_targets["quarter_target"] > long_targets["problems"]
    assert long_problems["problems"] > long_problems["quarter_target"]
    assert long_targets["done"] == max(long_targets.values())
    for w in (long_targets, long_problems):
        assert sum(column_px(v) for v in w.values()) <= TABLE_PX
    huge = _synthetic(targets=20, problems=20, task_len=600)
    widths = plan_widths(huge, KEY_COLUMNS)
    assert layout(huge, widths, KEY_COLUMNS)  # no block taller than a page
