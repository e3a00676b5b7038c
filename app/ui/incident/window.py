"""The incident window: record, sign and confirm one incident, and amend, void or return items.

Built for few inputs: the person is found by typing (a unique match is taken at once and focus
jumps to the behaviour search), Enter takes the top clause, the description is drafted from
what was chosen, and the one signing button opens the next missing signature. Every change is
saved as a draft through ``Workspace.update_draft`` a moment later, and at once on close,
on focus leaving the window and before signing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QDateTime, QEvent, Qt, QTime, Signal, Slot
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QCheckBox, QFormLayout, QLabel, QMenu, QWidget

from app.core.errors import UserError
from app.core.records.content import IncidentDraft, draft_from_content
from app.core.records.service import Workspace
from app.core.records.status import SEALED, RecordStatus
from app.core.records.tables import from_utc_text
from app.core.register.service import site_flags
from app.core.rulebook.model import Fact, Party, StaffRole
from app.ui.generated.ui_incident_window import Ui_IncidentWindow
from app.ui.incident.actions import RecordActions
from app.ui.incident.attachments import EvidenceList, SeizedTable, VideoList
from app.ui.incident.behaviour import BehaviourSearch
from app.ui.incident.description import current_subject, draft_description
from app.ui.incident.drafts import Autosaver
from app.ui.incident.facts_form import FactQuestions
from app.ui.incident.outcome_panel import OutcomePanel
from app.ui.incident.people import PersonPicker, role_label_safe
from app.ui.incident.register_flag import RegisterFlagLine
from app.ui.incident.signing import SigningPanel
from app.ui.incident.time_check import time_problem
from app.ui.incident_windows import bring_forward
from app.ui.labels import party_label
from app.ui.outcome_view import handling_heading_text

if TYPE_CHECKING:
    from app.ui.reports.actions import ReportTask

translate = QCoreApplication.translate
PHONE_ITEM = "手机一部"  # the seized phone as the record names it
PARTIES = (Party.CANDIDATE, Party.STAFF, Party.INSTITUTION)
READ_ONLY = (*SEALED, RecordStatus.VOID)


class IncidentWindow(RecordActions, QWidget):
    """One incident record, new or existing (``incident_id``), for ``operator_id``."""

    saved = Signal(str)
    closed = Signal()

    def __init__(
        self,
        workspace: Workspace,
        session_id: str,
        *,
        incident_id: str | None = None,
        operator_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.ui = Ui_IncidentWindow()
        self.ui.setupUi(self)
        self.workspace = workspace
        self.session_id = session_id
        self.operator_id = operator_id
        self.incident_id: str | None = None
        self.detail: dict[str, Any] | None = None
        self.read_only = False
        self.lifecycle_dialog: QWidget | None = None
        self.report_task: ReportTask | None = None
        self._loading = True
        self._generated = ""
        # The room and seat last filled in from the chosen candidate (cleared with them).
        self._derived_place: tuple[str, int] | None = None
        session = workspace.session(session_id)
        self.zone = ZoneInfo(session["timezone"])
        self.rulebook = workspace.rulebook(session["rulebook_id"])
        self.subjects: list[dict[str, Any]] = session["subjects"]
        self.rooms: dict[str, int] = {r["name"]: int(r["seats"]) for r in session["rooms"]}
        self.staff = workspace.staff(session_id)
        self.candidates = workspace.candidates(session_id)
        self.site_flags = site_flags(workspace, session_id)  # the register's, from the kit
        self._build()
        if incident_id is not None:
            self.load(incident_id)
        else:
            self._set_defaults()
        self._loading = False
        self._refresh_outcome()
        self.ui.personEdit.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- construction --------------------------------------------------------------------------

    def _build(self) -> None:
        ui = self.ui
        ui.bannerLabel.hide()
        ui.splitter.setStretchFactor(0, 3)
        ui.splitter.setStretchFactor(1, 2)
        for party in PARTIES:
            ui.partyCombo.addItem(party_label(party), party.value)
        ui.notedByCombo.addItem("—", None)
        for s in self.staff:
            if s.role == StaffRole.SUPERVISOR:
                ui.notedByCombo.addItem(s.name, s.id)
        for subject in self.subjects:
            ui.subjectCombo.addItem(subject["name"], subject["name"])
        ui.roomCombo.addItem("—", None)
        for room in self.rooms:
            ui.roomCombo.addItem(room, room)
        self.picker = PersonPicker(ui.personEdit, self)
        self.behaviour = BehaviourSearch(
            ui.searchEdit,
            ui.hitsList,
            ui.questionFrame,
            ui.usedButton,
            ui.carriedButton,
            ui.clauseText,
            self,
        )
        self.facts = FactQuestions(
            ui.factsGroup,
            ui.factsForm,
            {
                Fact.WARNED: ui.warnedCombo,
                Fact.REFUSED: ui.refusedCombo,
                Fact.SEVERITY: ui.severityCombo,
                Fact.ADVERSE_EFFECT: ui.adverseCombo,
                Fact.PRIOR_WARNING: ui.priorWarningCombo,
            },
            ui.roleValue,
            self,
        )
        self.outcome = OutcomePanel(ui.outcomeSummary, ui.outcomeView)
        self.seized = SeizedTable(ui.seizedTable, self)
        self.evidence = EvidenceList(
            ui.evidenceList, self.workspace.data_dir, self.workspace.engine
        )
        self.videos = VideoList(ui.cameraEdit, ui.videoFromEdit, ui.videoToEdit, ui.videoList, self)
        self.videos.zone = self.zone
        self.signing = SigningPanel(
            self.workspace, self.session_id, self.ensure_saved, self.operator_id, ui.signingHost
        )
        self.signing.zone = self.zone
        ui.signingHostLayout.addWidget(self.signing)
        # A warning under the time (a label added here: the form has no row for it).
        self.time_warning = QLabel(ui.whoGroup)
        self.time_warning.setObjectName("timeWarning")
        self.time_warning.setWordWrap(True)
        self.time_warning.setStyleSheet("color: #b35c00;")  # amber: saving still goes on
        ui.whoForm.insertRow(_form_row(ui.whoForm, ui.timeEdit) + 1, "", self.time_warning)
        ui.whoForm.setRowVisible(self.time_warning, False)
        # A time outside every subject's exam time is signed only once the recorder ticks this
        # (the records core asks for it; it is sealed with the record and printed).
        self.time_confirm = QCheckBox(ui.whoGroup)
        self.time_confirm.setObjectName("timeOutsideConfirm")
        ui.whoForm.insertRow(_form_row(ui.whoForm, self.time_warning) + 1, "", self.time_confirm)
        ui.whoForm.setRowVisible(self.time_confirm, False)
        self.register_flag = RegisterFlagLine(ui.whoForm, ui.personInfo, self.site_flags)
        self.autosaver = Autosaver(self._save, self)
        self.autosaver.pendingChanged.connect(self._on_pending)

        ui.partyCombo.currentIndexChanged.connect(self._on_party)
        self.picker.chosen.connect(self._on_person)
        self.behaviour.clauseChosen.connect(self._on_clause)
        self.facts.changed.connect(self._on_facts)
        for signal in (
            ui.notedByCombo.currentIndexChanged,
            ui.subjectCombo.currentIndexChanged,
            ui.timeEdit.dateTimeChanged,
            ui.roomCombo.currentIndexChanged,
            ui.seatSpin.valueChanged,
            ui.statementEdit.textChanged,
            self.seized.changed,
            self.videos.changed,
            self.time_confirm.toggled,
        ):
            signal.connect(self.changed)
        ui.timeEdit.dateTimeChanged.connect(self._refresh_outcome)
        ui.subjectCombo.currentIndexChanged.connect(self._refresh_outcome)
        ui.timeEdit.dateTimeChanged.connect(self._check_time)
        # A confirmation was of the time shown then: another time is confirmed afresh.
        ui.timeEdit.dateTimeChanged.connect(self._time_edited)
        # The drafted description starts with the time: it follows until the proctor edits it.
        ui.timeEdit.dateTimeChanged.connect(lambda _when: self._suggest_description())
        ui.subjectCombo.currentIndexChanged.connect(self._check_time)
        ui.descriptionEdit.textChanged.connect(self._on_description)
        ui.addSeizedButton.clicked.connect(lambda: self.seized.add_row(receipt=self.next_receipt()))
        ui.seizePhoneButton.clicked.connect(self.seize_phone)
        ui.removeSeizedButton.clicked.connect(self.seized.remove_current)
        ui.returnButton.clicked.connect(self.record_return)
        ui.addEvidenceButton.clicked.connect(self.add_evidence)
        ui.addVideoButton.clicked.connect(self.add_video)
        ui.removeVideoButton.clicked.connect(self.videos.remove_current)
        ui.amendButton.clicked.connect(self.amend)
        ui.voidButton.clicked.connect(self.void)
        self._build_print_menu()
        self.signing.signed.connect(self._after_signature)
        self.signing.sealed.connect(self._apply_status)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.signing.sign_next)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        self.setTabOrder(ui.partyCombo, ui.personEdit)
        self.setTabOrder(ui.personEdit, ui.searchEdit)

    def _set_defaults(self) -> None:
        now = dt.datetime.now(self.zone).replace(second=0, microsecond=0)
        self._set_time(now)
        subject = current_subject(self.subjects, now)
        if subject is not None:
            self.ui.subjectCombo.setCurrentIndex(self.ui.subjectCombo.findData(subject))
        self.ui.videoFromEdit.setTime(QTime(now.hour, now.minute))
        self.ui.videoToEdit.setTime(QTime(now.hour, now.minute).addSecs(120))
        self._on_party()
        self._apply_status()

    # -- values ----------------------------------------------------------------------------------

    def party(self) -> Party:
        return Party(self.ui.partyCombo.currentData() or Party.CANDIDATE.value)

    def _set_time(self, value: dt.datetime) -> None:
        local = value.astimezone(self.zone)
        self.ui.timeEdit.setDateTime(
            QDateTime(local.year, local.month, local.day, local.hour, local.minute, local.second)
        )

    def occurred_at(self) -> dt.datetime:
        q = self.ui.timeEdit.dateTime()
        d, t = q.date(), q.time()
        return dt.datetime(
            d.year(), d.month(), d.day(), t.hour(), t.minute(), t.second(), tzinfo=self.zone
        )

    def current_draft(self) -> IncidentDraft:
        ui = self.ui
        party = self.party()
        person = self.picker.current if party is not Party.INSTITUTION else None
        room = ui.roomCombo.currentData()
        seat = ui.seatSpin.value() or None
        clause = self.behaviour.clause
        return IncidentDraft(
            party=party.value,
            occurred_at=self.occurred_at(),
            subject=ui.subjectCombo.currentData() or None,
            room=room or None,
            seat=seat if room else None,
            person_id=person.id if person else None,
            clause=clause.id if clause else None,
            facts=self.facts.facts() if clause else {},
            description=ui.descriptionEdit.toPlainText(),
            statement=ui.statementEdit.toPlainText() or None,
            seized_items=self.seized.items(),
            videos=tuple(self.videos.videos),
            noted_by=ui.notedByCombo.currentData() if party is Party.INSTITUTION else None,
            time_outside_subjects_confirmed=self.time_confirm.isChecked(),
        )

    def engine_facts(self) -> dict[str, Any] | None:
        clause = self.behaviour.clause
        if clause is None:
            return None
        facts: dict[str, Any] = {
            "party": self.party().value,
            "clause": clause.id,
            "date": self.occurred_at().date().isoformat(),
            **self.facts.facts(),
        }
        subject = self.ui.subjectCombo.currentData()
        if subject:
            facts["subject"] = subject
        person = self.picker.current
        if self.party() is Party.STAFF:
            if person is None:
                return None
            facts["role"] = person.role
        return facts

    # -- reactions -------------------------------------------------------------------------------

    @Slot()
    def changed(self) -> None:
        """A user change: save it shortly (nothing happens while loading or read-only)."""
        if not self._loading and not self.read_only:
            self.autosaver.touch()

    @Slot()
    def _on_party(self) -> None:
        party = self.party()
        self.ui.whoForm.setRowVisible(self.ui.notedByCombo, party is Party.INSTITUTION)
        self.ui.whoForm.setRowVisible(self.ui.personEdit, party is not Party.INSTITUTION)
        self.ui.whoForm.setRowVisible(self.ui.personInfo, party is not Party.INSTITUTION)
        if party is Party.STAFF:
            self.picker.set_staff(self.staff)
        else:
            self.picker.set_candidates(self.candidates)
        self.ui.personEdit.clear()
        self.ui.personInfo.setText("")
        self.register_flag.show_for(None)
        self._clear_derived_place()  # the person is gone, and their place with them
        self.behaviour.set_rulebook(self.rulebook, party)
        clause = self.behaviour.clause
        if clause is not None and party not in self.rulebook.parties_of(clause):
            self.behaviour.show_clause(None)
            self.facts.show_for(None, None, None)
        elif clause is not None:
            self._show_facts()  # a clause of both parties (15.2) stays; the role row follows
        self._refresh_outcome()
        self.changed()

    @Slot(str)
    def _on_person(self, person_id: str) -> None:
        person = self.picker.current
        self._clear_derived_place()
        self.register_flag.show_for(
            person.id if person is not None and person.kind == "candidate" else None
        )
        if person is None:
            self.ui.personInfo.setText("")
        elif person.kind == "candidate":
            self.ui.personInfo.setText(person.label)
            if person.room in self.rooms:
                self.ui.roomCombo.setCurrentIndex(self.ui.roomCombo.findData(person.room))
                self.ui.seatSpin.setMaximum(self.rooms[person.room])
                self.ui.seatSpin.setValue(person.seat or 0)
                self._derived_place = (person.room, self.ui.seatSpin.value())
        else:
            self.ui.personInfo.setText(person.label)
        self._show_facts()
        self._suggest_description()
        self._refresh_outcome()
        self.changed()
        if person_id and not self._loading:
            # Next thing to say is what happened.
            ui = self.ui
            target = ui.searchEdit if self.behaviour.clause is None else ui.descriptionEdit
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _clear_derived_place(self) -> None:
        """Empty the room and seat if they are still the ones taken from the last candidate
        (a staff member or another candidate does not sit there); a place set by hand stays."""
        derived, self._derived_place = self._derived_place, None
        ui = self.ui
        if derived is not None and (ui.roomCombo.currentData(), ui.seatSpin.value()) == derived:
            ui.roomCombo.setCurrentIndex(0)  # "—"
            ui.seatSpin.setValue(0)

    @Slot(str)
    def _on_clause(self, _clause_id: str) -> None:
        self._show_facts()
        self._suggest_description()
        self._refresh_outcome()
        self.changed()
        first = self.facts.first_visible()
        (first or self.signing.ui.signButton).setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def _on_facts(self) -> None:
        self._suggest_description()
        self._refresh_outcome()
        self.changed()

    @Slot()
    def _on_description(self) -> None:
        self.changed()

    def _show_facts(self) -> None:
        person = self.picker.current
        role = role_label_safe(person.role) if person and person.role else None
        self.facts.show_for(self.rulebook, self.behaviour.clause, role, self.party())

    def _suggest_description(self) -> None:
        """Draft the description from what was chosen, until the proctor writes their own."""
        edit = self.ui.descriptionEdit
        if edit.toPlainText() not in ("", self._generated):
            return
        clause, person = self.behaviour.clause, self.picker.current
        if clause is None:
            return
        text = draft_description(self.occurred_at(), person, clause, self.facts.facts())
        self._generated = text
        edit.setPlainText(self._generated)

    @Slot()
    def _time_edited(self) -> None:
        if not self._loading:
            self.time_confirm.setChecked(False)

    @Slot()
    def _check_time(self) -> None:
        """Warn beside the time when it is later than now or outside the subjects' times."""
        problem = None
        if not self.read_only:
            problem = time_problem(
                self.occurred_at(),
                dt.datetime.now(self.zone),
                self.subjects,
                self.ui.subjectCombo.currentData(),
            )
        texts = {
            "future": translate("IncidentWindow", "发生时间晚于当前时间，请核对。"),
            "outside": translate(
                "IncidentWindow", "发生时间不在本场次任何科目的考试时间内，请核对。"
            ),
            "other_subject": translate(
                "IncidentWindow", "发生时间在“%1”的考试时间内，与所选科目不符，请核对。"
            ),
        }
        text = "" if problem is None else texts[problem[0]].replace("%1", problem[1])
        self.time_warning.setText(text)
        self.ui.whoForm.setRowVisible(self.time_warning, bool(text))
        self.time_confirm.setText(
            translate("IncidentWindow", "已核对：发生时间确实不在任何科目的考试时间内(&K)")
        )
        # Shown where the time needs it, and on a sealed record that carries the confirmation.
        outside = problem is not None and problem[0] == "outside"
        shown = outside or (self.read_only and self.time_confirm.isChecked())
        self.ui.whoForm.setRowVisible(self.time_confirm, shown)

    def _refresh_outcome(self) -> None:
        self.ui.outcomeHeading.setText(handling_heading_text(self.party().value))
        facts = self.engine_facts()
        if facts is None:
            hint = (
                translate(
                    "IncidentWindow",
                    "选择当事人与违纪违规行为后，这里显示依据条款可能适用的处理。",
                )
                if self.behaviour.clause is None
                else translate("IncidentWindow", "请先选择当事人（工作人员的角色决定适用的处理）。")
            )
            self.outcome.clear(hint)
            return
        self.outcome.show(self.rulebook, facts)

    @Slot(bool)
    def _on_pending(self, pending: bool) -> None:
        if pending:
            self.ui.saveState.setStyleSheet("color: #555555;")
            self.ui.saveState.setText(translate("IncidentWindow", "正在保存…"))

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self.autosaver.pending and (new is None or new.window() is not self):
            self.autosaver.flush()

    # -- saving ----------------------------------------------------------------------------------

    def _save(self) -> bool:
        if self.read_only:
            return True
        draft = self.current_draft()
        try:
            if self.incident_id is None:
                incident = self.workspace.create_incident(
                    self.session_id, draft, actor_id=self.operator_id
                )
                self.incident_id = incident.id
            else:
                self.workspace.update_draft(self.incident_id, draft)
        except UserError as exc:
            self.ui.saveState.setStyleSheet("color: #b00020;")
            self.ui.saveState.setText(
                translate("IncidentWindow", "未保存：%1").replace("%1", str(exc))
            )
            return False
        except Exception as exc:  # a disk or database failure: logged, said politely
            from app.ui.errors import report_unexpected

            self.ui.saveState.setStyleSheet("color: #b00020;")
            self.ui.saveState.setText(
                translate("IncidentWindow", "未保存：出现意外问题，详情已写入日志。")
            )
            report_unexpected(exc, self)
            return False
        self._reload_detail()
        now = dt.datetime.now(self.zone).strftime("%H:%M:%S")
        self.ui.saveState.setStyleSheet("color: #1d6b1d;")
        self.ui.saveState.setText(
            translate("IncidentWindow", "已保存草稿 %1（%2）")
            .replace("%1", now)
            .replace("%2", self.detail["number"] if self.detail else "")
        )
        assert self.incident_id is not None
        self.saved.emit(self.incident_id)
        return True

    def ensure_saved(self) -> str | None:
        """Save now (creating the record if needed); the incident id, or None on an error."""
        if self.read_only:
            return self.incident_id
        if self.incident_id is None:
            self.autosaver.touch()
        if not self.autosaver.flush():
            return None
        return self.incident_id

    def _reload_detail(self) -> None:
        if self.incident_id is None:
            return
        self.detail = self.workspace.incident(self.incident_id)
        self.signing.set_record(self.incident_id, self.detail)
        self._apply_status()

    def next_receipt(self) -> str:
        """The next receipt number of the session, counting the rows not yet saved."""
        from app.core.records.receipt_numbers import next_receipt, used_receipts

        on_form = [item.receipt_number for item in self.seized.items()]
        return next_receipt([*used_receipts(self.workspace, self.session_id), *on_form])

    def seize_phone(self) -> None:
        """暂扣手机: one click adds the phone with the next receipt number. The item is named
        in Chinese in any interface language: it is the record's text, like the description."""
        if self.read_only:
            return
        self.seized.add_row(PHONE_ITEM, self.next_receipt())

    def _apply_status(self) -> None:
        detail = self.detail
        status = detail["status"] if detail else "new"
        superseded = bool(detail and detail["superseded_by"])
        self.read_only = status in READ_ONLY or superseded
        ui = self.ui
        for widget in (ui.whoGroup, ui.behaviourGroup, ui.factsGroup, ui.videoGroup):
            widget.setEnabled(not self.read_only)
        ui.descriptionEdit.setReadOnly(self.read_only)
        ui.statementEdit.setReadOnly(self.read_only)
        ui.addSeizedButton.setEnabled(not self.read_only)
        ui.seizePhoneButton.setEnabled(not self.read_only)
        ui.removeSeizedButton.setEnabled(not self.read_only)
        ui.addEvidenceButton.setEnabled(not self.read_only)
        ui.seizedTable.setEditTriggers(
            ui.seizedTable.EditTrigger.NoEditTriggers
            if self.read_only
            else ui.seizedTable.EditTrigger.AllEditTriggers
        )
        ui.returnButton.setVisible(status in SEALED and bool(self._open_receipts()))
        ui.amendButton.setVisible(status in SEALED and not superseded)
        ui.voidButton.setVisible(
            detail is not None and status != RecordStatus.VOID and not superseded
        )
        ui.printButton.setVisible(detail is not None)  # a PDF needs a saved record
        # The person gets a signed copy of a confirmed record only (the core refuses the rest).
        self.candidate_copy_action.setEnabled(status in SEALED)
        voided = self.signing.state.voided
        show_banner = voided > 0 and status == RecordStatus.DRAFT
        ui.bannerLabel.setVisible(show_banner)
        if show_banner:
            ui.bannerLabel.setText(
                translate(
                    "IncidentWindow",
                    "记录内容已修改：之前的 %n 个签名已作废，须重新签名和确认。",
                    None,
                    voided,
                )
            )
        self._show_record_state()
        self._check_time()
        number = f"{detail['number']}/{detail['version']}" if detail else ""
        ui.signingHost.setEnabled(not superseded)
        self.setWindowTitle(
            translate("IncidentWindow", "违纪违规记录 %1").replace("%1", number).strip()
        )

    def _show_record_state(self) -> None:
        """The footer of a sealed or void record says so (a draft's says when it was saved)."""
        detail = self.detail
        if detail is None:
            return
        status, seal = detail["status"], detail["seal"]
        if status in SEALED and seal is not None:
            sealed = from_utc_text(seal["sealed_at"]).astimezone(self.zone)
            today = dt.datetime.now(self.zone).date()
            at = sealed.strftime("%H:%M:%S" if sealed.date() == today else "%Y-%m-%d %H:%M:%S")
            text = translate("IncidentWindow", "已确认并封存 %1（%2）").replace("%1", at)
            colour = "#1d6b1d"
        elif status == RecordStatus.VOID and int(detail["version"]) > 1:
            text = translate("IncidentWindow", "已作废（%2）；第%3版仍有效").replace(
                "%3", str(int(detail["version"]) - 1)
            )
            colour = "#555555"
        elif status == RecordStatus.VOID:
            text = translate("IncidentWindow", "已作废（%2）")
            colour = "#555555"
        else:
            return
        number = detail["number"]
        if int(detail["version"]) > 1:
            number = f"{number}/{detail['version']}"  # which version, as incident show takes it
        self.ui.saveState.setStyleSheet(f"color: {colour};")
        self.ui.saveState.setText(text.replace("%2", number))

    @Slot()
    def _after_signature(self) -> None:
        self.detail = self.signing.workspace.incident(self.signing.incident_id or "")
        self._apply_status()

    # -- loading ---------------------------------------------------------------------------------

    def load(self, incident_id: str) -> None:
        """Show a stored record exactly as saved (a draft reopened after a crash, or a version)."""
        loading, self._loading = self._loading, True
        try:
            detail = self.workspace.incident(incident_id)
            self.incident_id = detail["id"]
            self.detail = detail
            content = detail["content"]
            draft = draft_from_content(content)
            ui = self.ui
            ui.partyCombo.setCurrentIndex(ui.partyCombo.findData(draft.party))
            self._on_party()
            self.picker.select(draft.person_id, emit=False)
            self._on_person(draft.person_id or "")
            ui.notedByCombo.setCurrentIndex(max(ui.notedByCombo.findData(draft.noted_by), 0))
            if draft.subject is not None:
                ui.subjectCombo.setCurrentIndex(ui.subjectCombo.findData(draft.subject))
            self._set_time(draft.occurred_at)
            self.time_confirm.setChecked(draft.time_outside_subjects_confirmed)
            ui.roomCombo.setCurrentIndex(max(ui.roomCombo.findData(draft.room), 0))
            if draft.room in self.rooms:
                ui.seatSpin.setMaximum(self.rooms[draft.room])
            ui.seatSpin.setValue(draft.seat or 0)
            self.behaviour.show_clause(draft.clause)
            self._show_facts()
            self.facts.set_facts(draft.facts)
            ui.descriptionEdit.setPlainText(draft.description)
            self._generated = ""
            ui.statementEdit.setPlainText(draft.statement or "")
            self.seized.set_items(draft.seized_items, detail["returns"])
            self.evidence.set_entries(content["evidence"])
            self.videos.set_videos(draft.videos)
            self.signing.set_record(self.incident_id, detail)
            self._apply_status()
            self._refresh_outcome()
        finally:
            self._loading = loading

    # -- printing ----------------------------------------------------------------------------------

    def _build_print_menu(self) -> None:
        menu = QMenu(self.ui.printButton)
        self.institution_copy_action = menu.addAction("")
        self.candidate_copy_action = menu.addAction("")
        self.institution_copy_action.triggered.connect(lambda: self.print_report("institution"))
        self.candidate_copy_action.triggered.connect(lambda: self.print_report("candidate"))
        self.ui.printButton.setMenu(menu)
        self._retranslate_print_menu()

    def _retranslate_print_menu(self) -> None:
        self.institution_copy_action.setText(translate("IncidentWindow", "评价机构留存联(&I)…"))
        self.candidate_copy_action.setText(translate("IncidentWindow", "当事人联(&C)…"))

    def print_report(self, copy: str) -> ReportTask | None:
        """The record's signed PDF (``institution`` or ``candidate`` copy) in the preview."""
        from app.ui.reports.actions import preview_incident_report

        if self.incident_id is None:
            return None
        self.report_task = preview_incident_report(self, self.workspace, self.incident_id, copy)
        return self.report_task

    # -- language and closing ----------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.ui.retranslateUi(self)
        loading, self._loading = self._loading, True
        try:
            for index, party in enumerate(PARTIES):
                self.ui.partyCombo.setItemText(index, party_label(party))
            self.facts.retranslate()
            self.register_flag.retranslate()
            self._show_facts()
            self.behaviour.refresh()
            self.behaviour.show_clause(self.behaviour.clause.id if self.behaviour.clause else None)
            self.signing.ui.retranslateUi(self.signing)
            self._retranslate_print_menu()
            self.signing.update_view()
            self._apply_status()
            self._refresh_outcome()
        finally:
            self._loading = loading

    # -- closing ---------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.autosaver.flush()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            with contextlib.suppress(RuntimeError, TypeError):
                app.focusChanged.disconnect(self._on_focus_changed)
        _OPEN.pop(id(self), None)
        super().closeEvent(event)
        self.closed.emit()


_OPEN: dict[int, IncidentWindow] = {}


def open_incident_window(
    workspace: Workspace,
    session_id: str,
    *,
    incident_id: str | None = None,
    operator_id: str | None = None,
    parent: QWidget | None = None,
) -> IncidentWindow:
    """Show the incident window (raising the one already open for ``incident_id``)."""
    if incident_id is not None:
        for window in _OPEN.values():
            if window.incident_id == incident_id:
                bring_forward(window)
                return window
    window = IncidentWindow(
        workspace, session_id, incident_id=incident_id, operator_id=operator_id, parent=parent
    )
    _OPEN[id(window)] = window
    fit_to_screen(window, PREFERRED_SIZE)
    bring_forward(window)
    return window


# The window's size where the screen allows; on a 1366×768 laptop it is cut to what the screen
# leaves beside the taskbar, less a title bar, so its footer never falls off the bottom.
PREFERRED_SIZE = (1340, 720)
# What the window manager adds above and around the window (Windows' title bar is about 31 px).
FRAME_ALLOWANCE = 40


def fit_to_screen(window: QWidget, size: tuple[int, int]) -> None:
    """Resize ``window`` to ``size``, or smaller so it and its frame fit its screen's free area."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    free = screen.availableGeometry()
    window.resize(
        min(size[0], free.width() - FRAME_ALLOWANCE // 4),
        min(size[1], free.height() - FRAME_ALLOWANCE),
    )


def _form_row(form: QFormLayout, field: QWidget) -> int:
    """The row of ``field`` in ``form``.

    PySide types ``getWidgetPosition`` as ``object``; it returns ``(row, role)``, with row -1 for
    a widget not in the form, which would quietly make ``row + 1`` the form's first row.
    """
    position = form.getWidgetPosition(field)
    row = position[0] if isinstance(position, tuple) and position else -1
    if not isinstance(row, int) or row < 0:
        raise LookupError(f"{field.objectName()} is not a field of {form.objectName()}")
    return row
