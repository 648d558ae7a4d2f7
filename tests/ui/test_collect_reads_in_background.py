"""收文 reads its list off the window's thread (issue 31): refresh() returns at once and the page says it is reading,
the list shown so far stays usable meanwhile, and a newer read supersedes an older one (never a stale list shown)."""
from __future__ import annotations

import threading
from pathlib import Path

import core.returns.review as review
from core.returns.collect import collect
from tests.helpers import returns as rh
from tests.helpers.collect import wait_list
from tests.helpers.returns import PERIOD, answers_for
from tests.helpers.tasks import open_window
from ui.pages.collect.file_tree import ROLE


def _two_files(ledger, tmp_path) -> list[Path]:
    forms = rh.generate_forms(ledger, "report", PERIOD, tmp_path / "out", unit_names=["区发展改革局", "区民政局"])
    return [rh.fill(Path(f["path"]), tmp_path / f"{f['unit']}.xlsx", answers_for(Path(f["path"]))) for f in forms]


def _shown(page) -> list[int]:
    return [page.tree.topLevelItem(i).data(0, ROLE)[1] for i in range(page.tree.topLevelItemCount())]


def test_refresh_reads_in_the_background_and_a_newer_read_wins(qtbot, ledger_2026, tmp_path, monkeypatch):
    first, second = _two_files(ledger_2026, tmp_path)
    [one] = collect(ledger_2026, [first])
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("collect")
    wait_list(qtbot, page)
    assert _shown(page) == [one["submission_id"]]

    # the first read is held in its worker after reading (a list of one file); the ledger gains a second file
    gate, held, readers = threading.Event(), threading.Event(), []
    real = review.list_submissions

    def slow(ledger, *args, **kwargs):
        result = real(ledger, *args, **kwargs)
        readers.append(threading.get_ident())
        if len(readers) == 1:
            held.set()
            gate.wait(10)
        return result

    monkeypatch.setattr(review, "list_submissions", slow)
    page.refresh()
    qtbot.waitUntil(held.is_set, timeout=10000)
    # refresh() returned while the read runs: the page says so and the list shown so far stays usable
    assert page.reading and page.reading_label.isVisible() and page.reading_label.text() == "正在读取收文……"
    assert readers[0] != threading.get_ident()   # read off the window's thread
    assert _shown(page) == [one["submission_id"]] and page.select_submission(one["submission_id"])
    [two] = collect(ledger_2026, [second])

    # a second refresh during the first: only its list (two files) is shown, the first's comes too late
    with qtbot.waitSignal(page.read_done, timeout=30000):
        page.refresh()
    assert sorted(_shown(page)) == sorted([one["submission_id"], two["submission_id"]])
    assert not page.reading and not page.reading_label.isVisible()
    gate.set()
    window.jobs.wait(10000)
    qtbot.wait(100)   # the first read's result is delivered now, and dropped
    assert sorted(_shown(page)) == sorted([one["submission_id"], two["submission_id"]])
    assert page.current_submission() == one["submission_id"]   # the selection kept across the reads
    assert not page.reading
