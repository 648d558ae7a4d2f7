"""The 收文 list's read, off the window's thread: a year of files, the months any file belongs to, the items of the files
the filter will show and the review grid of the file that will be current (both guessed as the page would choose
them), so the window's thread only puts the items in the tree (`CollectPage.refresh` runs `read_list` through
`LedgerQuery`; a newer read supersedes an older one)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.common.vocabulary import SubmissionStatus

from .file_filter import matches, ordered, period_key, wanted_month
from .file_tree import Built, build_items

if TYPE_CHECKING:
    from core.ledger.row_types import ListedSubmission
    from core.ledger.store import Ledger

# files the grid does not show (the page's `_show_grid`)
NO_GRID = (SubmissionStatus.REJECTED, SubmissionStatus.DUPLICATE)


@dataclass(frozen=True)
class ListRead:
    """What one read brought: the files (newest first), every month any file belongs to, and a prebuilt grid."""
    year: int
    subs: list[ListedSubmission]
    months: list[str] | None   # None: the files read last, shown again as the filter now chooses
    built: Built | None = None   # the items of the files the filter was expected to show
    keys: frozenset[str] = frozenset()   # every file's month key (`period_key`): the filter's month list
    listed: list[ListedSubmission] | None = None   # the files shown for `listed_for` (month, status), in order
    listed_for: tuple[str, str] | None = None
    grid_sid: int | None = None
    grid: Any = None   # core.returns.review_grid.ReviewGrid of grid_sid


@dataclass(frozen=True)
class Wanted:
    """The filter and selection when the read was asked for: which file will be current once the list is shown."""
    year: int
    chosen: str | None   # the month the clerk chose (None: the 工作月份's)
    status: str
    work_month: str
    current: tuple | None   # the tree's current ref, kept across the read
    first_if_gone: bool = False   # the first file shown when the current one is not listed any more


def shown(subs: list[ListedSubmission], wanted: Wanted) -> list[ListedSubmission]:
    """The files the filter will show, in its order (`FileFilterBar.apply`, without its combo boxes)."""
    month = wanted_month(subs, wanted.chosen, wanted.work_month)
    return ordered([s for s in subs if matches(s, month, wanted.status)])


def first_current(subs: list[ListedSubmission], listed: list[ListedSubmission], wanted: Wanted) -> int | None:
    """The file the page will make current: the one selected now if it is still listed, else the first shown."""
    if wanted.current:
        sid = wanted.current[1]
        if any(s["id"] == sid for s in listed):
            return sid
        if not wanted.first_if_gone:
            return None
    return listed[0]["id"] if listed else None


def read_list(ledger: Ledger, wanted: Wanted, subs: list[ListedSubmission] | None = None) -> ListRead:
    """The list for `wanted` (the background job's body: reads, and item data that is in no tree yet); `subs`: the
    files read last, shown again as the filter now chooses (the list is not read again)."""
    from core.returns.review import list_submissions, submission_months
    months: list[str] | None = None
    if subs is None:
        subs = list_submissions(ledger, year=wanted.year)   # newest first
        months = submission_months(ledger)
    keys = frozenset(period_key(s) for s in subs)
    month = wanted_month(subs, wanted.chosen, wanted.work_month)
    listed = ordered([s for s in subs if matches(s, month, wanted.status)])
    built = build_items(listed)
    sid = first_current(subs, listed, wanted)
    sub = next((s for s in subs if s["id"] == sid), None)
    grid_sid, grid = None, None
    if sub is not None and sub["status"] not in NO_GRID and sub["unit_id"]:
        from core.returns.review_grid import build_grid
        grid_sid, grid = sub["id"], build_grid(ledger, sub["id"])
    return ListRead(wanted.year, subs, months, built, keys, listed, (month, wanted.status), grid_sid, grid)
