"""Shared set-up for the casework tests (no tests here): records of each party made on a site
laptop, exported and imported at the institution, and accounts to act as."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from app.core.accounts import ADMIN, REVIEWER, Account
from app.core.demo.seed import DEMO_PIN
from app.core.demo.strokes import synthetic_strokes
from app.core.records.content import IncidentDraft
from app.core.records.service import Workspace
from app.core.rulebook.model import StaffRole
from app.core.sync.export import export_bundle
from app.core.sync.importing import IMPORTED, import_bundles
from tests.support.sync import WHEN, Institution

FAKE_SHA = "ab" * 32


def account(name: str, role: str = ADMIN) -> Account:
    """An account as the services see it once signed in (its password is not their concern)."""
    return Account(name, role, None, dt.datetime.now(dt.UTC), None)


ANNA, BO, CHEN = account("anna"), account("bo"), account("chen")
READER = account("rita", REVIEWER)


def record(
    ws: Workspace,
    session_id: str,
    *,
    party: str = "candidate",
    clause: str = "6.1",
    index: int = 0,
    role: StaffRole = StaffRole.EXAM_ADMIN,
    facts: Mapping[str, str | bool] | None = None,
) -> str:
    """A confirmed (sealed) record: a candidate's (the ``index``-th candidate), a staff
    member's (the first of ``role``) or the institution's, signed by two exam admins."""
    staff = ws.staff(session_id)
    admins = [s for s in staff if s.role == StaffRole.EXAM_ADMIN.value]
    head = next(s for s in staff if s.role == StaffRole.SITE_HEAD.value)
    supervisor = next(s for s in staff if s.role == StaffRole.SUPERVISOR.value)
    room = seat = person_id = noted_by = None
    if party == "candidate":
        candidate = ws.candidates(session_id)[index]
        person_id, room, seat = candidate.id, candidate.room, candidate.seat
    elif party == "staff":
        person_id = next(s for s in staff if s.role == role.value).id
    else:
        noted_by = supervisor.id
    draft = IncidentDraft(
        party=party,
        occurred_at=WHEN + dt.timedelta(minutes=index),
        subject="理论知识",
        room=room,
        seat=seat,
        person_id=person_id,
        clause=clause,
        facts=dict(facts or {}),
        description=f"记录 {clause} #{index}",
        noted_by=noted_by,
    )
    incident = ws.create_incident(session_id, draft)
    signers = [a for a in admins if a.id != person_id][:2]
    if party == "institution":  # the quality supervisor who noted it, and one other
        signers = [supervisor, admins[0]]
    for signer in signers:
        ws.sign(incident.id, signer.id, synthetic_strokes(signer.name), DEMO_PIN)
    if party == "candidate":
        ws.acknowledge(incident.id, synthetic_strokes(f"candidate-{index}"))
    confirmer = supervisor if person_id == head.id or party == "institution" else head
    ws.confirm(incident.id, confirmer.id, synthetic_strokes(confirmer.name), DEMO_PIN)
    return incident.id


def send(inst: Institution, laptop: Workspace, folder: Path, name: str) -> None:
    """Export the laptop's session (incrementally after the first) and import it."""
    out = folder / f"{name}.pdbundle"
    first = not any(folder.glob("*.pdbundle"))
    export_bundle(laptop, inst.session_id, out, since_last=not first)
    outcomes = import_bundles(inst.ws, inst.identity, [out])
    assert [o.status for o in outcomes] == [IMPORTED], [o.line() for o in outcomes]


def amend(ws: Workspace, session_id: str, incident_id: str, clause: str) -> str:
    """A new version of a confirmed candidate record with another clause, signed and
    confirmed like the first."""
    import dataclasses

    draft = dataclasses.replace(ws.draft_of(incident_id), clause=clause)
    new = ws.amend(incident_id, draft, reason="条款有误")
    staff = ws.staff(session_id)
    admins = [s for s in staff if s.role == StaffRole.EXAM_ADMIN.value][:2]
    head = next(s for s in staff if s.role == StaffRole.SITE_HEAD.value)
    for signer in admins:
        ws.sign(new.id, signer.id, synthetic_strokes(signer.name), DEMO_PIN)
    ws.acknowledge(new.id, synthetic_strokes("candidate"))
    ws.confirm(new.id, head.id, synthetic_strokes(head.name), DEMO_PIN)
    return new.id
