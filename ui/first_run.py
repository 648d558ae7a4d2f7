"""The first-run guide (QWizard): create or open a ledger, import the 立项表, fill unit contacts from a sheet."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtWidgets import (
    QButtonGroup, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QRadioButton, QVBoxLayout,
    QWizard, QWizardPage,
)

from core.common.errors import UserError

if TYPE_CHECKING:
    from core.ledger.row_types import TaskRow
    from core.ledger.store import Ledger

PLAN_FILTER = "立项表 (*.docx *.xlsx *.xls *.ods *.txt);;所有文件 (*)"
CONTACTS_FILTER = "通讯录 (*.xlsx *.xls *.ods);;所有文件 (*)"
START, PLAN, CONTACTS, DONE = range(4)


def _wizard(page: QWizardPage) -> FirstRunWizard:
    """The wizard a page is on: every page of this module is added to a FirstRunWizard."""
    return cast("FirstRunWizard", page.wizard())


def _label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class StartPage(QWizardPage):
    """新建 / 打开 / 演示: ends with an opened ledger in wizard.ledger."""

    def __init__(self, default_path: Path | None):
        super().__init__()
        self.setTitle("欢迎使用督查台账")
        self.setSubTitle("台账文件保存本年度的全部任务、单位、报送和痕迹。先新建一个台账，或打开已有的台账。")
        self.new_radio = QRadioButton("新建台账(&N)")
        self.open_radio = QRadioButton("打开已有台账(&O)")
        self.demo_radio = QRadioButton("先用演示台账试一试（2026年任务）(&D)")
        self.group = QButtonGroup(self)
        for i, radio in enumerate((self.new_radio, self.open_radio, self.demo_radio)):
            self.group.addButton(radio, i)
        self.new_radio.setChecked(True)
        self.path_edit = QLineEdit(str(default_path) if default_path else "")
        self.path_edit.setPlaceholderText("台账文件位置")
        self.browse_button = QPushButton("浏览(&B)…")
        self.browse_button.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        layout = QVBoxLayout(self)
        for radio in (self.new_radio, self.open_radio, self.demo_radio):
            layout.addWidget(radio)
        layout.addSpacing(8)
        layout.addWidget(_label("台账文件："))
        layout.addLayout(row)
        layout.addStretch(1)
        self.group.idToggled.connect(self._mode_changed)
        self.default_path = default_path

    def mode(self) -> str:
        return ("new", "open", "demo")[max(0, self.group.checkedId())]

    def _mode_changed(self, *_):
        demo = self.mode() == "demo"
        self.path_edit.setEnabled(not demo)
        self.browse_button.setEnabled(not demo)

    def _browse(self) -> None:
        from .recent_ledgers import LEDGER_FILTER
        start = self.path_edit.text() or str(Path.home())
        if self.mode() == "open":
            chosen, _ = QFileDialog.getOpenFileName(self, "打开台账", start, LEDGER_FILTER)
        else:
            chosen, _ = QFileDialog.getSaveFileName(self, "新建台账", start, LEDGER_FILTER)
            if chosen and not Path(chosen).suffix:
                chosen += ".sqlite3"
        if chosen:
            self.path_edit.setText(chosen)

    def validatePage(self) -> bool:
        wizard = _wizard(self)
        try:
            wizard.open_ledger(self.mode(), self.path_edit.text().strip())
        except UserError as exc:
            QMessageBox.warning(self, "无法打开台账", exc.message)
            return False
        return True

    def nextId(self) -> int:
        return PLAN if self.mode() == "new" else DONE


class PlanPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("导入立项表")
        self.setSubTitle("选择本年度的立项表（附件1 重点任务、附件2 民生实事，Word 或 Excel）。"
                         "也可以跳过，以后把文件拖进窗口导入。")
        self.choose_button = QPushButton("选择立项表(&P)…")
        self.choose_button.clicked.connect(self.choose)
        self.result = _label("尚未导入。")
        layout = QVBoxLayout(self)
        layout.addWidget(self.choose_button)
        layout.addWidget(self.result)
        layout.addStretch(1)
        self.summary: dict | None = None

    def choose(self) -> None:
        wizard = _wizard(self)
        dialog_class = _import_dialog_class()
        if dialog_class is not None:
            from .context import AppContext
            ctx = AppContext(wizard.ledger, wizard.jobs, self)
            dialog = dialog_class(ctx, None, self)
            dialog.imported.connect(self._imported)
            dialog.exec()
            return
        from .file_dialogs import open_file
        chosen = open_file(self, "选择立项表", "plan", PLAN_FILTER)
        if chosen:
            self.import_plan_file(Path(chosen))

    def import_plan_file(self, path: Path) -> dict | None:
        """Read, preview and import in one go (the wizard's own path when the import dialog is not used)."""
        from core.campaign.importing import apply_import, file_ref, preview_import
        from core.campaign.read import read_plan_file
        wizard = _wizard(self)
        try:
            preview = preview_import(wizard.opened, read_plan_file(path), None, file_ref(path))
            summary = dict(apply_import(wizard.opened, preview).value)
        except UserError as exc:
            QMessageBox.warning(self, "立项表未导入", exc.message)
            return None
        self._imported(summary)
        return summary

    def _imported(self, summary: dict) -> None:
        from core.ledger.queries import list_tasks, list_units
        wizard = _wizard(self)
        tasks = list_tasks(wizard.opened)
        key = sum(1 for t in tasks if t["kind"] == "key")
        self.summary = {"key": key, "livelihood": len(tasks) - key, "units": len(list_units(wizard.opened))}
        self.result.setText(f"已导入：重点任务 {self.summary['key']} 项，民生实事 {self.summary['livelihood']} 项，"
                            f"责任单位 {self.summary['units']} 个。")
        self.choose_button.setText("重新选择立项表(&P)…")


class ContactsPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("填写单位联系人")
        self.setSubTitle("选择单位通讯录（Excel，表头含“单位名称、联系人、电话、邮箱”）。邮箱用于生成下发和催报邮件草稿。可以跳过。")
        self.choose_button = QPushButton("选择通讯录(&C)…")
        self.choose_button.clicked.connect(self.choose)
        self.result = _label("尚未导入。")
        layout = QVBoxLayout(self)
        layout.addWidget(self.choose_button)
        layout.addWidget(self.result)
        layout.addStretch(1)
        self.summary: dict | None = None

    def choose(self) -> None:
        from .file_dialogs import open_file
        chosen = open_file(self, "选择通讯录", "contacts", CONTACTS_FILTER)
        if chosen:
            self.import_contacts(Path(chosen))

    def import_contacts(self, path: Path) -> dict | None:
        from core.campaign.importing import file_ref
        from core.units.contacts_import import apply_contacts, read_contacts
        from core.units.contacts_plan import contact_counts, counts_sentence, plan_contacts
        from .contact_conflict_dialog import ask_conflicts
        wizard = _wizard(self)
        try:
            rows = read_contacts(path)
            plan = plan_contacts(wizard.opened, rows)
            choices = ask_conflicts(self, plan["conflicts"])   # two rows on one unit: the clerk decides
            if choices is None:
                self.result.setText("已取消导入通讯录，台账未改动。")
                return None
            summary = apply_contacts(wizard.opened, rows, file_ref(path), choices=choices).value
        except UserError as exc:
            QMessageBox.warning(self, "通讯录未导入", exc.message)
            return None
        self.summary = dict(summary)
        text = f"通讯录 {len(rows)} 行，对上 {summary['matched']} 个单位。" + counts_sentence(contact_counts(wizard.opened))
        if summary["unknown"]:
            names = "、".join(summary["unknown"][:10])
            more = " 等" if len(summary["unknown"]) > 10 else ""
            text += f"\n以下名称没有对应的责任单位，未导入：{names}{more}。可在“单位”页核对。"
        self.result.setText(text)
        return self.summary


class DonePage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("准备就绪")
        self.text = _label("")
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addStretch(1)

    def initializePage(self) -> None:
        from core.ledger.queries import list_tasks
        wizard = _wizard(self)
        tasks: list[TaskRow] = list_tasks(wizard.ledger) if wizard.ledger else []
        from core.units.contacts_plan import contact_counts, counts_sentence
        contacts = counts_sentence(contact_counts(wizard.ledger)) if wizard.ledger else ""
        lines = [f"台账：{wizard.ledger_path}", f"任务 {len(tasks)} 项。{contacts}",
                 "缺联系人的单位可在“单位”页勾选“只看缺联系人的单位”补填。" if "尚缺" in contacts else "", ""]
        if not tasks:
            lines.append("台账中还没有任务：进入主窗口后，把立项表拖进窗口即可导入。")
        lines += ["每月的工作：下发 → 收文 → 督办 → 通报打印。任何页面按 F1 查看帮助。",
                  "点“完成”进入主窗口。"]
        self.text.setText("\n".join(lines))


class FirstRunWizard(QWizard):
    """After exec(): ledger_path is the ledger to open (None if cancelled before one was chosen)."""

    def __init__(self, parent=None, default_path: Path | None = None):
        super().__init__(parent)
        from .jobs import JobRunner
        self.setWindowTitle("督查台账 — 首次使用向导" if default_path else "督查台账 — 新建台账")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setButtonText(QWizard.WizardButton.NextButton, "下一步(&N) >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< 上一步(&B)")
        self.setButtonText(QWizard.WizardButton.FinishButton, "完成(&F)")
        self.setButtonText(QWizard.WizardButton.CancelButton, "取消")
        self.resize(640, 460)
        self.setOption(QWizard.WizardOption.HaveHelpButton)
        self.setButtonText(QWizard.WizardButton.HelpButton, "帮助(&H)")
        self.helpRequested.connect(self.show_help)
        self.jobs = JobRunner()
        self.ledger: Ledger | None = None
        self.ledger_path: Path | None = None
        if default_path is None:
            from core.common import paths
            default_path = _free_path(paths.data_dir() / "台账.sqlite3")
        self.start_page = StartPage(default_path)
        self.plan_page = PlanPage()
        self.contacts_page = ContactsPage()
        self.done_page = DonePage()
        self.setPage(START, self.start_page)
        self.setPage(PLAN, self.plan_page)
        self.setPage(CONTACTS, self.contacts_page)
        self.setPage(DONE, self.done_page)
        self.setStartId(START)
        self.finished.connect(self._close_ledger)

    def show_help(self):
        from .help_viewer import HelpViewer
        self.help_viewer = HelpViewer("index", self)
        self.help_viewer.show()
        return self.help_viewer

    @property
    def opened(self) -> Ledger:
        """The ledger the first page opened: the later pages are reached only once there is one."""
        assert self.ledger is not None, "the first page opens a ledger before any other page shows"
        return self.ledger

    def open_ledger(self, mode: str, path_text: str) -> None:
        from core.ledger.store import Ledger
        if self.ledger is not None:
            self.ledger.close()
            self.ledger, self.ledger_path = None, None
        if mode == "demo":
            from .demo_start import ensure_demo_ledger_shown
            path = ensure_demo_ledger_shown(self)
            if path is None:
                raise UserError("已取消生成演示台账。可再次选择“打开演示台账”，或新建、打开一本台账。")
        else:
            if not path_text:
                raise UserError("请填写台账文件的位置，或点“浏览”选择。")
            path = Path(path_text).expanduser()
            if mode == "open" and not path.exists():
                raise UserError(f"找不到台账文件“{path}”。请点“浏览”选择已有的台账文件。")
            if mode == "new" and path.is_dir():
                raise UserError(f"“{path}”是一个文件夹。请填写台账文件名，例如 {path / '台账.sqlite3'}。")
        self.ledger = Ledger(path)
        self.ledger_path = path

    def _close_ledger(self, result: int) -> None:
        self.jobs.wait(5000)
        if self.ledger is not None:
            self.ledger.close()
        if int(result) != 1:  # rejected
            self.ledger_path = None


def _free_path(path: Path) -> Path:
    if not path.exists():
        return path
    for n in range(2, 100):
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        if not candidate.exists():
            return candidate
    return path


def _import_dialog_class():
    try:
        from .import_dialog import ImportDialog
    except Exception:  # the import dialog is optional here: the wizard imports directly without it
        return None
    return ImportDialog


def run_first_run(default_path: Path) -> Path | None:
    """At start-up when no ledger exists yet: the guide; returns the ledger to open or None (cancelled)."""
    wizard = FirstRunWizard(None, default_path)
    if not wizard.exec():
        return None
    return wizard.ledger_path
