"""台账 page: the year's tasks in a filterable, searchable table with a detail panel; 立项表 import and drops.

The page is split by job: `page` (loading, filters, selection, import and drops), `layout` (the filter bar, the
table, the detail pane and the empty state, built once), `unit_search` (the unit filter found by characters or
pinyin) and `detail_html` (the detail pane's HTML, plain functions tested without Qt).
"""
from __future__ import annotations

PAGE_ORDER = 10
PAGE_TITLE = "台账"
PAGE_KEY = "tasks"

EMPTY_TEXT = "台账中还没有任务：点击“导入立项表”或把立项表 Word 文件拖到窗口中"


def create(ctx):
    from .page import TasksPage
    return TasksPage(ctx)
