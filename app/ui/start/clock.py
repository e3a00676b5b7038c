"""The clock check at the start of a session: the site head confirms or corrects the laptop's
clock, and the answer goes into the audit log (``app_state.record_clock_check``)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDateTime, QEvent, Qt, QTimer, QTimeZone, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.errors import handle_error, show_in_place

if TYPE_CHECKING:
    from app.core.records.service import Workspace


W = TypeVar("W", bound=QWidget)


def _named(widget: W, name: str) -> W:
    widget.setObjectName(name)  # for find_clipped_widgets reports and style sheets
    return widget


def laptop_now() -> dt.datetime:
    """The laptop's clock (tests replace this function)."""
    return dt.datetime.now(dt.UTC)


class ClockPage(QWidget):
    """Emits ``confirmed(check)`` once the site head's answer is recorded."""

    confirmed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ClockPage")
        self.workspace: Workspace | None = None
        self.session_id = ""
        self.zone = ZoneInfo("Asia/Shanghai")
        self._busy = False
        self.title = _named(QLabel(), "clockTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        self.hint = _named(QLabel(), "clockHint")
        self.hint.setWordWrap(True)
        self.clock = _named(QLabel(), "clockValue")
        clock_font = self.clock.font()
        clock_font.setPointSizeF(clock_font.pointSizeF() * 2.4)
        self.clock.setFont(clock_font)
        self.head_label = _named(QLabel(), "headLabel")
        self.head_combo = _named(QComboBox(), "headCombo")
        self.head_label.setBuddy(self.head_combo)
        self.pin_label = _named(QLabel(), "pinLabel")
        self.pin_edit = _named(QLineEdit(), "pinEdit")
        self.pin_edit.setMaxLength(8)
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_label.setBuddy(self.pin_edit)
        self.right_button = _named(QRadioButton(), "rightButton")
        self.right_button.setChecked(True)
        self.wrong_button = _named(QRadioButton(), "wrongButton")
        self.correct_edit = _named(QDateTimeEdit(), "correctEdit")
        self.correct_edit.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
        self.correct_edit.setEnabled(False)
        self.message = _named(QLabel(), "clockMessage")
        self.message.setWordWrap(True)
        self.confirm_button = _named(QPushButton(), "confirmButton")
        self.confirm_button.setDefault(True)

        form = QFormLayout()
        form.addRow(self.head_label, self.head_combo)
        form.addRow(self.pin_label, self.pin_edit)
        form.addRow(self.right_button)
        form.addRow(self.wrong_button, self.correct_edit)
        column = QVBoxLayout()
        for widget in (self.title, self.hint, self.clock):
            column.addWidget(widget)
        column.addLayout(form)
        column.addWidget(self.message)
        column.addWidget(self.confirm_button, 0, Qt.AlignmentFlag.AlignRight)
        box = _named(QWidget(), "clockBox")
        box.setLayout(column)
        box.setMinimumWidth(620)
        outer = QGridLayout(self)
        outer.addWidget(box, 1, 1)
        outer.setRowStretch(0, 1)
        outer.setRowStretch(2, 1)
        outer.setColumnStretch(0, 1)
        outer.setColumnStretch(2, 1)

        self.wrong_button.toggled.connect(self.correct_edit.setEnabled)
        self.confirm_button.clicked.connect(self.submit)
        self.pin_edit.returnPressed.connect(self.submit)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self.retranslate()
        show_in_place(self.message, "")

    def retranslate(self) -> None:
        self.title.setText(self.tr("核对本机时间"))
        self.hint.setText(
            self.tr(
                "记录中的时间以本机时钟为准。请考场负责人对照标准时间核对：时间正确请确认，"
                "不正确请填写实际时间。确认和更正都会记入审计日志。"
            )
        )
        self.head_label.setText(self.tr("考场负责人(&H)："))
        self.pin_label.setText(self.tr("PIN(&P)："))
        self.right_button.setText(self.tr("本机时间正确(&R)"))
        self.wrong_button.setText(self.tr("时间不对，实际时间是(&W)："))
        self.confirm_button.setText(self.tr("确认(&C)"))

    def start(self, workspace: Workspace, session_id: str, timezone: str) -> None:
        self.workspace, self.session_id = workspace, session_id
        self.zone = ZoneInfo(timezone)
        self.head_combo.clear()
        for person in workspace.staff(session_id):
            if person.role == "site_head":
                self.head_combo.addItem(person.name, person.id)
        self.pin_edit.clear()
        self.right_button.setChecked(True)
        self.correct_edit.setTimeZone(QTimeZone(timezone.encode()))
        self.correct_edit.setDateTime(self._qt_now())
        show_in_place(self.message, "")
        self._tick()
        self._timer.start()
        self.pin_edit.setFocus()

    def stop(self) -> None:
        self._timer.stop()

    def _qt_now(self) -> QDateTime:
        return QDateTime.fromSecsSinceEpoch(int(laptop_now().timestamp()), QTimeZone(b"UTC"))

    @Slot()
    def _tick(self) -> None:
        self.clock.setText(laptop_now().astimezone(self.zone).strftime("%Y-%m-%d %H:%M:%S"))

    def clock_text(self) -> str:
        return str(self.clock.text())

    @Slot()
    def submit(self) -> None:
        if self.workspace is None or self._busy:
            return
        head_id = self.head_combo.currentData()
        if head_id is None:
            show_in_place(self.message, self.tr("本场次没有考场负责人，无法核对时间"))
            return
        corrected: dt.datetime | None = None
        if self.wrong_button.isChecked():
            seconds = self.correct_edit.dateTime().toSecsSinceEpoch()
            corrected = dt.datetime.fromtimestamp(seconds, dt.UTC)
        from app.core.records.app_state import record_clock_check
        from app.ui.workers import run_in_worker

        workspace, session_id, pin = self.workspace, self.session_id, self.pin_edit.text()
        laptop = laptop_now()
        self._busy = True
        self.confirm_button.setEnabled(False)
        run_in_worker(
            lambda: record_clock_check(workspace, session_id, str(head_id), pin, laptop, corrected),
            self._on_done,
            self._on_failed,
        )

    def _on_done(self, check: object) -> None:
        self._busy = False
        self.confirm_button.setEnabled(True)
        self.stop()
        self.confirmed.emit(check)

    def _on_failed(self, exc: BaseException) -> None:
        from app.core.records.app_state import UnlockError

        self._busy = False
        self.confirm_button.setEnabled(True)
        self.pin_edit.clear()
        if isinstance(exc, UnlockError) and exc.code == "wrong_pin":
            show_in_place(self.message, self.tr("PIN 不正确，请重新输入"))
            return
        handle_error(exc, self.message, self)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
