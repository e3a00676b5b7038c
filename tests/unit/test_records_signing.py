"""The signing rules the services enforce: who signs, who confirms, and who may not."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from sqlmodel import select

from app.core.demo.seed import DEMO_PIN, DemoSession, seed_demo
from app.core.demo.strokes import synthetic_strokes
from app.core.records.content import IncidentDraft, IncidentError, normalise_strokes
from app.core.records.incidents import IncidentFilters
from app.core.records.people import PinError
from app.core.records.service import Workspace
from app.core.records.tables import Signature, Staff
from app.core.rosters.rows import StaffRow

WHEN = dt.datetime(2024, 6, 15, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
INK = synthetic_strokes("签名")


def role(demo: DemoSession, name: str, index: int = 0) -> Staff:
    return demo.staff[name][index]


def candidate_incident(ws: Workspace, demo: DemoSession, clause: str = "6.1") -> str:
    draft = IncidentDraft(
        party="candidate",
        occurred_at=WHEN,
        subject="理论知识",
        person_id=demo.candidates[0].id,
        clause=clause,
        description="携带手机并使用",
    )
    return ws.create_incident(demo.session_id, draft).id


def staff_incident(ws: Workspace, demo: DemoSession, person: Staff, clause: str) -> str:
    draft = IncidentDraft(
        party="staff",
        occurred_at=WHEN,
        person_id=person.id,
        clause=clause,
        description="未按规定分发试卷",
        facts={"adverse_effect": True} if clause == "11" else {},
    )
    return ws.create_incident(demo.session_id, draft).id


def status(ws: Workspace, incident_id: str) -> str:
    return str(ws.incident(incident_id)["status"])


def test_candidate_incident_needs_two_distinct_staff_then_site_head(
    ws: Workspace, demo: DemoSession
) -> None:
    incident = candidate_incident(ws, demo)
    head = role(demo, "site_head")
    a, b = role(demo, "exam_admin", 0), role(demo, "exam_admin", 1)
    ws.sign(incident, a.id, INK, DEMO_PIN)
    assert status(ws, incident) == "draft"
    with pytest.raises(IncidentError, match="needs the signatures of two different staff"):
        ws.confirm(incident, head.id, INK, DEMO_PIN)
    with pytest.raises(IncidentError, match="already signed"):
        ws.sign(incident, a.id, INK, DEMO_PIN)
    ws.sign(incident, b.id, INK, DEMO_PIN)
    assert status(ws, incident) == "signed"
    ws.acknowledge(incident, INK)
    ws.confirm(incident, head.id, INK, DEMO_PIN)
    detail = ws.incident(incident)
    assert detail["status"] == "confirmed"
    assert detail["seal"] is not None
    kinds = sorted(s["kind"] for s in detail["signatures"])
    assert kinds == ["acknowledge", "confirm", "staff", "staff"]
    assert ws.verify().ok


def test_site_head_is_not_one_of_the_signers(ws: Workspace, demo: DemoSession) -> None:
    incident = candidate_incident(ws, demo)
    with pytest.raises(IncidentError, match="not one of its signers"):
        ws.sign(incident, role(demo, "site_head").id, INK, DEMO_PIN)


def test_only_the_site_head_confirms_a_candidate_incident(ws: Workspace, demo: DemoSession) -> None:
    incident = candidate_incident(ws, demo)
    ws.sign(incident, role(demo, "exam_admin", 0).id, INK, DEMO_PIN)
    ws.sign(incident, role(demo, "assessor", 0).id, INK, DEMO_PIN)
    with pytest.raises(IncidentError, match="confirmed by the site head"):
        ws.confirm(incident, role(demo, "exam_admin", 2).id, INK, DEMO_PIN)
    assert status(ws, incident) == "signed"


def test_staff_of_another_session_may_not_sign(ws: Workspace, demo: DemoSession) -> None:
    other = seed_demo(ws, candidates=0, incidents=0, seed=7)
    incident = candidate_incident(ws, demo)
    with pytest.raises(IncidentError, match="on duty in this session"):
        ws.sign(incident, other.staff["exam_admin"][0].id, INK, DEMO_PIN)


def test_signing_needs_clause_person_and_description(ws: Workspace, demo: DemoSession) -> None:
    draft = IncidentDraft(party="candidate", occurred_at=WHEN)
    incident = ws.create_incident(demo.session_id, draft).id
    with pytest.raises(IncidentError, match="clause, person concerned, description"):
        ws.sign(incident, role(demo, "exam_admin").id, INK, DEMO_PIN)


def test_staff_incident_signed_by_others_and_confirmed_by_site_head(
    ws: Workspace, demo: DemoSession
) -> None:
    person = role(demo, "exam_admin", 0)
    incident = staff_incident(ws, demo, person, "9.2")
    with pytest.raises(IncidentError, match="nobody signs a record about themselves"):
        ws.sign(incident, person.id, INK, DEMO_PIN)
    ws.sign(incident, role(demo, "exam_admin", 1).id, INK, DEMO_PIN)
    ws.sign(incident, role(demo, "assessor", 0).id, INK, DEMO_PIN)
    with pytest.raises(IncidentError, match="confirmed by the site head"):
        ws.confirm(incident, role(demo, "supervisor").id, INK, DEMO_PIN)
    ws.confirm(incident, role(demo, "site_head").id, INK, DEMO_PIN)
    assert status(ws, incident) == "confirmed"


def test_incident_about_the_site_head_is_confirmed_by_a_supervisor(
    ws: Workspace, demo: DemoSession
) -> None:
    head = role(demo, "site_head")
    incident = staff_incident(ws, demo, head, "9.3")
    ws.sign(incident, role(demo, "exam_admin", 0).id, INK, DEMO_PIN)
    ws.sign(incident, role(demo, "exam_admin", 1).id, INK, DEMO_PIN)
    with pytest.raises(IncidentError, match="nobody confirms a record about themselves"):
        ws.confirm(incident, head.id, INK, DEMO_PIN)
    ws.confirm(incident, role(demo, "supervisor").id, INK, DEMO_PIN)
    assert status(ws, incident) == "confirmed"


def test_confirmer_cannot_have_signed_too(ws: Workspace, demo: DemoSession) -> None:
    head = role(demo, "site_head")
    incident = staff_incident(ws, demo, head, "9.3")
    supervisor = role(demo, "supervisor")
    ws.sign(incident, supervisor.id, INK, DEMO_PIN)
    ws.sign(incident, role(demo, "exam_admin", 1).id, INK, DEMO_PIN)
    with pytest.raises(IncidentError, match="cannot also confirm"):
        ws.confirm(incident, supervisor.id, INK, DEMO_PIN)
    ws.confirm(incident, role(demo, "supervisor", 1).id, INK, DEMO_PIN)


def test_institution_incident_signed_by_supervisor_and_one_other_without_site_head(
    ws: Workspace, demo: DemoSession
) -> None:
    supervisor = role(demo, "supervisor")
    draft = IncidentDraft(
        party="institution",
        occurred_at=WHEN,
        clause="12.2",
        facts={"severity": "minor"},
        description="考场组织管理松懈",
        noted_by=supervisor.id,
    )
    incident = ws.create_incident(demo.session_id, draft).id
    with pytest.raises(IncidentError, match="speaks for the institution"):
        ws.sign(incident, role(demo, "site_head").id, INK, DEMO_PIN)
    ws.sign(incident, role(demo, "exam_admin", 0).id, INK, DEMO_PIN)
    ws.sign(incident, role(demo, "supervisor", 1).id, INK, DEMO_PIN)
    assert status(ws, incident) == "draft"  # two signers, but not the supervisor who noted it
    with pytest.raises(IncidentError, match="the quality supervisor who noted it and one other"):
        ws.confirm(incident, supervisor.id, INK, DEMO_PIN)
    ws.sign(incident, supervisor.id, INK, DEMO_PIN)
    assert status(ws, incident) == "signed"
    with pytest.raises(IncidentError, match="quality supervisor"):
        ws.confirm(incident, role(demo, "site_head").id, INK, DEMO_PIN)
    ws.confirm(incident, supervisor.id, INK, DEMO_PIN)
    flagged = ws.list_incidents(IncidentFilters(party="institution"))
    assert [r.regulator_flag for r in flagged] == [True]
    assert ws.incident(incident)["content"]["regulator_flag"] is True


def test_institution_incident_is_noted_by_a_supervisor(ws: Workspace, demo: DemoSession) -> None:
    draft = IncidentDraft(
        party="institution",
        occurred_at=WHEN,
        clause="12.2",
        facts={"severity": "minor"},
        description="x",
        noted_by=role(demo, "exam_admin").id,
    )
    with pytest.raises(IncidentError, match="noted by a quality supervisor"):
        ws.create_incident(demo.session_id, draft)


def test_every_signer_needs_their_own_pin(ws: Workspace, demo: DemoSession) -> None:
    ws.import_staff(demo.session_id, [StaffRow("严格", "exam_admin", "PIN-1", "2580")])
    pinned = next(s for s in ws.staff(demo.session_id) if s.staff_number == "PIN-1")
    assert pinned.pin_hash is not None and pinned.pin_hash.startswith("$argon2")
    incident = candidate_incident(ws, demo)
    with pytest.raises(PinError, match="has a PIN"):
        ws.sign(incident, pinned.id, INK)
    with pytest.raises(PinError, match="wrong PIN"):
        ws.sign(incident, pinned.id, INK, pin="0000")
    ws.sign(incident, pinned.id, INK, pin="2580")
    # No one's name goes under a signature without their own PIN: a person without one is
    # refused, whatever is typed, and nothing is recorded for them.
    ws.import_staff(demo.session_id, [StaffRow("新人", "exam_admin", "PIN-2", None)])
    newcomer = next(s for s in ws.staff(demo.session_id) if s.staff_number == "PIN-2")
    for pin in (None, "", "1234"):
        with pytest.raises(PinError, match="has no PIN yet") as refused:
            ws.sign(incident, newcomer.id, INK, pin)
        assert refused.value.reason == "no_pin"
    with pytest.raises(PinError, match="has no PIN yet"):
        ws.refuse(incident, [(newcomer.id, INK, None), (pinned.id, INK, "2580")])
    assert status(ws, incident) == "draft"
    ws.sign(incident, role(demo, "exam_admin").id, INK, DEMO_PIN)
    assert status(ws, incident) == "signed"
    with pytest.raises(PinError, match="has no PIN yet"):
        ws.confirm(incident, newcomer.id, INK, None)


def test_signature_needs_handwriting(ws: Workspace, demo: DemoSession) -> None:
    incident = candidate_incident(ws, demo)
    with pytest.raises(IncidentError, match="no handwriting"):
        ws.sign(incident, role(demo, "exam_admin").id, [], DEMO_PIN)


def test_candidate_acknowledges_or_refusal_is_witnessed_by_two(
    ws: Workspace, demo: DemoSession
) -> None:
    first = candidate_incident(ws, demo)
    ws.acknowledge(first, synthetic_strokes("考生"))
    with pytest.raises(IncidentError, match="already recorded"):
        ws.acknowledge(first, synthetic_strokes("考生"))
    second = candidate_incident(ws, demo, "5.4")
    a, b = role(demo, "exam_admin", 0), role(demo, "exam_admin", 1)
    with pytest.raises(IncidentError, match="two different staff"):
        ws.refuse(second, [(a.id, INK, DEMO_PIN), (a.id, INK, DEMO_PIN)])
    ws.refuse(second, [(a.id, INK, DEMO_PIN), (b.id, INK, DEMO_PIN)])
    kinds = [s["kind"] for s in ws.incident(second)["signatures"]]
    assert kinds == ["refusal_witness", "refusal_witness"]
    actions = [e["action"] for e in ws.incident(second)["audit"]]
    assert actions == ["create", "refuse"]


def test_facts_that_decide_the_violation_are_needed_before_signing(
    ws: Workspace, demo: DemoSession
) -> None:
    draft = IncidentDraft(
        party="candidate",
        occurred_at=WHEN,
        person_id=demo.candidates[0].id,
        clause="5.1",
        description="携带手机",
        facts={"warned": True},
    )
    incident = ws.create_incident(demo.session_id, draft).id
    assert ws.incident(incident)["content"]["outcome"]["violation"] is False
    with pytest.raises(IncidentError, match="fill in facts refused"):
        ws.sign(incident, role(demo, "exam_admin").id, INK, DEMO_PIN)
    ws.update_draft(incident, dataclasses.replace(draft, facts={"warned": True, "refused": True}))
    ws.sign(incident, role(demo, "exam_admin").id, INK, DEMO_PIN)


def test_strokes_are_stored_compact_and_read_back(ws: Workspace, demo: DemoSession) -> None:
    incident = candidate_incident(ws, demo)
    ws.sign(incident, role(demo, "exam_admin").id, INK, DEMO_PIN)
    [signature] = ws.incident(incident)["signatures"]
    expected = normalise_strokes(INK)
    assert signature["strokes"] == expected
    with ws.reading() as db:
        stored = db.exec(select(Signature.strokes_json)).one()
    assert stored.startswith('"s1:') and len(stored) < len(json.dumps(expected)) / 2


def test_records_signed_with_the_earlier_stroke_form_still_verify(
    ws: Workspace, demo: DemoSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Strokes stored as the JSON array (before the compact form) keep their seal and show."""
    from app.core.records import signing

    def earlier_form(strokes: object) -> str:
        return json.dumps(normalise_strokes(strokes), separators=(",", ":"))  # type: ignore[arg-type]

    monkeypatch.setattr(signing, "strokes_json", earlier_form)
    incident = candidate_incident(ws, demo)
    ws.sign(incident, role(demo, "exam_admin", 0).id, INK, DEMO_PIN)
    ws.sign(incident, role(demo, "exam_admin", 1).id, INK, DEMO_PIN)
    ws.acknowledge(incident, INK)
    ws.confirm(incident, role(demo, "site_head").id, INK, DEMO_PIN)
    monkeypatch.undo()
    with ws.reading() as db:
        stored = db.exec(select(Signature.strokes_json)).all()
    assert stored and all(text.startswith("[[[") for text in stored)
    assert status(ws, incident) == "confirmed"
    assert ws.verify().ok
    shown = ws.incident(incident)["signatures"]
    assert [s["strokes"] for s in shown] == [normalise_strokes(INK)] * len(shown)
