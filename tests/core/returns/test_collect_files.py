"""收文 inputs: LibreOffice re-saves (.xlsx/.xls/.ods), lying extensions, merged cells, zip (GBK names), .eml, hostile files."""
from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from core.ledger import file_store
from core.ledger import schema
from core.returns.collect import collect
from core.returns.merge import merge
from core.ledger.progress_view import progress_rows
from tests.helpers import returns as rh
from tests.helpers.returns import PERIOD, answers_for, ledger_content

UNITS = ["区发展改革局", "区民政局", "区商务局"]


@pytest.fixture
def filled(ledger_2026, tmp_path):
    forms = rh.generate_forms(ledger_2026, "report", PERIOD, tmp_path / "out", unit_names=UNITS)
    out = []
    for f in forms:
        src = Path(f["path"])
        out.append((f, rh.fill(src, tmp_path / "filled" / f"{f['unit']}-3月.xlsx", answers_for(src, f["unit"]))
                    if (tmp_path / "filled").mkdir(exist_ok=True) or True else None))
    return out


def expected_done(forms_filled) -> dict:
    return {f["unit"]: len(rh.row_keys(Path(f["path"]))) for f, _ in forms_filled}


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_libreoffice_resaved_returns_are_recovered(ledger_2026, filled, tmp_path, fmt):
    files = rh.soffice_convert([p for _, p in filled], fmt, tmp_path / fmt)
    # one of them also renamed with a lying extension, one with its sheet renamed before re-saving
    lying = files[0].with_name("回复" + ("_xls.xlsx" if fmt != "xlsx" else ".xls"))
    files[0].rename(lying)
    files[0] = lying
    results = collect(ledger_2026, files)
    assert [r["status"] for r in results] == ["staged"] * 3, results
    assert sorted(r["unit"] for r in results) == sorted(UNITS)
    with ledger_2026.read() as conn:
        carriers = [r.identified_by for r in conn.execute(select(schema.submission.c.identified_by))]
    assert all("隐藏标识页" in c and "隐藏键列" in c for c in carriers), carriers
    merge(ledger_2026, accept_all=True)
    rows = progress_rows(ledger_2026, PERIOD)
    counts = expected_done(filled)
    for f, _ in filled:
        unit = f["unit"]
        mine = [r for r in rows if r["unit"] == unit]
        assert len(mine) == counts[unit]
        # every entered value comes back exactly (multi-line text, 是/否 variants kept raw)
        entered = sorted((a["done"].replace("\r\n", "\n").replace("_x000D_\n", "\n"), a["problems"], a["next_steps"],
                          a["on_track"]) for a in answers_for(Path(f["path"]), unit).values())
        got = sorted((r["done"], r["problems"], r["next_steps"], r["on_track_raw"]) for r in mine)
        assert got == entered


def test_merged_answer_cells_and_renamed_sheet(ledger_2026, filled, tmp_path):
    f, path = filled[0]
    merged = rh.edit_rows(path, tmp_path / "m.xlsx", merge_answer=(0, 1), merge_field="problems",
                          rename_sheet="报送")
    [res] = collect(ledger_2026, [merged])
    assert res["status"] == "staged"
    merge(ledger_2026, accept_all=True)
    rows = [r for r in progress_rows(ledger_2026, PERIOD) if r["unit"] == f["unit"]]
    keys = rh.row_keys(Path(f["path"]))
    # the top-left text of a merged range belongs to every row it covers
    first_two = answers_for(Path(f["path"]), f["unit"])[keys[0]]["problems"]
    assert sum(1 for r in rows if r["problems"] == first_two) >= 2


def test_windows_zip_with_gbk_names_and_eml(ledger_2026, filled, tmp_path):
    z = rh.windows_zip([p for _, p in filled[:2]], tmp_path / "三月报送.zip")
    e = rh.eml_with([filled[2][1]], tmp_path / "来信.eml", date="Fri, 03 Apr 2026 09:15:00 +0800")
    results = collect(ledger_2026, [z, e])
    assert [r["status"] for r in results] == ["staged"] * 3
    assert any(filled[0][1].name in r["path"] for r in results), results   # the GBK name decoded
    with ledger_2026.read() as conn:
        subs = {r.file_name: r for r in conn.execute(select(schema.submission))}
    assert subs[filled[2][1].name].received_at.date() == datetime(2026, 4, 3).date()
    assert subs[filled[0][1].name].received_at == datetime(2026, 4, 3, 9, 30)


def test_folder_input(ledger_2026, filled, tmp_path):
    folder = tmp_path / "收件"
    folder.mkdir()
    for _, p in filled:
        shutil.copy(p, folder / p.name)
    (folder / "~$临时.xlsx").write_bytes(b"lock")
    results = collect(ledger_2026, [folder])
    assert len(results) == 3 and {r["status"] for r in results} == {"staged"}


def hostile_files(ledger, filled, tmp_path) -> dict[str, Path]:
    good = filled[0][1]
    d = tmp_path / "hostile"
    d.mkdir()
    return {
        "truncated": rh.truncated(good, d / "截断.xlsx"),
        "encrypted": rh.encrypted(d / "加密.xlsx"),
        "empty": rh.empty(d / "空.xlsx"),
        "macro": rh.with_macro(good, d / "宏.xlsm"),
        "zipbomb": rh.zip_bomb(d / "炸弹.xlsx"),
        "entities": rh.entity_bomb(good, d / "实体.xlsx"),
        "other-year": rh.restamp(good, d / "去年.xlsx", year=2025, period="2025-03"),
        "unknown-unit": rh.restamp(good, d / "无此单位.xlsx", unit_id=9999, unit_name="区不存在局"),
        "not-a-form": _docx_like(d / "随便.xlsx"),
        "other-campaign": rh.rekey(good, d / "别的批次.xlsx"),
    }


def _docx_like(path: Path) -> Path:
    import xlsxwriter
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet().write(0, 0, "这不是报表")
    wb.close()
    return path


def test_hostile_files_rejected_and_ledger_unchanged(ledger_2026, filled, tmp_path):
    files = hostile_files(ledger_2026, filled, tmp_path)
    before = ledger_content(ledger_2026)
    results = collect(ledger_2026, list(files.values()))
    by_name = dict(zip(files, results, strict=True))
    for name, res in by_name.items():
        assert res["status"] == "rejected", (name, res)
        assert res["message"] and any("\u4e00" <= ch <= "\u9fff" for ch in res["message"]), (name, res)
    assert "密码" in by_name["encrypted"]["message"]
    assert "宏" in by_name["macro"]["message"]
    assert "炸弹" in by_name["zipbomb"]["message"]
    assert "实体" in by_name["entities"]["message"] or "XML" in by_name["entities"]["message"]
    assert "2025" in by_name["other-year"]["message"]
    assert "不存在" in by_name["unknown-unit"]["message"]
    assert "空文件" in by_name["empty"]["message"]
    assert "不属于" in by_name["other-campaign"]["message"]
    merge(ledger_2026, accept_all=True)
    assert ledger_content(ledger_2026) == before
    from core.returns.review import quarantine
    kept = quarantine(ledger_2026)
    assert len(kept) == len(files)
    for sub in kept:
        assert file_store.verify(ledger_2026, sub["file_hash"]), sub["file_name"]
    # collecting the hostile files again stores nothing new
    again = collect(ledger_2026, list(files.values()))
    assert {r["status"] for r in again} == {"duplicate"}
    assert len(quarantine(ledger_2026)) == len(files)


def test_broken_zip_archive_rejected(ledger_2026, filled, tmp_path):
    z = rh.windows_zip([p for _, p in filled[:1]], tmp_path / "包.zip")
    broken = rh.truncated(z, tmp_path / "坏包.zip")
    [res] = collect(ledger_2026, [broken])
    assert res["status"] == "rejected" and "损坏" in res["message"]


def test_stripped_file_proposal_from_file_name(ledger_2026, filled, tmp_path):
    import openpyxl
    f, path = filled[1]
    bare = rh.strip_stamp(path, tmp_path / "x.xlsx")
    wb = openpyxl.load_workbook(bare)
    ws = wb.active
    for row in ws.iter_rows(max_row=3):
        for cell in row:
            if cell.value and ("填报单位" in str(cell.value) or "月" in str(cell.value)):
                cell.value = None
    named = tmp_path / f"{f['unit']}3月份报表.xlsx"
    wb.save(named)
    [res] = collect(ledger_2026, [named])
    assert res["status"] == "needs-confirmation"
    assert res["unit"] == f["unit"] and res["period"] == PERIOD
    assert "文件名" in res["message"]
