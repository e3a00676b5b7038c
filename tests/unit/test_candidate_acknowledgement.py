"""A candidate record is confirmed only with the candidate's word on it: their signature, a
refusal to sign witnessed by two staff, or two staff witnessing that the candidate had left
the site (当事人已离场). Staff and institution records need none of these."""

from __future__ import annotations

import dataclasses

import pytest

from app.core.demo.seed import DEMO_PIN, DemoSession
from app.core.demo.strokes import synthetic_strokes
from app.core.records.content import IncidentDraft, IncidentError
from app.core.records.service import Workspace
from app.core.records.tables import Staff
from tests.unit.test_records_signing import WHEN

INK = synthetic_strokes("签名")


def _staff(demo: DemoSession, role: str, index: int = 0) -> Staff:
    return demo.staff[role][index]


def _signed_candidate_record(ws: Workspace, demo: DemoSession) -> str:
    draft = IncidentDraft(
        party="candidate",
        occurred_at=WHEN,
        subject="理论知识",
        person_id=demo.candidates[0].id,
        clause="6.1",
        description="携带手机并使用",
    )
    incident = ws.create_incident(demo.session_id, draft).id
    ws.sign(incident, _staff(demo, "exam_admin", 0).id, INK, DEMO_PIN)
    ws.sign(incident, _staff(demo, "exam_admin", 1).id, INK, DEMO_PIN)
    return incident


def test_candidate_record_is_not_confirmed_without_the_candidates_word(
    ws: Workspace, demo: DemoSession
) -> None:
    incident = _signed_candidate_record(ws, demo)
    with pytest.raises(IncidentError, match="candidate's signature"):
        ws.confirm(incident, _staff(demo, "site_head").id, INK, DEMO_PIN)
    assert ws.incident(incident)["status"] == "signed"
    assert not ws.incident(incident)["seal"]


def test_departure_witnessed_by_two_lets_the_record_be_confirmed(
    ws: Workspace, demo: DemoSession
) -> None:
    incident = _signed_candidate_record(ws, demo)
    a, b = _staff(demo, "exam_admin", 0), _staff(demo, "exam_admin", 1)
    with pytest.raises(IncidentError, match="two different staff"):
        ws.record_departure(incident, [(a.id, INK, DEMO_PIN), (a.id, INK, DEMO_PIN)])
    ws.record_departure(incident, [(a.id, INK, DEMO_PIN), (b.id, INK, DEMO_PIN)])
    with pytest.raises(IncidentError, match="already recorded"):
        ws.acknowledge(incident, INK)
    with pytest.raises(IncidentError, match="already recorded"):
        ws.refuse(incident, [(a.id, INK, DEMO_PIN), (b.id, INK, DEMO_PIN)])
    ws.confirm(incident, _staff(demo, "site_head").id, INK, DEMO_PIN)
    detail = ws.incident(incident)
    assert detail["status"] == "confirmed"
    kinds = sorted(s["kind"] for s in detail["signatures"])
    assert kinds == ["confirm", "departure_witness", "departure_witness", "staff", "staff"]
    assert [e["action"] for e in detail["audit"]] == [
        "create",
        "sign",
        "sign",
        "departure",
        "confirm",
    ]
    assert ws.verify().ok


def test_a_departure_witness_slipped_in_is_caught(ws: Workspace, demo: DemoSession) -> None:
    """A departure witnessed outside the app has no audit entry, and verify names it."""
    import datetime as dt
    import uuid

    from app.core.records.tables import Signature

    incident = _signed_candidate_record(ws, demo)
    a = _staff(demo, "exam_admin", 0)
    with ws.transaction() as db:
        content_hash = ws.incident(incident)["content_hash"]
        db.add(
            Signature(
                id=str(uuid.uuid4()),
                incident_id=incident,
                kind="departure_witness",
                staff_id=a.id,
                signer_name=a.name,
                role=a.role,
                signed_at=dt.datetime.now(dt.UTC),
                strokes_json="[]",
                content_hash=content_hash,
            )
        )
    assert not ws.verify().ok


def test_an_amendment_after_the_candidate_left_is_confirmed_with_a_witnessed_departure(
    ws: Workspace, demo: DemoSession
) -> None:
    incident = _signed_candidate_record(ws, demo)
    ws.acknowledge(incident, INK)
    head = _staff(demo, "site_head")
    ws.confirm(incident, head.id, INK, DEMO_PIN)
    draft = ws.draft_of(incident)
    new = ws.amend(
        incident, dataclasses.replace(draft, description="携带手机并使用（更正）"), reason="笔误"
    ).id
    a, b = _staff(demo, "exam_admin", 0), _staff(demo, "exam_admin", 1)
    ws.sign(new, a.id, INK, DEMO_PIN)
    ws.sign(new, b.id, INK, DEMO_PIN)
    ws.record_departure(new, [(a.id, INK, DEMO_PIN), (b.id, INK, DEMO_PIN)])
    ws.confirm(new, head.id, INK, DEMO_PIN)
    assert ws.incident(new)["status"] == "confirmed"
    assert not any(e["action"] == "refuse" for e in ws.incident(new)["audit"])
    assert ws.verify().ok


def test_staff_record_needs_no_acknowledgement(ws: Workspace, demo: DemoSession) -> None:
    person = _staff(demo, "assessor")
    draft = IncidentDraft(
        party="staff",
        occurred_at=WHEN,
        person_id=person.id,
        clause="10.1",
        description="未按规定评分",
    )
    incident = ws.create_incident(demo.session_id, draft).id
    ws.sign(incident, _staff(demo, "exam_admin", 0).id, INK, DEMO_PIN)
    ws.sign(incident, _staff(demo, "exam_admin", 1).id, INK, DEMO_PIN)
    ws.confirm(incident, _staff(demo, "site_head").id, INK, DEMO_PIN)
    assert ws.incident(incident)["status"] == "confirmed"
