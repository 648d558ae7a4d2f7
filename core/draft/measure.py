"""Measuring a draft against a published 立项表: text coverage of each task by candidates, area agreement, unit hits."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from core.common.textnorm import squash

COVERAGE_DEFINITION = (
    "覆盖率定义：把发布任务文本 P 与候选文本 C（或相邻两条候选拼接）都做 NFKC 规范化并去掉空白，"
    "用 difflib.SequenceMatcher(autojunk=False) 的 matching blocks 求在 C 中按顺序找到的 P 的字符数 m，"
    "覆盖 = m / len(P)；m / len(C) 记为“紧致度”（候选没有多出太多别的内容）。")


def _norm(text: str) -> str:
    return squash(unicodedata.normalize("NFKC", text or ""))


def matched_chars(published: str, candidate: str) -> int:
    sm = SequenceMatcher(None, published, candidate, autojunk=False)
    return sum(b.size for b in sm.get_matching_blocks())


@dataclass
class TaskCover:
    seq: int
    coverage: float      # share of the published text found in the best one/two adjacent candidates
    tightness: float     # share of those candidates' text that is the published text
    indices: tuple[int, ...]
    area_ok: bool
    category_ok: bool


def cover_tasks(published: list[dict], candidates: list, threshold: float = 0.8) -> list[TaskCover]:
    """For each published task, the best single candidate or pair of adjacent candidates."""
    cands = [_norm(c.text) for c in candidates]
    results = []
    for task in published:
        p = _norm(task["text"])
        best: tuple[float, float, tuple[int, ...]] = (0.0, 0.0, ())
        for i, c in enumerate(cands):
            if not c or not (set(p) & set(c)):
                continue
            options: list[tuple[tuple[int, ...], str]] = [((i,), c)]
            if i + 1 < len(cands):
                options.append(((i, i + 1), c + cands[i + 1]))
            for idx, text in options:
                m = matched_chars(p, text)
                cov, tight = m / max(len(p), 1), m / max(len(text), 1)
                # prefer higher coverage, then the tighter (fewer extra characters) choice
                if (cov, tight) > best[:2] and not (len(idx) == 2 and best[0] >= threshold and cov - best[0] < 0.02):
                    best = (cov, tight, idx)
        idx = best[2]
        first = candidates[idx[0]] if idx else None
        area_ok = first is not None and _norm(first.area) == _norm(task.get("area", ""))
        cat_ok = first is not None and _norm(first.category or "--") == _norm(task.get("category", "") or "--")
        results.append(TaskCover(task["seq"], best[0], best[1], idx, area_ok, cat_ok))
    return results
