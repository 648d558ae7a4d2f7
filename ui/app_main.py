"""Starting the window: QApplication, style sheet, the ledger (demo or chosen), error dialogs for bad ledgers."""
from __future__ import annotations

import sys
from pathlib import Path


def run_window(args) -> int:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from core import paths
    from core.errors import UserError
    from core.ledger import Ledger
    from core.logs import setup_logging

    setup_logging()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("督查台账")
    app.setOrganizationName("DuchaShi")
    style = paths.RESOURCES / "style.qss"
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    try:
        if args.ledger:
            path = Path(args.ledger)
        elif args.demo:
            from core.demo import demo_ledger_path, ensure_demo_ledger
            path = ensure_demo_ledger(demo_ledger_path())
        else:
            path = paths.default_ledger_path()
        ledger = Ledger(path)
    except UserError as exc:
        QMessageBox.critical(None, "无法打开台账", exc.message)
        return 2
    from .main_window import MainWindow
    window = MainWindow(ledger)
    window.show()
    return app.exec()
