"""督办 page: tiles, the unit × period submission matrix, task lights, drill-down to rows and files, 办结 and 催报.

Split by job: `page` (layout, loading, selection), `actions` (收到时间, 退回, 办结, 催报, 节假日), `detail_html` (the detail
pane's HTML, plain functions), `models` (the matrix and task-light table models), `dialogs`.
"""
from __future__ import annotations

PAGE_ORDER = 60
PAGE_TITLE = "督办"
PAGE_KEY = "dashboard"


def create(ctx):
    from .page import DashboardPage
    return DashboardPage(ctx)
