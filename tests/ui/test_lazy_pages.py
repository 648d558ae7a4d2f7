"""Pages are built when first shown (the window starts with the navigation and its first page only): a page built
later sits in its place, reads the ledger as it is then, and the shortcut list still names every page's keys."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget
from sqlalchemy import select

from core.ledger import schema
from core.units.edit import set_unit_field
from tests.helpers.tasks import WAIT_MS, open_window


def test_only_the_first_page_is_built_at_start_and_a_page_built_later_reads_the_ledger_then(qtbot, ledger_2026):
    window = open_window(qtbot, ledger_2026)
    keys = [m.PAGE_KEY for m in window.page_modules]
    assert list(window.page_widgets) == [keys[0]]
    assert window.current_page() is window.page_widgets[keys[0]]
    stand_ins = [window.stack.widget(i) for i in range(1, len(keys))]
    assert all(type(w) is QWidget and not w.children() for w in stand_ins)   # empty: no minimum size of its own

    # a write while 单位 is not built yet: built afterwards, it shows the ledger as it is now
    with ledger_2026.read() as conn:
        unit_id, name = conn.execute(select(schema.unit.c.id, schema.unit.c.name).order_by(schema.unit.c.id)).first()
    set_unit_field(ledger_2026, unit_id, "contact", "王晓梅")
    window.nav.setCurrentRow(keys.index("units"))           # the clerk clicks 单位 in the navigation
    page = window.page_widgets["units"]
    assert window.current_page() is page and window.stack.indexOf(page) == keys.index("units")
    qtbot.waitUntil(lambda: not page.reading, timeout=WAIT_MS)   # it reads the ledger in the background
    row = page.model.row_of_id(unit_id)
    assert page.model.unit_at(row)["contact"] == "王晓梅", name
    assert page.width() >= page.minimumSizeHint().width()   # laid out at its real size when it read the ledger
    assert set(window.page_widgets) == {keys[0], "units"}

    # asking for a page by key builds it in its place without showing it
    dashboard = window.page_widgets["dashboard"]
    assert window.stack.indexOf(dashboard) == keys.index("dashboard") and window.current_page() is page


def test_the_shortcut_list_names_the_keys_of_pages_not_shown_yet(qtbot, ledger_2026):
    from ui.help_viewer import shortcut_rows
    window = open_window(qtbot, ledger_2026)
    assert "collect" not in window.page_widgets
    rows = dict(shortcut_rows(window))
    assert any(text.startswith("收文：") for text in rows), rows
    assert set(window.page_widgets) == {m.PAGE_KEY for m in window.page_modules}


def test_collect_reads_its_files_once_when_shown_and_again_only_after_a_change(qtbot, ledger_2026, monkeypatch):
    """收文 reads a year of files on the window's thread: once on its first show (its own show and the window's
    refresh used to read it twice), not again on coming back, and again after a change to the files."""
    from ui.operations import write_now
    from ui.pages.collect.page import CollectPage
    reads = []
    original = CollectPage.refresh
    monkeypatch.setattr(CollectPage, "refresh", lambda self: (reads.append(1), original(self))[1])
    window = open_window(qtbot, ledger_2026)
    keys = [m.PAGE_KEY for m in window.page_modules]
    window.nav.setCurrentRow(keys.index("collect"))
    qtbot.wait(50)
    assert len(reads) == 1
    window.nav.setCurrentRow(keys.index("units"))
    window.nav.setCurrentRow(keys.index("collect"))
    qtbot.wait(50)
    assert len(reads) == 1   # nothing changed: the list shown is still the ledger's
    with ledger_2026.read() as conn:
        unit_id = conn.execute(select(schema.unit.c.id).order_by(schema.unit.c.id)).scalar()
    window.nav.setCurrentRow(keys.index("units"))
    write_now(window.ctx, "units", lambda: set_unit_field(ledger_2026, unit_id, "contact", "王晓梅"))
    window.nav.setCurrentRow(keys.index("collect"))
    qtbot.wait(50)
    assert len(reads) == 2   # a unit changed while away: the list (unit names, contacts) is read again
