"""A ledger at real entry lengths (完成情况 120–380 chars in 一是/二是/三是 style, 存在问题/下一步计划 40–120), seeded."""
from __future__ import annotations

import random
import re
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import select, update

from core.ledger import schema
from tests.helpers.reports import drive

SEED = 20260415
ORDINALS = "一二三四五六七"
DONE_CLAUSES = (
    "召开专题推进会{n}次，研究解决项目推进中的土地、资金和手续办理等问题{m}个",
    "完成项目立项、规划许可和施工许可等前期手续，主体工程已进场施工，累计完成投资{n}.{m}亿元",
    "制定印发年度工作方案，明确责任分工、时间节点和工作标准，建立周调度、月通报工作机制",
    "组织开展入户走访和问卷调查，覆盖居民{n}{m}00余户，收集意见建议{m}条并逐条建立台账",
    "会同财政、自然资源等部门开展联合调研{n}次，梳理形成问题清单、任务清单和责任清单",
    "争取上级专项资金{n}.{m}亿元，已拨付到位{m}千万元，资金使用进度符合序时要求",
    "完成年度目标任务的{p}%，较上月提高{m}个百分点，重点节点均按计划推进",
    "在全区范围内开展专项整治行动，排查问题隐患{n}{m}处，已整改到位{n}{m}处，整改率{p}%",
    "与{n}家重点企业签订合作协议，新引进项目{m}个，总投资{n}{m}亿元，其中亿元以上项目{m}个",
    "完善“一网通办”服务流程，压减办理环节{m}个、办理时限{n}个工作日，群众满意度明显提升",
    "组织业务培训{m}场次，培训人员{n}{m}0余人次，基层工作人员业务能力进一步增强",
    "对照季度目标逐项梳理进展，形成分析报告并报区政府，分管区领导现场调度{m}次",
)
PROBLEM_CLAUSES = (
    "部分项目要素保障不足，土地征收和资金拨付进度慢于预期",
    "{n}个子项目受天气和施工条件影响，工期较计划滞后约{m}周",
    "个别配合单位协同不够紧密，信息报送不及时，影响整体推进",
    "项目审批涉及市级部门，手续办理周期较长，需进一步协调",
    "群众诉求多元，部分居民对方案存在不同意见，入户做工作难度较大",
    "专业人员力量不足，基层工作人员身兼数职，精细化管理有待加强",
)
NEXT_CLAUSES = (
    "加大调度力度，倒排工期、挂图作战，确保{m}月底前完成阶段目标",
    "主动对接市级部门，加快手续办理，力争下月完成审批",
    "强化与配合单位沟通协作，建立联席会议制度，每周通报进展",
    "加强资金保障，积极争取上级资金支持，确保项目按期推进",
    "持续跟踪问题整改，对整改不到位的事项逐项督办销号",
    "做好群众宣传解释工作，广泛听取意见，稳妥推进各项工作",
)


def _fill(rng: random.Random, pattern: str) -> str:
    return pattern.format(n=rng.randint(2, 9), m=rng.randint(1, 9), p=rng.randint(20, 99))


def done_text(rng: random.Random) -> str:
    """一是……；二是……；三是……。 between 120 and 380 characters."""
    target = rng.randint(120, 380)
    parts: list[str] = []
    pool = list(DONE_CLAUSES)
    rng.shuffle(pool)
    while True:
        i = len(parts)
        clause = _fill(rng, pool[i % len(pool)])
        if i % 2 == 1:
            clause += "，" + _fill(rng, pool[(i + 5) % len(pool)])
        parts.append(f"{ORDINALS[i % len(ORDINALS)]}是{clause}")
        text = "；".join(parts) + "。"
        if len(text) >= target or len(parts) >= 7:
            break
    while len(text) > 380:
        parts.pop()
        text = "；".join(parts) + "。"
    while len(text) < 120:
        text = text[:-1] + "，各项工作有序推进，阶段性成效明显。"
    return text


def short_text(rng: random.Random, pool: tuple[str, ...], low: int = 40, high: int = 120) -> str:
    target = rng.randint(low, high)
    picks = rng.sample(pool, len(pool))
    text = ""
    for p in picks:
        clause = _fill(rng, p)
        candidate = (text[:-1] + "；" if text else "") + clause + "。"
        if len(candidate) > high:
            break
        text = candidate
        if len(text) >= target:
            break
    while len(text) < low:
        text = text[:-1] + "，需持续跟踪推进。"
    return text


def fill_ledger(ledger, months=(4, 5, 6), year: int = 2026, seed: int = SEED) -> dict:
    """Drive the months with the usual late/missing pattern, then give every progress row real-length text."""
    info = drive(ledger, year, months)
    rng = random.Random(seed)
    p = schema.progress_row
    texts: dict[str, str] = {}
    with ledger.begin() as conn:
        rows = conn.execute(select(p.c.id, p.c.on_track).order_by(p.c.id)).all()
        for r in rows:
            problems = short_text(rng, PROBLEM_CLAUSES) if (r.on_track is not True or rng.random() < 0.5) else "无"
            values = {"done": done_text(rng), "problems": problems, "next_steps": short_text(rng, NEXT_CLAUSES)}
            conn.execute(update(p).where(p.c.id == r.id).values(**values))
            texts[str(r.id)] = values["done"]
    info["texts"] = texts
    return info


# -- rendering and measuring ------------------------------------------------------------------
def to_pdf(path: Path, out_dir: Path) -> Path:
    from core.office.pdf_export import convert_to_pdf
    return convert_to_pdf(path, out_dir)


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pdf_pages_text(pdf: Path) -> list[str]:
    return pdf_text(pdf).split("\f")[:pdf_pages(pdf)]


def pdf_words(pdf: Path) -> list[tuple[int, float, float, float, float, str]]:
    """Every word poppler finds, as (page, xMin, yMin, xMax, yMax, text): where each piece of text sits on paper."""
    import html
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words, page = [], 0
    for line in out.splitlines():
        if "<page " in line:
            page += 1
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if m:
            words.append((page, *(float(m.group(i)) for i in range(1, 5)), html.unescape(m.group(5))))
    return words


def first_page_png(pdf: Path, out_png: Path, dpi: int = 60) -> Path:
    stem = out_png.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf), str(stem)],
                   check=True)
    return out_png


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def has_soffice() -> bool:
    return bool(shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdfinfo"))


def pdf_images(pdf: Path) -> list[dict]:
    """Every picture placed in the PDF: {page, width, height, x_ppi} (pixels and pixels per inch on paper)."""
    out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        f = line.split()
        if len(f) >= 14 and f[2] == "image":
            rows.append({"page": int(f[0]), "width": int(f[3]), "height": int(f[4]), "x_ppi": float(f[12])})
    return rows


def media_pngs(path: Path) -> list[bytes]:
    """The PNG pictures inside a .docx or .xlsx package."""
    import zipfile
    with zipfile.ZipFile(path) as z:
        return [z.read(n) for n in sorted(z.namelist()) if n.endswith(".png") and "/media/" in n]


TEXT_LEFT_PT, TEXT_RIGHT_PT = 28 / 25.4 * 72, (210 - 26) / 25.4 * 72      # GB/T 9704 text area (28 mm, 26 mm)
TEXT_BOTTOM_PT = (297 - 35) / 25.4 * 72


def document_ending(pdf: Path, office: str = "区政府督查室") -> dict:
    """Where the ending of a 通报 prints, as a reader would check it: the 署名 (a line holding only `office`) and the
    成文日期 under it (x of each, their page, the lines of text above the 署名 on that page), the 版记's 印发 line
    (page, bottom) and 抄送 line, and the full-width rules on the last page (pdftoppm at 100 dpi)."""
    words = pdf_words(pdf)
    last = max(w[0] for w in words)
    sig = [w for w in words if w[5] == office]
    sig = sig[-1] if sig else None
    out: dict = {"pages": last, "signature": sig}
    if sig:
        below = sorted((w for w in words if w[0] == sig[0] and sig[4] < w[2] < sig[4] + 30), key=lambda w: w[1])
        out["date"] = below[0] if below else None
        out["date_end"] = max((w[3] for w in below), default=0)
        out["lines_above"] = len({round(w[2]) for w in words if w[0] == sig[0] and w[4] < sig[2] - 20})
    printed = [w for w in words if w[5].endswith("印发")]
    out["issued"] = printed[-1] if printed else None
    out["cc"] = next((w for w in words if w[5].startswith("抄送：")), None)
    import tempfile

    from PIL import Image
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", str(last), "-l", str(last), "-singlefile", str(pdf),
                        f"{tmp}/p"], check=True, timeout=120)
        img = Image.open(f"{tmp}/p.png").convert("L")
    scale = img.width / (210 / 25.4 * 72)
    x0, x1 = int(TEXT_LEFT_PT * scale), int(TEXT_RIGHT_PT * scale)
    rows = [y for y in range(img.height) if sum(img.getpixel((x, y)) < 100 for x in range(x0, x1, 3)) > (x1 - x0) / 3 * 0.9]
    rules = [y for i, y in enumerate(rows) if i == 0 or y > rows[i - 1] + 1]
    out["rules_pt"] = [y / scale for y in rules]
    return out
