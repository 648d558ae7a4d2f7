"""The quarterly bulletin draft (.docx after GB/T 9704): overall counts, tasks met and behind, late and missing reports, charts, source files."""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from core.office import docx_style as ds
from core.common.errors import Cancelled, UserError
from core.reports.data import bulletin_data, cn_date

OFFICE = "区政府督查室"
CN_SUB = "一二三四五六七八九十"


def _sub(i: int) -> str:
    return f"（{CN_SUB[i] if i < 10 else i + 1}）"


def seq_list(seqs: list[int]) -> str:
    """[1,2,3,5] → 第1—3、5项"""
    return f"第{num_list(seqs)}项" if seqs else "无"


def num_list(nums: list[int]) -> str:
    nums = sorted(nums)
    parts, i = [], 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        parts.append(f"{nums[i]}" if i == j else f"{nums[i]}—{nums[j]}")
        i = j + 1
    return "、".join(parts) or "无"


def counts_sentence(label: str, c: dict) -> str:
    return (f"{label}{c['total']}项，其中完成阶段任务目标{c['met']}项、未完成阶段任务目标{c['behind']}项、"
            f"未报送或未明确{c['unclear']}项")


def write_bulletin(ledger, quarter: str, out: Path | str, today: date | None = None, progress=None, cancel=None,
                   charts: bool = True) -> dict:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from core.office import charts as ch
    out = Path(out)
    if out.suffix.lower() != ".docx":
        raise UserError(f"输出文件“{out.name}”应以 .docx 结尾。")
    step = _stepper(progress, cancel, 6)
    d = bulletin_data(ledger, quarter, today)
    step("数据")
    y, q, qc = d["year"], d["quarter"], d["quarter_cn"]
    last_month = q * 3
    doc = ds.new_document()
    ds.title(doc, f"关于{y}年第{qc}季度《政府工作报告》\n重点任务落实情况的通报")
    ds.para(doc, "各有关单位：", indent=False)
    ds.para(doc, f"根据区政府工作安排，{OFFICE}对{y}年第{qc}季度《政府工作报告》重点任务和民生实事项目落实情况进行了调度。"
                 "现将有关情况通报如下：")
    # 一、总体情况
    ds.heading(doc, "一、总体情况", 1)
    key, liv = d["counts"]["key"], d["counts"]["livelihood"]
    ds.para(doc, f"截至{y}年{last_month}月底，" + counts_sentence("《政府工作报告》重点任务", key) + "；"
            + counts_sentence("民生实事项目", liv) + "。")
    late_n, miss_n = len(d["late"]), len(d["missing"])
    ds.para(doc, f"本季度应报送月度落实情况{_expected(d)}家次，按时报送{_expected(d) - late_n - miss_n}家次，"
                 f"迟报{late_n}家次，未报{miss_n}家次。")
    figure_no = 0
    if charts and d["by_area"]:
        figure_no += 1
        ds.picture(doc, ch.by_area(d["by_area"]), f"图{figure_no}  各重点领域完成阶段任务目标情况")
    if charts and d["by_month"]:
        figure_no += 1
        ds.picture(doc, ch.by_month(d["by_month"]), f"图{figure_no}  逐月完成阶段任务目标情况", width_mm=140)
    if charts and d["by_unit"] and not d["no_ranking"]:
        figure_no += 1
        ds.picture(doc, ch.by_unit(d["by_unit"]), f"图{figure_no}  各责任单位报告完成阶段任务目标情况（按单位名称排列）")
    step("图表")
    # 二、完成阶段任务目标的任务
    ds.heading(doc, "二、完成阶段任务目标的任务", 1)
    met_by_area: dict[str, list[int]] = defaultdict(list)
    for t in d["met_tasks"]:
        if t["kind"] == "key":
            met_by_area[t["area"] or "其他"].append(t["seq"])
    if not met_by_area:
        ds.para(doc, "本季度暂无全部责任单位均报告完成阶段任务目标的重点任务。")
    for i, (area, seqs) in enumerate(met_by_area.items()):
        ds.para(doc, f"{_sub(i)}{area}：{seq_list(seqs)}，共{len(seqs)}项。")
    met_liv = [t["seq"] for t in d["met_tasks"] if t["kind"] == "livelihood"]
    if met_liv:
        ds.para(doc, f"民生实事项目：{seq_list(met_liv)}，共{len(met_liv)}项。")
    # 三、未完成阶段任务目标的任务
    ds.heading(doc, "三、未完成阶段任务目标的任务及存在问题", 1)
    if not d["behind_tasks"]:
        ds.para(doc, "本季度各责任单位均未报告未完成阶段任务目标的情况。")
    for i, t in enumerate(d["behind_tasks"]):
        label = "重点任务" if t["kind"] == "key" else "民生实事"
        lead = "、".join(u["name"] for u in t["units"] if u["lead"]) or "—"
        ds.heading(doc, f"{_sub(i) if i < 10 else f'{i + 1}.'}{label}第{t['seq']}项（牵头单位：{lead}）", 2 if i < 10 else 3)
        ds.para(doc, _short(t["text"], 80))
        for u in t["behind_units"]:
            problem = u["problems"].strip() or "未说明原因"
            ds.para(doc, f"{u['name']}报告未完成阶段任务目标，存在问题：{problem}")
    step("任务")
    # 四、报送情况
    ds.heading(doc, "四、报送情况", 1)
    _reporting(doc, d)
    # 五、下一步要求
    ds.heading(doc, "五、下一步工作要求", 1)
    ds.para(doc, "各责任单位要对照年度目标和季度计划，聚焦未完成阶段任务目标的事项，逐项分析原因，明确整改措施和完成时限，"
                 "确保各项任务按计划推进；要严格落实月度报送制度，按时、如实报送落实情况。")
    ds.para(doc, "")
    ds.para(doc, "附件：数据来源文件清单", indent=True)
    ds.para(doc, "")
    ds.para(doc, OFFICE, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    ds.para(doc, cn_date(d["today"]), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    step("正文")
    _appendix(doc, d)
    step("附件")
    ds.save(doc, out)
    step("保存")
    return {"path": str(out), "counts": d["counts"], "late": late_n, "missing": miss_n, "files": len(d["files"]),
            "figures": figure_no}


def _expected(d: dict) -> int:
    """家次 expected: units that report × months already due (the same rule as late/missing)."""
    return d["expected_reports"]


def _reporting(doc, d: dict) -> None:
    late, missing = d["late"], d["missing"]
    if not late and not missing:
        ds.para(doc, "本季度各责任单位均按时报送了月度落实情况。")
        return
    by_unit: dict[str, dict[str, list[str]]] = {}
    for x in late:
        by_unit.setdefault(x["unit"], {"late": [], "missing": []})["late"].append(f"{int(x['period'][5:])}月")
    for x in missing:
        by_unit.setdefault(x["unit"], {"late": [], "missing": []})["missing"].append(f"{int(x['period'][5:])}月")
    if d["no_ranking"]:
        names = sorted(by_unit)  # by name only; no ordering by counts, no ranking words
        ds.para(doc, "以下单位存在迟报或未报情况（按单位名称排列）：")
    else:
        names = sorted(by_unit, key=lambda n: (-len(by_unit[n]["late"]) - 2 * len(by_unit[n]["missing"]), n))
        ds.para(doc, "以下单位存在迟报或未报情况（按迟报、未报次数由多到少排列）：")
    for n in names:
        parts = []
        if by_unit[n]["missing"]:
            parts.append("未报" + "、".join(by_unit[n]["missing"]) + "落实情况")
        if by_unit[n]["late"]:
            parts.append("迟报" + "、".join(by_unit[n]["late"]) + "落实情况")
        ds.para(doc, f"{n}：{'，'.join(parts)}。")


def _appendix(doc, d: dict) -> None:
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    doc.add_section(WD_SECTION.NEW_PAGE)
    ds.para(doc, "附件", indent=False, font=ds.H1_FONT)
    ds.para(doc, "数据来源文件清单", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, font=ds.TITLE_FONT, size=18)
    ds.para(doc, "一、各项数字和图表所依据的文件", indent=False, font=ds.H1_FONT, size=14)
    ds.table(doc, ["数字或图表", "依据的文件（下表序号）"],
             [[name, num_list(nums)] for name, nums in d["figures"] if name in _visible(d)], [60, 96], size=10.5)
    ds.para(doc, "二、文件清单（文件内容以 SHA-256 校验值为准，可在台账文件库中按校验值取回原件）",
            indent=False, font=ds.H1_FONT, size=14)
    rows = [[str(i + 1), f["name"], f["unit"], f["received_at"].strftime("%Y-%m-%d\n%H:%M") if f["received_at"] else "",
             f["hash"][:32] + "\n" + f["hash"][32:]] for i, f in enumerate(d["files"])]
    ds.table(doc, ["序号", "文件名", "报送单位", "收到时间", "SHA-256"], rows, [10, 35, 27, 22, 62], size=7.5)


def _visible(d: dict) -> set[str]:
    names = {name for name, _n in d["figures"]}
    if d["no_ranking"]:
        names.discard("图3 各单位报告完成情况")
    return names


def _short(text: str, limit: int) -> str:
    text = text.strip()
    first = text.split("。")[0] + "。" if "。" in text else text
    return first if len(first) <= limit else first[:limit] + "……"


def _stepper(progress, cancel, total: int):
    state = {"n": 0}

    def step(label: str) -> None:
        state["n"] += 1
        if progress:
            progress(state["n"], total, label)
        if cancel and cancel():
            raise Cancelled()
    return step
