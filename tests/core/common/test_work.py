"""The one Work handle: progress goes where it is told, check() raises once 取消 is pressed (from any thread)."""
from __future__ import annotations

import threading

import pytest

from core.common.errors import Cancelled
from core.common.work import Work, given


def test_report_and_step_reach_the_progress_function():
    seen: list[tuple[int, int, str]] = []
    work = Work(lambda d, t, label: seen.append((d, t, label)))
    work.report(0, 3, "开始")
    work.step(1, 3, "区财政局")
    assert seen == [(0, 3, "开始"), (1, 3, "区财政局")]


def test_check_raises_cancelled_with_the_message_after_cancel():
    work = Work()
    work.check()                     # not cancelled: nothing happens
    assert not work.cancelled
    work.cancel()
    assert work.cancelled
    with pytest.raises(Cancelled, match="已合并 2 份"):
        work.check("已取消：已合并 2 份，其余未动。")
    with pytest.raises(Cancelled):
        work.step(2, 3)              # step checks before it reports


def test_cancel_from_another_thread_is_seen():
    work = Work()
    t = threading.Thread(target=work.cancel)
    t.start()
    t.join()
    with pytest.raises(Cancelled):
        work.check()


def test_given_returns_a_quiet_work_for_the_cli():
    quiet = given(None)
    quiet.step(1, 2, "x")            # no progress function: nothing to call, never cancelled
    own = Work()
    assert given(own) is own
