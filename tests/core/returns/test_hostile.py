"""The hostile corpus (tests/helpers/hostile_corpus.py, ≥ 40 kinds) through 收文: each case in a forked child with a memory
ceiling and a deadline, so a hang or a blow-up fails the test instead of CI.

"The ledger's content is identical" means: every table except the quarantine tables (submission, stored_file,
change, audit) is byte-for-byte identical; the quarantine tables only GAIN rows: one submission per file read,
with the expected status, its bytes in the store under their hash, and no staged change rows for a rejected file.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import re
import resource
import shutil
from pathlib import Path

import pytest

from tests.helpers import returns as rh
from tests.helpers.backup import dump
from tests.helpers.hostile_corpus import build_corpus

QUARANTINE = {"submission", "stored_file", "change", "audit"}
DEADLINE_S = 120            # a hang, not a speed target: the child is killed and the case fails
MEMORY_CEILING = 3 << 30    # address-space limit of the child on top of what it inherits
PEAK_RSS_BOUND_MB = 1200    # the heaviest case (a 55 MB attachment in a mail) stays well under this


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _child(ledger_path: str, file_path: str, conn) -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak RSS to the current RSS
    soft = _status_kb("VmSize") * 1024 + MEMORY_CEILING
    resource.setrlimit(resource.RLIMIT_AS, (soft, soft))
    start = _status_kb("VmRSS")
    try:
        from core.returns.collect import collect
        from core.ledger.store import Ledger
        led = Ledger(ledger_path)
        try:
            results = collect(led, [file_path])
        finally:
            led.close()
        conn.send({"results": results, "peak_mb": (_status_kb("VmHWM") - start) // 1024})
    except BaseException as exc:  # noqa: BLE001 - report every escape, crash included
        conn.send({"crash": f"{type(exc).__name__}: {exc}"})
    finally:
        conn.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, ledger_2026_template):
    from core.ledger.store import Ledger
    from tests.helpers.returns import answers_for
    base = tmp_path_factory.mktemp("hostile")
    path = base / "base.sqlite3"
    shutil.copyfile(ledger_2026_template, path)
    led = Ledger(path)
    form = rh.generate_forms(led, "report", "2026-03", base / "out", unit_names=["区发展改革局"])[0]
    good = rh.fill(Path(form["path"]), base / "good.xlsx", answers_for(Path(form["path"])))
    led.close()
    cases = build_corpus(good, base / "corpus" / "files", rh.restamp)
    return path, cases


def test_corpus_has_at_least_40_kinds(corpus):
    _, cases = corpus
    assert len(cases) >= 40
    assert {"zip-bomb", "billion-laughs-sst", "xxe-sheet", "million-cells", "one-mb-shared-string", "xlsm-macro",
            "formulas", "gbk-csv", "empty-sheet", "docx-renamed", "png-renamed", "malformed-sheet-xml",
            "zip-path-traversal", "nested-zips", "eml-huge-attachment", "other-year", "unknown-unit",
            "conflicting-stamps", "encrypted-cfb", "truncated-half"} <= set(cases)


def test_every_hostile_file_is_refused_or_read_within_bounds(corpus, tmp_path):
    from core.ledger import file_store
    from core.ledger.store import Ledger
    base, cases = corpus
    base_dump = dump_content(base)
    ctx = multiprocessing.get_context("fork")
    failures, figures = [], []
    for kind, case in cases.items():
        ledger_path = tmp_path / f"{kind}.sqlite3"
        shutil.copyfile(base, ledger_path)
        recv, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(str(ledger_path), str(case.path), send))
        proc.start()
        send.close()
        got = recv.recv() if recv.poll(DEADLINE_S) else None
        proc.join(10)
        if proc.is_alive():
            proc.kill()
            proc.join()
        if got is None:
            failures.append(f"{kind}: no answer within {DEADLINE_S}s (hang) or child died (exit {proc.exitcode})")
            continue
        if "crash" in got:
            failures.append(f"{kind}: crashed: {got['crash']}")
            continue
        figures.append((kind, got["peak_mb"]))
        if got["peak_mb"] > PEAK_RSS_BOUND_MB:
            failures.append(f"{kind}: peak memory {got['peak_mb']} MB")
        results = got["results"]
        statuses = {r["status"] for r in results}
        if case.expect == "rejected":
            if statuses != {"rejected"}:
                failures.append(f"{kind}: expected rejected, got {[(r['status'], r['message'][:60]) for r in results]}")
            for r in results:
                msg = r["message"]
                if not re.search(r"[\u4e00-\u9fff]", msg) or not re.search(case.keyword, msg):
                    failures.append(f"{kind}: message {msg!r} does not say /{case.keyword}/")
        else:
            if not statuses <= set(case.statuses):
                failures.append(f"{kind}: status {statuses} not in {case.statuses}")
        for p in case.outside:
            if p.exists():
                failures.append(f"{kind}: wrote outside its folder: {p}")
                p.unlink()
        # the ledger: unchanged outside the quarantine tables; quarantine only grew
        led = Ledger(ledger_path)
        try:
            after = dump(led)
            for table, rows in base_dump.items():
                if table not in QUARANTINE and after[table] != rows:
                    failures.append(f"{kind}: table {table} changed")
                if table in QUARANTINE and after[table][: len(rows)] != rows:
                    failures.append(f"{kind}: existing {table} rows changed")
            new_subs = after["submission"][len(base_dump["submission"]):]
            if len(new_subs) != sum(r["status"] != "duplicate" for r in results):
                failures.append(f"{kind}: {len(new_subs)} submission rows for {len(results)} results")
            status_i, hash_i, id_i = 10, 5, 0
            for sub in new_subs:
                if not file_store.verify(led, sub[hash_i]):
                    failures.append(f"{kind}: quarantined file not in the store")
                staged = [c for c in after["change"][len(base_dump["change"]):] if c[1] == sub[id_i]]
                if sub[status_i] == "rejected" and staged:
                    failures.append(f"{kind}: a rejected file left {len(staged)} staged changes")
            new_changes = after["change"][len(base_dump["change"]):]
            if kind == "formulas":
                news = [c[9] for c in new_changes]
                if not any("公式缓存值" in v for v in news) or any("HYPERLINK" in v or "cmd|" in v for v in news):
                    failures.append(f"{kind}: formulas were not read as their cached values: {news[:6]}")
            if kind == "dde-and-formula-text":
                news = {c[9] for c in new_changes}
                if "=cmd|' /C calc'!A0" not in news or "@SUM(A1)" not in news:
                    failures.append(f"{kind}: text that looks like a formula was not kept as text: {sorted(news)[:6]}")
        finally:
            led.close()
    print("\npeak RSS per case (MB):", ", ".join(f"{k} {mb}" for k, mb in figures))
    assert not failures, "\n".join(failures)


def dump_content(path: Path) -> dict:
    from core.ledger.store import Ledger
    led = Ledger(path)
    try:
        return dump(led)
    finally:
        led.close()
