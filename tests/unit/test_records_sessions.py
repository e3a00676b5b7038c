"""Sessions, their time zone (rule dates are local dates), listing and filtering incidents."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.core.demo.seed import DemoSession, demo_spec, seed_demo
from app.core.records.content import IncidentDraft
from app.core.records.incidents import IncidentFilters
from app.core.records.service import Workspace
from app.core.records.sessions import (
    InstitutionSpec,
    RoomSpec,
    SessionError,
    SessionSpec,
    SubjectSpec,
)
from app.core.records.tables import from_utc_text
from app.core.rulebook.model import UnknownClauseError


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace.open(tmp_path) as workspace:
        yield workspace


@pytest.fixture
def demo(ws: Workspace) -> DemoSession:
    return seed_demo(ws, candidates=6, incidents=0)


def test_session_is_validated_before_anything_is_saved(ws: Workspace) -> None:
    spec = dataclasses.replace(
        demo_spec(2), evaluation_type="考试", level="九级", rooms=(), timezone="Mars/Olympus"
    )
    with pytest.raises(SessionError) as caught:
        ws.create_session(spec)
    message = str(caught.value)
    for expected in ("evaluation type: '考试'", "level: '九级'", "rooms: give at least one"):
        assert expected in message
    assert ws.list_sessions() == []
    with pytest.raises(SessionError, match="not a known time zone"):
        ws.create_session(dataclasses.replace(demo_spec(2), timezone="Mars/Olympus"))


def test_a_time_the_clocks_skip_is_refused(ws: Workspace) -> None:
    """02:30 on the night daylight saving begins in New York names no instant."""
    zone = ZoneInfo("America/New_York")
    skipped = dt.datetime(2026, 3, 8, 2, 30, tzinfo=zone)
    subject = SubjectSpec("理论知识", skipped, dt.datetime(2026, 3, 8, 4, 0, tzinfo=zone))
    spec = dataclasses.replace(demo_spec(2), timezone="America/New_York", subjects=(subject,))
    with pytest.raises(SessionError, match="2026-03-08 02:30 does not exist in its time zone"):
        ws.create_session(spec)
    assert ws.list_sessions() == []
    # An hour later exists: accepted.
    later = SubjectSpec("理论知识", skipped.replace(hour=3), subject.ends_at)
    assert ws.create_session(dataclasses.replace(spec, subjects=(later,)))


def test_session_detail_and_list(ws: Workspace, demo: DemoSession) -> None:
    detail = ws.session(demo.session_id[:8])
    assert detail["institution"]["filing_code"]
    assert [r["name"] for r in detail["rooms"]] == ["第1考场", "第2考场", "第3考场"]
    assert {s["role"] for s in detail["staff"]} == {
        "exam_admin",
        "assessor",
        "supervisor",
        "site_head",
    }
    assert detail["candidates"] == 6
    assert detail["timezone"] == "Asia/Shanghai"
    [row] = ws.list_sessions()
    assert row["id"] == demo.session_id and row["incidents"] == 0


def test_local_date_differs_from_utc_date(ws: Workspace) -> None:
    """01:30 in Shanghai on 1 March is still 29 February in UTC: rules see 1 March."""
    zone = ZoneInfo("Asia/Shanghai")
    start = dt.datetime(2024, 3, 1, 0, 30, tzinfo=zone)
    spec = dataclasses.replace(
        demo_spec(1, dt.date(2024, 3, 1)),
        subjects=(SubjectSpec("理论知识", start, start + dt.timedelta(hours=2)),),
    )
    session_id = ws.create_session(spec)
    demo_staff = seed_demo(ws, candidates=1, incidents=0)  # another session, for its roster rows
    assert demo_staff.session_id != session_id
    from app.core.rosters.rows import CandidateRow

    ws.import_candidates(
        session_id,
        [
            CandidateRow(
                "林晓东",
                "resident_id",
                demo_staff.candidates[0].id_number,
                "T1",
                "第1考场",
                3,
                None,
            )
        ],
    )
    [candidate] = ws.candidates(session_id)
    when = dt.datetime(2024, 3, 1, 1, 30, tzinfo=zone)
    draft = IncidentDraft(
        party="candidate",
        occurred_at=when,
        subject="理论知识",
        person_id=candidate.id,
        clause="6.2",
        description="抄袭",
    )
    incident = ws.create_incident(session_id, draft)
    content = ws.incident(incident.id)["content"]
    assert content["occurred_at"] == "2024-02-29T17:30:00.000000Z"
    assert from_utc_text(content["occurred_at"]).date() == dt.date(2024, 2, 29)
    assert content["local_date"] == "2024-03-01"
    assert content["facts"]["date"] == "2024-03-01"
    assert content["outcome"]["date"] == "2024-03-01"
    # Art. 6 bars for the current year: the local year, decided by the local date.
    on_day = ws.list_incidents(IncidentFilters(local_date="2024-03-01"))
    assert [r.id for r in on_day] == [incident.id]
    assert ws.list_incidents(IncidentFilters(local_date="2024-02-29")) == []


def test_local_date_at_new_year_decides_the_ban_year(ws: Workspace) -> None:
    """23:30 on 31 Dec in Los Angeles is already 1 Jan in UTC; the ban is for the local year."""
    zone = ZoneInfo("America/Los_Angeles")
    start = dt.datetime(2024, 12, 31, 22, 0, tzinfo=zone)
    spec = dataclasses.replace(
        demo_spec(1),
        timezone="America/Los_Angeles",
        subjects=(SubjectSpec("理论知识", start, start + dt.timedelta(hours=2)),),
    )
    session_id = ws.create_session(spec)
    from app.core.rosters.rows import StaffRow

    ws.import_staff(session_id, [StaffRow("王芳", "exam_admin", "K1", None)])
    [admin] = ws.staff(session_id)
    draft = IncidentDraft(
        party="staff",
        occurred_at=dt.datetime(2024, 12, 31, 23, 30, tzinfo=zone),
        person_id=admin.id,
        clause="9.2",
        description="未按规定收回试卷",
    )
    content = ws.incident(ws.create_incident(session_id, draft).id)["content"]
    assert content["occurred_at"].startswith("2025-01-01T07:30")
    assert content["local_date"] == "2024-12-31"
    assert content["outcome"]["date"] == "2024-12-31"


def test_list_filter_count_and_paginate(ws: Workspace, demo: DemoSession) -> None:
    base = dt.datetime(2024, 6, 15, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    ids = []
    for i, candidate in enumerate(demo.candidates):
        draft = IncidentDraft(
            party="candidate",
            occurred_at=base + dt.timedelta(minutes=i),
            person_id=candidate.id,
            clause="6.1" if i % 2 else "5.4",
            description="x",
        )
        ids.append(ws.create_incident(demo.session_id, draft).id)
    everything = IncidentFilters(session_id=demo.session_id)
    assert ws.count_incidents(everything) == 6
    page1 = ws.list_incidents(everything, 0, 4)
    page2 = ws.list_incidents(everything, 4, 4)
    assert [r.id for r in page1 + page2] == list(reversed(ids))  # newest first
    assert ws.count_incidents(IncidentFilters(clause="6.1")) == 3
    assert {r.room for r in ws.list_incidents(IncidentFilters(room="第1考场"))} == {"第1考场"}
    assert ws.count_incidents(IncidentFilters(status="confirmed")) == 0
    assert ws.count_incidents(IncidentFilters(party="staff")) == 0
    summary = page1[0].to_dict()
    assert {"id", "number", "clause", "status", "party"} <= set(summary)


def test_repeated_subject_is_refused_by_the_core_the_form_shares(tmp_path: Path) -> None:
    # The GUI's new-session form goes through Workspace.create_session as well.
    tz = dt.timezone(dt.timedelta(hours=8))
    subject = SubjectSpec(
        "理论知识", dt.datetime(2026, 6, 12, 9, tzinfo=tz), dt.datetime(2026, 6, 12, 10, tzinfo=tz)
    )
    spec = SessionSpec(
        institution=InstitutionSpec("示范鉴定中心", "social_training_org", "S1"),
        evaluation_type="职业技能等级认定",
        occupation="电工",
        level="四级/中级工",
        site_name="考点",
        site_address="地址",
        rooms=(RoomSpec("第1考场", 2),),
        subjects=(subject, subject),
    )
    with Workspace.open(tmp_path / "data") as ws:
        with pytest.raises(SessionError, match="subject 理论知识: listed more than once"):
            ws.create_session(spec)
        assert ws.list_sessions() == []


def test_clause_is_checked_against_the_default_rulebook_without_sessions(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "data") as ws:
        ws.check_clause("6.1")
        with pytest.raises(UnknownClauseError):
            ws.check_clause("99")
