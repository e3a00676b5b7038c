"""The signing panel: who has signed, what is still missing, and one button for the next step.

Order (the records core's rules): two staff on duty sign; the person concerned signs their
acknowledgement, or refuses with two staff witnesses, or two staff witness that they had left the
site before they could sign (当事人已离场); then the site head (a quality supervisor
where the core says so) confirms, which seals the record. The acknowledgement comes before the
confirmation because the seal covers every signature and a sealed record takes no more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer, Signal, Slot
from PySide6.QtWidgets import QDialog, QWidget

from app.core.records.service import Workspace
from app.core.records.status import RecordStatus
from app.core.records.tables import Staff, from_utc_text
from app.core.rulebook.model import StaffRole
from app.ui.generated.ui_signing_panel import Ui_SigningPanel
from app.ui.incident.people import role_label_safe
from app.ui.incident.signer_dialogs import (
    DEPARTED,
    REFUSED,
    AcknowledgeDialog,
    StaffSignDialog,
)
from app.ui.incident.signing_state import (
    SigningState,
    confirmer_choices,
    content_label,
    staff_signer_choices,
)
from app.ui.labels import join_clauses, join_list, labelled, with_note
from app.ui.signature_pad import SignatureDialog, Strokes

translate = QCoreApplication.translate


class SigningPanel(QWidget):
    """Shows the signatures and what is missing; ``sign_next()`` opens the next signature."""

    #: The record changed through a signature (refresh what depends on it).
    signed = Signal()
    #: The record was confirmed and sealed.
    sealed = Signal()

    def __init__(
        self,
        workspace: Workspace,
        session_id: str,
        ensure_saved: Callable[[], str | None],
        operator_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_SigningPanel()
        self.ui.setupUi(self)
        self.workspace = workspace
        self.session_id = session_id
        self.operator_id = operator_id
        self._ensure_saved = ensure_saved
        self.incident_id: str | None = None
        self.state = SigningState.of(None)
        self.staff: list[Staff] = []
        self.dialog: SignatureDialog | None = None
        self.zone: dt.tzinfo | None = None  # times shown in the session's zone (None: local)
        self._witnesses: list[tuple[Staff, Strokes, str | None]] = []
        self._witnessing = "refusal"  # what the witnesses being gathered attest: or "departure"
        self.ui.signButton.clicked.connect(self.sign_next)
        self.ui.refuseButton.clicked.connect(self.start_refusal)
        self.ui.departedButton.clicked.connect(self.start_departure)
        self.reload_staff()
        self.update_view()

    # -- state ---------------------------------------------------------------------------------

    def reload_staff(self) -> None:
        self.staff = self.workspace.staff(self.session_id)

    def set_record(self, incident_id: str | None, detail: Mapping[str, Any] | None) -> None:
        was_confirmed = self.state.confirmed
        self.incident_id = incident_id
        self.state = SigningState.of(detail)
        self.update_view()
        if self.state.confirmed and not was_confirmed:
            self.sealed.emit()

    def missing_texts(self) -> list[str]:
        s = self.state
        texts: list[str] = []
        step = s.next_step()
        if step is None:
            return texts
        if s.missing_content:
            names = join_list(content_label(m) for m in s.missing_content)
            texts.append(translate("SigningPanel", "请先填写：%1").replace("%1", names))
        need = 2 - len(set(s.staff_signers))
        if need > 0:
            texts.append(
                translate("SigningPanel", "工作人员签名：还需 %1 人").replace("%1", str(need))
            )
        if s.person is not None and not s.person_answered:
            texts.append(
                translate(
                    "SigningPanel",
                    "当事人签名确认（或拒签、已离场，由两名工作人员见证）",
                )
            )
        if s.confirmer_role() == StaffRole.SITE_HEAD:
            texts.append(translate("SigningPanel", "考场负责人确认"))
        else:
            texts.append(translate("SigningPanel", "质量督导员确认"))
        return texts

    def update_view(self) -> None:
        s = self.state
        ui = self.ui
        if s.status == RecordStatus.VOID:
            status = translate("SigningPanel", "已作废：%1").replace("%1", s.void_reason or "")
        elif s.confirmed:
            status = translate("SigningPanel", "已确认并封存")
        elif s.status == "new":
            status = translate("SigningPanel", "尚未保存")
        else:
            status = translate("SigningPanel", "草稿：尚未确认")
        ui.statusLabel.setText(status)
        ui.signaturesList.clear()
        if s.paper:
            ui.signaturesList.addItems(self._paper_lines(s.paper))
        for sig in s.signatures:
            ui.signaturesList.addItem(self._signature_line(sig))
        missing = self.missing_texts()
        ui.missingLabel.setText(
            translate("SigningPanel", "还缺：%1").replace("%1", join_clauses(missing))
            if missing
            else ""
        )
        ui.missingLabel.setVisible(bool(missing))
        step = s.next_step()
        ui.signButton.setVisible(step is not None)
        # Enabled while content seems missing too: the form may be ahead of the last save,
        # and a click saves first, then says what is still missing.
        ui.signButton.setText(self._button_text(step))
        ui.refuseButton.setVisible(step == "person")
        ui.departedButton.setVisible(step == "person")
        if step is None:
            ui.messageLabel.clear()

    def _button_text(self, step: str | None) -> str:
        if step == "person":
            return translate("SigningPanel", "当事人签名(&G)…")
        if step == "confirm":
            if self.state.confirmer_role() == StaffRole.SITE_HEAD:
                return translate("SigningPanel", "考场负责人确认(&G)…")
            return translate("SigningPanel", "质量督导员确认(&G)…")
        return translate("SigningPanel", "工作人员签名(&G)…")

    def _paper_lines(self, paper: Mapping[str, Any]) -> list[str]:
        """A transcribed record: the paper form and who signed it there, before the rows."""
        staff = "、".join(str(p["name"]) for p in paper["staff_signed_on_paper"])
        ack = paper["acknowledgement"]
        witnesses = "、".join(str(w["name"]) for w in ack["witnesses"])
        acknowledged = {
            "signed": translate("SigningPanel", "当事人已在纸质记录上签字"),
            "refused": translate("SigningPanel", "拒签见证（纸质）：%1").replace("%1", witnesses),
            "departed": translate("SigningPanel", "离场见证（纸质）：%1").replace("%1", witnesses),
        }
        return [
            translate("SigningPanel", "依纸质记录誊录（纸质记录表 %1）").replace(
                "%1", str(paper["paper_form_number"])
            ),
            translate("SigningPanel", "工作人员纸质签名：%1").replace("%1", staff),
            acknowledged.get(str(ack["kind"]), str(ack["kind"])),
        ]

    def _signature_line(self, sig: Mapping[str, Any]) -> str:
        kinds = {
            "staff": translate("SigningPanel", "工作人员签名"),
            "confirm": translate("SigningPanel", "确认"),
            "acknowledge": translate("SigningPanel", "当事人签名"),
            "refusal_witness": translate("SigningPanel", "拒签见证"),
            "departure_witness": translate("SigningPanel", "离场见证"),
        }
        at = from_utc_text(sig["signed_at"]).astimezone(self.zone).strftime("%H:%M")
        who = sig["signer_name"]
        role = sig["role"]
        if role not in ("candidate", "staff"):
            who = with_note(who, role_label_safe(role))
        return f"{labelled(kinds.get(sig['kind'], sig['kind']), who)}  {at}"

    # -- actions -------------------------------------------------------------------------------

    def show_message(self, text: str) -> None:
        self.ui.messageLabel.setText(text)

    @Slot()
    def sign_next(self) -> None:
        """Open the next missing signature (the panel's one button)."""
        incident_id = self._ensure_saved()
        if incident_id is None:
            return
        self.show_message("")
        step = self.state.next_step()
        if step == "content":
            self.show_message(self.missing_texts()[0])
        elif step == "staff":
            self._open_staff_sign()
        elif step == "person":
            self._open_acknowledge()
        elif step == "confirm":
            self._open_confirm()

    def _refresh(self) -> None:
        assert self.incident_id is not None
        self.set_record(self.incident_id, self.workspace.incident(self.incident_id))
        self.signed.emit()

    def _staff_dialog(
        self,
        title: str,
        choices: list[Staff],
        preselect: str | None,
        submit: Callable[[Staff, str | None, Strokes], None],
        pin_action: str = "sign",
    ) -> StaffSignDialog:
        """A staff signature dialog; a signer without a PIN gets one there from the site head."""
        heads = [s for s in self.staff if s.role == StaffRole.SITE_HEAD]
        return StaffSignDialog(
            title,
            choices,
            preselect,
            submit,
            self.window(),
            pin_action=pin_action,
            heads=heads,
            give_pin=self._give_pin,
        )

    def _give_pin(self, head: Staff, head_pin: str, staff: Staff, pin: str) -> Staff:
        from app.core.records.app_state import give_staff_pin

        updated = give_staff_pin(self.workspace, self.session_id, head.id, head_pin, staff.id, pin)
        self.reload_staff()
        return updated

    def _open(self, dialog: SignatureDialog, on_accept: Callable[[], None]) -> None:
        self.dialog = dialog
        dialog.accepted.connect(on_accept)
        dialog.finished.connect(self._on_finished)
        dialog.open()

    def _on_finished(self, _code: int) -> None:
        sender = self.sender()
        if sender is self.dialog:
            self.dialog = None
        if isinstance(sender, QDialog):
            sender.deleteLater()

    def _open_staff_sign(self) -> None:
        choices = staff_signer_choices(self.state, self.staff)
        if not choices:
            self.show_message(translate("SigningPanel", "没有可签名的在岗工作人员。"))
            return
        incident_id = self.incident_id
        assert incident_id is not None

        def submit(staff: Staff, pin: str | None, strokes: Strokes) -> None:
            self.workspace.sign(incident_id, staff.id, strokes, pin)

        def accepted() -> None:
            self._refresh()
            self._remember_on_duty()
            # The second staff signature and the person's own follow straight on: they are
            # all at the desk now. The confirmation waits for its button (the site head may not).
            step = self.state.next_step()
            if step == "staff":
                QTimer.singleShot(0, self._open_staff_sign)
            elif step == "person":
                QTimer.singleShot(0, self._open_acknowledge)

        # The operator signs first; the second signer is the colleague on duty with them for
        # this subject, or nobody preselected (the proctor chooses, and that sets it).
        preselect = self.operator_id if not self.state.staff_signers else None
        if preselect is None or preselect not in {c.id for c in choices}:
            preselect = next((i for i in self.on_duty() if i in {c.id for c in choices}), None)
        dialog = self._staff_dialog(
            translate("SigningPanel", "工作人员签名"), choices, preselect, submit
        )
        self._open(dialog, accepted)

    def on_duty(self) -> list[str]:
        """The staff on duty for this record's subject (set by the first pair who signed),
        then those the session plan names for its room."""
        from app.core.records.on_duty import on_duty, room_proctors

        ids = on_duty(self.workspace, self.session_id, self.state.subject)
        ids += room_proctors(self.workspace, self.session_id, self.state.room)
        return list(dict.fromkeys(ids))

    def _remember_on_duty(self) -> None:
        """Two staff signed together: they are the room's proctors for this subject."""
        signers = list(dict.fromkeys(self.state.staff_signers))
        if len(signers) < 2 or not self.state.subject:
            return
        if self.operator_id in signers:  # the operator first: it is their laptop session
            signers.remove(self.operator_id)
            signers.insert(0, self.operator_id)
        from app.core.errors import UserError
        from app.core.records.on_duty import set_on_duty

        try:
            set_on_duty(
                self.workspace,
                self.session_id,
                self.state.subject,
                signers,
                actor_id=self.operator_id,
            )
        except UserError as exc:  # the record is signed; only the preselection is not kept
            from app.ui.errors import log

            log.info("on duty not recorded: %s", exc)

    def _open_acknowledge(self) -> None:
        person = self.state.person
        incident_id = self.incident_id
        assert person is not None and incident_id is not None
        role = (
            translate("SigningPanel", "参评人员")
            if person["kind"] == "candidate"
            else role_label_safe(str(person.get("role")))
        )

        def submit(strokes: Strokes) -> None:
            self.workspace.acknowledge(incident_id, strokes)

        dialog = AcknowledgeDialog(
            person["name"], role, submit, self.window(), record_html=self._record_html()
        )
        dialog.finished.connect(self._after_acknowledge_dialog)
        self._open(dialog, self._refresh)

    def _record_html(self) -> str:
        """The record as the person concerned reads it before signing (the candidate screen)."""
        from app.core.errors import UserError
        from app.ui.incident.candidate_screen import record_html

        assert self.incident_id is not None
        detail = self.workspace.incident(self.incident_id)
        rulebook_ref = (detail["content"].get("rulebook") or {}).get("id")
        try:
            rulebook = self.workspace.rulebook(rulebook_ref) if rulebook_ref else None
        except UserError:  # the record is still shown, its clause by id
            rulebook = None
        return record_html(detail, rulebook)

    def _after_acknowledge_dialog(self, code: int) -> None:
        if code == REFUSED:
            QTimer.singleShot(0, self.start_refusal)
        elif code == DEPARTED:
            QTimer.singleShot(0, self.start_departure)

    def _open_confirm(self) -> None:
        choices = confirmer_choices(self.state, self.staff)
        if not choices:
            self.show_message(translate("SigningPanel", "本场次没有可确认此记录的人员。"))
            return
        incident_id = self.incident_id
        assert incident_id is not None

        def submit(staff: Staff, pin: str | None, strokes: Strokes) -> None:
            self.workspace.confirm(incident_id, staff.id, strokes, pin)

        title = (
            translate("SigningPanel", "考场负责人确认")
            if self.state.confirmer_role() == StaffRole.SITE_HEAD
            else translate("SigningPanel", "质量督导员确认")
        )
        dialog = self._staff_dialog(title, choices, choices[0].id, submit, pin_action="confirm")
        self._open(dialog, self._refresh)

    # -- refusal to sign -----------------------------------------------------------------------

    @Slot()
    def start_refusal(self) -> None:
        """The person refuses to sign: two different staff witness it, each signing."""
        self._start_witnessing("refusal")

    @Slot()
    def start_departure(self) -> None:
        """The person had left the site before they could sign: two different staff witness
        it, each signing."""
        self._start_witnessing("departure")

    def _start_witnessing(self, what: str) -> None:
        if self._ensure_saved() is None or self.state.next_step() != "person":
            return
        self._witnessing = what
        self._witnesses = []
        self._open_witness()

    def _open_witness(self) -> None:
        taken = {w[0].id for w in self._witnesses}
        choices = [
            s for s in self.staff if s.id != self.state.person_staff_id and s.id not in taken
        ]
        if not choices:
            self.show_message(translate("SigningPanel", "没有可见证的在岗工作人员。"))
            return
        number = len(self._witnesses) + 1
        title = (
            translate("SigningPanel", "当事人已离场：见证人 %1/2")
            if self._witnessing == "departure"
            else translate("SigningPanel", "当事人拒绝签名：见证人 %1/2")
        ).replace("%1", str(number))
        # Witnesses are the staff in the room: the operator, then the colleague on duty with
        # them, then whoever signed this record; never the roster's first name.
        ids = {c.id for c in choices}
        order = [self.operator_id, *self.on_duty(), *self.state.staff_signers]
        preselect = next((i for i in order if i in ids), None)

        def submit(staff: Staff, pin: str | None, strokes: Strokes) -> None:
            # A wrong PIN is caught here, before anything is recorded; it counts towards the
            # lockout (and is audited) as at the lock screen.
            self.workspace.check_pin(staff.id, pin)
            self._witnesses.append((staff, strokes, pin))

        dialog = self._staff_dialog(title, choices, preselect, submit)
        self._open(dialog, self._witness_signed)

    def _witness_signed(self) -> None:
        if len(self._witnesses) < 2:
            QTimer.singleShot(0, self._open_witness)
            return
        assert self.incident_id is not None
        witnesses = [(s.id, strokes, pin) for s, strokes, pin in self._witnesses]
        self._witnesses = []
        from app.core.errors import UserError
        from app.ui.errors import user_message

        try:
            if self._witnessing == "departure":
                self.workspace.record_departure(self.incident_id, witnesses)
            else:
                self.workspace.refuse(self.incident_id, witnesses)
        except UserError as exc:
            self.show_message(user_message(exc, "sign"))
            return
        self._refresh()
