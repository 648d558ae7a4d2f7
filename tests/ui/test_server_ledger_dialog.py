"""文件 → 连接共享台账…: a wrong string or a missing database keeps the dialog open with a Chinese reason; a right one
opens the shared ledger in the window, remembered among recent ledgers without any password."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.helpers.tasks import WAIT_MS


@pytest.fixture
def window(qtbot, ledger):
    from ui.main_window import MainWindow
    win = MainWindow(ledger)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.jobs.wait(5000)


def test_connect_a_shared_ledger_from_the_file_menu(qtbot, window, pg_cluster, tmp_path, monkeypatch):
    from ui.recent_ledgers import recent_servers
    from ui.server_ledger_dialog import ServerLedgerDialog
    assert window.server_ledger_action.text().startswith("连接共享台账")
    dialog = ServerLedgerDialog(window)
    qtbot.addWidget(dialog)
    dialog.url_edit.setText("postgresql://ducha:mima@10.1.2.3/ducha_taizhang")
    assert not dialog.try_connect() and "不能写密码" in dialog.error_label.text()
    dialog.url_edit.setText(pg_cluster.url("no_such_db"))
    assert not dialog.try_connect() and "无法连接共享台账" in dialog.error_label.text()
    dialog.resize(720, dialog.height())
    dialog.grab().save(str(tmp_path / "connect-dialog.png"))
    url = pg_cluster.create()
    dialog.url_edit.setText(url)
    dialog.password_edit.setText("不需要")   # trust authentication here: the password is simply not asked for
    assert dialog.try_connect() and dialog.ledger is not None and dialog.ledger.is_server
    new_window = window.switch_ledger(dialog.ledger)
    qtbot.addWidget(new_window)
    assert new_window.isVisible() and not window.isVisible()
    database = url.split("?")[0].rsplit("/", 1)[-1]
    assert database in new_window.windowTitle()
    assert recent_servers()[0].startswith("postgresql://postgres@/" + database)
    assert all("不需要" not in u for u in recent_servers())
    new_window.recent_menu.aboutToShow.emit()   # the clerk opens 文件 → 最近打开
    shared = [a for a in new_window.recent_menu.actions() if a.text().startswith("共享：")]
    assert shared and not shared[0].isEnabled()   # the ledger open now
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Ok)
    new_window.close()
    new_window.ledger.close()
    pg_cluster.drop(url)


def test_f5_shows_what_another_clerk_changed(qtbot, window, pg_cluster):
    """Another process (another clerk) renames a unit; F5 on the page shows it without reopening."""
    from PySide6.QtCore import Qt
    from sqlalchemy import update

    from core.ledger import schema
    from core.ledger.store import Ledger
    url = pg_cluster.create()
    shared = Ledger(url)
    with shared.begin() as conn:
        conn.execute(schema.unit.insert().values(name="区政务服务中心"))
    new_window = window.switch_ledger(shared)
    qtbot.addWidget(new_window)
    page = new_window.show_page("units")
    qtbot.waitUntil(lambda: not page.reading, timeout=WAIT_MS)   # 单位 reads in the background

    def texts() -> set:
        model = page.table.model()
        return {model.index(r, c).data() for r in range(model.rowCount()) for c in range(model.columnCount())}
    assert "区政务服务中心" in texts()
    other = Ledger(url)   # the other clerk's PC
    with other.begin() as conn:
        conn.execute(update(schema.unit).values(name="区政务服务管理局"))
    other.close()
    assert new_window.refresh_action.shortcut().toString() == "F5"
    qtbot.keyClick(new_window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: not page.reading, timeout=WAIT_MS)   # read again in the background
    assert "区政务服务管理局" in texts() and "区政务服务中心" not in texts()
    new_window.close()
    shared.close()
    pg_cluster.drop(url)


def test_a_shared_ledger_page_reads_again_when_shown(qtbot, window, pg_cluster):
    """On a shared ledger another clerk's change is not announced to this window: showing the page reads it again."""
    from sqlalchemy import update

    from core.ledger import schema
    from core.ledger.store import Ledger
    url = pg_cluster.create()
    shared = Ledger(url)
    with shared.begin() as conn:
        conn.execute(schema.unit.insert().values(name="区数据资源局"))
    new_window = window.switch_ledger(shared)
    qtbot.addWidget(new_window)
    page = new_window.show_page("units")
    qtbot.waitUntil(lambda: not page.reading, timeout=WAIT_MS)   # 单位 reads in the background
    model = page.table.model()
    assert model.index(0, 0).data() == "区数据资源局"
    new_window.show_page("tasks")
    other = Ledger(url)
    with other.begin() as conn:
        conn.execute(update(schema.unit).values(name="区大数据中心"))
    other.close()
    new_window.show_page("units")
    qtbot.waitUntil(lambda: not page.reading, timeout=WAIT_MS)   # another clerk's change: read again when shown
    assert page.table.model().index(0, 0).data() == "区大数据中心"
    new_window.close()
    shared.close()
    pg_cluster.drop(url)
