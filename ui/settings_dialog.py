"""The settings dialog: campaign options, form fonts, output folders, backup retention, ranking wording, form password,
考评 rules and 制表单位."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFrame, QDoubleSpinBox, QFileDialog, QFontComboBox, QFormLayout,
    QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QScrollArea, QSpinBox, QVBoxLayout, QWidget,
)

from core.ledger import settings as core_settings
from core.common.errors import UserError

from .operations import write_now


class SettingsDialog(QDialog):
    """Shows the current values; 确定 saves everything through core.ledger.settings.save_settings in one transaction."""

    def __init__(self, ledger, parent=None, ctx=None):
        super().__init__(parent)
        self.ledger = ledger
        self.ctx = ctx   # the window's context: saving waits while a background job writes the ledger
        self.changed = 0   # settings changed by the last save
        self.setWindowTitle("设置")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.campaign = core_settings.campaign_options(ledger)

        # the sections scroll (the buttons stay put): all of them fit a laptop's 768-pixel screen with its taskbar
        body = QWidget()
        sections = QVBoxLayout(body)
        sections.setContentsMargins(0, 0, 0, 0)
        for box in (self._clerk_box(), self._campaign_box(), self._forms_box(), self._backup_box(), self._stats_box()):
            sections.addWidget(box)
        self.sections_area = QScrollArea()
        self.sections_area.setWidgetResizable(True)
        self.sections_area.setFrameShape(QFrame.Shape.NoFrame)
        self.sections_area.setWidget(body)
        layout.addWidget(self.sections_area)
        self.buttons = self._button_box()
        layout.addWidget(self.buttons)
        self._load_campaign()
        screen = self.screen()
        self.fit_to(screen.availableGeometry().height() if screen is not None else 728)

    def fit_to(self, free_height: int) -> None:
        """Tall enough to show every section without scrolling where the screen has room; never taller than
        `free_height` (the screen's free height: on a 1366×768 laptop the sections then scroll)."""
        body = self.sections_area.widget()
        chrome = self.buttons.sizeHint().height() + 60   # the title bar, the margins and the spacing
        self.sections_area.setMinimumHeight(min(body.sizeHint().height(), max(200, free_height - chrome)))
        self.sections_area.setMinimumWidth(body.sizeHint().width() + 20)   # room for a vertical scroll bar
        self.layout().activate()
        self.resize(max(self.width(), self.sizeHint().width()), self.sizeHint().height())

    def _clerk_box(self) -> QGroupBox:
        """本人: the name written on every change this PC user makes."""
        import os

        from core.ledger import clerk
        box = QGroupBox("本人（这台电脑的使用者）")
        form = QFormLayout(box)
        self.clerk = QLineEdit(clerk.clerk_name())
        self.clerk.setPlaceholderText("留空则用系统用户名")
        self.clerk.setToolTip("每一条修改痕迹都记下这个名字；几位同志共用一本共享台账时，据此分清是谁改的。")
        self.clerk.setEnabled(not os.environ.get("DUCHA_CLERK"))   # set for this run by the environment
        form.addRow("姓名(&N)：", self.clerk)
        return box

    def _campaign_box(self) -> QGroupBox:
        """The campaign's deadlines, plan layout and gathering by the lead unit."""
        box = QGroupBox(f"{self.campaign['year']}年立项批次" if self.campaign else "立项批次（尚未导入立项表）")
        form = QFormLayout(box)
        self.plan_due = QDateEdit()
        self.plan_due.setCalendarPopup(True)
        self.plan_due.setDisplayFormat("yyyy年M月d日")
        self.plan_due_none = QCheckBox("不设截止日期")
        row = QHBoxLayout()
        row.addWidget(self.plan_due, 1)
        row.addWidget(self.plan_due_none)
        form.addRow("计划表报送截止(&D)：", _wrap(row))
        self.plan_due_none.toggled.connect(lambda on: self.plan_due.setEnabled(not on))
        self.report_workdays = QSpinBox()
        self.report_workdays.setRange(1, 30)
        self.report_workdays.setSuffix(" 个工作日")
        form.addRow("月报：月末后(&W)", self.report_workdays)
        self.plan_layout = QComboBox()
        for key, label in core_settings.PLAN_LAYOUTS.items():
            self.plan_layout.addItem(label, key)
        form.addRow("计划表季度目标(&L)：", self.plan_layout)
        self.lead_gathering = QCheckBox("牵头单位汇总协办单位情况后统一报送(&G)")
        form.addRow("", self.lead_gathering)
        box.setEnabled(self.campaign is not None)
        return box

    def _forms_box(self) -> QGroupBox:
        """The forms' fonts, the output folder and 发件箱, the sheet password."""
        box = QGroupBox("下发表格")
        form = QFormLayout(box)
        font = core_settings.form_font(self.ledger)
        self.font_family = QFontComboBox()
        self.font_family.setEditable(True)
        self.font_family.setCurrentText(font["family"])
        self.font_size = QSpinBox()
        self.font_size.setRange(6, 36)
        self.font_size.setValue(font["size"])
        form.addRow("正文字体(&F)：", _wrap(_hbox(self.font_family, self.font_size)))
        self.title_family = QFontComboBox()
        self.title_family.setEditable(True)
        self.title_family.setCurrentText(font["title_family"])
        self.title_size = QSpinBox()
        self.title_size.setRange(6, 72)
        self.title_size.setValue(font["title_size"])
        form.addRow("标题字体(&T)：", _wrap(_hbox(self.title_family, self.title_size)))
        self.output = QLineEdit(core_settings.get(self.ledger, "output_dir"))
        self.output.setPlaceholderText(str(core_settings.output_dir(self.ledger)))
        self.output.setToolTip("本台账的输出文件夹：下发的表格在“下发”、通报打印的文件在“通报”、催报单在“催报”子文件夹。"
                               "留空则用“文档/督查台账/台账名”。")
        browse_output = QPushButton("浏览…")
        browse_output.clicked.connect(self._choose_output)
        form.addRow("输出文件夹(&U)：", _wrap(_hbox(self.output, browse_output)))
        self.outbox = QLineEdit(core_settings.get(self.ledger, "outbox_dir"))
        self.outbox.setPlaceholderText(str(core_settings.outbox_dir(self.ledger)))
        self.outbox.setToolTip("留空则用输出文件夹下的“下发”子文件夹")
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._choose_outbox)
        form.addRow("发件箱(&O)：", _wrap(_hbox(self.outbox, browse)))
        self.password = QLineEdit(core_settings.form_password(self.ledger))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("留空则不保护工作表")
        form.addRow("表格保护密码(&P)：", self.password)
        return box

    def _backup_box(self) -> QGroupBox:
        """Backup retention and the bulletin's ranking wording."""
        box = QGroupBox("备份与通报")
        form = QFormLayout(box)
        retention = core_settings.backup_retention(self.ledger)
        self.keep_last = QSpinBox()
        self.keep_last.setRange(1, 999)
        self.keep_last.setValue(retention["keep_last"])
        self.keep_last.setSuffix(" 份")
        form.addRow("保留最近备份(&B)：", self.keep_last)
        self.keep_days = QSpinBox()
        self.keep_days.setRange(0, 3650)
        self.keep_days.setValue(retention["keep_daily_days"])
        self.keep_days.setSuffix(" 天")
        form.addRow("每天一份，保留(&K)：", self.keep_days)
        self.no_ranking = QCheckBox("通报中不排名（按序号列出，不写“排名”“末位”等字样）(&R)")
        self.no_ranking.setChecked(core_settings.no_ranking(self.ledger))
        form.addRow("", self.no_ranking)
        self.livelihood_cadence = QComboBox()
        self.livelihood_cadence.addItem("每月一次（一月一通报）", 1)
        self.livelihood_cadence.addItem("每季度一次（一季一通报）", 3)
        self.livelihood_cadence.setCurrentIndex(0 if core_settings.livelihood_cadence(self.ledger) == 1 else 1)
        form.addRow("民生实事通报(&M)：", self.livelihood_cadence)
        return box

    def _stats_box(self) -> QGroupBox:
        """制表单位 and the 考评 rules, four to a row."""
        box = QGroupBox("统计与考评")
        grid = QGridLayout(box)
        self.office_name = QLineEdit(core_settings.office_name(self.ledger))
        self.office_name.setToolTip("印在统计表、考评表上的“制表单位”")
        grid.addWidget(QLabel("制表单位(&E)："), 0, 0)
        grid.addWidget(self.office_name, 0, 1, 1, 7)
        rules = core_settings.kaoping_rules(self.ledger)
        self.kaoping: dict[str, QDoubleSpinBox] = {}
        for i, (key, name) in enumerate(core_settings.KAOPING_NAMES.items()):
            spin = QDoubleSpinBox()
            spin.setRange(0, 1000 if key == "base" else 100)
            spin.setDecimals(1)
            spin.setSingleStep(0.5)
            spin.setSuffix(" 分")
            spin.setValue(rules[key])
            self.kaoping[key] = spin
            row, col = 1 + i // 4, (i % 4) * 2   # four to a row: the dialog stays within a 768-pixel screen
            grid.addWidget(QLabel(name + "："), row, col)
            grid.addWidget(spin, row, col + 1)
        return box

    def _button_box(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                        | QDialogButtonBox.StandardButton.Help)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.button(QDialogButtonBox.StandardButton.Help).setText("帮助")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.helpRequested.connect(self.show_help)
        return buttons

    def show_help(self):
        from .help_viewer import HelpViewer
        self.help_viewer = HelpViewer("settings", self)
        self.help_viewer.show()
        return self.help_viewer

    def keyPressEvent(self, event) -> None:
        from PySide6.QtCore import Qt
        if event.key() == Qt.Key.Key_F1:
            self.show_help()
            return
        super().keyPressEvent(event)

    def _load_campaign(self) -> None:
        c = self.campaign
        if not c:
            self.plan_due.setDate(QDate.currentDate())
            self.report_workdays.setValue(5)
            return
        due = c["plan_due"]
        self.plan_due_none.setChecked(due is None)
        self.plan_due.setEnabled(due is not None)
        self.plan_due.setDate(QDate(due.year, due.month, due.day) if due else QDate(c["year"], 3, 6))
        self.report_workdays.setValue(c["report_workdays"])
        self.plan_layout.setCurrentIndex(max(0, self.plan_layout.findData(c["plan_layout"])))
        self.lead_gathering.setChecked(c["lead_gathering"])

    def _choose_output(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "选择输出文件夹", self.output.text() or self.output.placeholderText())
        if chosen:
            self.output.setText(chosen)

    def _choose_outbox(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "选择发件箱文件夹", self.outbox.text() or self.outbox.placeholderText())
        if chosen:
            self.outbox.setText(chosen)

    def values(self) -> tuple[dict, dict]:
        """(campaign options, ledger settings) as the dialog shows them."""
        campaign = {}
        if self.campaign:
            d = self.plan_due.date()
            campaign = {
                "plan_due": None if self.plan_due_none.isChecked() else date(d.year(), d.month(), d.day()),
                "report_workdays": self.report_workdays.value(),
                "plan_layout": self.plan_layout.currentData(),
                "lead_gathering": self.lead_gathering.isChecked(),
            }
        values = {
            "output_dir": self.output.text().strip(),
            "outbox_dir": self.outbox.text().strip(),
            "backup_retention": {"keep_last": self.keep_last.value(), "keep_daily_days": self.keep_days.value()},
            "no_ranking": self.no_ranking.isChecked(),
            "livelihood_cadence": self.livelihood_cadence.currentData(),
            "kaoping_rules": {key: spin.value() for key, spin in self.kaoping.items()},
            "office_name": self.office_name.text(),
            "form_password": self.password.text(),
            "form_font": {"family": self.font_family.currentText().strip(), "size": self.font_size.value(),
                          "title_family": self.title_family.currentText().strip(), "title_size": self.title_size.value()},
        }
        return campaign, values

    def accept(self) -> None:
        campaign, values = self.values()
        from core.ledger import clerk
        name = " ".join(self.clerk.text().split())
        renamed = self.clerk.isEnabled() and name != clerk.clerk_name()
        ledger, year = self.ledger, self.campaign["year"] if self.campaign else None

        def save():
            if renamed:   # first, so the changes saved below already name the clerk
                clerk.set_clerk_name(name)
            return core_settings.save_settings(ledger, campaign=campaign, settings=values, year=year)
        try:   # in the window: refused while a background job writes, and the pages hear of it
            saved = save() if self.ctx is None else write_now(self.ctx, "settings", save)
            self.changed = int(renamed) + saved.value
        except UserError as exc:
            QMessageBox.warning(self, "设置未保存", exc.message)
            return
        super().accept()


def _hbox(*widgets) -> QHBoxLayout:
    row = QHBoxLayout()
    for i, w in enumerate(widgets):
        row.addWidget(w, 1 if i == 0 else 0)
    return row


def _wrap(layout) -> QWidget:
    widget = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    widget.setLayout(layout)
    return widget


def open_settings(window) -> bool:
    """Menu action: show the dialog (its save announces the change to the pages)."""
    dialog = SettingsDialog(window.ledger, window, window.ctx)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        if dialog.changed:
            window.ctx.status_message.emit(f"设置已保存（{dialog.changed} 项更改）。")
        return True
    return False
