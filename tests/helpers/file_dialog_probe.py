"""Run in a fresh process (as the window starts, LANG=C): open the real 选择立项表 and 选择通讯录 dialogs from the
台账 and 单位 pages and print, as JSON, where each opened, and the 类型/修改日期 the dialog shows for a folder."""
from __future__ import annotations

import json
import sys
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main(ledger_path: str, inbox: str) -> None:
    from ui.look import install_translator, prepare_application
    prepare_application()   # as ui.app_main does, before the QApplication exists
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel
    app = QApplication(sys.argv[:1])
    install_translator(app)
    from core.ledger.store import Ledger
    from ui.main_window import MainWindow
    window = MainWindow(Ledger(Path(ledger_path)))
    window.show()
    seen: list[dict] = []
    plan = Path(inbox) / "立项表.docx"

    def inspect(choose: Path | None) -> None:
        dialog = app.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(50, lambda: inspect(choose))
            return
        model = dialog.findChild(QFileSystemModel)
        folder = dialog.directory().absolutePath()
        for _ in range(100):   # the model reads the folder in a thread
            app.processEvents()
            index = model.index(inbox)
            if model.data(model.index(index.row(), 3, index.parent())):
                break
            import time
            time.sleep(0.02)
        row = [model.data(model.index(index.row(), c, index.parent())) for c in range(4)]
        seen.append({"title": dialog.windowTitle(), "folder": folder, "row": row})
        if choose is not None:
            from PySide6.QtWidgets import QLineEdit
            dialog.findChild(QLineEdit, "fileNameEdit").setText(str(choose))   # the file the clerk picks
            dialog.accept()
        else:
            dialog.reject()

    QTimer.singleShot(0, lambda: inspect(plan))
    tasks = window.show_page("tasks")
    first = tasks.open_import()           # 导入立项表…: the import dialog opens its 选择立项表 at once
    first.close()
    QTimer.singleShot(0, lambda: inspect(None))
    tasks.open_import().close()           # the second time: the folder last used for a 立项表
    QTimer.singleShot(0, lambda: inspect(None))
    window.show_page("units").import_contacts()   # 导入通讯录…: its own kind, never used: 文档
    print(json.dumps(seen, ensure_ascii=False))
    window.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
