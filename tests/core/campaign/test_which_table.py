"""Which table is which: 附件2 headed “12100”民生工程 or 为民办20件实事, in .xlsx/.docx/.ods/.xls/text; disagreeing
evidence is named in the preview and the clerk can swap the two tables."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.helpers.year_tables import load_expected, write_docx, write_xlsx

TITLES_2021 = ("2021年《政府工作报告》重点任务责任分解立项表", "2021年“12100”民生工程责任分解表")


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "app.py"), *args], capture_output=True, text=True,
                          timeout=180, cwd=ROOT)


def _kinds(tmp_path, src, *extra) -> dict:
    res = cli("--ledger", str(tmp_path / "L.sqlite3"), "import-plan", str(src), "--dry-run", "--json", *extra)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


@pytest.mark.parametrize("header", ["“12100”民生工程", "为民办20件实事"])
def test_xlsx_livelihood_header_in_the_years_own_words(tmp_path, header):
    data = load_expected(2025)
    src = write_xlsx(data, tmp_path / "立项表.xlsx", live_header=header, titles=TITLES_2021)
    res = cli("--ledger", str(tmp_path / "L.sqlite3"), "import-plan", str(src))
    assert res.returncode == 0, res.stderr
    print(res.stdout)
    assert "共 129 项；新增 129" in res.stdout
    assert "表格：工作表“附件1”（109 项）读作重点任务表，依据：工作表名、表格上方标题、表头、列、表格顺序" in res.stdout
    assert "表格：工作表“附件2”（20 项）读作民生实事表，依据：工作表名、表格上方标题、表头、表格顺序" in res.stdout
    tasks = json.loads(cli("--ledger", str(tmp_path / "L.sqlite3"), "tasks", "--json").stdout)
    live = [t for t in tasks if t["kind"] == "livelihood"]
    assert [t["text"] for t in live] == [p["text"] for p in data["projects"]]
    assert sum(t["kind"] == "key" for t in tasks) == 109


def test_docx_text_ods_and_xls_with_the_2021_words(tmp_path):
    data = load_expected(2025)
    docx_file = write_docx(data, tmp_path / "立项表.docx", live_header="“12100”民生工程", titles=TITLES_2021)
    xlsx = write_xlsx(data, tmp_path / "立项表.xlsx", live_header="“12100”民生工程", titles=TITLES_2021)
    profile = f"file://{tmp_path}/lo-profile"
    for fmt in ("ods", "xls"):
        subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt,
                        "--outdir", str(tmp_path / fmt), str(xlsx)], check=True, capture_output=True, timeout=180,
                       env={**os.environ, "HOME": str(tmp_path)})
    text = tmp_path / "立项表.txt"
    lines = ["附件1", TITLES_2021[0], "序号\t类别\t重点任务\t牵头领导\t责任单位"]
    lines += ["\t".join([str(t["seq"]), t["category"], t["text"], "、".join(t["leaders"]),
                         "、".join(("*" if u["lead"] else "") + u["name"] for u in t["units"])]) for t in data["tasks"]]
    lines += ["附件2", TITLES_2021[1], "序号\t“12100”民生工程\t牵头领导\t责任单位"]
    lines += ["\t".join([str(p["seq"]), p["text"], "、".join(p["leaders"]),
                         "、".join(("*" if u["lead"] else "") + u["name"] for u in p["units"])]) for p in data["projects"]]
    text.write_text("\n".join(lines), encoding="utf-8")
    for src in (docx_file, tmp_path / "ods" / "立项表.ods", tmp_path / "xls" / "立项表.xls", text):
        out = _kinds(tmp_path, src)
        assert [(t["kind"], t["tasks"]) for t in out["tables"]] == [("key", 109), ("livelihood", 20)], src.suffix
        assert all(not t["against"] for t in out["tables"]), (src.suffix, out["tables"])
        assert out["added"][-1] == {"kind": "livelihood", "seq": 20, "text": data["projects"][-1]["text"]}


def test_disagreeing_evidence_is_named_and_swap_reads_the_other_way(tmp_path):
    """Sheets named the wrong way round: titles, headers and columns win, and the preview says the names disagree."""
    data = load_expected(2023)
    src = write_xlsx(data, tmp_path / "立项表.xlsx", sheets=("附件2", "附件1"))
    out = _kinds(tmp_path, src)
    assert [(t["kind"], t["tasks"]) for t in out["tables"]] == [("key", 110), ("livelihood", 20)]
    assert out["tables"][0]["against"] == ["工作表名“附件2”→民生实事"]
    warning = next(w for w in out["warnings"] if "依据不一致" in w)
    assert warning.startswith("工作表“附件2”（110 项）读作重点任务表") and "对调两表" in warning
    swapped = _kinds(tmp_path, src, "--swap-tables")
    assert [(t["kind"], t["tasks"], t["swapped"]) for t in swapped["tables"]] == [
        ("livelihood", 110, True), ("key", 20, True)]
    assert not any("依据不一致" in w for w in swapped["warnings"])


def test_two_tables_read_as_one_kind_say_so(tmp_path):
    """No title, no sheet name, both headers in key words: the refusal names the two tables it read as 重点任务."""
    import openpyxl
    data = load_expected(2025)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "主要任务", "牵头领导", "责任单位"])
    for t in data["tasks"][:5]:
        ws.append([t["seq"], t["text"], "、".join(t["leaders"]), "、".join(u["name"] for u in t["units"])])
    ws2 = wb.create_sheet("Sheet2")
    ws2.append(["序号", "工作任务", "牵头领导", "责任单位"])
    for p in data["projects"][:3]:
        ws2.append([p["seq"], p["text"], "、".join(p["leaders"]), "、".join(u["name"] for u in p["units"])])
    src = tmp_path / "两张表.xlsx"
    wb.save(src)
    res = cli("--ledger", str(tmp_path / "L.sqlite3"), "import-plan", str(src))
    assert res.returncode != 0
    assert "重点任务的序号重复：1、2、3（工作表“Sheet”、工作表“Sheet2”都读作了重点任务表" in res.stderr + res.stdout
    assert not (tmp_path / "L.sqlite3").exists() or "2025" not in cli("--ledger", str(tmp_path / "L.sqlite3"), "tasks").stdout


def test_docx_titles_inside_the_tables_outweigh_a_key_word_header(tmp_path):
    """Word tables whose first row is the merged title; 附件2's text column headed 工作任务 (a key-task word):
    the title (民生工程) and the order win, and the preview names the header that disagreed."""
    import docx
    data = load_expected(2025)
    document = docx.Document()
    for title, header, rows in ((TITLES_2021[0], "重点任务", data["tasks"][:6]),
                                (TITLES_2021[1], "工作任务", data["projects"][:4])):
        table = document.add_table(rows=2, cols=4)
        merged = table.cell(0, 0).merge(table.cell(0, 3))
        merged.text = title
        for cell, label in zip(table.rows[1].cells, ("序号", header, "牵头领导", "责任单位"), strict=True):
            cell.text = label
        for r in rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = str(r["seq"]), r["text"], "、".join(r["leaders"])
            p = cells[3].paragraphs[0]
            for k, u in enumerate(r["units"]):
                if k:
                    p.add_run("、")
                p.add_run(u["name"]).bold = u["lead"]
        document.add_paragraph("")
    src = tmp_path / "表内标题.docx"
    document.save(src)
    out = _kinds(tmp_path, src)
    assert [(t["kind"], t["tasks"]) for t in out["tables"]] == [("key", 6), ("livelihood", 4)]
    assert out["year"] == 2021
    assert out["tables"][1]["against"] == ["表头“工作任务”→重点任务"]
    assert "表格上方标题“2021年“12100”民生工程责任分解表”→民生实事" in out["tables"][1]["evidence"]
