"""Finding a unit by typing pinyin: whole syllables or initials (区财政局: qucaizhengju, qczj), or the characters."""
from __future__ import annotations

from functools import lru_cache

from core.common.textnorm import squash


@lru_cache(maxsize=8192)
def pinyin_keys(name: str) -> tuple[str, str]:
    """(whole pinyin, initials) in lower case; ("", "") when pypinyin is not installed."""
    try:
        from pypinyin import Style, lazy_pinyin
    except ImportError:  # the characters still match
        return "", ""
    return "".join(lazy_pinyin(name)).lower(), "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()


def name_matches(name: str, query: str) -> bool:
    """Does typing `query` find `name`? Characters anywhere in the name, or letters in its pinyin or initials."""
    q = squash(query).lower()
    if not q:
        return True
    if q in squash(name).lower():
        return True
    if not q.isascii():
        return False
    whole, initials = pinyin_keys(name)
    return q in whole or q in initials


def matching(names: list[str], query: str) -> list[str]:
    """The names `query` finds, in the given order (the ledger's unit order)."""
    return [n for n in names if name_matches(n, query)]
