"""立项助手 page: the report beside the draft table; merge, split, reorder, suggestions with reasons, accept, export.

The page is split by job: `page` (wiring: loading, editing, accept, export), `layout` (the buttons, the report view
and the table, built once) and `highlight` (the report's highlighted sentences and the suggestion reasons).
"""
from __future__ import annotations

PAGE_ORDER = 30
PAGE_TITLE = "立项助手"
PAGE_KEY = "draft"


def create(ctx):
    from .page import DraftPage
    return DraftPage(ctx)
