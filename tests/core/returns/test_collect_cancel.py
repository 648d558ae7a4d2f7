"""收文 cancelled: the Work handle's 取消 raises Cancelled between files and while a zip is opened; nothing is recorded."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.common.errors import Cancelled
from core.common.work import Work
from core.ledger import schema
from core.returns.collect import collect
from core.returns.sources import expand
from tests.helpers import returns as rh


def _submissions(ledger) -> int:
    with ledger.read() as conn:
        return conn.execute(select(func.count()).select_from(schema.submission)).scalar_one()


def test_cancel_between_files_records_nothing(ledger_2026, tmp_path):
    forms = rh.generate_forms(ledger_2026, "report", "2026-03", tmp_path / "out",
                              unit_names=["区发展改革局", "区民政局", "区财政局"])
    seen: list[int] = []

    def progress(done, total, label=""):
        seen.append(done)
        if done >= 1:
            work.cancel()            # 取消 pressed while the second file is read
    work = Work(progress)
    with pytest.raises(Cancelled):
        collect(ledger_2026, [Path(f["path"]) for f in forms], work)
    assert seen == [0, 1]
    assert _submissions(ledger_2026) == 0
    assert len(collect(ledger_2026, [Path(f["path"]) for f in forms])) == 3   # nothing half-done stands in the way


def test_expand_raises_instead_of_returning_a_short_list(ledger_2026, tmp_path):
    forms = rh.generate_forms(ledger_2026, "report", "2026-03", tmp_path / "out", unit_names=["区民政局", "区财政局"])
    bundle = tmp_path / "报送.zip"
    with zipfile.ZipFile(bundle, "w") as zf:
        for f in forms:
            zf.write(f["path"], Path(f["path"]).name)
    assert len(expand([bundle], tmp_path / "work")) == 2
    work = Work()
    work.cancel()
    with pytest.raises(Cancelled):
        expand([bundle], tmp_path / "work2", work)
