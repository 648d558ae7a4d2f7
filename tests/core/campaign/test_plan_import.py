"""立项表 import: the 2026 Word table, the same as .xlsx and tab text, re-import, revised tables, bad files."""
from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from tests.conftest import EXPECTED_JSON, FIXTURE_DOCX, ROOT


def expected_tasks() -> list[dict]:
    data = json.loads(EXPECTED_JSON.read_text(encoding="utf-8"))
    out = []
    for kind, key in (("key", "tasks"), ("livelihood", "projects")):
        for t in data[key]:
            out.append({"kind": kind, "seq": t["seq"], "area": t.get("area", ""), "category": t.get("category", ""),
                        "text": t["text"], "leaders": t["leaders"], "units": t["units"]})
    return out


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "app.py"), *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


def assert_same_tasks(got: list[dict]) -> None:
    want = expected_tasks()
    assert len(got) == len(want) == 118
    assert sum(t["kind"] == "key" for t in got) == 98
    for g, w in zip(got, want, strict=True):
        for field in ("kind", "seq", "area", "category", "text", "leaders", "units"):
            assert g[field] == w[field], (w["kind"], w["seq"], field)


def test_cli_import_docx_gives_the_published_table(tmp_path):
    led = str(tmp_path / "L.sqlite3")
    res = cli("--ledger", led, "import-plan", str(FIXTURE_DOCX), "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["applied"]["added"] == 118
    res = cli("--ledger", led, "tasks", "--json")
    assert res.returncode == 0, res.stderr
    assert_same_tasks(json.loads(res.stdout))
    units = json.loads(cli("--ledger", led, "units", "--json").stdout)
    by_name = {u["name"]: u for u in units}
    assert by_name["区城管局"]["tasks_lead"] >= 1
    assert "各街道办事处" in by_name


def _xlsx_from_fixture(path: Path) -> None:
    """The same table as an .xlsx: two sheets, lead units bold as rich text inside the cell."""
    import openpyxl
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    wb = openpyxl.Workbook()
    ws1 = wb.active
    ws1.title = "附件1 重点任务"
    ws1.append(["序号", "重点领域", "类别", "重点任务", "牵头领导", "责任单位（加黑的为牵头单位）"])
    ws2 = wb.create_sheet("附件2 民生实事")
    ws2.append(["序号", "民生实事内容", "牵头领导", "责任单位"])
    for t in expected_tasks():
        parts = []
        for i, u in enumerate(t["units"]):
            if i:
                parts.append(TextBlock(InlineFont(b=False), "、"))
            parts.append(TextBlock(InlineFont(b=u["lead"]), u["name"]))
        leaders = "、".join(t["leaders"])
        if t["kind"] == "key":
            ws1.append([t["seq"], t["area"], t["category"], t["text"], leaders, None])
            ws1.cell(ws1.max_row, 6).value = CellRichText(parts)
        else:
            ws2.append([t["seq"], t["text"], leaders, None])
            ws2.cell(ws2.max_row, 4).value = CellRichText(parts)
    wb.save(path)


def test_cli_import_xlsx_with_bold_runs(tmp_path):
    src = tmp_path / "立项表.xlsx"
    _xlsx_from_fixture(src)
    led = str(tmp_path / "L.sqlite3")
    res = cli("--ledger", led, "import-plan", str(src), "--year", "2026")
    assert res.returncode == 0, res.stderr
    assert_same_tasks(json.loads(cli("--ledger", led, "tasks", "--json").stdout))


def test_import_tab_separated_text_with_lead_marks(ledger, tmp_path):
    from core.campaign.importing import apply_import, preview_import
    from core.campaign.read import read_plan_file
    from core.ledger.queries import list_tasks, public_task
    lines = []
    for kind in ("key", "livelihood"):
        label = "重点任务" if kind == "key" else "民生实事内容"
        lines.append("\t".join(["序号", "重点领域", "类别", label, "牵头领导", "责任单位"]))
        for t in expected_tasks():
            if t["kind"] != kind:
                continue
            units = "、".join(("*" if u["lead"] else "") + u["name"] for u in t["units"])
            lines.append("\t".join([str(t["seq"]), t["area"], t["category"], t["text"], "、".join(t["leaders"]), units]))
    src = tmp_path / "pasted.txt"
    src.write_text("\n".join(lines), encoding="utf-8")
    plan = read_plan_file(src)
    apply_import(ledger, preview_import(ledger, plan, 2026))
    assert_same_tasks([public_task(t) for t in list_tasks(ledger)])


def test_second_import_changes_nothing(ledger_2026):
    from core.ledger import schema
    from core.ledger.store import count_rows
    from core.campaign.importing import apply_import, preview_import
    from core.campaign.read import read_plan_file
    with ledger_2026.read() as conn:
        before = count_rows(conn, schema.audit), count_rows(conn, schema.task)
    preview = preview_import(ledger_2026, read_plan_file(FIXTURE_DOCX))
    assert preview.change_count == 0 and len(preview.unchanged) == 118
    apply_import(ledger_2026, preview)
    with ledger_2026.read() as conn:
        assert (count_rows(conn, schema.audit), count_rows(conn, schema.task)) == before


def test_revised_table_reports_exactly_the_edit_and_the_removal(ledger_2026, tmp_path):
    from core.ledger import schema
    from core.campaign.importing import apply_import, preview_import
    from core.campaign.read import read_plan_file
    from core.ledger.queries import list_tasks
    doc = docx.Document(str(FIXTURE_DOCX))
    table = doc.tables[0]
    from docx.oxml.ns import qn

    def continues_merge(row) -> bool:  # its 重点领域 cell continues a vertical merge, so removing it is clean
        vmerge = row._tr.tc_lst[1].tcPr.find(qn("w:vMerge")) if row._tr.tc_lst[1].tcPr is not None else None
        return vmerge is not None and vmerge.get(qn("w:val")) in (None, "continue")

    # edit task 10's text, remove one row in the middle of a merged 重点领域 block
    removed_seq = next(int(r.cells[0].text) for r in list(table.rows)[30:] if continues_merge(r))
    for row in list(table.rows):
        seq = row.cells[0].text.strip()
        if seq == "10":
            para = row.cells[3].paragraphs[0]
            para.runs[-1].text = para.runs[-1].text + "（修订）"
        if seq == str(removed_seq):
            row._tr.getparent().remove(row._tr)
    revised = tmp_path / "revised.docx"
    doc.save(revised)
    preview = preview_import(ledger_2026, read_plan_file(revised))
    assert [c.new.seq for c in preview.changed] == [10] and preview.changed[0].fields == ["text"]
    assert [r["seq"] for r in preview.removed] == [removed_seq]
    assert preview.added == []
    assert preview.change_count == 2
    apply_import(ledger_2026, preview, {})
    tasks = list_tasks(ledger_2026)
    assert len(tasks) == 117
    assert next(t for t in tasks if t["kind"] == "key" and t["seq"] == 10)["text"].endswith("（修订）")
    with ledger_2026.read() as conn:
        rows = conn.execute(schema.audit.select().where(schema.audit.c.field.in_(["text", "active"]))).all()
    assert {r.field for r in rows} == {"text", "active"}


def test_near_unit_names_are_proposed_not_applied(ledger_2026, tmp_path):
    from core.campaign.importing import apply_import, preview_import
    from core.campaign.read import read_plan_file
    from core.ledger.queries import list_units
    src = tmp_path / "t.txt"
    src.write_text("序号\t重点任务\t牵头领导\t责任单位\n"
                   "1\t甲任务\t王  菊\t*区发改局、区工信局、区农业 农村局、区防灾减灾救灾委员会办公室（区应急局）\n",
                   encoding="utf-8")
    src2 = tmp_path / "base.txt"
    src2.write_text("序号\t重点任务\t牵头领导\t责任单位\n1\t乙任务\t王菊\t*区发展改革局、区工业和信息化局、区农业农村局、区应急局\n",
                    encoding="utf-8")
    from core.ledger.store import Ledger
    led = Ledger(tmp_path / "n.sqlite3")
    apply_import(led, preview_import(led, read_plan_file(src2), 2030))
    preview = preview_import(led, read_plan_file(src), 2031)
    proposals = {p.name: p.canonical for p in preview.unit_proposals}
    assert proposals["区发改局"] == "区发展改革局"
    assert proposals["区工信局"] == "区工业和信息化局"
    assert proposals["区防灾减灾救灾委员会办公室（区应急局）"] == "区应急局"
    assert "区农业农村局" not in preview.new_units  # a stray space is not a new unit
    apply_import(led, preview, {"区发改局": "区发展改革局"})
    names = {u["name"]: u for u in list_units(led, 2031)}
    assert "区发改局" not in names and "区发改局" in names["区发展改革局"]["aliases"]
    assert "区工信局" in names  # not confirmed → kept as its own unit
    led.close()


def test_unbolded_units_default_to_first_with_warning(tmp_path):
    from core.campaign.read import read_plan_file
    src = tmp_path / "t.txt"
    src.write_text("序号\t重点任务\t牵头领导\t责任单位\n1\t甲任务\t陈  剑   何  洋\t区城管局、区水务局\n", encoding="utf-8")
    plan = read_plan_file(src)
    assert plan.tasks[0].leaders == ["陈剑", "何洋"]
    assert plan.tasks[0].units[0].lead and not plan.tasks[0].units[1].lead
    assert any("默认第一个单位" in w for w in plan.warnings)


@pytest.mark.parametrize("make, needle", [
    (lambda p: p.write_bytes(b""), "空文件"),
    (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100), "不是可识别"),
    (lambda p: p.write_bytes(FIXTURE_DOCX.read_bytes()[:5000]), "损坏"),
    (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 600),
     "密码"),
    (lambda p: p.write_text("没有表格的普通文本\n第二行", encoding="utf-8"), "没有找到立项表"),
    (lambda p: docx.Document().save(p), "没有找到立项表"),
])
def test_bad_files_get_a_chinese_message_and_leave_the_ledger(tmp_path, make, needle):
    led = str(tmp_path / "L.sqlite3")
    assert cli("--ledger", led, "import-plan", str(FIXTURE_DOCX)).returncode == 0
    before = cli("--ledger", led, "tasks", "--json").stdout
    bad = tmp_path / "立项表.docx"
    make(bad)
    res = cli("--ledger", led, "import-plan", str(bad))
    assert res.returncode == 2
    assert needle in res.stderr and res.stderr.startswith("错误：")
    assert cli("--ledger", led, "tasks", "--json").stdout == before


def test_zip_bomb_is_refused(tmp_path):
    from core.common.errors import UserError
    from core.campaign.read import read_plan_file
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<" + b"a" * (400 * 1024 * 1024))
    with pytest.raises(UserError, match="压缩炸弹|体积异常"):
        read_plan_file(bomb)


def test_schema_migration_backs_up_first(tmp_path, monkeypatch):
    from core.ledger import migrations
    from core.ledger.store import Ledger
    path = tmp_path / "m.sqlite3"
    Ledger(path).close()
    calls = []
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS + [lambda conn: calls.append(1)])
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", migrations.SCHEMA_VERSION + 1)
    led = Ledger(path)
    assert calls == [1] and led.schema_version() == migrations.SCHEMA_VERSION
    assert list(led.backup_dir.glob("*迁移前*"))
    led.close()


def test_bombs_are_refused_by_the_drop_check_and_the_contacts_reader(tmp_path):
    """Every reader of a clerk-picked file checks the zip directory first, also the quick drop check."""
    from core.units.contacts_import import read_contacts
    from core.common.errors import UserError
    from core.campaign.read import looks_like_plan
    bomb = tmp_path / "通讯录.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>")
        zf.writestr("xl/workbook.xml", b"<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * (400 * 1024 * 1024))
    assert looks_like_plan(bomb) is False
    with pytest.raises(UserError, match="压缩炸弹|体积异常"):
        read_contacts(bomb)
