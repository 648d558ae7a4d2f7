"""The demo ledger on first use: built on a worker thread while a small window says which month is being played."""
from __future__ import annotations

import threading
from pathlib import Path


def ensure_demo_ledger_shown(parent=None) -> Path:
    """The demo ledger's path, building it first (a minute or two) with its progress shown; errors are re-raised."""
    from core.demo import demo_ledger_path, ensure_demo_ledger, is_built
    path = demo_ledger_path()
    if is_built(path):
        return path
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QLabel

    state: dict = {"text": "首次使用：正在生成演示台账，约需一两分钟……"}

    def work() -> None:
        try:
            ensure_demo_ledger(path, progress=lambda text: state.__setitem__("text", text))
        except BaseException as exc:  # noqa: BLE001 - handed to the window thread, raised there
            state["error"] = exc

    label = QLabel(parent, Qt.WindowType.Dialog | Qt.WindowType.WindowTitleHint)
    label.setWindowTitle("督查台账 — 演示台账")
    label.setMinimumWidth(420)
    label.setMargin(24)
    label.setWordWrap(True)
    label.setText(state["text"])
    label.show()
    worker = threading.Thread(target=work, name="demo-build", daemon=True)
    worker.start()
    loop = QEventLoop()
    timer = QTimer()

    def poll() -> None:
        label.setText("正在生成演示台账（2026年任务和当年的报送记录）：\n" + state["text"])
        if not worker.is_alive():
            loop.quit()

    timer.timeout.connect(poll)
    timer.start(200)
    loop.exec()
    timer.stop()
    label.close()
    label.deleteLater()
    if "error" in state:
        raise state["error"]
    return path
