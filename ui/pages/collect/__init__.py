"""收文 page: drop returned files, see each file's status, review each file as its form (the grid), accept/reject, 退回, merge.

The page is split by job: `page` (layout and wiring), `file_tree` (the list of files), `listing` and `list_read` (the
list read off the window's thread and shown), `decisions` (accept/reject,
确认身份, 退回, exports), `merging` (the 合并 job), `detail_html` (the detail pane's HTML, plain functions),
`confirm_dialog`, and the review grid (`review_grid_panel`, `review_grid_model`, `review_grid_delegate`).
"""
from __future__ import annotations

PAGE_ORDER = 50
PAGE_TITLE = "收文"
PAGE_KEY = "collect"


def create(ctx):
    from .page import CollectPage
    return CollectPage(ctx)
