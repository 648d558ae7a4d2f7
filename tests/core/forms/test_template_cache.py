"""The parsed template kept on disk by checksum equals a fresh openpyxl parse, for every template shipped and an
edited one; an edit is noticed, a damaged cache file is parsed anew."""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from core.common.paths import TEMPLATES
from core.forms import template as tpl

SHIPPED = sorted(TEMPLATES.glob("*.xlsx"))


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    tpl._cache.clear()
    yield
    tpl._cache.clear()


def _fresh(path: Path) -> tpl.FormTemplate:
    return tpl._read(Path(path).resolve())


@pytest.mark.parametrize("name", [p.name for p in SHIPPED])
def test_cached_parse_equals_openpyxl_parse(name):
    path = (TEMPLATES / name).resolve()
    first = tpl.load_template(path)                 # parsed with openpyxl, written to the cache
    digest = tpl.hashlib.sha256(path.read_bytes()).hexdigest()
    assert tpl._cache_file(digest).is_file()
    tpl._cache.clear()
    cached = tpl._from_disk_cache(path, digest)
    assert cached is not None
    assert cached == _fresh(path) == first
    assert tpl.load_template(path) == first         # what a second command gets


def _edit_title(src: Path, dst: Path) -> None:
    """The template with its first title line changed (附件4 → 附件四), as a clerk's edit would."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                edited = data.replace(b"<t>&#38468;&#20214;4</t>", "<t>附件四</t>".encode(), 1)
                assert edited != data
                data = edited
            zout.writestr(info, data)


def test_an_edited_template_is_parsed_again(tmp_path):
    src = next(p for p in SHIPPED if p.name.startswith("附件4"))
    path = tmp_path / src.name
    shutil.copy(src, path)
    before = tpl.load_template(path)
    _edit_title(src, path)
    tpl._cache.clear()
    after = tpl.load_template(path)
    assert after == _fresh(path)
    assert after.version != before.version
    assert any(c.text == "附件四" for c in after.title.cells)
    assert not any(c.text == "附件四" for c in before.title.cells)


def test_a_damaged_cache_file_is_ignored(tmp_path):
    path = SHIPPED[0].resolve()
    good = tpl.load_template(path)
    digest = tpl.hashlib.sha256(path.read_bytes()).hexdigest()
    tpl._cache_file(digest).write_text('{"title": 1', encoding="utf-8")
    tpl._cache.clear()
    assert tpl.load_template(path) == good
