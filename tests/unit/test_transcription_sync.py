"""A transcribed record travels like any other: exported from the site laptop, imported at the
institution with its scan, its seal and its paper marking intact."""

from __future__ import annotations

from pathlib import Path

from app.core.records.transcription import parse_spec, transcribe_paper
from app.core.rulebook.model import StaffRole
from app.core.sync.export import export_bundle
from app.core.sync.importing import IMPORTED, import_bundles
from tests.support.sync import Institution, make_laptop
from tests.support.transcription import HEAD_PIN, write_scan


def test_a_transcribed_record_is_imported_intact(inst: Institution, tmp_path: Path) -> None:
    laptop = make_laptop(tmp_path, "laptop-a", "A", inst.kit)
    try:
        staff = laptop.staff(inst.session_id)
        head = next(s for s in staff if s.role == StaffRole.SITE_HEAD)
        admins = [s for s in staff if s.role == StaffRole.EXAM_ADMIN]
        candidate = laptop.candidates(inst.session_id)[0]
        spec = parse_spec(
            {
                "session": inst.session_id,
                "paper_form_number": "P-0001",
                "person": {"ticket_number": candidate.ticket_number},
                "clause": "6.1",
                "occurred_at": "2024-06-15T09:40",
                "subject": "理论知识",
                "description": "考生使用手机查阅资料。",
                "signed_on_paper": {"staff": [admins[0].staff_number, admins[1].staff_number]},
                "acknowledgement": {"kind": "signed"},
            }
        )
        incident_id = transcribe_paper(laptop, spec, write_scan(tmp_path), head.name, HEAD_PIN).id
        out = tmp_path / "a.pdbundle"
        export_bundle(laptop, inst.session_id, out)
    finally:
        laptop.close()
    outcomes = import_bundles(inst.ws, inst.identity, [out])
    assert [o.status for o in outcomes] == [IMPORTED]
    copy = inst.ws.incident(incident_id)
    assert copy["content"]["transcription"]["paper_form_number"] == "P-0001"
    assert inst.ws.record_problems(incident_id) == []
