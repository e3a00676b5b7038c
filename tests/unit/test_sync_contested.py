"""A record resting on a witnessed departure, with a time outside every subject confirmed by
the recorder, travels to the institution in a bundle and verifies there."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.core.demo.seed import DEMO_PIN
from app.core.demo.strokes import synthetic_strokes
from app.core.records.content import IncidentDraft
from app.core.rulebook.model import StaffRole
from app.core.sync.export import export_bundle
from app.core.sync.importing import import_bundles
from tests.support.sync import make_institution, make_laptop

INK = synthetic_strokes("签名")


def test_a_departure_and_a_confirmed_time_arrive_and_verify(
    tmp_path: Path, institution_db: str | None
) -> None:
    inst = make_institution(tmp_path, institution_db)
    laptop = make_laptop(tmp_path, "laptop", "A", inst.kit)
    staff = laptop.staff(inst.session_id)
    a, b = [s for s in staff if s.role == StaffRole.EXAM_ADMIN.value][:2]
    head = next(s for s in staff if s.role == StaffRole.SITE_HEAD.value)
    draft = IncidentDraft(
        party="candidate",
        occurred_at=dt.datetime(2024, 6, 15, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        person_id=laptop.candidates(inst.session_id)[0].id,
        clause="6.1",
        description="午休时在考场内使用手机，考生随即离场",
        time_outside_subjects_confirmed=True,
    )
    incident = laptop.create_incident(inst.session_id, draft).id
    laptop.sign(incident, a.id, INK, DEMO_PIN)
    laptop.sign(incident, b.id, INK, DEMO_PIN)
    laptop.record_departure(incident, [(a.id, INK, DEMO_PIN), (b.id, INK, DEMO_PIN)])
    laptop.confirm(incident, head.id, INK, DEMO_PIN)
    bundle = tmp_path / "1.pdbundle"
    export_bundle(laptop, inst.session_id, bundle, since_last=False)
    (outcome,) = import_bundles(inst.ws, inst.identity, [bundle])
    assert outcome.status == "imported", outcome.message
    arrived = inst.ws.incident(incident)
    assert arrived["content"]["time_outside_subjects_confirmed"] is True
    kinds = sorted(s["kind"] for s in arrived["signatures"])
    assert kinds == ["confirm", "departure_witness", "departure_witness", "staff", "staff"]
    assert inst.ws.verify().ok
