"""The incident window offers the person's copy of a confirmed record only: a draft or void
record has no signed candidate copy (the core refuses it too)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.demo.seed import DEMO_PIN, DemoSession, seed_demo
from app.core.records.service import Workspace
from app.ui.incident.window import IncidentWindow
from tests.support.records import confirmed, draft


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace.open(tmp_path / "data") as workspace:
        yield workspace


@pytest.fixture
def demo(ws: Workspace) -> DemoSession:
    return seed_demo(ws, candidates=4, incidents=0)


def open_window(qtbot: QtBot, ws: Workspace, demo: DemoSession, record: str) -> IncidentWindow:
    head = demo.staff["site_head"][0]
    window = IncidentWindow(ws, demo.session_id, incident_id=record, operator_id=head.id)
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_candidates_copy_is_offered_for_a_confirmed_record_only(
    qtbot: QtBot, ws: Workspace, demo: DemoSession
) -> None:
    unsigned = ws.create_incident(demo.session_id, draft(demo)).id
    window = open_window(qtbot, ws, demo, unsigned)
    assert window.institution_copy_action.isEnabled()
    assert not window.candidate_copy_action.isEnabled()
    window.close()
    record = confirmed(ws, demo)
    window = open_window(qtbot, ws, demo, record)
    assert window.candidate_copy_action.isEnabled()
    window.close()
    ws.void(record, demo.staff["site_head"][0].id, "重复录入", DEMO_PIN)
    window = open_window(qtbot, ws, demo, record)
    assert window.institution_copy_action.isEnabled()
    assert not window.candidate_copy_action.isEnabled()
