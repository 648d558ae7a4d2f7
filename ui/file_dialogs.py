"""The file dialogs: each kind of file starts in the folder last used for it, else 文档; remembered per PC user."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

LAST_KEY = "dialogs/last/{kind}"
# the kinds of file a clerk picks; each remembers its own folder
KINDS = {"plan": "立项表", "contacts": "通讯录", "ledger": "台账", "returns": "报回的文件", "report": "政府工作报告",
         "export": "导出的文件", "evidence": "佐证材料", "backup": "整本台账导出", "folder": "文件夹"}


def documents_dir() -> Path:
    """The user's 文档 folder (XDG_DOCUMENTS_DIR on Linux, 文档/Documents on Windows), else the home folder."""
    import platformdirs
    folder = Path(platformdirs.user_documents_dir())
    return folder if folder.is_dir() else Path.home()


def start_folder(kind: str) -> str:
    """Where a dialog for `kind` opens: the folder last used for that kind when it still exists, else 文档."""
    from .recent_ledgers import app_settings
    last = app_settings().value(LAST_KEY.format(kind=kind), "")
    if isinstance(last, str) and last and Path(last).is_dir():
        return last
    return str(documents_dir())


def remember(kind: str, chosen: str | Path) -> None:
    """Remember the folder of what was chosen (a file's folder, or the folder itself) for the next dialog of `kind`."""
    if not chosen:
        return
    path = Path(chosen)
    folder = path if path.is_dir() else path.parent
    from .recent_ledgers import app_settings
    app_settings().setValue(LAST_KEY.format(kind=kind), str(folder))


def open_file(parent: QWidget | None, title: str, kind: str, filters: str = "") -> str:
    chosen, _ = QFileDialog.getOpenFileName(parent, title, start_folder(kind), filters)
    remember(kind, chosen)
    return chosen


def open_files(parent: QWidget | None, title: str, kind: str, filters: str = "") -> list[str]:
    chosen, _ = QFileDialog.getOpenFileNames(parent, title, start_folder(kind), filters)
    if chosen:
        remember(kind, chosen[0])
    return list(chosen)


def save_file(parent: QWidget | None, title: str, kind: str, suggested: str, filters: str = "") -> str:
    """A save dialog proposing `suggested`: a bare file name goes into the start folder of `kind`."""
    target = suggested if Path(suggested).is_absolute() else str(Path(start_folder(kind)) / suggested)
    chosen, _ = QFileDialog.getSaveFileName(parent, title, target, filters)
    remember(kind, chosen)
    return chosen


def existing_dir(parent: QWidget | None, title: str, kind: str, start: str | Path | None = None) -> str:
    """A folder; starts in `start` when given (a setting's current value), else as start_folder(kind)."""
    begin = str(start) if start and Path(start).is_dir() else start_folder(kind)
    chosen = QFileDialog.getExistingDirectory(parent, title, begin)
    remember(kind, chosen)
    return chosen
