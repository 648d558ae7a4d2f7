"""Run in a subprocess by test_window_fits: open the window on a given offscreen screen, print what fits."""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main(ledger_path: str) -> None:
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    from core.ledger.store import Ledger
    from ui.main_window import MainWindow
    window = MainWindow(Ledger(Path(ledger_path)))
    window.show()
    app.processEvents()
    area = window.screen().availableGeometry()
    out = {"screen": [area.width(), area.height()], "pages": {}}
    for module in window.page_modules:
        page = window.show_page(module.PAGE_KEY)
        app.processEvents()
        for _ in range(100):   # a page reading its month in the background (督办): measured with its data shown
            if not getattr(page, "reading", False):
                break
            window.jobs.wait(30000)
            app.processEvents()
        frame = window.frameGeometry()
        bar = window.statusBar().mapToGlobal(window.statusBar().rect().bottomRight())
        out["pages"][module.PAGE_KEY] = {
            "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
            "status_bottom": [bar.x(), bar.y()],
            "fits": area.contains(frame) and area.contains(bar),
        }
    print(json.dumps(out))
    window.close()


if __name__ == "__main__" and sys.argv[1] not in ("--first-run", "--tasks-columns"):
    main(sys.argv[1])


def first_run_dialog_labels() -> None:
    """Start the window as on a first start (no ledger yet) and read the wizard's file dialog labels."""
    import ui.first_run as first_run
    from ui.app_main import run_window

    def fake_first_run(_default):
        from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton
        dialog = QFileDialog(None, "打开台账")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)   # what Qt shows where no native one exists
        texts = [w.text() for w in dialog.findChildren(QLabel)] + [b.text() for b in dialog.findChildren(QPushButton)]
        print(json.dumps(texts, ensure_ascii=False))
        return None

    first_run.run_first_run = fake_first_run

    class Args:
        ledger = None
        demo = False
        smoke_test = False
    sys.exit(run_window(Args()))


if __name__ == "__main__" and sys.argv[1] == "--first-run":
    first_run_dialog_labels()


def tasks_columns(ledger_path: str) -> None:
    """The 台账 table's columns as the window lays them out on this screen: where each starts, how wide, the scroll."""
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    from core.ledger.store import Ledger
    from ui.main_window import MainWindow
    window = MainWindow(Ledger(Path(ledger_path)))
    window.show()
    page = window.show_page("tasks")
    for _ in range(5):
        app.processEvents()
    from PySide6.QtWidgets import QTableView
    table = page.findChild(QTableView)
    print(json.dumps({"window": window.width(), "viewport": table.viewport().width(),
                      "scroll_max": table.horizontalScrollBar().maximum(),
                      "name_width": table.fontMetrics().horizontalAdvance("区财政局"),
                      "columns": [[table.columnViewportPosition(c), table.columnWidth(c), table.isColumnHidden(c)]
                                  for c in range(table.model().columnCount())]}))
    window.close()


if __name__ == "__main__" and sys.argv[1] == "--tasks-columns":
    tasks_columns(sys.argv[2])
