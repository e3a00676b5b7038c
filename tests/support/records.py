"""Shared by the record tests: a candidate draft, and records signed by two staff and confirmed
through the services (the ``ws`` and ``demo`` fixtures are in ``tests/unit/conftest.py``)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from app.core.demo.seed import DEMO_PIN, DemoSession
from app.core.demo.strokes import synthetic_strokes
from app.core.records.content import IncidentDraft, SeizedItem, VideoRef
from app.core.records.service import Workspace
from app.core.records.tables import Staff
from app.core.rosters.rows import StaffRow

WHEN = dt.datetime(2024, 6, 15, 1, 30, tzinfo=dt.UTC)
INK = synthetic_strokes("签名")


def draft(demo: DemoSession, **changes: object) -> IncidentDraft:
    base = IncidentDraft(
        party="candidate",
        occurred_at=WHEN,
        subject="理论知识",
        person_id=demo.candidates[1].id,
        clause="5.1",
        facts={"warned": True, "refused": True},
        description="携带手机，经提醒拒不交出",
        seized_items=(SeizedItem("手机一部", "R-001"),),
        videos=(VideoRef("第2考场-前", WHEN, WHEN + dt.timedelta(minutes=3)),),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def newcomer(
    ws: Workspace, session_id: str, role: str = "exam_admin", name: str = "新来者"
) -> Staff:
    """A staff member added to the session without a PIN (the demo gives everyone one)."""
    ws.import_staff(session_id, [StaffRow(name, role, f"NEW-{name}", None)])
    return next(s for s in ws.staff(session_id) if s.name == name)


def sign_two(ws: Workspace, demo: DemoSession, incident_id: str) -> None:
    ws.sign(incident_id, demo.staff["exam_admin"][0].id, INK, DEMO_PIN)
    ws.sign(incident_id, demo.staff["exam_admin"][1].id, INK, DEMO_PIN)


def confirmed(ws: Workspace, demo: DemoSession) -> str:
    incident = ws.create_incident(demo.session_id, draft(demo)).id
    sign_two(ws, demo, incident)
    ws.acknowledge(incident, INK)
    ws.confirm(incident, demo.staff["site_head"][0].id, INK, DEMO_PIN)
    return incident
