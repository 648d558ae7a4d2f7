"""Build returned files the way units send them back: filled, re-saved by LibreOffice, renamed, mangled, hostile."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

REPORT_HEADERS = ["序号", "《政府工作报告》重点任务、民生实事项目", "季度计划完成目标", "完成情况", "存在问题",
                  "下一步计划", "是否完成阶段任务目标", "责任类型（牵头/配合）"]
PLAN_HEADERS = ["分解序号", "《政府工作报告》重点任务、民生实事项目", "时间", "季度目标及推进计划", "主要负责人",
                "分管负责人", "备注"]
QUARTERS = ["一季度", "二季度", "三季度", "四季度"]


def generate_forms(ledger, form: str, period: str, out_dir: Path, unit_names=None) -> list[dict]:
    """The real 下发 generator when it is there; else a minimal stand-in that writes every stamp carrier."""
    try:
        from core.forms.generate import generate
    except ImportError:
        return mini_generate(ledger, form, period, out_dir, unit_names)
    return generate(ledger, form, period, out_dir, unit_names=unit_names, with_eml=False)


def mini_generate(ledger, form, period, out_dir, unit_names=None) -> list[dict]:
    import xlsxwriter
    from sqlalchemy import select

    from core.ledger import schema
    from core.forms.stamp import ROW_KEY_HEADER, STAMP_MAGIC, STAMP_NAME, STAMP_SHEET, Stamp, row_key
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    year = int(period[:4])
    results = []
    with ledger.read() as conn:
        units = conn.execute(select(schema.unit.c.id, schema.unit.c.name).order_by(schema.unit.c.id)).all()
        for u in units:
            if unit_names and u.name not in unit_names:
                continue
            t, a = schema.task, schema.assignment
            tasks = conn.execute(select(t.c.uid, t.c.seq, t.c.kind, t.c.text, a.c.role).join(a, a.c.task_id == t.c.id)
                                 .where(a.c.unit_id == u.id, t.c.active.is_(True)).order_by(t.c.kind, t.c.seq)).all()
            if not tasks:
                continue
            stamp = Stamp(year=year, form=form, period=period, unit_id=u.id, unit_name=u.name,
                          template_version="mini1", fingerprint="0" * 16)
            path = out_dir / f"{'附件4' if form == 'report' else '附件3'}-{u.name}.xlsx"
            wb = xlsxwriter.Workbook(str(path))
            for k, v in stamp.properties().items():
                wb.set_custom_property(k, v)
            wb.define_name(STAMP_NAME, '="' + stamp.encode().replace('"', '""') + '"')
            ws = wb.add_worksheet("附件4" if form == "report" else "附件3")
            wrap = wb.add_format({"text_wrap": True, "valign": "top"})
            month = int(period[5:7]) if form == "report" else 0
            title = f"{year}年年度工作任务落实情况表（{month}月）" if form == "report" else f"{year}年年度工作任务落实计划表"
            ws.write_string(0, 0, title)
            ws.write_string(1, 0, f"填报单位：{u.name}")
            headers = REPORT_HEADERS if form == "report" else PLAN_HEADERS
            for c, h in enumerate(headers + [ROW_KEY_HEADER]):
                ws.write_string(2, c, h)
            ws.set_column(len(headers), len(headers), None, None, {"hidden": True})
            r = 3
            for task in tasks:
                if form == "report":
                    ws.write_string(r, 0, str(task.seq))
                    ws.write_string(r, 1, task.text, wrap)
                    ws.write_string(r, 7, "牵头" if task.role == "lead" else "配合")
                    ws.write_string(r, 8, row_key(task.uid, u.id))
                    r += 1
                else:
                    for q in range(4):
                        ws.write_string(r, 0, str(task.seq))
                        ws.write_string(r, 1, task.text, wrap)
                        ws.write_string(r, 2, QUARTERS[q])
                        ws.write_string(r, 7, row_key(task.uid, u.id, q + 1))
                        r += 1
            hidden = wb.add_worksheet(STAMP_SHEET)
            hidden.write_string(0, 0, STAMP_MAGIC)
            hidden.write_string(1, 0, stamp.encode())
            hidden.hide()
            wb.close()
            results.append({"unit": u.name, "form": form, "period": period, "path": str(path), "tasks": len(tasks)})
    return results


# --- filling and mangling with openpyxl -------------------------------------------------------
def _columns(ws):
    """{label-field: column index (1-based)}, header row number."""
    from core.returns.read import header_field
    for r in range(1, 15):
        found = {}
        for c in range(1, ws.max_column + 1):
            f = header_field(str(ws.cell(r, c).value or ""))
            if f and f not in found:
                found[f] = c
        if len(found) >= 3 and ("task" in found or "seq" in found):
            below = {}
            for c in range(1, ws.max_column + 1):
                f = header_field(str(ws.cell(r + 1, c).value or ""))
                if f in ("q1", "q2", "q3", "q4"):
                    below[f] = c
            key_below = str(ws.cell(r + 1, found["key"]).value or "") if "key" in found else ""
            if below and ":" not in key_below and "time" not in found:
                found.update(below)
                return found, r + 1
            return found, r
    raise AssertionError("no header")


def data_sheet(wb):
    for ws in wb.worksheets:
        if ws.sheet_state == "visible":
            return ws
    return wb.worksheets[0]


def fill(src: Path, dst: Path, answers: dict, by: str = "key") -> Path:
    """answers: {row key or task text: {field: value}}; writes with openpyxl (keeps properties, names, hidden sheet)."""
    import openpyxl
    wb = openpyxl.load_workbook(src)
    ws = data_sheet(wb)
    cols, header = _columns(ws)
    for r in range(header + 1, ws.max_row + 1):
        key = str(ws.cell(r, cols["key"]).value or "") if "key" in cols else ""
        text = str(ws.cell(r, cols["task"]).value or "")
        values = answers.get(key) or answers.get(text)
        if not values:
            continue
        for field, value in values.items():
            cell = ws.cell(r, cols[field])
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"   # text a unit typed, not a formula
    dst = Path(dst)
    wb.save(dst)
    return dst


def row_keys(path: Path) -> list[str]:
    import openpyxl
    wb = openpyxl.load_workbook(path, read_only=False)
    ws = data_sheet(wb)
    cols, header = _columns(ws)
    return [str(ws.cell(r, cols["key"]).value) for r in range(header + 1, ws.max_row + 1)
            if ws.cell(r, cols["key"]).value]


def strip_stamp(src: Path, dst: Path) -> Path:
    """What a unit does when it retypes: copies the visible cells (not the hidden key column) into a new workbook."""
    import openpyxl
    wb = openpyxl.load_workbook(src)
    ws = data_sheet(wb)
    cols, header = _columns(ws)
    skip = cols.get("key")
    new = openpyxl.Workbook()
    out = new.active
    out.title = "Sheet1"
    for r in range(1, ws.max_row + 1):
        c2 = 1
        for c in range(1, ws.max_column + 1):
            if c == skip:
                continue
            out.cell(r, c2).value = ws.cell(r, c).value
            c2 += 1
    new.save(dst)
    return Path(dst)


def edit_rows(src: Path, dst: Path, insert_after: int | None = None, insert_values: dict | None = None,
              delete: int | None = None, reverse: bool = False, rename_sheet: str | None = None,
              merge_answer: tuple[int, int] | None = None, merge_field: str = "done") -> Path:
    """Row surgery on the data sheet (data row indexes are 0-based below the header)."""
    import openpyxl
    wb = openpyxl.load_workbook(src)
    ws = data_sheet(wb)
    cols, header = _columns(ws)
    first = header + 1
    last = first
    key_col = cols.get("key") or cols["task"]
    while ws.cell(last + 1, key_col).value:
        last += 1
    if reverse:
        rows = [[ws.cell(r, c).value for c in range(1, ws.max_column + 1)] for r in range(first, last + 1)]
        for i, values in enumerate(reversed(rows)):
            for c, v in enumerate(values, start=1):
                ws.cell(first + i, c).value = v
    if delete is not None:
        ws.delete_rows(first + delete)
    if insert_after is not None:
        ws.insert_rows(first + insert_after + 1)
        for field, value in (insert_values or {}).items():
            ws.cell(first + insert_after + 1, cols[field]).value = value
    if merge_answer is not None:
        a, b = merge_answer
        c = cols[merge_field]
        ws.merge_cells(start_row=first + a, start_column=c, end_row=first + b, end_column=c)
    if rename_sheet:
        ws.title = rename_sheet
    wb.save(dst)
    return Path(dst)


# --- LibreOffice round trips ---------------------------------------------------------------------
FILTERS = {"xlsx": "xlsx:Calc MS Excel 2007 XML", "xls": "xls:MS Excel 97", "ods": "ods"}


def soffice_convert(files: list[Path], fmt: str, out_dir: Path) -> list[Path]:
    """Re-save many files in one soffice call, with a private profile so parallel runs do not collide."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    try:
        cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--convert-to", FILTERS[fmt], "--outdir", str(out_dir)] + [str(f) for f in files]
        subprocess.run(cmd, check=True, capture_output=True, timeout=240,
                       env={**os.environ, "HOME": str(profile)})
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = [out_dir / (Path(f).stem + "." + fmt) for f in files]
    missing = [p for p in out if not p.exists()]
    assert not missing, f"LibreOffice did not write {missing}"
    return out


# --- containers ---------------------------------------------------------------------------------
def windows_zip(files: list[Path], dst: Path) -> Path:
    """A zip as Windows' 发送到→压缩文件夹 writes it: names in GBK, no UTF-8 flag."""
    class GbkInfo(zipfile.ZipInfo):
        def _encodeFilenameFlags(self):  # noqa: N802 - zipfile's hook: raw GBK bytes, no UTF-8 flag
            return self.filename.encode("gbk"), self.flag_bits & ~0x800

    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in files:
            info = GbkInfo(Path(f).name, date_time=(2026, 4, 3, 9, 30, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, Path(f).read_bytes())
    return Path(dst)


def eml_with(files: list[Path], dst: Path, date: str = "Fri, 03 Apr 2026 09:15:00 +0800") -> Path:
    from email.message import EmailMessage
    msg = EmailMessage()
    msg["From"] = "unit@example.org"
    msg["To"] = "dcs@example.org"
    msg["Subject"] = "报送3月落实情况"
    msg["Date"] = date
    msg.set_content("请查收。")
    for f in files:
        msg.add_attachment(Path(f).read_bytes(), maintype="application",
                           subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename=Path(f).name)
    Path(dst).write_bytes(bytes(msg))
    return Path(dst)


# --- hostile files --------------------------------------------------------------------------------
def truncated(src: Path, dst: Path) -> Path:
    data = Path(src).read_bytes()
    Path(dst).write_bytes(data[: len(data) // 2])
    return Path(dst)


def empty(dst: Path) -> Path:
    Path(dst).write_bytes(b"")
    return Path(dst)


def encrypted(dst: Path) -> Path:
    """A CFB container holding an EncryptedPackage stream, as Office writes a password-protected workbook."""
    header = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    body = "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64 + "EncryptionInfo".encode("utf-16-le")
    Path(dst).write_bytes(bytes(header) + body + b"\x00" * (4096 - len(body)))
    return Path(dst)


def with_macro(src: Path, dst: Path) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        zout.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"Attribute VB_Name = \"Module1\"\nShell \"calc.exe\"")
    return Path(dst)


def zip_bomb(dst: Path) -> Path:
    """An .xlsx-looking zip whose one part unpacks to 400 MB."""
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            block = b"\x00" * (1 << 20)
            for _ in range(400):
                fh.write(block)
    return Path(dst)


def entity_bomb(src: Path, dst: Path) -> Path:
    """A real workbook whose docProps/custom.xml declares a billion-laughs entity."""
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
            + ']><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties">'
              '<property name="x">&lol9;</property></Properties>')
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "docProps/custom.xml":
                data = bomb.encode()
            zout.writestr(item, data)
    return Path(dst)


def restamp(src: Path, dst: Path, **changes) -> Path:
    """Rewrite every stamp carrier (properties, names, hidden sheet) with some fields changed (year, unit_id …)."""
    import re as _re

    from core.forms.stamp import Stamp
    with zipfile.ZipFile(src) as zin:
        parts = {i.filename: zin.read(i.filename) for i in zin.infolist()}
    blob = b"".join(parts.values()).decode("utf-8", "replace")
    m = _re.search(r"dcta1;[^<\"]*", blob)
    old = Stamp.decode(m.group(0))
    new = Stamp(**{**old.__dict__, **changes})
    old_props, new_props = old.properties(), new.properties()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            text = data.decode("utf-8", "replace") if name.endswith(".xml") else None
            if text is not None:
                text = text.replace(old.encode(), new.encode())
                if name == "docProps/custom.xml":
                    for k in old_props:
                        text = text.replace(f'name="{k}"><vt:lpwstr>{old_props[k]}<',
                                            f'name="{k}"><vt:lpwstr>{new_props[k]}<')
                data = text.encode("utf-8")
            zout.writestr(name, data)
    return Path(dst)


def rekey(src: Path, dst: Path, new_uid_prefix: str = "Tffff") -> Path:
    """Row keys naming tasks the ledger does not have (a form of another campaign with a stamp that still fits)."""
    import openpyxl
    wb = openpyxl.load_workbook(src)
    ws = data_sheet(wb)
    cols, header = _columns(ws)
    for r in range(header + 1, ws.max_row + 1):
        cell = ws.cell(r, cols["key"])
        if cell.value and ":" in str(cell.value):
            uid, rest = str(cell.value).split(":", 1)
            cell.value = f"{new_uid_prefix}{uid[5:]}:{rest}"
            ws.cell(r, cols["task"]).value = f"另一批次的任务{r}"
    wb.save(dst)
    return Path(dst)


# -- shared by the 收文 tests (core and window) -----------------------------------------------------------------
PERIOD = "2026-03"


def ledger_content(ledger) -> dict:
    """The ledger's tasks, rows, assignments and units: compared before and after to see that nothing changed."""
    from sqlalchemy import select

    from core.ledger import schema
    with ledger.read() as conn:
        return {name: sorted(tuple(r) for r in conn.execute(select(table)))
                for name, table in (("task", schema.task), ("progress_row", schema.progress_row),
                                    ("plan_row", schema.plan_row), ("assignment", schema.assignment),
                                    ("unit", schema.unit))}


def answers_for(path: Path, tag: str = "") -> dict:
    """An answer for every row of a generated form: line breaks as Excel keeps them, every way units write 是/否."""
    keys = row_keys(path)
    return {k: {"done": f"{tag}第{i}项：已完成招商对接\r\n二、推进项目签约_x000D_\n三、下步继续",
                "problems": "资金缺口" if i % 2 else "",
                "next_steps": f"继续推进{i}",
                "on_track": ["是", "√", "Y", "已完成", "完成", "否", "×", "N", "未完成", "推进中"][i % 10]}
            for i, k in enumerate(keys)}
