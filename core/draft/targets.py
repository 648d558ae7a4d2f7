"""Numeric targets in report text (亿元, 万人, %, 亩, 个 …): character spans to highlight."""
from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = r"(?:\d+(?:[.．]\d+)?|[一二两三四五六七八九十百千万]+(?=(?:个|家|项|所|处|条|场|支)))"
_UNITS = ("亿美元|万美元|亿元|万元|元|万人次|人次|万人|人|个百分点|万平方米|平方米|平方公里|公里|千米|万亩|亩|"
          "套（间）|套|所|项|家|个|处|场|条|支|张|台|辆|名|户|间|座|吨|万千瓦|千瓦|兆瓦|床|件|点|天|倍|%|％")
TARGET = re.compile(rf"{_NUMBER}\s*(?:{_UNITS})(?:以上|左右|以内|余|多)?")


@dataclass(frozen=True)
class Target:
    start: int
    end: int
    text: str


def find_targets(text: str, offset: int = 0) -> list[Target]:
    """Every number-with-unit span (a target to keep an eye on), shifted by offset."""
    found = []
    for m in TARGET.finditer(text or ""):
        # skip year-like and list numbers (2026年, 第3项 are not targets)
        if text[max(m.start() - 1, 0):m.start()] in ("第",):
            continue
        found.append(Target(offset + m.start(), offset + m.end(), m.group(0)))
    return found
