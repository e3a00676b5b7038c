"""Paper first, app later: a paper record transcribed with its scan is confirmed and sealed,
marked as transcribed, and refused whenever the paper or the request breaks a rule."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from app.core.demo.seed import DemoSession
from app.core.records.content import draft_from_content
from app.core.records.evidence import evidence_path
from app.core.records.people import PinError
from app.core.records.service import Workspace
from app.core.records.transcription import (
    MAX_JSON_BYTES,
    TranscriptionError,
    parse_spec,
    parse_spec_text,
    read_spec,
    transcribe_paper,
)
from tests.support.records import newcomer
from tests.support.transcription import (
    HEAD_PIN,
    give_head_pin,
    paper_record,
    write_scan,
)


def _transcribe(
    ws: Workspace, demo: DemoSession, tmp_path: Path, pin: str = HEAD_PIN, **changes: Any
) -> str:
    head = give_head_pin(ws, demo) if not _has_pin(ws, demo) else demo.staff["site_head"][0].name
    spec = parse_spec(paper_record(demo, **changes))
    return transcribe_paper(ws, spec, write_scan(tmp_path), head, pin).id


def _has_pin(ws: Workspace, demo: DemoSession) -> bool:
    head = demo.staff["site_head"][0]
    return any(s.id == head.id and s.pin_hash for s in ws.staff(demo.session_id))


def test_a_transcribed_record_is_confirmed_sealed_and_marked(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    incident_id = _transcribe(ws, demo, tmp_path)
    detail = ws.incident(incident_id)
    content = detail["content"]
    admins = demo.staff["exam_admin"]
    head = demo.staff["site_head"][0]
    assert detail["status"] == "confirmed" and detail["seal"]
    marking = content["transcription"]
    assert marking["paper_form_number"] == "P-0007"
    assert [s["name"] for s in marking["staff_signed_on_paper"]] == [admins[0].name, admins[1].name]
    assert marking["acknowledgement"] == {"kind": "signed", "witnesses": []}
    assert marking["transcribed_by"]["name"] == head.name
    # The scan is the record's evidence, stored by its SHA-256.
    (entry,) = content["evidence"]
    assert entry["sha256"] == marking["scan_sha256"]
    assert entry["name"] == "纸质记录表扫描件 · form-P-0007.pdf"
    assert evidence_path(ws.data_dir, entry["sha256"]).read_bytes().startswith(b"%PDF")
    # No handwriting is invented: one signature, the site head's confirmation, without strokes.
    (signature,) = detail["signatures"]
    assert (signature["kind"], signature["signer_name"]) == ("confirm", head.name)
    assert signature["strokes"] == []
    assert ws.record_problems(incident_id) == []
    assert ws.verify().ok
    assert content["occurred_at"].startswith("2024-06-15T01:30:00")  # 09:30 in Asia/Shanghai


def test_the_audit_log_names_the_paper_form(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    incident_id = _transcribe(ws, demo, tmp_path)
    entries = [e for e in _log(ws) if e["incident_id"] == incident_id]
    actions = [e["action"] for e in entries]
    assert actions == ["create", "confirm"]
    assert all(e["details"]["transcribed_from"] == "P-0007" for e in entries)


@pytest.mark.parametrize("kind", ["refused", "departed"])
def test_a_refusal_or_departure_needs_two_witnesses(
    ws: Workspace, demo: DemoSession, tmp_path: Path, kind: str
) -> None:
    admins = demo.staff["exam_admin"]
    one = {"kind": kind, "witnesses": [admins[0].name]}
    with pytest.raises(TranscriptionError, match=r"acknowledgement.witnesses: two different"):
        _transcribe(ws, demo, tmp_path, acknowledgement=one)
    two = {"kind": kind, "witnesses": [admins[0].name, admins[2].staff_number]}
    incident_id = _transcribe(ws, demo, tmp_path, acknowledgement=two)
    ack = ws.incident(incident_id)["content"]["transcription"]["acknowledgement"]
    assert ack["kind"] == kind
    assert [w["name"] for w in ack["witnesses"]] == [admins[0].name, admins[2].name]


def test_the_site_head_pin_authorises_it(ws: Workspace, demo: DemoSession, tmp_path: Path) -> None:
    with pytest.raises(PinError, match="wrong PIN"):
        _transcribe(ws, demo, tmp_path, pin="0000")
    head = demo.staff["site_head"][0]
    entries = [e for e in _log(ws) if e["action"] == "pin_failed"]
    assert entries and entries[-1]["actor_id"] == head.id
    assert ws.list_incidents(_filters(demo)) == []
    with pytest.raises(PinError, match="has a PIN"):
        _transcribe(ws, demo, tmp_path, pin="")


def test_a_site_head_without_pin_or_another_role_is_refused(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    spec = parse_spec(paper_record(demo))
    head = newcomer(ws, demo.session_id, "site_head")
    with pytest.raises(TranscriptionError, match="has no PIN"):
        transcribe_paper(ws, spec, write_scan(tmp_path), head.name, "1234")
    admin = demo.staff["exam_admin"][0]
    with pytest.raises(TranscriptionError, match="is exam_admin; the site head transcribes"):
        transcribe_paper(ws, spec, write_scan(tmp_path), admin.name, "1234")
    with pytest.raises(TranscriptionError, match="no staff member '某某'"):
        transcribe_paper(ws, spec, write_scan(tmp_path), "某某", "1234")


def test_two_staff_other_than_the_site_head_sign(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    admins = demo.staff["exam_admin"]
    head = demo.staff["site_head"][0]
    with pytest.raises(TranscriptionError, match="two different staff"):
        _transcribe(ws, demo, tmp_path, signed_on_paper={"staff": [admins[0].name]})
    with pytest.raises(TranscriptionError, match="is the site head"):
        _transcribe(ws, demo, tmp_path, signed_on_paper={"staff": [admins[0].name, head.name]})
    with pytest.raises(TranscriptionError, match=r"signed_on_paper.staff: no staff member"):
        _transcribe(ws, demo, tmp_path, signed_on_paper={"staff": [admins[0].name, "无名"]})


def test_the_person_is_found_by_ticket_or_id_number(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    candidate = demo.candidates[2]
    incident_id = _transcribe(ws, demo, tmp_path, person={"id_number": candidate.id_number.lower()})
    assert ws.incident(incident_id)["content"]["person"]["id"] == candidate.id
    with pytest.raises(TranscriptionError, match="no candidate with ticket number 999"):
        _transcribe(ws, demo, tmp_path, paper_form_number="P-9", person={"ticket_number": "999"})


def test_times_later_than_now_are_refused_and_outside_subjects_confirmed(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M%z")
    with pytest.raises(TranscriptionError, match=r"occurred_at: .* is later than now"):
        _transcribe(ws, demo, tmp_path, occurred_at=tomorrow)
    with pytest.raises(TranscriptionError, match="confirmation of a time outside every subject"):
        _transcribe(ws, demo, tmp_path, occurred_at="2024-06-15T12:00", subject=None)
    incident_id = _transcribe(
        ws,
        demo,
        tmp_path,
        occurred_at="2024-06-15T12:00+08:00",
        subject=None,
        time_outside_subjects_confirmed=True,
    )
    content = ws.incident(incident_id)["content"]
    assert content["time_outside_subjects_confirmed"] is True


@pytest.mark.parametrize("when", ["2024-06-15", "9:30", "2024-06-15T25:00", "yesterday"])
def test_the_time_is_a_date_and_a_time(
    ws: Workspace, demo: DemoSession, tmp_path: Path, when: str
) -> None:
    with pytest.raises(TranscriptionError, match=f"occurred_at: '{when}' is not a time"):
        _transcribe(ws, demo, tmp_path, occurred_at=when)


def test_a_paper_form_is_transcribed_once(ws: Workspace, demo: DemoSession, tmp_path: Path) -> None:
    first = _transcribe(ws, demo, tmp_path)
    number = ws.incident(first)["number"]
    with pytest.raises(TranscriptionError, match=f"already transcribed as record {number}"):
        _transcribe(ws, demo, tmp_path)


def test_facts_the_clause_needs_are_required(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    with pytest.raises(TranscriptionError, match="the paper record lacks facts"):
        _transcribe(ws, demo, tmp_path, facts=None)


def test_an_amendment_is_signed_in_the_app_and_keeps_the_scan(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    incident_id = _transcribe(ws, demo, tmp_path)
    content = ws.incident(incident_id)["content"]
    draft = dataclasses.replace(draft_from_content(content), description="更正：携带手机一部")
    amended = ws.amend(incident_id, draft, reason="誊录笔误")
    new = ws.incident(amended.id)["content"]
    assert "transcription" not in new  # its signatures will be the app's own
    assert new["evidence"] == content["evidence"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"colour": "red"}, "transcription: unknown key 'colour'"),
        ({"person": {"name": "王某"}}, "person: unknown key 'name'"),
        ({"person": {}}, "person: give exactly one of ticket_number or id_number"),
        ({"clause": 5.1}, "clause: give text, not a number"),
        ({"seat": "3"}, "seat: give a whole number, not text"),
        ({"facts": {"mood": "calm"}}, "facts: unknown key 'mood'"),
        ({"acknowledgement": {"kind": "maybe"}}, 'acknowledgement.kind: "maybe"; use signed'),
        ({"acknowledgement": {"kind": "signed", "witnesses": ["a"]}}, "only a refusal"),
        ({"signed_on_paper": {}}, "signed_on_paper.staff: missing"),
        ({"signed_on_paper": {"staff": ["a", "a"]}}, "a name is given twice"),
        ({"paper_form_number": "  "}, "paper_form_number: empty"),
        ({"paper_form_number": "P\n1"}, "paper_form_number: contains a control character"),
        ({"schema": "other/1"}, "schema: 'other/1' is not"),
        ({"time_outside_subjects_confirmed": "yes"}, "give true or false"),
        ({"description": None}, "description: missing"),
    ],
)
def test_the_file_is_checked_strictly(
    demo: DemoSession, change: dict[str, Any], message: str
) -> None:
    with pytest.raises(TranscriptionError) as raised:
        parse_spec(paper_record(demo, **change))
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_the_text_is_json_once_per_key_and_size_limited(tmp_path: Path) -> None:
    with pytest.raises(TranscriptionError, match=r"not valid JSON \(line 1, column 2"):
        parse_spec_text(b"{oops}")
    with pytest.raises(TranscriptionError, match="key 'clause' given twice"):
        parse_spec_text(b'{"clause": "5.1", "clause": "5.2"}')
    with pytest.raises(TranscriptionError, match="not UTF-8"):
        parse_spec_text('{"clause": "五"}'.encode("gb18030"))
    with pytest.raises(TranscriptionError, match="give an object"):
        parse_spec_text(b"[1, 2]")
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (MAX_JSON_BYTES + 1))
    with pytest.raises(TranscriptionError, match="at most 262144 bytes"):
        read_spec(big)
    with pytest.raises(TranscriptionError, match="no such file"):
        read_spec(tmp_path / "missing.json")


def test_the_scan_must_be_a_scan(ws: Workspace, demo: DemoSession, tmp_path: Path) -> None:
    head = give_head_pin(ws, demo)
    spec = parse_spec(paper_record(demo))
    exe = tmp_path / "form.exe"
    exe.write_bytes(b"MZ")
    with pytest.raises(TranscriptionError, match=r"scan: form.exe: give the scan as PDF"):
        transcribe_paper(ws, spec, exe, head, HEAD_PIN)
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(TranscriptionError, match=r"scan: empty.pdf is empty"):
        transcribe_paper(ws, spec, empty, head, HEAD_PIN)
    assert not (ws.data_dir / "evidence").exists() or not any((ws.data_dir / "evidence").rglob("*"))


def _log(ws: Workspace) -> list[dict[str, Any]]:
    from sqlmodel import select

    from app.core.records.tables import AuditEntry

    with ws.reading() as db:
        return [
            {
                "action": e.action,
                "actor_id": e.actor_id,
                "incident_id": e.incident_id,
                "details": json.loads(e.details_json),
            }
            for e in db.exec(select(AuditEntry)).all()
        ]


def _filters(demo: DemoSession) -> Any:
    from app.core.records.incidents import IncidentFilters

    return IncidentFilters(session_id=demo.session_id)


def test_the_documented_example_is_a_valid_file() -> None:
    import re

    docs = Path(__file__).resolve().parents[2] / "docs" / "transcription.md"
    (example,) = re.findall(r"```json\n(.*?)```", docs.read_text(encoding="utf-8"), flags=re.S)
    spec = parse_spec_text(example.encode("utf-8"))
    assert spec.paper_form_number == "P-0007"
    assert spec.acknowledgement == "refused" and len(spec.witnesses) == 2
