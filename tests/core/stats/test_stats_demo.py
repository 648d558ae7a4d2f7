"""The demo year through the command line: every unit × month state of `stats` is the state `status --json` gives,
the units the demo made late, missing, copying and contradicting rank low with their deductions, and the 考评表 prints
on A4 through LibreOffice with its header on every page and the rules under it."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow   # builds the demo year (a minute or two on a busy machine)
TODAY = date.today().isoformat()   # the demo is played up to today's month, so both commands look from today


def _run(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "app.py"), "--demo", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    base = tmp_path_factory.mktemp("stats-demo")
    env = {**os.environ, "XDG_DATA_HOME": str(base / "data"), "XDG_CONFIG_HOME": str(base / "config"),
           "XDG_CACHE_HOME": str(base / "cache")}
    res = _run(env, "stats", "--year", "2026", "--today", TODAY, "--json")
    assert res.returncode == 0, res.stderr
    return {"env": env, "doc": json.loads(res.stdout), "base": base}


def test_every_state_is_the_state_status_gives(demo):
    doc = demo["doc"]
    stats = {(r["unit"], r["form"], r["period"]): (r["state"], r["late_workdays"]) for r in doc["matrix"]}
    status: dict = {}
    for period in doc["periods"]:
        res = _run(demo["env"], "status", "--period", period, "--today", TODAY, "--json")
        assert res.returncode == 0, res.stderr
        for r in json.loads(res.stdout):
            status[(r["unit"], r["form"], r["period"])] = (r["state"], r["late_workdays"])
    assert stats == status, sorted(set(stats.items()) ^ set(status.items()))[:10]
    states = {re.sub(r"（.*", "", s) for s, _ in stats.values()}
    assert {"已报", "逾期已报", "未报", "未下发"} <= states   # the year has each kind of cell
    # the 61 reporting units: the two collective entries report through their members (督办 leaves them out too)
    assert len({u for u, _f, _p in stats}) == 61 and len(doc["units"]) == 61


def test_the_demo_s_offenders_rank_low_with_their_deductions(demo):
    from core.demo.year import CONTRADICTOR, COPIER, PLAN_LATE, PLAN_RETURNED
    k = demo["doc"]["kaoping"]
    scores = {r["unit"]: r for r in k["scores"]}
    lines: dict[str, list] = {}
    for line in k["deductions"]:
        lines.setdefault(line["unit"], []).append(line)
    base = k["rules"]["base"]
    for unit, row in scores.items():   # nothing is a black box: the score is the base plus its listed lines
        assert row["score"] == pytest.approx(base + sum(x["points"] for x in lines.get(unit, [])))
    full = sum(r["score"] >= base for r in scores.values())
    copier = [x for x in lines[COPIER] if x["item"] == "copied"]
    assert len(copier) >= 4 and all(x["task"] and "照抄上月" in x["detail"] for x in copier)
    assert any(x["item"] == "contradicted" and x["task"] for x in lines[CONTRADICTOR])
    assert any(x["item"] == "returned" and x["form"] == "落实计划表" for x in lines[PLAN_RETURNED])
    for unit in PLAN_LATE:
        assert any(x["item"] == "late" and x["form"] == "落实计划表" for x in lines[unit])
    missing = {r["unit"] for r in demo["doc"]["matrix"] if r["state"].startswith("未报（逾期")}
    assert missing, "the demo leaves some forms missing"
    for unit in missing:
        assert any(x["item"] == "missing" for x in lines[unit])
    for unit in {COPIER, CONTRADICTOR} | missing:   # below every unit kept at the base score
        assert scores[unit]["rank"] > full, (unit, scores[unit])
    assert scores[COPIER]["rank"] > len(scores) * 0.8   # copying four rows two months running costs it 8 points


def test_unit_filter_and_an_unknown_unit(demo):
    from core.demo.year import COPIER
    res = _run(demo["env"], "stats", "--year", "2026", "--today", TODAY, "--unit", COPIER, "--json")
    doc = json.loads(res.stdout)
    assert [u["unit"] for u in doc["units"]] == [COPIER] and {r["unit"] for r in doc["matrix"]} == {COPIER}
    assert doc["units"][0]["copied_rows"] >= 4
    res = _run(demo["env"], "stats", "--year", "2026", "--unit", "区不存在局")
    assert res.returncode != 0 and "不在 2026 年的报送名单中" in res.stderr and "Traceback" not in res.stderr


@pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftotext"), reason="LibreOffice/poppler not installed")
def test_the_kaoping_workbook_prints_on_a4_with_its_header_and_rules(demo, tmp_path):
    out = tmp_path / "考评表.xlsx"
    res = _run(demo["env"], "stats", "--kaoping", "--year", "2026", "--today", TODAY, "--out", str(out))
    assert res.returncode == 0 and out.is_file(), res.stderr
    pdf = _to_pdf(out, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+(595\.\d+ x 841\.\d+|841\.\d+ x 595\.\d+)", info), info   # A4
    pages = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True).stdout.split("\f")
    first = pages[0]
    assert "2026年《政府工作报告》重点任务落实情况考评表" in first and "制表单位：区政府督查室" in first
    assert f"制表日期：{date.today().year}年" in first
    details = next(i for i, p in enumerate(pages) if "考评扣分、加分明细" in p)
    matrix = next(i for i, p in enumerate(pages) if "各单位报送情况" in p)
    text = "".join(pages)
    assert text.count("考评规则：基础分 100 分") >= 2   # under the table and under the 扣分明细
    flat = re.sub(r"\s", "", text)
    for unit in [r["unit"] for r in demo["doc"]["kaoping"]["scores"]]:
        assert unit in flat, unit   # every unit printed whole (a cell too short would cut its name)
    # the header on every printed page of each sheet
    assert details >= 2 and all("名次 单位 类别 得分" in p for p in pages[:details]), pages[:details]
    assert matrix > details + 1 and all("名次 单位 项目 表 月份 任务 分值 说明" in p for p in pages[details:matrix])
    assert all("单位 计划表" in p for p in pages[matrix:] if p.strip())


def _to_pdf(path: Path, folder: Path) -> Path:
    profile = (folder / "lo-profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
                    str(folder), str(path)], capture_output=True, timeout=300, check=True)
    return folder / (path.stem + ".pdf")
