"""Impossible times are not sealed: an incident later than now is refused when staff sign or
the site head confirms (five minutes of clock difference allowed), and a time outside every
subject's exam time is signed only once the recorder has confirmed it, which is sealed."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from app.core.demo.seed import DEMO_PIN, DemoSession
from app.core.demo.strokes import synthetic_strokes
from app.core.records.content import IncidentDraft, IncidentError
from app.core.records.incident_time import FUTURE_GRACE
from app.core.records.incidents import Context
from app.core.records.service import Workspace

INK = synthetic_strokes("签名")
BEIJING = dt.timezone(dt.timedelta(hours=8))
DURING = dt.datetime(2024, 6, 15, 9, 40, tzinfo=BEIJING)  # 理论知识 09:00–10:30
BETWEEN = dt.datetime(2024, 6, 15, 12, 0, tzinfo=BEIJING)  # between the two subjects


def _draft(demo: DemoSession, when: dt.datetime, **changes: object) -> IncidentDraft:
    base = IncidentDraft(
        party="candidate",
        occurred_at=when,
        subject="理论知识",
        person_id=demo.candidates[0].id,
        clause="6.1",
        description="携带手机并使用",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def _sign_two(ws: Workspace, demo: DemoSession, incident: str) -> None:
    ws.sign(incident, demo.staff["exam_admin"][0].id, INK, DEMO_PIN)
    ws.sign(incident, demo.staff["exam_admin"][1].id, INK, DEMO_PIN)


def test_an_incident_later_than_now_is_not_signed(ws: Workspace, demo: DemoSession) -> None:
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=14)
    draft = _draft(demo, later, time_outside_subjects_confirmed=True)
    incident = ws.create_incident(demo.session_id, draft).id
    with pytest.raises(IncidentError, match="later than now"):
        ws.sign(incident, demo.staff["exam_admin"][0].id, INK, DEMO_PIN)
    assert ws.incident(incident)["signatures"] == []


def test_a_few_minutes_ahead_is_clock_difference(ws: Workspace, demo: DemoSession) -> None:
    ahead = dt.datetime.now(dt.UTC) + FUTURE_GRACE - dt.timedelta(minutes=1)
    draft = _draft(demo, ahead, time_outside_subjects_confirmed=True)
    incident = ws.create_incident(demo.session_id, draft).id
    _sign_two(ws, demo, incident)
    assert ws.incident(incident)["status"] == "signed"


def test_confirmation_is_refused_on_a_clock_set_before_the_incident(
    ws: Workspace, demo: DemoSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident = ws.create_incident(demo.session_id, _draft(demo, DURING)).id
    _sign_two(ws, demo, incident)
    ws.acknowledge(incident, INK)
    monkeypatch.setattr(Context, "now", lambda _self: dt.datetime(2024, 6, 1, tzinfo=dt.UTC))
    with pytest.raises(IncidentError, match="later than now"):
        ws.confirm(incident, demo.staff["site_head"][0].id, INK, DEMO_PIN)
    monkeypatch.undo()
    assert ws.incident(incident)["status"] == "signed"


def test_a_time_outside_every_subject_is_signed_only_once_confirmed(
    ws: Workspace, demo: DemoSession
) -> None:
    incident = ws.create_incident(demo.session_id, _draft(demo, BETWEEN)).id
    assert "time_outside_subjects_confirmed" not in ws.incident(incident)["content"]
    with pytest.raises(IncidentError, match="outside every subject"):
        ws.sign(incident, demo.staff["exam_admin"][0].id, INK, DEMO_PIN)
    ws.update_draft(incident, _draft(demo, BETWEEN, time_outside_subjects_confirmed=True))
    content = ws.incident(incident)["content"]
    assert content["time_outside_subjects_confirmed"] is True
    assert ws.draft_of(incident).time_outside_subjects_confirmed
    _sign_two(ws, demo, incident)
    ws.acknowledge(incident, INK)
    ws.confirm(incident, demo.staff["site_head"][0].id, INK, DEMO_PIN)
    assert ws.verify().ok


def test_a_time_inside_a_subject_needs_no_confirmation_and_stores_none(
    ws: Workspace, demo: DemoSession
) -> None:
    draft = _draft(demo, DURING, time_outside_subjects_confirmed=True)
    incident = ws.create_incident(demo.session_id, draft).id
    assert "time_outside_subjects_confirmed" not in ws.incident(incident)["content"]
    _sign_two(ws, demo, incident)
