"""通报打印 page: pick a month or quarter, generate the summary, 民生实事 table, bulletin, 一事一通报 and leader pages,
see the charts, preview, print, export PDF.

Split by job: `page` (layout, state, generating), `reading` (what it reads, in the background), `kinds` (the table
of report kinds: button, file name, writer), `printing` (the on-screen data preview, read in the background; printing
is the laid-out file's, ui.file_preview_pane), `charts_tab` (the chart job).
"""
from __future__ import annotations

PAGE_ORDER = 70
PAGE_TITLE = "通报打印"
PAGE_KEY = "reports"


def create(ctx):
    from .page import ReportsPage
    return ReportsPage(ctx)
