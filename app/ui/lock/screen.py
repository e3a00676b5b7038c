"""The lock screen: first-run device setup, and unlocking by a staff member of the session.

The unlock rule itself lives in ``app.core.records.app_state`` (own PIN; a site head's PIN for
staff without one; the site head sets a PIN first when none has). This widget asks, checks in
a worker (argon2 takes a moment) and says what went wrong in place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from app.ui.errors import handle_error, show_in_place
from app.ui.generated.ui_lock_screen import Ui_LockScreen

if TYPE_CHECKING:
    from app.core.records.service import Workspace
    from app.core.records.tables import Staff

MAX_FAILURES = 5
LOCKOUT_MS = 30_000
SETUP_PAGE, UNLOCK_PAGE = 0, 1


class LockScreen(QWidget):
    """Shows either the device set-up or the unlock form; emits what the person chose."""

    #: First-run setup submitted: device code, device name.
    setupSubmitted = Signal(str, str)
    #: On the set-up page: this computer is the institution's (its identity is made next).
    institutionSetupRequested = Signal()
    #: A staff member unlocked (their ``Staff`` row).
    unlocked = Signal(object)
    #: The person wants another session (back to the start screen).
    otherSessionRequested = Signal()
    #: Ctrl+N: a new record, to open once the PIN has unlocked.
    incidentRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_LockScreen()
        self.ui.setupUi(self)
        for title in (self.ui.setupTitle, self.ui.lockedTitle):
            font = title.font()
            font.setPointSizeF(font.pointSizeF() * 1.6)
            font.setBold(True)
            title.setFont(font)
        self.ui.pinEdit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self._workspace: Workspace | None = None
        self._session_id: str | None = None
        self._device_name = ""
        self._staff: list[Staff] = []
        self._failures = 0
        self._busy = False
        self._session_text = ""
        self.ui.setupButton.clicked.connect(self._submit_setup)
        self.ui.institutionSetupButton.clicked.connect(self.institutionSetupRequested)
        self.ui.deviceNameEdit.returnPressed.connect(self._submit_setup)
        self.ui.unlockButton.clicked.connect(self.try_unlock)
        self.ui.pinEdit.returnPressed.connect(self.try_unlock)
        self.ui.staffCombo.currentIndexChanged.connect(self._update_hint)
        self.ui.otherSessionButton.clicked.connect(self.otherSessionRequested)
        self.ui.setHeadPinButton.clicked.connect(self._set_head_pin)
        # The app's Ctrl+N action is disabled while locked (it would show a record); here the
        # same keys start one that opens after the PIN.
        self.new_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.New), self)
        self.new_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.new_shortcut.activated.connect(self.incidentRequested)
        self._clear_messages()
        self.ui.headPinGroup.hide()

    # -- pages ---------------------------------------------------------------------------------

    def show_setup(self, code: str = "", name: str = "") -> None:
        """The first-run page, prefilled with the device's current code."""
        self.ui.pages.setCurrentIndex(SETUP_PAGE)
        self.ui.deviceCodeEdit.setText(code)
        self.ui.deviceNameEdit.setText(name)
        show_in_place(self.ui.setupMessage, "")
        self.ui.deviceNameEdit.setFocus()

    def setup_failed(self, message: str) -> None:
        show_in_place(self.ui.setupMessage, message)

    def show_loading(self) -> None:
        """Locked, while the session's data is still being opened."""
        self.ui.pages.setCurrentIndex(UNLOCK_PAGE)
        self._workspace = None
        self.ui.staffCombo.clear()
        self.ui.unlockButton.setEnabled(False)
        self.ui.headPinGroup.hide()
        self._session_text = self.tr("正在打开数据…")
        self.ui.sessionLabel.setText(self._session_text)

    def show_unlock(
        self,
        workspace: Workspace,
        session_id: str,
        session_text: str,
        device_name: str = "",
        *,
        preselect: str | None = None,
    ) -> None:
        """The unlock page for ``session_id``: its staff to choose from, the PIN field.
        ``preselect`` (the last operator) is chosen and the PIN field takes the keys."""
        self.ui.pages.setCurrentIndex(UNLOCK_PAGE)
        self._workspace, self._session_id = workspace, session_id
        self._device_name = device_name
        self._session_text = session_text
        self.ui.sessionLabel.setText(session_text)
        self._clear_messages()
        self._load_staff()  # may say why nobody can unlock (no roster, purged)
        self.ui.pinEdit.clear()
        self.ui.unlockButton.setEnabled(not self._busy and bool(self._staff))
        self._update_hint()
        if preselect is not None and self.ui.staffCombo.findData(preselect) >= 0:
            self.select_staff(preselect)
            self.ui.pinEdit.setFocus()  # the same proctor again: only the PIN to type
            return
        self.ui.staffCombo.setFocus()

    def may_unlock(self) -> bool:
        """A staff member of the session can unlock here now (not loading)."""
        return not self.is_setup_page() and self._workspace is not None and bool(self._staff)

    def ask_pin_for_incident(self) -> None:
        """Ctrl+N while locked: the chosen staff member's PIN unlocks and the record opens."""
        if self.ui.pinEdit.text().strip():
            self.try_unlock()
            return
        show_in_place(
            self.ui.unlockMessage,
            self.tr("输入本人 PIN 后按回车，即开始记录新的违纪违规情况。"),
            ok=True,
        )
        self.ui.pinEdit.setFocus()

    def is_setup_page(self) -> bool:
        return self.ui.pages.currentIndex() == SETUP_PAGE

    def message(self) -> str:
        """The message shown in place on the current page."""
        label = self.ui.setupMessage if self.is_setup_page() else self.ui.unlockMessage
        return label.text()

    def select_staff(self, staff_id: str) -> None:
        index = self.ui.staffCombo.findData(staff_id)
        if index >= 0:
            self.ui.staffCombo.setCurrentIndex(index)

    # -- unlocking -----------------------------------------------------------------------------

    @Slot()
    def try_unlock(self) -> None:
        if self._workspace is None or self._session_id is None or self._busy:
            return
        staff_id = self.ui.staffCombo.currentData()
        if staff_id is None:
            show_in_place(self.ui.unlockMessage, self.tr("请先选择工作人员"))
            return
        pin = self.ui.pinEdit.text().strip()
        if not pin:
            show_in_place(self.ui.unlockMessage, self.tr("请输入 PIN"))
            self.ui.pinEdit.setFocus()
            return
        from app.core.records.app_state import unlock
        from app.ui.workers import run_in_worker

        workspace, session_id, name = self._workspace, self._session_id, self._device_name
        self._set_busy(True)
        show_in_place(self.ui.unlockMessage, self.tr("正在核对…"), ok=True)
        run_in_worker(
            lambda: unlock(workspace, session_id, str(staff_id), pin, device_name=name),
            self._on_unlocked,
            self._on_unlock_error,
        )

    def _on_unlocked(self, staff: object) -> None:
        self._set_busy(False)
        self._failures = 0
        self.ui.pinEdit.clear()
        show_in_place(self.ui.unlockMessage, "")
        self.unlocked.emit(staff)

    def _on_unlock_error(self, exc: BaseException) -> None:
        from app.core.records.app_state import UnlockError

        self._set_busy(False)
        self.ui.pinEdit.clear()
        self.ui.pinEdit.setFocus()
        if not isinstance(exc, UnlockError):
            handle_error(exc, self.ui.unlockMessage, self)
            return
        if exc.code in ("wrong_pin", "wrong_head_pin"):
            self._failures += 1
        # "locked": the core's count (kept across restarts, shared with the signing dialogs).
        if self._failures >= MAX_FAILURES or exc.code == "locked":
            self._failures = 0
            self.ui.unlockButton.setEnabled(False)
            self.ui.pinEdit.setEnabled(False)
            QTimer.singleShot(LOCKOUT_MS, self._end_lockout)
            show_in_place(self.ui.unlockMessage, self.tr("PIN 连续错误 5 次，请 30 秒后再试"))
            return
        show_in_place(self.ui.unlockMessage, self.unlock_error_text(exc.code))
        if exc.code == "no_head_pin":
            self._show_head_pin_group()

    def unlock_error_text(self, code: str) -> str:
        texts = {
            "wrong_pin": self.tr("PIN 不正确，请重新输入"),
            "wrong_head_pin": self.tr("此人没有个人 PIN，须输入考场负责人的 PIN；所输 PIN 不正确"),
            "no_head_pin": self.tr("此人没有个人 PIN，且考场负责人尚未设置 PIN，请先设置"),
            "not_staff": self.tr("请选择本场次的工作人员"),
            "pin_format": self.tr("PIN 须为 4–8 位数字"),
            "pin_exists": self.tr("此人已设置 PIN"),
        }
        return texts.get(code, self.tr("无法解锁"))

    def _end_lockout(self) -> None:
        self.ui.pinEdit.setEnabled(True)
        self.ui.unlockButton.setEnabled(self._workspace is not None)
        show_in_place(self.ui.unlockMessage, "")

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.ui.unlockButton.setEnabled(not busy and self._workspace is not None)
        self.ui.setHeadPinButton.setEnabled(not busy)

    # -- staff and hints -----------------------------------------------------------------------

    def _load_staff(self) -> None:
        from app.core.rulebook.model import StaffRole
        from app.ui.labels import join_list, role_label, with_note

        assert self._workspace is not None and self._session_id is not None
        order = {"site_head": 0, "exam_admin": 1, "assessor": 2, "supervisor": 3}
        self._staff = sorted(
            self._workspace.staff(self._session_id),
            key=lambda s: (order.get(s.role, 9), s.staff_number),
        )
        combo = self.ui.staffCombo
        combo.blockSignals(True)
        combo.clear()
        for person in self._staff:
            try:
                role = role_label(StaffRole(person.role))
            except ValueError:
                role = person.role
            combo.addItem(with_note(person.name, join_list([role, person.staff_number])), person.id)
        combo.blockSignals(False)
        heads = [s for s in self._staff if s.role == "site_head"]
        self.ui.headCombo.clear()
        for head in heads:
            self.ui.headCombo.addItem(head.name, head.id)
        needs_head_pin = bool(heads) and not any(h.pin_hash for h in heads)
        needs_head_pin = needs_head_pin and any(s.pin_hash is None for s in self._staff)
        self.ui.headPinGroup.setVisible(needs_head_pin)
        if not self._staff and self._workspace.session(self._session_id).get("purged"):
            show_in_place(
                self.ui.unlockMessage,
                self.tr(
                    "评价机构确认收到本场次的记录后，本机已清除其个人信息：本场次不能再在本机记录。"
                ),
            )
        elif not self._staff:
            show_in_place(
                self.ui.unlockMessage,
                self.tr("本场次还没有工作人员名单：请在开始页面导入工作人员名单"),
            )
        self._update_hint()

    def _show_head_pin_group(self) -> None:
        if self.ui.headCombo.count():
            self.ui.headPinGroup.show()
            self.ui.newPinEdit.setFocus()

    @Slot()
    def _update_hint(self) -> None:
        index = self.ui.staffCombo.currentIndex()
        if not 0 <= index < len(self._staff):
            self.ui.pinHint.setText("")
            return
        if self._staff[index].pin_hash is not None:
            self.ui.pinHint.setText(self.tr("请输入本人的 PIN。"))
        else:
            self.ui.pinHint.setText(
                self.tr(
                    "此人没有个人 PIN：请考场负责人在此输入考场负责人的 PIN，代为解锁。"
                    "签名前须由考场负责人为其设置本人 PIN。"
                )
            )

    @Slot()
    def _set_head_pin(self) -> None:
        if self._workspace is None or self._session_id is None:
            return
        head_id = self.ui.headCombo.currentData()
        first, second = self.ui.newPinEdit.text(), self.ui.repeatPinEdit.text()
        if first != second:
            show_in_place(self.ui.unlockMessage, self.tr("两次输入的 PIN 不一致"))
            return
        from app.core.records.app_state import set_staff_pin
        from app.ui.workers import run_in_worker

        workspace, session_id = self._workspace, self._session_id
        self._set_busy(True)
        run_in_worker(
            lambda: set_staff_pin(workspace, session_id, str(head_id), first, actor_id=head_id),
            self._on_head_pin_set,
            self._on_unlock_error,
        )

    def _on_head_pin_set(self, _result: Any) -> None:
        self._set_busy(False)
        self.ui.newPinEdit.clear()
        self.ui.repeatPinEdit.clear()
        self._load_staff()
        self.ui.headPinGroup.hide()
        show_in_place(self.ui.unlockMessage, self.tr("考场负责人的 PIN 已设置"), ok=True)

    def _clear_messages(self) -> None:
        show_in_place(self.ui.unlockMessage, "")
        show_in_place(self.ui.setupMessage, "")

    # -- setup ---------------------------------------------------------------------------------

    @Slot()
    def _submit_setup(self) -> None:
        code = self.ui.deviceCodeEdit.text().strip().upper()
        name = self.ui.deviceNameEdit.text().strip()
        if not name:
            show_in_place(self.ui.setupMessage, self.tr("请填写设备名称"))
            self.ui.deviceNameEdit.setFocus()
            return
        if not code:
            show_in_place(self.ui.setupMessage, self.tr("请填写本机代码（1–3 个字母或数字）"))
            self.ui.deviceCodeEdit.setFocus()
            return
        self.setupSubmitted.emit(code, name)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self)
            self.ui.sessionLabel.setText(self._session_text)
            if self._workspace is not None:
                self._update_hint()
        super().changeEvent(event)
