"""The demo ledger on first use: built on a worker thread while a small window says which month is being played."""
from __future__ import annotations

import threading
from pathlib import Path


def ensure_demo_ledger_shown(parent=None) -> Path:
    """The demo ledger's path, building it first (a minute or two) with its progress shown; errors are re-raised."""
    from core.common.work import Work
    from core.demo import demo_ledger_path, ensure_demo_ledger, is_built
    path = demo_ledger_path()
    if is_built(path):
        return path
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

    state: dict = {"text": "准备中……"}

    def work() -> None:
        try:
            ensure_demo_ledger(path, work=Work(lambda _d, _t, text: state.__setitem__("text", text)))
        except BaseException as exc:  # noqa: BLE001 - handed to the window thread, raised there
            state["error"] = exc

    box = QWidget(parent, Qt.WindowType.Dialog | Qt.WindowType.WindowTitleHint | Qt.WindowType.CustomizeWindowHint)
    box.setWindowTitle("督查台账 — 演示台账")
    layout = QVBoxLayout(box)
    layout.setContentsMargins(24, 20, 24, 20)
    title = QLabel("首次使用，正在生成演示台账（2026年任务和当年各月的报送记录），约需一两分钟，请稍候。")
    title.setWordWrap(True)
    step = QLabel(state["text"])
    step.setWordWrap(True)
    layout.addWidget(title)
    layout.addWidget(step)
    box.setFixedSize(520, 140)
    box.show()
    worker = threading.Thread(target=work, name="demo-build", daemon=True)
    worker.start()
    loop = QEventLoop()
    timer = QTimer()

    def poll() -> None:
        step.setText(state["text"])
        if not worker.is_alive():
            loop.quit()

    timer.timeout.connect(poll)
    timer.start(200)
    loop.exec()
    timer.stop()
    box.close()
    box.deleteLater()
    if "error" in state:
        raise state["error"]
    return path
