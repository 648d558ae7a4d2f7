"""The demo ledger on first use: built on a worker thread while a small window shows which month is being played,
a progress bar and 取消 (nothing is left behind when cancelled)."""
from __future__ import annotations

import threading
from pathlib import Path


def ensure_demo_ledger_shown(parent=None) -> Path | None:
    """The demo ledger's path, building it first (a minute or two) with its progress shown; None when the clerk
    cancelled (the half-built demo is removed by the build itself); errors are re-raised."""
    from core.common.errors import Cancelled
    from core.common.work import Work
    from core.demo import demo_ledger_path, ensure_demo_ledger, is_built
    path = demo_ledger_path()
    if is_built(path):
        return path
    from PySide6.QtCore import QEventLoop, QTimer

    state: dict = {"text": "准备中……", "done": 0, "total": 0}

    def progress(done: int, total: int, text: str) -> None:
        state["text"] = text or state["text"]
        if total:
            state["done"], state["total"] = done, total

    job = Work(progress)

    def work() -> None:
        try:
            ensure_demo_ledger(path, work=job)
        except BaseException as exc:  # noqa: BLE001 - handed to the window thread, raised there
            state["error"] = exc

    box, step, bar = _progress_box(parent, state, job)
    box.show()
    worker = threading.Thread(target=work, name="demo-build", daemon=True)
    worker.start()
    loop = QEventLoop()
    timer = QTimer()

    def poll() -> None:
        step.setText(state["text"])
        if state["total"]:
            bar.setRange(0, state["total"])
            bar.setValue(state["done"])
        if not worker.is_alive():
            loop.quit()

    timer.timeout.connect(poll)
    timer.start(200)
    loop.exec()
    timer.stop()
    box.close()
    box.deleteLater()
    if isinstance(state.get("error"), Cancelled):
        return None
    if "error" in state:
        raise state["error"]
    return path


def _progress_box(parent, state: dict, job):
    """The small window: what is being built, the month being played, a progress bar and 取消 (which cancels `job`)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget
    box = QWidget(parent, Qt.WindowType.Dialog | Qt.WindowType.WindowTitleHint | Qt.WindowType.CustomizeWindowHint)
    box.setWindowTitle("督查台账 — 演示台账")
    layout = QVBoxLayout(box)
    layout.setContentsMargins(24, 20, 24, 20)
    title = QLabel("首次使用，正在生成演示台账（2026年任务和当年各月的报送记录），约需一两分钟，请稍候。")
    title.setWordWrap(True)
    step = QLabel(state["text"])
    step.setWordWrap(True)
    bar = QProgressBar()
    bar.setRange(0, 0)   # busy until the first month is played
    bar.setFormat("%v / %m")
    cancel = QPushButton("取消")
    cancel.setToolTip("停止生成演示台账（不留下半本台账）")

    def stop() -> None:
        job.cancel()
        cancel.setEnabled(False)
        state["text"] = "正在取消……"
    cancel.clicked.connect(stop)
    row = QHBoxLayout()
    row.addWidget(bar, 1)
    row.addWidget(cancel)
    layout.addWidget(title)
    layout.addWidget(step)
    layout.addLayout(row)
    box.setFixedSize(560, 170)
    box.demo_bar, box.demo_cancel = bar, cancel   # type: ignore[attr-defined]  # reached by the window test
    return box, step, bar
