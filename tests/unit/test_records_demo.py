"""The demo seed: a realistic session with confirmed incidents across every candidate clause."""

from __future__ import annotations

from pathlib import Path

from app.core.demo.seed import DEMO_FILING_CODE, find_demo_session, seed_demo
from app.core.records.incidents import IncidentFilters
from app.core.records.service import Workspace
from app.core.rosters.idcard import is_valid_resident_id
from app.core.rulebook.model import Party


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
