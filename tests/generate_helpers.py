"""Helpers for the 下发 tests and bench: LibreOffice conversions with a private profile, CJK font aliases, readers."""
from __future__ import annotations

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
