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


def test_cancel_past_the_flush_size_keeps_whole_batches_and_records_nothing_after(ledger_2026, tmp_path, monkeypatch):
    """A run larger than FLUSH_BYTES (made small here: every file is its own batch) records each batch as it goes;
    取消 while the third file is read keeps the first two, whole with their changes, and nothing of the third."""
    import core.returns.collect as collect_module
    monkeypatch.setattr(collect_module, "FLUSH_BYTES", 1)
    names = ["区发展改革局", "区民政局", "区财政局"]
    forms = rh.generate_forms(ledger_2026, "report", "2026-03", tmp_path / "out", unit_names=names)
    blank = sorted(Path(f["path"]) for f in forms)   # read in this order
    paths = [rh.fill(p, tmp_path / p.name, rh.answers_for(p, tag=f"{i}号")) for i, p in enumerate(blank, 1)]

    def progress(done, total, label=""):
        if done >= 2:
            work.cancel()            # 取消 pressed while the third file is read
    work = Work(progress)
    with pytest.raises(Cancelled):
        collect(ledger_2026, paths, work)
    with ledger_2026.read() as conn:
        s = schema.submission
        kept = conn.execute(select(s.c.id, s.c.file_name, s.c.status)).all()
        changes = {sid: conn.execute(select(func.count()).select_from(schema.change)
                                     .where(schema.change.c.submission_id == sid)).scalar_one() for sid, _, _ in kept}
    assert sorted(name for _, name, _ in kept) == sorted(p.name for p in paths[:2])
    assert all(status == "staged" for _, _, status in kept) and all(n > 0 for n in changes.values())
    again = {Path(r["path"]).name: r["status"] for r in collect(ledger_2026, paths)}
    assert again == {paths[0].name: "duplicate", paths[1].name: "duplicate", paths[2].name: "staged"}
