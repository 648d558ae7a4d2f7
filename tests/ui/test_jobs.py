"""The job runner (ui.jobs) on its own: the result, a clerk's error, an OS error and our bug each come back as the
page expects; progress arrives; a job cancelled while queued never runs."""
from __future__ import annotations

import errno
import threading

import pytest

from core.common.errors import Cancelled, UserError
from ui.jobs import JobRunner


def _run(qtbot, runner, fn, writes=False):
    got: dict = {}
    job = runner.start(fn, on_done=lambda r: got.setdefault("done", r), on_error=lambda m: got.setdefault("error", m),
                       on_cancelled=lambda: got.setdefault("cancelled", True), writes=writes)
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    return job, got


def test_result_and_progress(qtbot):
    runner = JobRunner()
    seen: list = []

    def fn(work):
        for n in range(3):
            work.step(n + 1, 3, f"第{n + 1}份")
        return "完成"
    job = runner.start(fn, on_progress=lambda d, t, label: seen.append((d, t, label)))
    qtbot.waitUntil(lambda: len(seen) == 3, timeout=5000)
    assert seen == [(1, 3, "第1份"), (2, 3, "第2份"), (3, 3, "第3份")] and job.error is None
    assert _run(qtbot, runner, lambda work: 42)[1] == {"done": 42}


def test_user_and_os_errors_come_back_in_chinese(qtbot):
    runner = JobRunner()

    def refused(work):
        raise UserError("表格中没有找到“填报单位”。请使用下发的表格重新填报。")
    job, got = _run(qtbot, runner, refused)
    assert got == {"error": "表格中没有找到“填报单位”。请使用下发的表格重新填报。"} and isinstance(job.error, UserError)

    def locked(work):
        raise PermissionError(errno.EACCES, "Permission denied", "/tmp/区民政局.xlsx")
    job, got = _run(qtbot, runner, locked, writes=True)
    assert isinstance(job.error, PermissionError)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in got["error"]) and "Permission denied" not in got["error"]


@pytest.mark.allow_error_log   # our bug is logged at ERROR on purpose here
def test_our_bug_is_logged_and_called_internal(qtbot, caplog):
    runner = JobRunner()

    def broken(work):
        return {}["missing"]
    job, got = _run(qtbot, runner, broken)
    assert got["error"].startswith("内部错误：KeyError") and isinstance(job.error, KeyError)
    assert any(r.levelname == "ERROR" and "job failed" in r.getMessage() for r in caplog.records)


def test_a_job_cancelled_in_the_queue_never_runs(qtbot):
    runner = JobRunner()
    release = threading.Event()
    ran = threading.Event()
    first = runner.start(lambda work: release.wait(5), writes=True)
    queued = runner.start(lambda work: ran.set(), writes=True)
    queued.cancel()
    release.set()
    qtbot.waitUntil(lambda: not runner.active, timeout=5000)
    assert not ran.is_set() and isinstance(queued.error, Cancelled) and first.error is None
