"""Helpers for the 下发 tests and bench: LibreOffice conversions with a private profile, CJK font aliases, readers."""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

# What the government fonts fall back to on a machine without them (here: Debian's Noto CJK).
FONT_ALIASES = {
    "仿宋_GB2312": "Noto Serif CJK SC", "仿宋": "Noto Serif CJK SC", "FangSong": "Noto Serif CJK SC",
    "方正小标宋简体": "Noto Serif CJK SC", "宋体": "Noto Serif CJK SC", "SimSun": "Noto Serif CJK SC",
    "楷体_GB2312": "Noto Serif CJK SC", "楷体": "Noto Serif CJK SC",
    "黑体": "Noto Sans CJK SC", "SimHei": "Noto Sans CJK SC",
}


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def font_env(workdir: Path) -> dict:
    """An environment whose fontconfig maps the form fonts to installed CJK fonts (no tofu, SC glyphs)."""
    conf = Path(workdir) / "fonts.conf"
    aliases = "".join(
        f'<alias binding="same"><family>{name}</family><prefer><family>{target}</family></prefer></alias>'
        for name, target in FONT_ALIASES.items())
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>' + aliases + "</fontconfig>",
                    encoding="utf-8")
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(conf)
    return env


def convert(files: list[Path], fmt: str, outdir: Path, timeout: int = 180) -> list[Path]:
    """soffice --headless --convert-to FMT for several files in ONE call, private profile; returns output paths."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    try:
        subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", fmt, "--outdir", str(outdir), *map(str, files)],
                       check=True, capture_output=True, timeout=timeout, env=font_env(profile))
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    ext = fmt.split(":")[0]
    return [outdir / (Path(f).stem + "." + ext) for f in files]


def render_png(xlsx: Path, outdir: Path, dpi: int = 70, pages: int = 1) -> list[Path]:
    """xlsx → PDF (LibreOffice) → PNG pages (pdftoppm), to look at what the form looks like on paper."""
    pdf = convert([xlsx], "pdf", outdir)[0]
    prefix = Path(outdir) / Path(xlsx).stem
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", "1", "-l", str(pages), str(pdf), str(prefix)],
                   check=True, capture_output=True, timeout=120)
    return sorted(Path(outdir).glob(Path(xlsx).stem + "-*.png"))


# -- reading generated workbooks back -----------------------------------------------------------------
def calamine_rows(path: Path, sheet: int | str = 0) -> list[list]:
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(str(path))
    ws = wb.get_sheet_by_index(sheet) if isinstance(sheet, int) else wb.get_sheet_by_name(sheet)
    return ws.to_python()


def data_part(rows: list[list]) -> tuple[dict[str, int], list[list], int]:
    """(label → column, data rows, index of first data row) located by header text, as a reader would."""
    from core.forms.stamp import ROW_KEY_HEADER
    head = next(i for i, r in enumerate(rows) if ROW_KEY_HEADER in [str(v).strip() for v in r])
    labels: dict[str, int] = {}
    for r in rows[head:head + 2]:
        for c, v in enumerate(r):
            text = "".join(str(v).split())
            if text and text not in labels:
                labels[text] = c
    key_col = labels[ROW_KEY_HEADER]
    start = head + 1
    while start < len(rows) and not str(rows[start][key_col]).strip():
        start += 1
    end = start
    while end < len(rows) and str(rows[end][key_col]).strip():
        end += 1
    return labels, rows[start:end], start


def expected_tasks(ledger, unit_name: str) -> list[dict]:
    """The unit's tasks as the 台账 lists them: key then livelihood, lead first, by 序号 (independent of core.form_*)."""
    from core.ledger.queries import list_tasks
    out = []
    for t in list_tasks(ledger):
        for u in t["units"]:
            if u["name"] == unit_name:
                out.append(dict(t, lead=u["lead"]))
    out.sort(key=lambda t: (t["kind"] != "key", not t["lead"], t["seq"]))
    return out


def stamp_carriers_xlsx(path: Path) -> dict[str, str | None]:
    """The encoded stamp found in each carrier of an .xlsx (openpyxl); None where a carrier is missing."""
    import openpyxl
    from core.forms.stamp import ROW_KEY_HEADER, STAMP_MAGIC, STAMP_NAME, STAMP_SHEET
    wb = openpyxl.load_workbook(path)
    out: dict[str, str | None] = {"property": None, "sheet": None, "name": None, "key_column": None}
    with contextlib.suppress(KeyError, TypeError):
        out["property"] = wb.custom_doc_props["DCTA_STAMP"].value
    if STAMP_SHEET in wb.sheetnames:
        ws = wb[STAMP_SHEET]
        if ws["A1"].value == STAMP_MAGIC:
            out["sheet"] = ws["A2"].value
    dn = wb.defined_names.get(STAMP_NAME)
    if dn is not None:
        out["name"] = dn.attr_text.strip().strip('"').replace('""', '"')
    ws = wb.worksheets[0]
    for row in ws.iter_rows(values_only=True):
        if ROW_KEY_HEADER in row:
            out["key_column"] = ROW_KEY_HEADER
            break
    return out
