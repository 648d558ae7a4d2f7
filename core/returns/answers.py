"""是否完成阶段任务目标: the many ways units write yes/no, normalised to True/False/None with the raw text kept."""
from __future__ import annotations

import re

from core.common.textnorm import squash

YES = {"是", "√", "✓", "✔", "☑", "Y", "YES", "已完成", "完成", "按期完成", "已按期完成", "达到", "已达到", "是的", "对", "T", "TRUE", "1"}
NO = {"否", "×", "✗", "✘", "X", "N", "NO", "未完成", "没有完成", "推进中", "正在推进", "进行中", "未达到", "尚未完成", "滞后",
      "不是", "F", "FALSE", "0", "部分完成", "基本完成"}

# words in 完成情况/存在问题 that contradict a 是
CONTRADICTING = re.compile(r"未完成|尚未|未能|滞后|延期|推迟|暂未|没有完成|未达|进展缓慢|推进缓慢|未启动|停滞")


def normalise(raw: object) -> tuple[bool | None, str]:
    """(True/False/None, raw text as written)."""
    text = "" if raw is None else str(raw).strip()
    key = squash(text).upper().rstrip("。.！!")
    if not key:
        return None, text
    if key in YES:
        return True, text
    if key in NO:
        return False, text
    if key.startswith(("是", "已完成", "完成")) and not key.startswith("是否"):
        return True, text
    if key.startswith(("否", "未", "推进中", "正在")):
        return False, text
    return None, text


PLAIN = {"是", "否", "√", "✓", "✔", "☑", "×", "✗", "✘", "Y", "N", "YES", "NO", "是的", "不是", "TRUE", "FALSE", "T", "F",
         "1", "0", "X"}


def interpreted(raw: object) -> bool:
    """True when a 是/否 was read out of wording (已完成80% → 是, 基本完成 → 否): the clerk should see it."""
    value, text = normalise(raw)
    return value is not None and squash(text).upper().rstrip("。.！!") not in PLAIN


def contradicts_yes(*texts: str) -> bool:
    return any(CONTRADICTING.search(t or "") for t in texts)
