"""是否完成阶段任务目标: the plain ways units write yes/no, normalised to True/False; anything qualified is None, raw kept."""
from __future__ import annotations

import re

from core.common.textnorm import squash

YES = {"是", "√", "✓", "✔", "☑", "Y", "YES", "已完成", "完成", "按期完成", "已按期完成", "达到", "已达到", "是的", "对",
       "T", "TRUE", "1"}
NO = {"否", "×", "✗", "✘", "X", "N", "NO", "未完成", "没有完成", "推进中", "正在推进", "进行中", "未达到", "尚未完成", "滞后",
      "不是", "F", "FALSE", "0"}
# a 是/否 followed by words like these is not a plain answer (已完成80%, 是，基本完成, 否，但大部分已完成)
QUALIFIED = re.compile(r"基本|部分|大体|大致|接近|约|左右|\d+(?:\.\d+)?\s*[%％]|百分之"
                       r"|[一二三四五六七八九]成|尚|未|没|暂|但|仍|超")

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
    head = re.match(r"(是|否|已完成|未完成|已按期完成)[，,。；;：:（(、\s](.*)$", key)
    if head and not QUALIFIED.search(head.group(2) if head.group(1) in ("是", "已完成", "已按期完成") else ""):
        return head.group(1) != "否" and head.group(1) != "未完成", text   # 是，已按期完成全年目标
    return None, text   # 已完成80%, 基本完成, 部分完成: kept as written, flagged for the clerk


PLAIN = {"是", "否", "√", "✓", "✔", "☑", "×", "✗", "✘", "Y", "N", "YES", "NO", "是的", "不是", "TRUE", "FALSE", "T", "F",
         "1", "0", "X"}


def interpreted(raw: object) -> bool:
    """True when a 是/否 was read out of wording (已完成80% → 是, 基本完成 → 否): the clerk should see it."""
    value, text = normalise(raw)
    return value is not None and squash(text).upper().rstrip("。.！!") not in PLAIN


def contradicts_yes(*texts: str) -> bool:
    return any(CONTRADICTING.search(t or "") for t in texts)
