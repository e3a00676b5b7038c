"""What a record's signatures say, what is still missing, and who may sign next.

The records core enforces the rules (``app.core.records.signing``); this reads the record as
``Workspace.incident`` gives it so the panel can offer only the signers the core will accept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.core.records.content import missing_for_signing
from app.core.records.status import SEALED, RecordStatus
from app.core.records.tables import Staff
from app.core.rulebook.model import Party, StaffRole
from app.ui.labels import fact_label, join_list

translate = QCoreApplication.translate


def content_label(name: str) -> str:
    """What the records core names as missing (``missing_for_signing``), as the form says it."""
    labels = {
        "clause": translate("SigningPanel", "违纪违规条款"),
        "person concerned": translate("SigningPanel", "当事人"),
        "noted by (quality supervisor)": translate("SigningPanel", "记录人（质量督导员）"),
        "description": translate("SigningPanel", "监考人员描述"),
        "seized items: a distinct receipt number each": translate(
            "SigningPanel", "暂扣物品的收据编号（每件一个，互不相同）"
        ),
        "confirmation of a time outside every subject's exam time": translate(
            "SigningPanel", "发生时间不在任何科目考试时间内的确认（请在发生时间下方勾选）"
        ),
    }
    if name.startswith("facts "):  # facts deciding whether there is a violation at all
        facts = [f.strip() for f in name.removeprefix("facts ").split(",")]
        return translate("SigningPanel", "需查明的事实（%1）").replace(
            "%1", join_list(fact_label(f) for f in facts)
        )
    return labels.get(name, name)


@dataclass
class SigningState:
    """What the record's signatures say, from ``Workspace.incident``."""

    status: str = "new"
    party: str = Party.CANDIDATE.value
    person: dict[str, Any] | None = None
    missing_content: list[str] = field(default_factory=list)
    staff_signers: list[str] = field(default_factory=list)  # staff ids, valid signatures
    acknowledged: bool = False
    refused: bool = False
    departed: bool = False  # two staff witnessed that the person had left the site
    confirmed: bool = False
    voided: int = 0
    signatures: list[dict[str, Any]] = field(default_factory=list)  # valid ones
    void_reason: str | None = None
    # Transcribed from the paper form: its number and who signed it there (no strokes here).
    paper: dict[str, Any] | None = None
    subject: str | None = None  # the subject the record falls in (who is on duty depends on it)
    room: str | None = None  # where it happened (the plan may name the room's proctors)

    @classmethod
    def of(cls, detail: Mapping[str, Any] | None) -> SigningState:
        if detail is None:
            return cls(missing_content=["clause", "person concerned", "description"])
        content = detail["content"]
        valid = [
            s
            for s in detail["signatures"]
            if not s["voided"] and s["content_hash"] == detail["content_hash"]
        ]
        return cls(
            status=detail["status"],
            party=detail["party"],
            person=content["person"],
            missing_content=missing_for_signing(content),
            staff_signers=[s["staff_id"] for s in valid if s["kind"] == "staff"],
            acknowledged=any(s["kind"] == "acknowledge" for s in valid),
            refused=any(s["kind"] == "refusal_witness" for s in valid),
            departed=any(s["kind"] == "departure_witness" for s in valid),
            confirmed=detail["status"] in SEALED,
            voided=sum(1 for s in detail["signatures"] if s["voided"]),
            signatures=valid,
            void_reason=detail.get("void_reason"),
            paper=content.get("transcription"),
            subject=content.get("subject"),
            room=content.get("room"),
        )

    @property
    def person_answered(self) -> bool:
        """The person signed, or two staff witnessed a refusal or that they had left."""
        return self.acknowledged or self.refused or self.departed

    @property
    def person_staff_id(self) -> str | None:
        p = self.person
        return p["id"] if p is not None and p["kind"] == "staff" else None

    def confirmer_role(self) -> str:
        if self.party == Party.INSTITUTION:
            return StaffRole.SUPERVISOR.value
        if self.person is not None and self.person.get("role") == StaffRole.SITE_HEAD:
            return StaffRole.SUPERVISOR.value
        return StaffRole.SITE_HEAD.value

    def next_step(self) -> str | None:
        """``content``, ``staff``, ``person``, ``confirm`` or None (nothing left)."""
        if self.status in SEALED or self.status == RecordStatus.VOID:
            return None
        if self.missing_content:
            return "content"
        if len(set(self.staff_signers)) < 2:
            return "staff"
        if self.person is not None and not self.person_answered:
            return "person"
        return "confirm"


def staff_signer_choices(state: SigningState, staff: Sequence[Staff]) -> list[Staff]:
    """Staff who may sign next: not the site head, not the person concerned, not signed yet."""
    signed = set(state.staff_signers)
    eligible = [
        s
        for s in staff
        if s.role != StaffRole.SITE_HEAD and s.id != state.person_staff_id and s.id not in signed
    ]
    if state.party == Party.INSTITUTION and len(signed) == 1:
        by_id = {s.id: s for s in staff}
        if not any(by_id[i].role == StaffRole.SUPERVISOR for i in signed if i in by_id):
            eligible = [s for s in eligible if s.role == StaffRole.SUPERVISOR]
    return eligible


def confirmer_choices(state: SigningState, staff: Sequence[Staff]) -> list[Staff]:
    role = state.confirmer_role()
    return [
        s
        for s in staff
        if s.role == role and s.id != state.person_staff_id and s.id not in state.staff_signers
    ]
