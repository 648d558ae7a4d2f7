"""A ledger filled at real entry lengths (一是/二是/三是, fixed seed) and PDF measures, for the paper tests and bench/paper.py."""
from __future__ import annotations

import random
import re
import statistics
import subprocess
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import insert, select, update

from core.ledger import schema
from tests.helpers.reports import drive

SEED = 14
PERIOD = "2026-04"
TODAY = date(2026, 6, 1)    # April's reports (due 11 May) are all in or overdue
DONE_LEN, SIDE_LEN, TARGET_LEN = (120, 380), (40, 120), (20, 70)

_ACTS = ["召开专题推进会{n}次", "组织现场调度{n}次", "完成投资{n}.{d}亿元，占年度计划的{p}%", "新开工项目{n}个",
         "印发《{name}实施方案》", "建立“周调度、月通报”工作机制", "完成{n}个子项目的前期手续办理",
         "累计服务企业{n}家次", "争取上级专项资金{n}.{d}亿元", "推动{n}个重点项目签约落地",
         "开展督导检查{n}轮，发现问题{n}个已整改{m}个", "完成年度目标的{p}%", "新增就业岗位{n}00个",
         "5G基站新建{n}座", "完成老旧小区改造{n}个", "培育规上企业{n}家", "完成{n}公里道路提升改造",
         "举办招商推介活动{n}场", "落实减税降费{n}.{d}亿元", "形成工作台账并实行销号管理"]
_TOPICS = ["产业项目", "营商环境", "城市更新", "乡村振兴", "生态环保", "民生保障", "安全生产", "科技创新",
           "数字经济", "开放合作"]
_PROBLEMS = ["部分项目用地指标尚未落实", "资金拨付进度慢于计划", "{n}个子项目前期手续办理滞后",
             "跨部门协调机制仍需完善", "受雨季影响施工进度放缓", "专业技术人员不足", "企业投资意愿偏弱",
             "征拆工作推进难度较大", "个别配合单位信息报送不及时", "项目储备不足、接续乏力"]
_NEXT = ["倒排工期、挂图作战", "加强与市级部门对接争取支持", "每周调度一次并通报进度", "落实专人跟踪服务",
         "加快资金拨付进度", "{m}月底前完成阶段目标", "强化要素保障", "开展专项督导", "做好项目储备和前期工作"]
_TARGETS = ["完成年度任务的{p}%", "完成项目立项和招标", "开工建设{n}个项目", "累计完成投资{n}亿元",
            "出台配套政策{n}项", "完成方案编制并报批"]
_ORD = "一二三四五六七八九"


def _fill(rng: random.Random, phrase: str) -> str:
    n = rng.randint(2, 30)
    return phrase.format(n=n, m=rng.randint(1, n), d=rng.randint(1, 9), p=rng.randint(20, 95),
                         name=rng.choice(_TOPICS))


def _clause(rng: random.Random, pool: list) -> str:
    return "，".join(_fill(rng, p) for p in rng.sample(pool, rng.randint(1, 3)))


def done_text(rng: random.Random, lo: int = DONE_LEN[0], hi: int = DONE_LEN[1]) -> str:
    """“一是……；二是……；三是……。” between lo and hi characters."""
    target = rng.randint(lo, hi)
    parts: list[str] = []
    while True:
        k = len(parts)
        part = f"{_ORD[k]}是围绕{rng.choice(_TOPICS)}，{_clause(rng, _ACTS)}"
        text = "；".join(parts + [part]) + "。"
        if len(text) > hi or k >= 8:
            break
        parts.append(part)
        if len(text) >= target:
            break
    text = "；".join(parts) + "。"
    while len(text) < lo:  # pad with whole clauses
        text = text[:-1] + "，" + _fill(rng, rng.choice(_ACTS)) + "。"
    return text[:hi - 1] + "。" if len(text) > hi else text


def side_text(rng: random.Random, pool: list, lo: int = SIDE_LEN[0], hi: int = SIDE_LEN[1]) -> str:
    target = rng.randint(lo, hi)
    parts = [_fill(rng, rng.choice(pool))]
    while len("，".join(parts)) < target:
        nxt = _fill(rng, rng.choice(pool))
        if len("，".join(parts + [nxt])) + 1 > hi:
            break
        parts.append(nxt)
    text = "；".join(["，".join(parts[i:i + 2]) for i in range(0, len(parts), 2)]) + "。"
    while len(text) < lo:
        text = text[:-1] + "，" + _fill(rng, rng.choice(pool)) + "。"
    return text[:hi - 1] + "。" if len(text) > hi else text


def fill_paper_ledger(ledger, seed: int = SEED) -> dict:
    """March and April reports from all 63 units (3 missing and 4 late in April); April's text at real lengths.

    Returns {"texts": {"key"/"livelihood": [every April text entered]}, "missing": {...}, "late": {...}}."""
    with ledger.read() as conn:
        units = sorted({r.unit_id for r in conn.execute(select(schema.assignment.c.unit_id))})
    rng = random.Random(seed)
    missing = {3: set(), 4: set(rng.sample(units, 3))}
    late = {3: set(), 4: set(rng.sample([u for u in units if u not in missing[4]], 4))}
    info = drive(ledger, months=(3, 4), missing=missing, late=late)
    p, t = schema.progress_row, schema.task
    texts: dict[str, list[str]] = {"key": [], "livelihood": []}
    with ledger.begin() as conn:
        cid = conn.execute(select(schema.campaign.c.id)).scalar_one()
        did = conn.execute(insert(schema.dispatch).values(campaign_id=cid, form="report", period=PERIOD, out_dir="下发",
                                                          created_at=datetime(2026, 4, 28, 9))).inserted_primary_key[0]
        conn.execute(insert(schema.dispatch_item), [
            {"dispatch_id": did, "unit_id": u, "path": f"下发/附件4-单位{u}.xlsx", "file_hash": f"{u:064d}",
             "fingerprint": "", "tasks": 1, "email": ""} for u in units])
        rows = conn.execute(select(p.c.id, p.c.period, t.c.kind).join(t, t.c.id == p.c.task_id)
                            .order_by(p.c.period, p.c.task_id, p.c.unit_id)).all()
        behind = {r.id for r in rows if rng.random() < 0.14}
        for r in rows:
            if r.period == "2026-03":
                conn.execute(update(p).where(p.c.id == r.id).values(
                    done=done_text(rng, 60, 120), problems=side_text(rng, _PROBLEMS, 20, 40),
                    next_steps=side_text(rng, _NEXT, 20, 40), on_track=r.id % 3 != 0,
                    on_track_raw="是" if r.id % 3 else "否"))
                continue
            values = {"quarter_target": "二季度" + _fill(rng, rng.choice(_TARGETS)) + "，" + _clause(rng, _TARGETS),
                      "done": done_text(rng), "problems": side_text(rng, _PROBLEMS), "next_steps": side_text(rng, _NEXT),
                      "on_track": r.id not in behind, "on_track_raw": "否" if r.id in behind else "是"}
            values["quarter_target"] = values["quarter_target"][:TARGET_LEN[1]]
            conn.execute(update(p).where(p.c.id == r.id).values(**values))
            texts[r.kind] += [values["quarter_target"], values["done"], values["problems"], values["next_steps"]]
    return {"texts": texts, "missing": info["missing"], "late": info["late"]}


def build_paper_ledger(path: Path, plan_docx: Path, contacts: Path):
    """A new ledger at `path`: the 立项表 imported, contacts applied, filled by fill_paper_ledger. Returns (ledger, fill)."""
    from core.campaign.importing import apply_import, file_ref, preview_import
    from core.campaign.read import read_plan_file
    from core.ledger.store import Ledger
    from core.units.contacts_import import apply_contacts, read_contacts
    led = Ledger(path)
    apply_import(led, preview_import(led, read_plan_file(plan_docx), None, file_ref(plan_docx)))
    apply_contacts(led, read_contacts(contacts), "contacts")
    return led, fill_paper_ledger(led)


# -- measuring a PDF -------------------------------------------------------------------
def docx_text(path) -> str:
    """A .docx's text as a reader takes it: paragraphs, then each table row's cells joined by tabs."""
    from docx import Document
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append("\t".join(c.text for c in row.cells))
    return "\n".join(parts)


def to_pdf(path: Path, out_dir: Path) -> Path:
    from core.office.pdf_export import convert_to_pdf
    return convert_to_pdf(path, out_dir)


def page_texts(pdf: Path) -> list[str]:
    """Each page's text in drawing order (-raw: a cell's lines stay together)."""
    out = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, timeout=120).stdout
    pages = out.decode("utf-8", "replace").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def norm(text: str) -> str:
    """For comparing entered text with a PDF's text layer: no whitespace, no quote marks or dashes (LibreOffice draws
    them from a Latin font in .docx, and pdftotext does not always map those glyphs back)."""
    return re.sub(r"[\s“”‘’\"'—]+", "", text)


def measure(pdf: Path) -> dict:
    pages = page_texts(pdf)
    counts = [len(squash(p)) for p in pages]
    return {"pages": len(pages), "median": statistics.median(counts) if counts else 0, "counts": counts}


def missing_texts(pdf: Path, texts: list[str]) -> list[str]:
    """The entered texts that do not appear whole in the PDF's text (whitespace and line breaks ignored) — whole on
    one page, or read on from the foot of one page to the next (a row broken at a page's foot)."""
    pages = [norm(p) for p in page_texts(pdf)]
    whole = "".join(pages)
    return [t for t in texts if norm(t) not in whole and not _across_pages(norm(t), pages)]


def _across_pages(text: str, pages: list[str]) -> bool:
    """`text` begins on one page and ends on the next: its longest prefix found on page i, the rest on page i + 1."""
    for here, there in zip(pages, pages[1:], strict=False):
        lo, hi = 0, len(text)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if text[:mid] in here:
                lo = mid
            else:
                hi = mid - 1
        if 4 <= lo < len(text) and text[lo:] in there:
            return True
    return False


def item_line_counts(pdf: Path) -> list[int]:
    """Printed lines of each numbered item (“1.” at a line start) in a .docx brief, across page breaks.

    pdftotext puts quote marks drawn from a Latin font on a line of their own: such lines are not counted."""
    counts: list[int] = []
    current = None
    for line in "\n".join(page_texts(pdf)).splitlines():
        line = line.strip()
        if not line or re.fullmatch(r"—\s*\d+\s*—", line):
            continue  # page numbers
        m = re.match(r"^\d+\.", line)
        if m:
            current = len(counts)
            counts.append(0 if re.fullmatch(r"[\s“”‘’\"'—]*", line[m.end():]) else 1)
        elif re.match(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)", line):
            current = None
        elif current is not None and not re.fullmatch(r"[\s“”‘’\"'—]*", line):
            counts[current] += 1
    return counts
