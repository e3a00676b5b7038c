"""Creating a session by hand: institution, evaluation, site, subjects, rooms, site head,
rulebook, time zone, and the roster files — checked in full before anything is saved."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QDate, QEvent, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.core.rulebook import DEFAULT_RULEBOOK_ID
from app.ui.errors import handle_error, show_in_place
from app.ui.generated.ui_start_session_form import Ui_SessionForm
from app.ui.institution.filing_dialog import ask_acknowledge_scope
from app.ui.labels import evaluation_type_label, in_chinese, level_label, with_note
from app.ui.start.problems import show_problems

if TYPE_CHECKING:
    from app.core.institution.filing import ScopeFinding
    from app.core.records.service import Workspace
    from app.core.records.sessions import SessionSpec
    from app.core.rosters.rows import StaffRow

TIMEZONES = ("Asia/Shanghai", "Asia/Urumqi", "Asia/Hong_Kong", "Asia/Macau")
DEFAULT_SUBJECTS = (("理论知识", "09:00", "10:30"), ("操作技能", "13:30", "16:30"))
DEFAULT_ROOMS = (("第1考场", "30", ""),)
ROSTER_FILTER = "名单 (*.xlsx *.csv)"
# Characters a choice box shows before it cuts its text (the popup list shows it whole), and
# the width a roster file field keeps for a path, in average Latin characters.
MIN_CHOICE_CHARS = 24
MIN_PATH_CHARS = 40


def ask_open_roster(parent: QWidget, title: str) -> str:
    """The file chooser for a roster (tests replace this function)."""
    path, _ = QFileDialog.getOpenFileName(parent, title, "", ROSTER_FILTER)
    return path


class FormProblem(Exception):
    """A field of the form is missing or wrong; ``widget`` gets the focus."""

    def __init__(self, message: str, widget: QWidget) -> None:
        super().__init__(message)
        self.widget = widget


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text().strip() if item is not None else ""


def _add_row(table: QTableWidget, values: tuple[str, ...]) -> None:
    row = table.rowCount()
    table.insertRow(row)
    for column, value in enumerate(values):
        table.setItem(row, column, QTableWidgetItem(value))


def _time(text: str) -> dt.time | None:
    try:
        return dt.datetime.strptime(text.replace("：", ":"), "%H:%M").time()
    except ValueError:
        return None


class SessionForm(QWidget):
    """Emits ``created(session_id)`` once the session and its rosters are saved."""

    created = Signal(str)
    cancelled = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_SessionForm()
        self.ui.setupUi(self)
        self.workspace = workspace
        self._busy = False
        self.scope: ScopeFinding | None = None  # the plan's excess over the filing, acknowledged
        font = self.ui.titleLabel.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.ui.titleLabel.setFont(font)
        self._fill_choices()
        self._share_the_width()
        for table in (self.ui.subjectsTable, self.ui.roomsTable):
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            table.verticalHeader().hide()
        for values in DEFAULT_SUBJECTS:
            _add_row(self.ui.subjectsTable, values)
        for values in DEFAULT_ROOMS:
            _add_row(self.ui.roomsTable, values)
        self.ui.dateEdit.setDate(QDate.currentDate())
        self.ui.problemsTable.hide()
        show_in_place(self.ui.messageLabel, "")
        self.ui.addSubjectButton.clicked.connect(
            lambda: _add_row(self.ui.subjectsTable, ("", "", ""))
        )
        self.ui.removeSubjectButton.clicked.connect(lambda: self._remove(self.ui.subjectsTable))
        self.ui.addRoomButton.clicked.connect(lambda: self._add_room())
        self.ui.removeRoomButton.clicked.connect(lambda: self._remove(self.ui.roomsTable))
        self.ui.candidatesBrowseButton.clicked.connect(
            lambda: self._browse(self.ui.candidatesFileEdit, self.tr("选择考生名单"))
        )
        self.ui.staffBrowseButton.clicked.connect(
            lambda: self._browse(self.ui.staffFileEdit, self.tr("选择工作人员名单"))
        )
        self.ui.createButton.clicked.connect(self.submit)
        self.ui.cancelButton.clicked.connect(self.cancelled)

    def _share_the_width(self) -> None:
        """Leave the roster file fields room for a path in either language: the left column's
        choices (the English rulebook title is some 80 characters) no longer take the width
        they ask for, and the file fields ask for a path's worth."""
        ui = self.ui
        for combo in (ui.kindCombo, ui.evaluationTypeCombo, ui.levelCombo, ui.rulebookCombo):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(MIN_CHOICE_CHARS)
        for edit in (ui.candidatesFileEdit, ui.staffFileEdit):
            edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("x" * MIN_PATH_CHARS))
        # Extra width goes to the columns in proportion to what they hold.
        for column, stretch in enumerate((3, 2, 2)):
            ui.columns.setStretch(column, stretch)

    def _fill_choices(self) -> None:
        from app.core.records.sessions import EVALUATION_TYPES, LEVELS

        self.ui.kindCombo.clear()
        self.ui.kindCombo.addItem("", "social_training_org")
        self.ui.kindCombo.addItem("", "national_employer")
        self.ui.evaluationTypeCombo.clear()
        for value in EVALUATION_TYPES:
            self.ui.evaluationTypeCombo.addItem("", value)  # the stored value is the Chinese name
        self.ui.levelCombo.clear()
        for value in LEVELS:
            self.ui.levelCombo.addItem("", value)
        self.ui.levelCombo.setCurrentIndex(1)
        self._label_choices()
        try:
            from app.core.rulebook.loader import available_rulebooks

            rulebooks = available_rulebooks(english=not in_chinese())
        except Exception:  # an unreadable extension must not hide the national rulebook
            rulebooks = [(DEFAULT_RULEBOOK_ID, DEFAULT_RULEBOOK_ID, "")]
        self.ui.rulebookCombo.clear()
        for rulebook_id, title, version in rulebooks:
            shown = with_note(title, version) if version else title
            self.ui.rulebookCombo.addItem(shown, rulebook_id)
            # The box may cut a long title at 1366 px; hovering shows it whole.
            self.ui.rulebookCombo.setItemData(
                self.ui.rulebookCombo.count() - 1, shown, Qt.ItemDataRole.ToolTipRole
            )
        self.ui.timezoneCombo.clear()
        self.ui.timezoneCombo.addItems(list(TIMEZONES))

    def _label_choices(self) -> None:
        """The choices' texts in the interface language (their data stays as stored)."""
        kinds = {
            "social_training_org": self.tr("社会培训评价组织"),
            "national_employer": self.tr("用人单位"),
        }
        ui = self.ui
        for index in range(ui.kindCombo.count()):
            ui.kindCombo.setItemText(index, kinds[str(ui.kindCombo.itemData(index))])
        for combo, label in (
            (ui.evaluationTypeCombo, evaluation_type_label),
            (ui.levelCombo, level_label),
        ):
            for index in range(combo.count()):
                combo.setItemText(index, label(str(combo.itemData(index))))
        self._label_rulebooks()

    def _label_rulebooks(self) -> None:
        """The rulebooks' titles in the interface language (the stored value is the id)."""
        from app.core.rulebook.loader import available_rulebooks

        combo = self.ui.rulebookCombo
        if not combo.count():
            return
        try:
            rulebooks = available_rulebooks(english=not in_chinese())
        except Exception:  # the titles stay as they were
            return
        for rulebook_id, title, version in rulebooks:
            index = combo.findData(rulebook_id)
            if index >= 0:
                combo.setItemText(index, with_note(title, version) if version else title)

    def _add_room(self) -> None:
        number = self.ui.roomsTable.rowCount() + 1
        _add_row(self.ui.roomsTable, (self.tr("第%1考场").replace("%1", str(number)), "30", ""))

    @staticmethod
    def _remove(table: QTableWidget) -> None:
        row = table.currentRow()
        table.removeRow(row if row >= 0 else table.rowCount() - 1)

    def _browse(self, edit: Any, title: str) -> None:
        path = ask_open_roster(self, title)
        if path:
            edit.setText(path)

    # -- reading the form -----------------------------------------------------------------------

    def spec(self) -> SessionSpec:
        """The session the form describes; raises ``FormProblem`` naming the first gap."""
        from app.core.records.sessions import (
            InstitutionSpec,
            RoomSpec,
            SessionSpec,
            SubjectSpec,
        )

        ui = self.ui
        required = (
            (ui.institutionEdit, self.tr("请填写评价机构名称")),
            (ui.filingCodeEdit, self.tr("请填写备案码")),
            (ui.occupationEdit, self.tr("请填写职业")),
            (ui.siteNameEdit, self.tr("请填写考点名称")),
            (ui.siteAddressEdit, self.tr("请填写考点地址")),
        )
        for edit, message in required:
            if not edit.text().strip():
                raise FormProblem(message, edit)
        zone_name = ui.timezoneCombo.currentText().strip()
        try:
            zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError):
            raise FormProblem(
                self.tr("时区“%1”无法识别，例如 Asia/Shanghai").replace("%1", zone_name),
                ui.timezoneCombo,
            ) from None
        qdate = ui.dateEdit.date()
        day = dt.date(qdate.year(), qdate.month(), qdate.day())
        subjects = []
        table = ui.subjectsTable
        for row in range(table.rowCount()):
            name, start, end = (_cell(table, row, c) for c in range(3))
            if not (name or start or end):
                continue
            starts, ends = _time(start), _time(end)
            if not name or starts is None or ends is None or ends <= starts:
                raise FormProblem(
                    self.tr("科目第 %1 行：请填写科目名称及开始、结束时间（如 09:00）").replace(
                        "%1", str(row + 1)
                    ),
                    table,
                )
            subjects.append(
                SubjectSpec(
                    name,
                    dt.datetime.combine(day, starts, tzinfo=zone),
                    dt.datetime.combine(day, ends, tzinfo=zone),
                )
            )
        if not subjects:
            raise FormProblem(self.tr("请至少填写一个科目"), table)
        rooms = []
        table = ui.roomsTable
        for row in range(table.rowCount()):
            name, seats, head = (_cell(table, row, c) for c in range(3))
            if not (name or seats or head):
                continue
            if not name or not seats.isdigit() or int(seats) < 1:
                raise FormProblem(
                    self.tr("考场第 %1 行：请填写考场名称和座位数").replace("%1", str(row + 1)),
                    table,
                )
            rooms.append(RoomSpec(name, int(seats), head))
        if not rooms:
            raise FormProblem(self.tr("请至少填写一个考场"), table)
        return SessionSpec(
            institution=InstitutionSpec(
                ui.institutionEdit.text().strip(),
                str(ui.kindCombo.currentData()),
                ui.filingCodeEdit.text().strip(),
            ),
            evaluation_type=str(ui.evaluationTypeCombo.currentData()),
            occupation=ui.occupationEdit.text().strip(),
            work_type=ui.workTypeEdit.text().strip(),
            level=str(ui.levelCombo.currentData()),
            site_name=ui.siteNameEdit.text().strip(),
            site_address=ui.siteAddressEdit.text().strip(),
            contact=ui.contactEdit.text().strip(),
            rooms=tuple(rooms),
            subjects=tuple(subjects),
            rulebook_id=str(ui.rulebookCombo.currentData()),
            timezone=zone_name,
        )

    def head(self) -> StaffRow | None:
        from app.core.rosters.rows import StaffRow

        ui = self.ui
        name, number = ui.headNameEdit.text().strip(), ui.headNumberEdit.text().strip()
        pin = ui.headPinEdit.text().strip()
        if not (name or number or pin):
            return None
        if not name or not number:
            raise FormProblem(self.tr("请填写考场负责人的姓名和工号"), ui.headNameEdit)
        if pin and not (pin.isdigit() and 4 <= len(pin) <= 8):
            raise FormProblem(self.tr("PIN 须为 4–8 位数字"), ui.headPinEdit)
        return StaffRow(name, "site_head", number, pin or None)

    def _path(self, edit: Any) -> Path | None:
        text = edit.text().strip()
        if not text:
            return None
        path = Path(text)
        if not path.is_file():
            raise FormProblem(self.tr("找不到文件：%1").replace("%1", text), edit)
        return path

    # -- submitting -----------------------------------------------------------------------------

    @Slot()
    def submit(self) -> None:
        if self._busy:
            return
        show_problems(self.ui.problemsTable, [])
        try:
            spec, head = self.spec(), self.head()
            candidates = self._path(self.ui.candidatesFileEdit)
            staff = self._path(self.ui.staffFileEdit)
        except FormProblem as problem:
            show_in_place(self.ui.messageLabel, str(problem))
            problem.widget.setFocus()
            return
        # At the institution, a plan outside its filing is said before it is made; the admin
        # decides (Art. 14(2) sanctions a *serious* excess, which is the institution's call).
        self.scope = self._scope(spec)
        if self.scope is not None and not ask_acknowledge_scope(self, self.scope):
            show_in_place(
                self.ui.messageLabel,
                self.tr("未创建场次：超出备案范围，未确认继续。请核对职业（工种）和等级。"),
            )
            self.ui.occupationEdit.setFocus()
            return
        from app.ui.start.rosters import create_with_rosters
        from app.ui.workers import run_in_worker

        workspace = self.workspace
        self._set_busy(True)
        show_in_place(self.ui.messageLabel, self.tr("正在检查名单并创建场次…"), ok=True)
        run_in_worker(
            lambda report: create_with_rosters(workspace, spec, head, candidates, staff, report),
            self._on_created,
            self._on_failed,
            progress=lambda _pct, _text: None,
        )

    def _scope(self, spec: SessionSpec) -> ScopeFinding | None:
        """What of the plan is outside the institution's filing (None on a laptop, where no
        filing is recorded, and within the filing)."""
        from app.core.institution.filing import plan_scope

        return plan_scope(self.workspace, spec)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.ui.createButton.setEnabled(not busy)

    def is_busy(self) -> bool:
        return self._busy

    def _on_created(self, session_id: object) -> None:
        self._set_busy(False)
        show_in_place(self.ui.messageLabel, self.tr("场次已创建"), ok=True)
        self.created.emit(str(session_id))

    def _on_failed(self, exc: BaseException) -> None:
        from app.ui.start.rosters import MissingSiteHead, RosterFilesRefused

        self._set_busy(False)
        if isinstance(exc, RosterFilesRefused):
            show_problems(self.ui.problemsTable, exc.problems)
            show_in_place(
                self.ui.messageLabel,
                self.tr(
                    "名单有 %1 处问题，未创建场次，也未导入任何人员。请修改名单后重试。"
                ).replace("%1", str(len(exc.problems))),
            )
            return
        if isinstance(exc, MissingSiteHead):
            show_in_place(
                self.ui.messageLabel,
                self.tr("需要考场负责人：请填写其姓名和工号，或在工作人员名单中列出"),
            )
            self.ui.headNameEdit.setFocus()
            return
        handle_error(exc, self.ui.messageLabel, self)

    def message(self) -> str:
        return self.ui.messageLabel.text()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self)
            self._label_choices()
        super().changeEvent(event)
