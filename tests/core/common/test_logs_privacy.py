"""The log a clerk sends to support holds file names, never the units' or the tasks' text."""
from __future__ import annotations

import logging
from pathlib import Path

import pytest

from sqlalchemy import insert, select

from core.ledger import schema
from core.returns.collect import collect
from core.common.logs import scrub, setup_logging
from core.returns.merge import merge
from tests.helpers import returns as rh

MARK = "机密进展标记"


def _log_file() -> Path:
    setup_logging()
    for h in logging.getLogger("ducha").handlers:
        if getattr(h, "baseFilename", None):
            return Path(h.baseFilename)
    raise AssertionError("no log file handler")


@pytest.mark.allow_error_log   # it logs an exception on purpose, to see what the log keeps
def test_collect_and_merge_leave_no_unit_or_task_text_in_the_log(ledger_2026, tmp_path, monkeypatch):
    log_file = _log_file()
    start = log_file.stat().st_size if log_file.exists() else 0
    forms = rh.generate_forms(ledger_2026, "report", "2026-03", tmp_path / "out", unit_names=["区发展改革局", "区民政局"])
    filled = []
    for f in forms:
        keys = rh.row_keys(Path(f["path"]))
        answers = {k: {"done": f"{MARK}{i}：完成了很多很多工作，这是一段很长的单位填写内容，不应出现在日志里",
                       "problems": f"{MARK}问题{i}", "next_steps": "继续", "on_track": "是"} for i, k in enumerate(keys)}
        filled.append(rh.fill(Path(f["path"]), tmp_path / f"{f['unit']}.xlsx", answers))
    # one file makes the reader fail with a message quoting a cell, as a bug might
    import core.returns.collect as collect_mod
    real = collect_mod.read_returned

    def flaky(path, data=None, kind=""):
        if "民政" in str(path):
            raise ValueError(f"无法解析单元格“{MARK}：一段单位填写的长文本，包含任务内容与完成情况”")
        return real(path, data, kind)
    monkeypatch.setattr(collect_mod, "read_returned", flaky)
    results = collect(ledger_2026, filled)
    assert {r["status"] for r in results} >= {"staged", "rejected"}
    merge(ledger_2026, accept_all=True)
    # a database error quoting a row's text, logged as our bug
    try:
        with ledger_2026.begin() as conn:
            conn.execute(insert(schema.unit).values(name="区民政局", note=f"{MARK}数据库参数里的单位文字"))
    except Exception:
        logging.getLogger("ducha").exception("write failed")
    for h in logging.getLogger("ducha").handlers:
        h.flush()
    text = log_file.read_bytes()[start:].decode("utf-8")
    assert "write failed" in text and "collect" in text  # the log did get the events …
    assert "民政" in text or ".xlsx" in text             # … with file names
    assert MARK not in text                              # … and none of the units' text
    with ledger_2026.read() as conn:
        task_texts = [t for t, in conn.execute(select(schema.task.c.text))]
    assert not any(t[:12] in text for t in task_texts if len(t) >= 12)


def test_scrub_hides_parameters_and_long_quotes():
    assert "秘密" not in scrub("IntegrityError\n[SQL: INSERT INTO x VALUES (?)]\n[parameters: ('秘密内容',)]")
    assert "<45 字已隐去>" in scrub("bad value '" + "秘" * 45 + "'")
    assert scrub("文件“区民政局.xlsx”无法读取") == "文件“区民政局.xlsx”无法读取"
