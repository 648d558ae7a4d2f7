"""The demo year played through the real code path: 附件3 in March, 附件4 monthly, lateness, 退回, 办结, a month to review."""
from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from core.common.work import Work, given
from core.demo import texts
from core.demo.workbooks import evidence_docx, fill, received
from core.ledger import schema
from core.ledger.store import Ledger
from core.tracking.deadlines import month_end, report_due, shift_period
from core.tracking.workdays import WorkCalendar

SEED = 2026
YEAR = 2026
FIRST_MONTH = 4                     # the first 附件4 round: April
PLAN_LATE = ("区民政局", "区城管局")          # the two units whose 附件3 came after the deadline
PLAN_RETURNED = "区商务局"                       # its first 附件3 was sent back for correction
COPIER = "区市场监管局"                           # copies last month's text in the last two rounds
CONTRADICTOR = "区住房城乡建设局"                 # writes "是" over a text that says it is behind
CLOSED = (("livelihood", 14, 6), ("livelihood", 10, 9))   # (kind, seq, month closed): two tasks 办结 with evidence
RETURN_COMMENT = "三、四季度目标及推进计划未填写，请补充完整后重新报送。"



@dataclass
class Story:
    """What the builder knows while it plays the year."""
    ledger: Ledger
    work: Path
    now: datetime
    cal: WorkCalendar
    rng: random.Random
    units: dict[int, str] = field(default_factory=dict)          # unit id → name
    tasks: dict[str, dict] = field(default_factory=dict)         # task uid → {id, kind, seq, text}
    rows: dict[str, texts.RowStory] = field(default_factory=dict)  # row key → its story
    behind: set[str] = field(default_factory=set)                # row keys running behind from the summer on
    summary: dict[str, dict] = field(default_factory=dict)       # period → {received, late, missing, staged}


def last_month(today: date) -> str:
    """The latest month with a round: the month before `today`, within the campaign year."""
    prev = shift_period(f"{today.year:04d}-{today.month:02d}", -1)
    return min(prev, f"{YEAR}-12")


def months_of(today: date) -> list[str]:
    last = last_month(today)
    return [f"{YEAR}-{m:02d}" for m in range(FIRST_MONTH, 13) if f"{YEAR}-{m:02d}" <= last]


def build_year(ledger: Ledger, folder: Path, now: datetime | None = None, work: Work | None = None) -> dict:
    """Play the year into `ledger` (holding the imported tasks and contacts); returns {period: counts}.

    Every round is generated with core.forms.generate, filled with openpyxl the way a unit fills it, dated by its
    file time (collect takes a plain file's received time from its mtime) and collected with core.returns.collect;
    the clerk's decisions go through core.returns.review / core.tracking.states and core.returns.merge. Received
    times are checked after each collect; should collect ever read them differently, _date_submissions writes
    the story's time into submission.received_at directly.
    """
    now = (now or datetime.now()).replace(microsecond=0)
    work = given(work)
    story = Story(ledger, Path(folder), now, WorkCalendar.from_ledger(ledger), random.Random(SEED))
    _load(story)
    months = months_of(now.date())
    work.step(0, len(months) + 1, "3月：下发并收回落实计划表（附件3）")
    _plan_round(story)
    for i, period in enumerate(months):
        work.step(i + 1, len(months) + 1,
                  f"{int(period[5:7])}月：下发、填报、收文" + ("（留待审核）" if i == len(months) - 1 else "、合并"))
        _report_round(story, period, latest=i == len(months) - 1)
        for kind, seq, month in CLOSED:
            if int(period[5:7]) == month:
                _close(story, kind, seq, period)
    return story.summary


# -- reading the ledger ---------------------------------------------------------------------------------
def _load(story: Story) -> None:
    with story.ledger.read() as conn:
        story.units = {r.id: r.name for r in conn.execute(select(schema.unit.c.id, schema.unit.c.name))}
        t = schema.task
        camp = select(schema.campaign.c.id).where(schema.campaign.c.year == YEAR).scalar_subquery()
        for r in conn.execute(select(t.c.id, t.c.uid, t.c.kind, t.c.seq, t.c.text)
                              .where(t.c.active.is_(True), t.c.campaign_id == camp)):   # this year's tasks only
            story.tasks[r.uid] = {"id": r.id, "kind": r.kind, "seq": r.seq, "text": r.text}


def _row_story(story: Story, key: str, role: str) -> texts.RowStory:
    if key not in story.rows:
        uid = key.split(":")[0]
        seed = SEED * 1000 + len(story.rows)
        story.rows[key] = texts.new_story(story.tasks[uid]["text"], role != "配合", seed)
    return story.rows[key]


# -- times ------------------------------------------------------------------------------------------------
def _at(story: Story, day: date, rng: random.Random | None = None) -> datetime:
    rng = rng or story.rng
    minutes = rng.randint(8 * 60 + 40, 17 * 60 + 50)
    return datetime.combine(day, time(minutes // 60, minutes % 60))


def _workdays(story: Story, first: date, last: date) -> list[date]:
    out, day = [], first
    while day <= last:
        if story.cal.is_workday(day):
            out.append(day)
        day += timedelta(days=1)
    return out


def _date_submissions(story: Story, results: Sequence[Mapping[str, Any]], times: dict[str, datetime]) -> None:
    """Make sure each submission's received_at is the story's time (collect reads it from the file's mtime)."""
    s = schema.submission
    with story.ledger.begin() as conn:
        for r in results:
            sid, when = r.get("submission_id"), times.get(Path(r["path"]).name)
            if not sid or when is None:
                continue
            got = conn.execute(select(s.c.received_at).where(s.c.id == sid)).scalar()
            if got != when:
                conn.execute(update(s).where(s.c.id == sid).values(received_at=when))


def _collect(story: Story, files: list[tuple[Path, datetime]]) -> Sequence[Mapping[str, Any]]:
    from core.returns.collect import collect
    for path, when in files:
        received(path, when)
    results = collect(story.ledger, [p for p, _ in files])
    bad = [r for r in results if r["status"] not in ("staged", "unchanged")]
    if bad:
        raise RuntimeError(f"演示台账生成失败：{bad[0]['path']} {bad[0]['status']} {bad[0]['message']}")
    _date_submissions(story, results, {p.name: w for p, w in files})
    return results


# -- 附件3 in March --------------------------------------------------------------------------------------
def _plan_round(story: Story) -> None:
    from core.forms.generate import generate
    from core.returns.merge import merge
    from core.returns.review import set_file_decision
    from core.tracking.states import mark_returned
    outbox = story.work / "发件箱"
    generated = generate(story.ledger, "plan", None, outbox, with_eml=False)
    inbox = story.work / "收件" / "落实计划表"
    due = date(YEAR, 3, 6)
    on_time_days = _workdays(story, date(YEAR, 3, 2), due)   # the week before the 3月6日 deadline
    files: list[tuple[Path, datetime]] = []
    late: list[tuple[Path, datetime]] = []
    returned_first: tuple[Path, datetime] | None = None
    for r in generated:
        name, src = r["unit"], Path(r["path"])
        owner, supervisor = texts.officer_titles(name)

        def answer(key: str, role: str, owner=owner, supervisor=supervisor) -> dict:
            quarter = int(key.rsplit(":Q", 1)[1])
            row_story = _row_story(story, key.rsplit(":Q", 1)[0], role)
            return {"target": texts.plan_target(row_story, quarter), "owner": owner, "supervisor": supervisor}

        def first_answer(key: str, role: str, answer=answer) -> dict:   # 三、四季度 left empty: sent back
            values = answer(key, role)
            return values if int(key.rsplit(":Q", 1)[1]) <= 2 else {**values, "target": ""}
        if name in PLAN_LATE:
            day = story.cal.add_workdays(due, 2 + PLAN_LATE.index(name) * 2)
            when = _at(story, day)
        elif name == PLAN_RETURNED:
            when = _at(story, date(YEAR, 3, 3))
            first = fill(src, inbox / "第一次" / f"{name}-落实计划表.xlsx", first_answer, "plan", when)
            returned_first = (first, when)
            final_answer = answer
            continue
        else:
            when = _at(story, story.rng.choice(on_time_days))
        path = fill(src, inbox / f"{name}-落实计划表.xlsx", answer, "plan", when)
        (late if name in PLAN_LATE else files).append((path, when))
    results = _collect(story, files + late + ([returned_first] if returned_first else []))
    if returned_first is not None:
        sid = next(r["submission_id"] for r in results if Path(r["path"]).name == returned_first[0].name)
        set_file_decision(story.ledger, sid, "rejected")
        mark_returned(story.ledger, sid, RETURN_COMMENT)
        src = Path(next(r["path"] for r in generated if r["unit"] == PLAN_RETURNED))
        when = datetime.combine(date(YEAR, 3, 6), time(16, 40))
        again = fill(src, inbox / f"{PLAN_RETURNED}-落实计划表（修改稿）.xlsx", final_answer, "plan", when)
        _collect(story, [(again, when)])
    merge(story.ledger, accept_all=True)
    story.summary["plan"] = {"received": len(generated), "late": len(PLAN_LATE), "returned": 1 if returned_first else 0,
                             "missing": 0}


# -- 附件4 every month ----------------------------------------------------------------------------------
def _report_round(story: Story, period: str, latest: bool) -> None:
    from core.forms.generate import generate
    from core.returns.merge import merge
    rng = random.Random(f"{SEED}-{period}")
    month = int(period[5:7])
    generated = generate(story.ledger, "report", period, story.work / "发件箱", with_eml=False)
    names = [r["unit"] for r in generated]
    special = {COPIER, CONTRADICTOR}
    ordinary = [n for n in names if n not in special]
    due = report_due(period, story.cal)
    window = _workdays(story, month_end(period) - timedelta(days=3), due)
    open_round = latest and story.now.date() <= due
    if open_round:   # the deadline is still ahead: most units have sent theirs, some not yet
        missing = set(rng.sample(ordinary, max(3, len(names) // 6)))
        late: set[str] = set()
    else:
        missing = set(rng.sample(ordinary, rng.randint(1, 3)))
        late = set(rng.sample([n for n in ordinary if n not in missing], rng.randint(2, 4)))
    if month >= 7 and not story.behind:   # from the summer, a few rows fall behind and stay behind
        ids = {i for i, n in story.units.items() if n in special}
        keys = sorted((k for k, s in story.rows.items() if s.lead and int(k.split(":")[1]) not in ids
                       and not any(_closing(story, k, m) for m in range(1, 13))), key=lambda k: _order(story, k))
        story.behind = set(rng.sample(keys, 4))
    inbox = story.work / "收件" / period
    files: list[tuple[Path, datetime]] = []
    copied = contradicted = 0
    for r in generated:
        name, src = r["unit"], Path(r["path"])
        if name in missing:
            continue
        if name in late:
            when = _at(story, story.cal.add_workdays(due, rng.randint(1, 5)), rng)
        else:
            when = _at(story, rng.choice(window), rng)
        if when >= story.now:   # the round is still open: everything received so far is in the past
            when = story.now - timedelta(minutes=rng.randint(20, 600))
        copying = name == COPIER and month >= _last_two(story)[0]
        state = {"first": True}

        def answer(key: str, role: str, name=name, copying=copying, state=state) -> dict:
            nonlocal copied, contradicted
            s = _row_story(story, key, role)
            if copying and s.done:   # last month's text, unchanged
                copied += 1
                return {"done": s.done, "problems": s.problems, "next_steps": s.next_steps, "on_track": "是"}
            behind = key in story.behind or (rng.random() < 0.03 and s.lead and name not in special)
            done, problems, next_steps = texts.monthly_entry(s, month, on_track=not behind,
                                                             final=_closing(story, key, month))
            yes = "否" if behind else "是"
            if name == CONTRADICTOR and state["first"] and month >= _last_two(story)[0]:
                done = done[:-1] + "。" + texts.behind_note(s)   # says it is behind, answers 是
                yes = "是"
                contradicted += 1
            state["first"] = False
            return {"done": done, "problems": problems, "next_steps": next_steps, "on_track": yes}

        path = fill(src, inbox / f"{name}-{month}月落实情况表.xlsx", answer, "report", when)
        files.append((path, when))
    results = _collect(story, files)
    if not latest:
        merge(story.ledger, accept_all=True)
    story.summary[period] = {"received": len(files), "late": len(late), "missing": len(missing),
                             "staged": sum(r["status"] == "staged" for r in results) if latest else 0,
                             "copied_rows": copied, "contradicted_rows": contradicted}


def _order(story: Story, key: str) -> tuple:
    """A row key's place by task (kind, 序号) and unit: task uids are drawn at import, so never sort by them."""
    uid, unit = key.split(":")[:2]
    task = story.tasks[uid]
    return task["kind"], task["seq"], int(unit)


def _last_two(story: Story) -> tuple[int, int]:
    months = [int(p[5:7]) for p in months_of(story.now.date())]
    return (months[-2], months[-1]) if len(months) >= 2 else (months[-1], months[-1])


def _closing(story: Story, key: str, month: int) -> bool:
    uid = key.split(":")[0]
    task = story.tasks.get(uid)
    return task is not None and any((task["kind"], task["seq"], month) == c for c in CLOSED)


# -- 办结 with evidence ---------------------------------------------------------------------------------
def _close(story: Story, kind: str, seq: int, period: str) -> None:
    from core.tracking.closure import close_task
    task = next(t for t in story.tasks.values() if t["kind"] == kind and t["seq"] == seq)
    day = month_end(period)
    while not story.cal.is_workday(day):   # closed on the month's last working day
        day -= timedelta(days=1)
    core = texts.task_core(task["text"])
    title = f"关于“{core}”任务完成情况的报告"
    evidence = evidence_docx(story.work / "佐证材料" / f"民生实事{seq}-办结佐证.docx", title, [
        f"按照《{YEAR}年〈政府工作报告〉重点任务责任分解立项表》要求，我单位牵头实施“{core}”任务。",
        f"截至{day.month}月{day.day}日，该项任务年度目标已全面完成：{task['text']}",
        "项目实施过程中，我单位建立工作专班，按月调度推进，相关资料已整理归档，经自查验收合格。",
        "特申请对该项任务予以办结销号。",
        "附件：任务完成情况统计表、现场照片（略）",
    ])
    close_task(story.ledger, task["id"], day, f"年度目标已全面完成，佐证材料：{evidence.name}", evidence)
