"""Settings: what identifies this laptop in the records, and how the app behaves on it.

The language applies as soon as it is chosen (every window retranslates live, so the person
can read the page in it); Save keeps it with the other fields, and Back discards every change
made since the page opened or was last saved, switching back to the language it opened in.
The device code is the prefix of new paper-log numbers.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtWidgets import QWidget

from app.ui.errors import handle_error, show_in_place
from app.ui.generated.ui_settings_page import Ui_SettingsPage
from app.ui.i18n import LANGUAGE_NAMES, available_languages

if TYPE_CHECKING:
    from app.core.records.app_state import AppSettings
    from app.core.records.service import Workspace


class SettingsPage(QWidget):
    #: New settings saved (an ``AppSettings``).
    saved = Signal(object)
    #: A language was chosen (its code); the main window switches and remembers it.
    languageChosen = Signal(str)
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_SettingsPage()
        self.ui.setupUi(self)
        font = self.ui.titleLabel.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.ui.titleLabel.setFont(font)
        self.workspace: Workspace | None = None
        self.settings: AppSettings | None = None
        self.data_dir: Path | None = None
        self._filling = False
        # The language to return to on Back (the one shown when the page opened or was saved).
        self._kept_language: str | None = None
        show_in_place(self.ui.messageLabel, "")
        for code in available_languages():
            if code != "pseudo":  # the pseudo-translation is for layout tests only
                self.ui.languageCombo.addItem(LANGUAGE_NAMES[code], code)
        self.ui.languageCombo.currentIndexChanged.connect(self._on_language)
        self.ui.saveButton.clicked.connect(self.save)
        self.ui.backButton.clicked.connect(self.go_back)

    def load(self, workspace: Workspace | None, settings: AppSettings, data_dir: Path) -> None:
        self.workspace, self.settings, self.data_dir = workspace, settings, data_dir
        self._filling = True
        ui = self.ui
        ui.deviceNameEdit.setText(settings.device_name)
        ui.idleSpin.setValue(settings.idle_lock_minutes)
        ui.examIdleSpin.setValue(settings.exam_idle_lock_minutes)
        index = ui.languageCombo.findData(settings.language)
        ui.languageCombo.setCurrentIndex(max(0, index))
        ui.englishExplanationCheck.setChecked(settings.english_explanation)
        self._kept_language = str(ui.languageCombo.currentData())
        self._fill_values()
        if workspace is not None:
            ui.deviceCodeEdit.setText(workspace.device.code)
        self._filling = False
        show_in_place(ui.messageLabel, "")

    def _fill_values(self) -> None:
        """The read-only values (``retranslateUi`` empties them on a language change)."""
        ui = self.ui
        ui.dataFolderValue.setText(str(self.data_dir) if self.data_dir is not None else "")
        if self.workspace is not None:
            device = self.workspace.device
            ui.deviceIdValue.setText(device.device_id)
            ui.fingerprintValue.setText(device.fingerprint)

    @Slot(int)
    def _on_language(self, _index: int) -> None:
        if self._filling:
            return
        code = str(self.ui.languageCombo.currentData())
        self.languageChosen.emit(code)
        switched = self.settings is not None and self.settings.language == code
        if switched and code != self._kept_language:
            # Said in the language just chosen (the switch has happened by now).
            show_in_place(
                self.ui.messageLabel,
                self.tr("界面语言已切换并生效；点击“返回”则恢复原来的语言。"),
                ok=True,
            )

    @Slot()
    def go_back(self) -> None:
        """Leave without saving: the fields are refilled from the saved settings next time,
        and a language chosen since the page opened (or was saved) is switched back."""
        kept = self._kept_language
        if kept is not None and self.ui.languageCombo.currentData() != kept:
            self._filling = True
            self.choose_language(kept)
            self._filling = False
            self.languageChosen.emit(kept)  # the main window switches back and remembers it
        self.back.emit()

    def choose_language(self, code: str) -> None:
        self.ui.languageCombo.setCurrentIndex(self.ui.languageCombo.findData(code))

    @Slot()
    def save(self) -> None:
        if self.settings is None or self.data_dir is None:
            return
        from app.core.errors import UserError
        from app.core.records.app_state import save_settings

        ui = self.ui
        name = ui.deviceNameEdit.text().strip()
        if not name:
            show_in_place(ui.messageLabel, self.tr("请填写设备名称"))
            ui.deviceNameEdit.setFocus()
            return
        try:
            code = ui.deviceCodeEdit.text().strip().upper()
            if self.workspace is not None and code != self.workspace.device.code:
                self.workspace.set_device_code(code)
            settings = self.settings.with_changes(
                device_name=name,
                idle_lock_minutes=ui.idleSpin.value(),
                exam_idle_lock_minutes=ui.examIdleSpin.value(),
                language=str(ui.languageCombo.currentData()),
                english_explanation=ui.englishExplanationCheck.isChecked(),
            )
            save_settings(self.data_dir, settings)
        except UserError as exc:
            if "device code" in str(exc):
                show_in_place(
                    ui.messageLabel, self.tr("本机代码须为 1–3 个字母（不含 I、O、Q）或数字")
                )
                ui.deviceCodeEdit.setFocus()
                return
            handle_error(exc, ui.messageLabel, self)
            return
        self.settings = settings
        self._kept_language = settings.language
        if self.workspace is not None:
            ui.deviceCodeEdit.setText(self.workspace.device.code)
        show_in_place(ui.messageLabel, self.tr("设置已保存"), ok=True)
        self.saved.emit(settings)

    def message(self) -> str:
        return self.ui.messageLabel.text()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self)
            self._fill_values()
        super().changeEvent(event)
