"""``incident show`` says what a contested record rests on: the witnessed departure of the
candidate, and a time outside every subject's exam time as the recorder confirmed it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.core.demo.seed import DEMO_PIN, seed_demo
from app.core.demo.strokes import synthetic_strokes
from app.core.records.content import IncidentDraft
from app.core.records.service import Workspace
from tests.support.cli import Run

INK = synthetic_strokes("签名")


def test_show_names_the_departure_and_the_confirmed_time(cli: Run, data_dir: Path) -> None:
    with Workspace.open(data_dir) as ws:
        demo = seed_demo(ws, candidates=4, incidents=0)
        draft = IncidentDraft(
            party="candidate",
            occurred_at=dt.datetime(2024, 6, 15, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))),
            person_id=demo.candidates[0].id,
            clause="6.1",
            description="午休时在考场内使用手机",
            time_outside_subjects_confirmed=True,
        )
        incident = ws.create_incident(demo.session_id, draft)
        a, b = demo.staff["exam_admin"][:2]
        ws.sign(incident.id, a.id, INK, DEMO_PIN)
        ws.sign(incident.id, b.id, INK, DEMO_PIN)
        ws.record_departure(incident.id, [(a.id, INK, DEMO_PIN), (b.id, INK, DEMO_PIN)])
        ws.confirm(incident.id, demo.staff["site_head"][0].id, INK, DEMO_PIN)
    status, out, _ = cli("incident", "show", incident.number)
    assert status == 0
    assert "time outside every subject's exam time, confirmed by the recorder" in out
    assert out.count("signature departure_witness:") == 2
    status, out, _ = cli("verify")
    assert status == 0, out
