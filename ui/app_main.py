"""Starting the window: QApplication, style sheet, the ledger (demo or chosen), error dialogs for bad ledgers."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import cast


def run_window(args) -> int:
    from .platform_check import startup_problem
    problem = startup_problem()
    if problem:  # Qt would abort with an English message only; tell the clerk (or IT) what to install
        sys.stderr.write(problem + "\n")
        return 3
    from core.common import paths   # noqa: F401  the ledger's modules (SQLAlchemy) before Qt's: PySide checks every later import
    from core.common.errors import UserError
    from core.ledger.store import Ledger   # noqa: F401
    from core.common.logs import setup_logging
    from PySide6.QtWidgets import QMessageBox

    from .feature_scan import skip_feature_scan
    skip_feature_scan()   # when Qt was imported first (a test, a script): later imports are not read for __feature__

    setup_logging()
    app = _application()
    try:
        ledger = _open_ledger(args)
        if ledger is None:   # the clerk cancelled (the demo's build, the guide, a server's password)
            return 0
    except UserError as exc:
        QMessageBox.critical(None, "无法打开台账", exc.message)  # type: ignore[call-overload]  # 6.8 stubs: parent not Optional
        return 2
    from .main_window import MainWindow
    window = MainWindow(ledger)
    window.show()
    from .look import after_show
    after_show(app, window, smoke_test=getattr(args, "smoke_test", False))
    daily_copy_after_start(window, ledger)
    return app.exec()


def daily_copy_after_start(window, ledger) -> None:
    """Today's full copy (core.ledger.backup.daily_copy), taken on the window's writer thread once it is up: the
    clerk does not wait for it (a ten-year ledger is a 100 MB copy, a shared one a 2-second SQLite copy), and a merge asked for
    meanwhile queues behind it, so the day's copy still comes before the day's first merge."""
    import logging

    from core.ledger.backup import daily_copy
    from .operations import LedgerOp

    def failed(exc: BaseException) -> None:   # the copy is a safety net: its failure is logged, never a dialog at start
        logging.getLogger("ducha").warning("daily backup failed: %s", type(exc).__name__)
    LedgerOp(window.ctx, "backup", lambda work: daily_copy(ledger)).failure(failed).run()


def _application():
    """The QApplication, Chinese from the first dialog on, with the error dialog and the stylesheet installed."""
    from core.common import paths
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from .look import install_translator, prepare_application
    from .platform_check import chinese_fatal_handler
    prepare_application()  # high-DPI rounding policy: before the QApplication exists
    previous = qInstallMessageHandler(chinese_fatal_handler)  # a plugin failure we did not foresee, in Chinese
    # an existing instance is the QApplication a test or an earlier start made (this app never makes a core one)
    app = cast(QApplication, QApplication.instance()) or QApplication(sys.argv[:1])
    qInstallMessageHandler(previous)
    install_translator(app)   # Chinese from the first dialog on (the first-run guide's file picker included)
    from . import error_hook
    error_hook.install()   # an error no page caught still reaches the clerk as a dialog (no console on Windows)
    app.setApplicationName("督查台账")
    app.setOrganizationName("DuchaShi")
    style = paths.RESOURCES / "style.qss"
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    return app


def _open_ledger(args):
    """The ledger named on the command line, the demo, the one opened last time, or (first start) the guide's;
    None when the clerk cancelled."""
    from core.common import paths
    from core.ledger.location import is_server
    from core.ledger.store import Ledger
    if args.ledger and is_server(args.ledger):   # a shared ledger: its password from .pgpass, else asked for
        from .server_ledger_dialog import open_server_ledger
        return open_server_ledger(None, args.ledger)
    if args.ledger:
        return Ledger(Path(args.ledger))
    if args.demo:
        from .demo_start import ensure_demo_ledger_shown
        path = ensure_demo_ledger_shown()
        return None if path is None else Ledger(path)   # None: cancelled while it was being built
    path = paths.default_ledger_path()
    if not path.exists():  # the ledger opened last time, else (first start) the guide
        from .first_run import run_first_run
        from .recent_ledgers import recent_ledgers
        recent = recent_ledgers()
        path = recent[0] if recent else run_first_run(path)
        if path is None:
            return None
    return Ledger(path)
