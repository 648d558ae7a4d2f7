"""Several files from one unit for the same form and period: the latest supersedes the others as a whole, a tie is asked."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, and_, select, update

from core.ledger import schema

CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUMBERED = re.compile(r"第?([一二两三四五六七八九十]|\d{1,2})\s*(?:稿|版|次修改|次修订|次更正)|[vV]\s*(\d{1,2})(?![\d])")
_REVISED = re.compile(r"(?:修改|更正|修订|修正|订正)[版稿后]?|更新版|重报|补正|终稿|定稿|最终版")
_FIRST = re.compile(r"初稿|原稿|原版")
WAITING = ("staged", "needs-confirmation")
TIE = "无法判断哪份是最新版本"


@dataclass
class Version:
    """What tells one file's place among its unit's files for the period."""
    sid: int
    name: str
    status: str
    received_at: datetime | None
    mailed: bool           # received_at is the e-mail's Date header
    new: bool              # collected in this run

    @property
    def rank(self) -> tuple[int, str]:
        return rank(self.name)


def rank(file_name: str) -> tuple[int, str]:
    """(version number, the word that says it): 二稿 → 2, 第3版 → 3, 修改版/更正/修订 → 2, nothing → 1."""
    stem = Path(file_name).stem
    best, word = 1, ""
    for m in _NUMBERED.finditer(stem):
        raw = m.group(1) or m.group(2)
        n = int(raw) if raw.isdigit() else CN_DIGITS.get(raw, 1)
        if n > best:
            best, word = n, m.group(0)
    if best == 1:
        revised, first = _REVISED.search(stem), _FIRST.search(stem)
        if revised:
            best, word = 2, revised.group(0)
        elif first:
            word = first.group(0)
    return best, word


def later(a: Version, b: Version) -> tuple[Version | None, str]:
    """(the later of the two, why in Chinese), or (None, why it cannot be told)."""
    (ra, wa), (rb, wb) = a.rank, b.rank
    if ra != rb:
        win, lose, word = (a, b, wa) if ra > rb else (b, a, wb)
        return win, f"文件名中的“{word}”表明“{win.name}”是较新的版本" + (f"（另一份为“{lose.rank[1]}”）" if lose.rank[1] else "")
    if a.mailed and b.mailed and a.received_at and b.received_at and a.received_at != b.received_at:
        win, lose = (a, b) if a.received_at > b.received_at else (b, a)
        return win, (f"邮件发送时间更晚（“{win.name}”为 {win.received_at:%Y-%m-%d %H:%M}，"
                     f"“{lose.name}”为 {lose.received_at:%Y-%m-%d %H:%M}）")
    if a.new != b.new:
        fresh, old = (a, b) if a.new else (b, a)
        if not (fresh.mailed and fresh.received_at and old.received_at and fresh.received_at < old.received_at):
            return fresh, f"“{fresh.name}”是在“{old.name}”之后收到的"
        return None, f"“{fresh.name}”虽然后收到，但邮件发送时间早于“{old.name}”"
    return None, "文件名中没有“修改版/更正/二稿”等字样，也没有可比较的邮件发送时间"


def settle_all(conn: Connection, groups: dict[tuple[int, str, str], list[Version]]) -> dict[int, tuple[str, list[str]]]:
    """settle() for every (unit, form, period) of a run, reading the live files of those units once."""
    s = schema.submission
    groups = {k: [v for v in fresh if v.status != "needs-confirmation"] for k, fresh in groups.items()}
    groups = {k: fresh for k, fresh in groups.items() if fresh}   # a file whose unit or month is in doubt waits
    if not groups:
        return {}
    live: dict[tuple[int, str, str], list] = {}
    for r in conn.execute(select(s.c.id, s.c.unit_id, s.c.form, s.c.period, s.c.file_name, s.c.status,
                                 s.c.received_at, s.c.message)
                          .where(s.c.unit_id.in_(list({k[0] for k in groups})), s.c.status.in_(WAITING + ("merged",)))
                          .order_by(s.c.id)):
        live.setdefault((r.unit_id, r.form, r.period), []).append(r)
    out: dict[int, tuple[str, list[str]]] = {}
    for key, fresh in groups.items():
        out.update(settle(conn, fresh, *key, rows=live.get(key, [])))
    return out


def settle(conn: Connection, fresh: list[Version], unit_id: int, form: str, period: str,
           rows: Sequence | None = None) -> dict[int, tuple[str, list[str]]]:
    """Order this run's files against every other live file of (unit, form, period); write the outcome.

    rows: those live files as read by settle_all. Returns {submission id: (status, messages to add)} for the files
    whose status or message changed.
    """
    s = schema.submission
    fresh = [v for v in fresh if v.status != "needs-confirmation"]   # its unit or month is still a question
    if not fresh:
        return {}
    fresh_ids = {v.sid for v in fresh}
    if rows is None:
        rows = conn.execute(select(s.c.id, s.c.file_name, s.c.status, s.c.received_at, s.c.message).where(and_(
            s.c.unit_id == unit_id, s.c.form == form, s.c.period == period,
            s.c.status.in_(WAITING + ("merged",)))).order_by(s.c.id)).all()
    others = [Version(r.id, r.file_name, r.status, r.received_at, False, False) for r in rows
              if r.id not in fresh_ids and (r.status != "needs-confirmation" or TIE in (r.message or ""))]
    every = others + fresh
    if len(every) < 2:
        return {}
    out: dict[int, tuple[str, list[str]]] = {}

    def note(v: Version, status: str, text: str) -> None:
        st, msgs = out.get(v.sid, (v.status, []))
        out[v.sid] = (status, msgs + [text])
        v.status = status

    every = _drop_same_content(conn, every, note)
    if len(every) < 2:
        return _write(conn, out)

    latest = None
    for cand in every:
        if all(later(cand, o)[0] is cand for o in every if o is not cand):
            latest = cand
            break
    if latest is None:
        live = [v for v in every if v.status in WAITING or v.status == "unchanged"]
        names = "、".join(f"“{v.name}”（#{v.sid}）" for v in every)
        reasons = "；".join(sorted({later(a, b)[1] for i, a in enumerate(every) for b in every[i + 1:]
                                    if later(a, b)[0] is None}))
        for v in live:
            note(v, "needs-confirmation", f"同一单位同一期有多份文件：{names}，{TIE}（{reasons}）。"
                                          "请对照后选定一份（确认它的单位和月份即选用它，其余整份作废，不会合并）。")
        return _write(conn, out)
    for v in every:
        if v is latest:
            continue
        why = later(latest, v)[1]
        if v.status in WAITING or (v.new and v.status == "unchanged"):
            note(v, "superseded", f"已被较新的版本“{latest.name}”（#{latest.sid}）整份替代：{why}。本文件不再合并。")
        if latest.new:
            if v.status == "merged":
                note(latest, latest.status, f"本期已合并过“{v.name}”（#{v.sid}），本文件是较新的版本（{why}），整份以本文件为准："
                                            "本文件清空的内容列为删除。")
            elif v.status == "superseded":
                note(latest, latest.status, f"替代了较早的版本“{v.name}”（#{v.sid}）（{why}），整份以本文件为准。")
    return _write(conn, out)


def _answers(conn: Connection, sids: list[int]) -> dict[int, frozenset]:
    """What each file would write: its staged changes (task, unit, quarter, field, new value)."""
    ch = schema.change
    out: dict[int, set] = {sid: set() for sid in sids}
    for r in conn.execute(select(ch.c.submission_id, ch.c.task_id, ch.c.unit_id, ch.c.quarter, ch.c.field, ch.c.new)
                          .where(ch.c.submission_id.in_(sids))):
        out[r.submission_id].add((r.task_id, r.unit_id, r.quarter, r.field, r.new))
    return {sid: frozenset(v) for sid, v in out.items()}


def _drop_same_content(conn: Connection, every: list[Version], note) -> list[Version]:
    """A new file whose answer cells equal an earlier live file's is that file again (re-saved, renamed "(1)"/"(2)"):
    duplicate of #N, whatever its name; it takes no part in choosing the latest version."""
    waiting = [v for v in every if v.status in WAITING + ("unchanged",)]
    if not any(v.new for v in waiting) or len(waiting) < 2:
        return every
    answers = _answers(conn, [v.sid for v in waiting])
    kept: list[Version] = []
    dropped: set[int] = set()
    for v in sorted(waiting, key=lambda v: v.sid):
        same = next((k for k in kept if answers[k.sid] == answers[v.sid]), None)
        if same is not None and v.new:
            note(v, "duplicate", f"与“{same.name}”（#{same.sid}）的填报内容完全相同（只是文件名或保存时间不同），"
                                 "视为同一份，未重复处理。")
            dropped.add(v.sid)
        else:
            kept.append(v)
    return [v for v in every if v.sid not in dropped]


def _write(conn: Connection, out: dict[int, tuple[str, list[str]]]) -> dict[int, tuple[str, list[str]]]:
    s = schema.submission
    for sid, (status, msgs) in out.items():
        old = conn.execute(select(s.c.message).where(s.c.id == sid)).scalar() or ""
        conn.execute(update(s).where(s.c.id == sid).values(status=status, message="\n".join(
            [m for m in [old] if m] + msgs)))
    return out


def choose(conn: Connection, sid: int) -> list[int]:
    """The clerk chose this file for its unit and period: every other waiting file of it is superseded."""
    s = schema.submission
    sub = conn.execute(select(s).where(s.c.id == sid)).mappings().one()
    rivals = [r for r in conn.execute(select(s.c.id, s.c.message, s.c.status).where(and_(
        s.c.id != sid, s.c.unit_id == sub["unit_id"], s.c.form == sub["form"], s.c.period == sub["period"],
        s.c.status.in_(WAITING)))) if r.status == "staged" or TIE in (r.message or "")]   # not a file still unplaced
    for r in rivals:
        conn.execute(update(s).where(s.c.id == r.id).values(status="superseded", message="\n".join(
            [m for m in [r.message] if m]
            + [f"已人工选用“{sub['file_name']}”（#{sid}）作为本期的报送版本，本文件整份作废，不会合并。"])))
    return [r.id for r in rivals]
