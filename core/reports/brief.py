"""The 区长 brief (.docx): the month's figures, red/yellow tasks in a line or two, late and missing units; whole clauses cut."""
from __future__ import annotations

import math
import re
from datetime import date
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from core.common.errors import UserError
from core.common.vocabulary import KIND_NAMES
from core.common.work import Work, given
from core.office import docx_style as ds
from core.reports.data import LIGHT_MEANING, LIGHT_NAMES, cn_date, parse_period, summary_data
from core.reports.report_types import BriefData, BriefItem, BriefWritten, SummaryTask
from core.tracking.states import MatrixRow

if TYPE_CHECKING:
    from core.ledger.store import Ledger

BODY_PT, LINE_PT = 12, 20          # 小四 on a 20 pt grid: 36 characters a line, 31 lines a page
CHARS_PER_LINE = 36
LINES_PER_PAGE = 31
MAX_PAGES = 4                      # read in three minutes
ITEM_LINES = 2                     # a task in one or two lines
MOST_ITEMS = 10                    # each list: the worst this many, then “其余N项见汇总表”
NAMES_SHOWN = 4                    # units sharing a pattern: this many named, then “等N家单位”
CN_ORD = "一二三四五六七八九十"
CLAUSE = re.compile(r"[^。；，！？]*[。；，！？]?")


def clauses(text: str) -> list[str]:
    """The text in whole clauses, each keeping its closing mark (split after 。；，！？)."""
    return [c for c in CLAUSE.findall((text or "").strip().replace("\n", "")) if c]


def whole_clauses(text: str, limit: int, at_least_one: bool = True) -> str:
    """The first clauses of `text` that fit in `limit` characters (at least the first, whole, if asked), ending with 。.

    Never cuts inside a clause: a shortened text is always a run of the source's own clauses."""
    out = ""
    for c in clauses(text):
        if out and len(out) + len(c) > limit:
            break
        if not out and len(c) > limit and not at_least_one:
            return ""
        out += c
    return out.rstrip("。；，！？、 ") + "。" if out else ""


def _stem(text: str) -> str:
    return text.rstrip("。；，！？、 ")


_REASONS = [
    (re.compile(r"^(.+?)（(?:牵头|配合)）连续两个月（.*?）未完成阶段任务目标.*$"), "{0}连续两月未完成阶段目标"),
    (re.compile(r"^(.+?)（(?:牵头|配合)）(?:\d+年)?(\d+月)未完成阶段任务目标.*$"), "{0}{1}未完成阶段目标"),
    (re.compile(r"^(.+?)（(?:牵头|配合)）(?:\d+年)?(\d+月)落实情况表逾期 ?(\d+) ?个工作日未报$"), "{0}逾期{2}个工作日未报"),
    (re.compile(r"^(.+?)（(?:牵头|配合)）(?:\d+年)?(\d+月)完成情况与上月相同（进展停滞）$"), "{0}{1}进展停滞"),
    (re.compile(r"^(.+?)（(?:牵头|配合)）(?:\d+年)?(\d+月)落实情况表尚未报送，截止(.+)$"), "{0}尚未报送（{2}截止）"),
]


def behind_text(reasons: list[str], lead: str = "") -> list[tuple[str, str]]:
    """The light's reasons in the brief's short wording, as (unit, text): each reason whole, unknown ones as they are;
    the lead unit's own reasons without its name, which the line already gives."""
    out = []
    for r in reasons:
        for pattern, form in _REASONS:
            m = pattern.match(r)
            if m:
                groups = ("牵头单位" if m.group(1) == lead else m.group(1),) + m.groups()[1:]
                out.append((m.group(1), form.format(*groups)))
                break
        else:
            out.append(("", r))
    return out


def task_line(t: SummaryTask, budget: int) -> BriefItem:
    """One red or yellow task: {task, lead, behind, why}, each a run of whole clauses, together about `budget` characters.

    The task's first clause, its lead unit, the first reason of its light and the first clause of the 存在问题 of a
    unit the line names always come; more reasons and clauses only while they fit."""
    leads = [u["name"] for u in t["unit_rows"] if u["role"] == "lead"]
    lead = leads[0] if len(leads) == 1 else ""
    task = _stem(whole_clauses(t["text"], 16))
    reasons = behind_text(t["light_reasons"], lead)
    problems = {u["name"]: u["problems"].strip() for u in t["unit_rows"] if u["on_track"] == "否"
                and u["problems"].strip() and u["problems"].strip() not in ("无", "暂无")}
    shown = reasons[:1]
    who = next((n for n, _r in shown if n in problems), None)
    if who is None and problems:  # the reason shown has no 存在问题 (e.g. not reported): name a unit that wrote one
        who = next((n for n, _r in reasons if n in problems), next(iter(problems)))
        shown += [r for r in reasons if r[0] == who][:1]
    why = whole_clauses(problems[who], 0) if who else ""
    lead_text = "、".join(leads) or "未定牵头单位"
    used = len(_item_text(0, task, lead_text, [r for _n, r in shown], why))
    for r in reasons:
        if r in shown:
            continue
        if used + len(r[1]) + 1 > budget:
            break
        shown.append(r)
        used += len(r[1]) + 1
    if who:
        why = whole_clauses(problems[who], len(why) + max(budget - used, 0))
    behind = [r for _n, r in sorted(shown, key=reasons.index)]
    return BriefItem(seq=t["seq"], kind=t["kind"], task=task, lead=lead_text, behind=behind, why=why, light=t["light"],
                     source_problems=problems[who] if who else "",
                     why_unit="牵头单位" if who and who == lead else (who or ""))


def item_text(n: int, item: BriefItem) -> str:
    return _item_text(n, item["task"], item["lead"], item["behind"], item["why"])


def _item_text(n: int, task: str, lead: str, behind: list[str], why: str) -> str:
    text = f"{n}.{task}（{lead}牵头）"
    text += ("：" + "；".join(behind) + "。") if behind else "。"
    return text + ("原因：" + why if why else "")


def brief_data(ledger: Ledger, period: str, today: date | None = None) -> BriefData:
    """The month's figures, the red and yellow tasks (key tasks, then 民生实事; 序号 order), and late or missing units."""
    from core.ledger.queries import require_campaign
    from core.tracking import states as tracking
    year, month = parse_period(period)
    today = today or date.today()
    kinds = {k: summary_data(ledger, period, k, today) for k in KIND_NAMES}
    tasks = {k: [t for g in d["groups"] for t in g["tasks"]] for k, d in kinds.items()}
    if not any(tasks.values()):
        raise UserError(f"{year}年台账中没有任务，无法生成区长简报。")
    with ledger.read() as conn:
        cid = require_campaign(conn, year)
        matrix = [r for r in tracking.submission_matrix(conn, cid, period, today, forms=("report",), cutoff=True)
                  if r["form"] == "report" and r["period"] == period]
    # counted as 督办's tiles count them (tracking.shown_code): a file sent back in part is 退回待改 there and here
    shown = tracking.shown_code
    codes = {"on_time": tracking.REPORTED, "late": tracking.REPORTED_LATE}
    late = [r for r in matrix if shown(r) == codes["late"]]
    missing = [r for r in matrix if shown(r) in (tracking.OVERDUE, tracking.RETURNED)]
    pending = [r for r in matrix if shown(r) in (tracking.DISPATCHED, tracking.NOT_DISPATCHED)]
    lights = {k: {c: sum(t["light"] == c for t in ts) for c in LIGHT_NAMES} for k, ts in tasks.items()}
    verdicts = {v: sum(d["counts"][v] for d in kinds.values())
                for v in ("done", "behind", "unreported", "closed", "total")}
    return BriefData(verdicts=verdicts, year=year, month=month, period=period, today=today, tasks=tasks, lights=lights,
                     units=len(matrix), on_time=sum(shown(r) == codes["on_time"] for r in matrix), late=late,
                     missing=missing, pending=pending)


def late_band(days: int, word: str) -> str:
    """Working days late in bands, so units late alike are grouped: 晚1—5个工作日 / 6—10 / 10个工作日以上."""
    if days <= 5:
        return f"{word}5个工作日以内"
    if days <= 10:
        return f"{word}6至10个工作日"
    return f"{word}10个工作日以上"


def _lines(text: str) -> int:
    return max(1, math.ceil(len(text) / CHARS_PER_LINE))


def plan_items(data: BriefData) -> dict[str, list[BriefItem]]:
    """Red and yellow items in two lines each; when so many tasks are behind that the brief would pass 8 pages, the
    yellow ones keep only the task and its lead unit (their reasons are in the 汇总表), then the red ones too."""
    two_lines = ITEM_LINES * CHARS_PER_LINE - 6  # room for how a renderer breaks lines (no mark starts a line)
    behind = {c: worst_first([t for k in KIND_NAMES for t in data["tasks"][k] if t["light"] == c])[:MOST_ITEMS]
              for c in ("red", "yellow")}
    out = {c: [task_line(t, two_lines) for t in ts] for c, ts in behind.items()}
    for c in ("yellow", "red"):
        if _item_lines(out) + 2 * LINES_PER_PAGE <= MAX_PAGES * LINES_PER_PAGE:
            break
        out[c] = [{**i, "behind": [], "why": "", "short": True} for i in out[c]]
    return out


def worst_first(tasks: list[SummaryTask]) -> list[SummaryTask]:
    """未完成 before 未报 before the rest, then more reasons (units behind), then 重点 before 民生, then 序号."""
    rank = {"behind": 0, "unreported": 1}
    return sorted(tasks, key=lambda t: (rank.get(t.get("verdict", ""), 2), -len(t["light_reasons"]),
                                        t["kind"] != "key", t["seq"]))


def unit_groups(rows: list[MatrixRow], text: Callable[[MatrixRow], str]) -> list[str]:
    """Units sharing the same wording grouped: “A、B、C、D等9家单位（…）”, the largest group first."""
    groups: dict[str, list[str]] = {}
    for r in rows:
        groups.setdefault(text(r), []).append(r["unit"])
    out = []
    for words, names in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        who = "、".join(names[:NAMES_SHOWN]) + (f"等{len(names)}家单位" if len(names) > NAMES_SHOWN else "")
        out.append(f"{who}（{words}）")
    return out


def _item_lines(items: dict[str, list[BriefItem]]) -> int:
    return sum(_lines(item_text(99, i)) for c in items for i in items[c])


def write_brief(ledger, period: str, out: Path | str, today: date | None = None, work: Work | None = None) -> BriefWritten:
    """Write the brief; returns {path, red, yellow, late, missing}."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    out = Path(out)
    if out.suffix.lower() != ".docx":
        raise UserError(f"区长简报是 Word 文档，输出文件“{out.name}”应以 .docx 结尾。")
    data = brief_data(ledger, period, today)
    items = plan_items(data)
    work = given(work)
    work.check()
    year, month = data["year"], data["month"]
    doc = ds.new_document()
    normal = doc.styles["Normal"]
    ds.set_style_font(normal, ds.BODY_FONT, BODY_PT)
    normal.paragraph_format.line_spacing = Pt(LINE_PT)

    def p(text: str, **kw):
        par = ds.para(doc, text, size=BODY_PT, **kw)
        par.paragraph_format.line_spacing = Pt(LINE_PT)
        return par

    def heading(text: str, level: int = 1):
        par = ds.heading(doc, text, level)
        for run in par.runs:
            run.font.size = Pt(BODY_PT + 1)
        par.paragraph_format.line_spacing = Pt(LINE_PT + 4)
        par.paragraph_format.keep_with_next = True
        return par

    ds.title(doc, f"{year}年{month}月重点任务和民生实事落实情况")
    p(f"（区长阅件　区政府督查室　数据截至{cn_date(data['today'])}）", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER,
      font=ds.H2_FONT)
    # 一、figures
    heading("一、总体情况")
    total = sum(len(ts) for ts in data["tasks"].values())
    reported = data["on_time"] + len(data["late"])
    returned = sum(_owed(r) == "退回待改" for r in data["missing"])
    p(f"本月应报送落实情况表的责任单位{data['units']}个，已报送{reported}个（按时{data['on_time']}个、"
      f"逾期报送{len(data['late'])}个），逾期未报{len(data['missing']) - returned}个"
      + (f"，退回待改{returned}个" if returned else "")
      + (f"，未到报送截止日{len(data['pending'])}个" if data["pending"] else "") + "。")
    v = data["verdicts"]
    light_all = {c: sum(data["lights"][k][c] for k in KIND_NAMES) for c in LIGHT_NAMES}
    p(f"按{month}月落实情况，{total}项任务中完成阶段任务目标{v['done']}项、未完成{v['behind']}项、"
      f"尚有责任单位未报{v['unreported']}项" + (f"、已办结{v['closed']}项" if v["closed"] else "") + "。"
      + ("未报的任务不计为完成，待报送后再作判断。" if v["unreported"] else ""))
    p(f"{total}项任务中，" + "，".join(f"{LIGHT_NAMES[c]}灯（{LIGHT_MEANING[c]}）{light_all[c]}项"
                                     for c in ("red", "yellow", "green", "blue")) + "。其中"
      + "；".join(f"{KIND_NAMES[k]}{len(data['tasks'][k])}项：" + "、".join(
          f"{LIGHT_NAMES[c]}灯{data['lights'][k][c]}项" for c in ("red", "yellow", "green", "blue"))
          for k in KIND_NAMES) + "。各项任务详情见当月重点任务落实情况汇总表和民生实事项目进展情况表。")
    # 二、三、red and yellow tasks
    for c, n in (("red", 2), ("yellow", 3)):
        brief_only = any(i.get("short") for i in items[c])
        n_all = light_all[c]
        heading(f"{CN_ORD[n - 1]}、{LIGHT_NAMES[c]}灯任务（{LIGHT_MEANING[c]}，{n_all}项"
                + ("，原因详见汇总表" if brief_only else "") + "）")
        if not items[c]:
            p(f"本月无{LIGHT_NAMES[c]}灯任务。")
        sub = 1
        for k in KIND_NAMES:
            mine = [i for i in items[c] if i["kind"] == k]
            if not mine:
                continue
            n_kind = data["lights"][k][c]
            heading(f"（{CN_ORD[sub - 1]}）{KIND_NAMES[k]}（{n_kind}项"
                    + (f"，列出{len(mine)}项）" if n_kind > len(mine) else "）"), 2)
            sub += 1
            for j, item in enumerate(mine, 1):
                p(item_text(j, item), indent=False)
        if n_all > len(items[c]):
            p(f"以上为问题较突出的{len(items[c])}项，其余{n_all - len(items[c])}项见汇总表。")
        work.report(n - 1, 4, LIGHT_NAMES[c] + "灯任务")
    # 四、late and missing units, kept on one page
    heading("四、迟报和未报单位")
    last = []
    if data["missing"]:
        last.append(p(f"逾期未报或退回待改（{len(data['missing'])}个）：" + "；".join(unit_groups(
            data["missing"], lambda r: "退回待改" if _owed(r) == "退回待改" else late_band(r["late_workdays"], "已逾期")))
            + "。"))
    if data["late"]:
        last.append(p(f"逾期报送（{len(data['late'])}个）：" + "；".join(unit_groups(
            data["late"], lambda r: late_band(r["late_workdays"], "晚"))) + "。"))
    if not data["late"] and not data["missing"]:
        last.append(p("本月各责任单位均按时报送。"))
    for par in last[:-1]:
        par.paragraph_format.keep_with_next = True
    for par in last:
        par.paragraph_format.keep_together = True
    work.report(4, 4, "完成")
    ds.save(doc, out)
    return BriefWritten(path=str(out), red=len(items["red"]), yellow=len(items["yellow"]), late=len(data["late"]),
                        missing=len(data["missing"]), items=items)


def _owed(row) -> str:
    """What a unit still owes this month, as 督办 shows it: 退回待改 (whole or in part), else how late."""
    if row["code"] == "returned" or row.get("returned_rows"):
        return "退回待改"
    return f"已逾期{row['late_workdays']}个工作日"
