"""The demo seed: a realistic session with confirmed incidents across every candidate clause."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.core.demo.seed import DEMO_FILING_CODE, DEMO_PIN, TZ, find_demo_session, seed_demo
from app.core.records.incident_time import during_subjects
from app.core.records.incidents import IncidentFilters
from app.core.records.service import Workspace
from app.core.records.tables import from_utc_text
from app.core.rosters.idcard import is_valid_resident_id
from app.core.rulebook.model import Party
from tests.support.cli import run


def test_demo_session_is_realistic_and_verifies(tmp_path: Path) -> None:
    with Workspace.open(tmp_path) as ws:
        assert find_demo_session(ws) is None
        demo = seed_demo(ws, candidates=70)
        assert find_demo_session(ws) == demo.session_id
        detail = ws.session(demo.session_id)
        assert detail["institution"]["filing_code"] == DEMO_FILING_CODE
        assert "广州" in detail["site"]["address"]
        assert len(detail["rooms"]) == 3  # 70 candidates, 30 seats a room
        assert set(demo.staff) == {"exam_admin", "assessor", "supervisor", "site_head"}
        assert len(demo.candidates) == 70
        assert all(is_valid_resident_id(c.id_number) for c in demo.candidates)
        assert all("\u4e00" <= c.name[0] <= "\u9fff" for c in demo.candidates)
        assert len({c.ticket_number for c in demo.candidates}) == 70

        rulebook = ws.rulebook("cn-national-2021")
        every_clause = {c.id for c in rulebook.clauses_for(Party.CANDIDATE)}
        confirmed = ws.list_incidents(IncidentFilters(status="confirmed"), 0, 500)
        assert {r.clause for r in confirmed if r.party == "candidate"} == every_clause
        assert sum(r.party == "staff" for r in confirmed) == 3
        assert len(confirmed) == len(demo.incident_ids)
        signed = ws.incident(demo.incident_ids[0])["signatures"]
        assert all(s["strokes"] for s in signed)
        assert ws.verify().ok


def test_demo_incident_count_is_honoured(tmp_path: Path) -> None:
    with Workspace.open(tmp_path) as ws:
        demo = seed_demo(ws, candidates=12, incidents=30)
        assert len(demo.incident_ids) == 30
        assert ws.count_incidents(IncidentFilters(session_id=demo.session_id)) == 30


def _windows(ws: Workspace, session_id: str) -> list[tuple[dt.datetime, dt.datetime]]:
    return [
        (from_utc_text(s["starts_at"]), from_utc_text(s["ends_at"]))
        for s in ws.session(session_id)["subjects"]
    ]


@pytest.mark.parametrize(
    "local_now",
    [
        dt.datetime(2025, 3, 10, 21, 17, tzinfo=ZoneInfo(TZ)),
        dt.datetime(2025, 3, 10, 8, 44, tzinfo=ZoneInfo(TZ)),
        dt.datetime(2025, 3, 11, 0, 20, tzinfo=ZoneInfo(TZ)),  # just past midnight
    ],
)
def test_demo_dated_now_holds_a_new_incident_and_seeds_only_past_ones(
    tmp_path: Path, local_now: dt.datetime
) -> None:
    now = local_now.astimezone(dt.UTC)
    with Workspace.open(tmp_path) as ws:
        demo = seed_demo(ws, candidates=4, incidents=6, now=now)
        windows = _windows(ws, demo.session_id)
        # An incident recorded now, in the demo, falls inside a subject: no outside-time warning.
        assert any(start <= now <= end for start, end in windows)
        assert during_subjects(now, ws.session(demo.session_id)["subjects"])
        # Every seeded record happened before now (later than now + 5 min is refused), and
        # inside its subject.
        for incident_id in demo.incident_ids:
            occurred = from_utc_text(ws.incident(incident_id)["content"]["occurred_at"])
            assert occurred <= now
            assert any(start <= occurred <= end for start, end in windows)
        assert ws.verify().ok


def test_demo_from_the_start_screen_and_the_command_is_dated_today(tmp_path: Path) -> None:
    from app.ui.start.screen import ensure_demo_session

    with Workspace.open(tmp_path / "app") as ws:
        session_id = ensure_demo_session(ws)
        now = dt.datetime.now(dt.UTC)
        assert any(start <= now <= end for start, end in _windows(ws, session_id))
        # Every staff member of the app's demo signs with the demo PIN, audited and sealed.
        for person in ws.staff(session_id):
            ws.check_pin(person.id, DEMO_PIN)
        assert ws.verify().ok
    assert run(tmp_path / "cli", "demo", "seed", "--candidates", "4", "--incidents", "2") == 0
    with Workspace.open(tmp_path / "cli") as ws:
        seeded = find_demo_session(ws)
        assert seeded is not None
        now = dt.datetime.now(dt.UTC)
        assert any(start <= now <= end for start, end in _windows(ws, seeded))
