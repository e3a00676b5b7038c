"""Drafts, content changes voiding signatures, amendment, voiding, export, returns, evidence."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from app.core.demo.seed import DEMO_PIN, DemoSession
from app.core.records.content import IncidentError, SeizedItem
from app.core.records.evidence import evidence_path
from app.core.records.incidents import IncidentFilters
from app.core.records.service import Workspace
from tests.support.records import INK, confirmed, draft, sign_two


def test_outcome_is_stored_with_rulebook_id_and_version(ws: Workspace, demo: DemoSession) -> None:
    content = ws.incident(ws.create_incident(demo.session_id, draft(demo)).id)["content"]
    assert content["rulebook"] == {"id": "cn-national-2021", "version": "2021.12-1"}
    assert content["outcome"]["clause"] == "5.1"
    assert content["outcome"]["violation"] is True
    assert content["outcome"]["rulebook"] == "cn-national-2021@2021.12-1"
    assert content["room"] == demo.candidates[1].room  # taken from the roster


def test_unchanged_save_keeps_signatures_a_change_voids_them(
    ws: Workspace, demo: DemoSession
) -> None:
    incident = ws.create_incident(demo.session_id, draft(demo)).id
    sign_two(ws, demo, incident)
    ws.update_draft(incident, draft(demo))  # same content: nothing to void
    assert ws.incident(incident)["status"] == "signed"
    ws.update_draft(incident, draft(demo, description="携带手机两部，经提醒拒不交出"))
    detail = ws.incident(incident)
    assert detail["status"] == "draft"
    assert [s["voided"] for s in detail["signatures"]] == [True, True]
    with pytest.raises(IncidentError, match="needs the signatures"):
        ws.confirm(incident, demo.staff["site_head"][0].id, INK, DEMO_PIN)
    sign_two(ws, demo, incident)  # the same two may sign the new content
    ws.acknowledge(incident, INK)
    ws.confirm(incident, demo.staff["site_head"][0].id, INK, DEMO_PIN)
    assert ws.verify().ok


def test_confirmed_record_is_never_edited(ws: Workspace, demo: DemoSession) -> None:
    incident = confirmed(ws, demo)
    with pytest.raises(IncidentError, match="amend it instead"):
        ws.update_draft(incident, draft(demo, clause="5.2"))


def test_export_changes_status_not_signed_content(ws: Workspace, demo: DemoSession) -> None:
    incident = confirmed(ws, demo)
    before = ws.incident(incident)
    ws.mark_exported(incident)
    after = ws.incident(incident)
    assert after["status"] == "exported"
    assert after["content_hash"] == before["content_hash"]
    assert after["seal"] == before["seal"]
    assert ws.verify().ok
    assert [e["action"] for e in after["audit"]][-1] == "export"


def test_amendment_is_a_new_version_and_the_old_stays(ws: Workspace, demo: DemoSession) -> None:
    old = confirmed(ws, demo)
    new = ws.amend(old, draft(demo, clause="5.2", description="擅自离座，经提醒拒不改正"))
    assert (new.number, new.version, new.supersedes_id) == (ws.incident(old)["number"], 2, old)
    assert new.status == "draft"
    with pytest.raises(IncidentError, match="already has an amendment"):
        ws.amend(old, draft(demo))
    listed = ws.list_incidents(IncidentFilters())
    assert [(r.id, r.version) for r in listed] == [(new.id, 2)]
    everything = ws.list_incidents(IncidentFilters(current_only=False))
    assert {r.id for r in everything} == {old, new.id}
    assert ws.incident(old)["content"]["clause"] == "5.1"  # old version still readable
    assert ws.incident(f"{new.number}/1")["id"] == old
    assert ws.incident(new.number)["id"] == new.id  # the number alone: newest version
    sign_two(ws, demo, new.id)
    ws.acknowledge(new.id, INK)
    ws.confirm(new.id, demo.staff["site_head"][0].id, INK, DEMO_PIN)
    assert ws.incident(new.id)["content"]["supersedes"] == old
    assert ws.verify().ok


def test_amendment_reason_is_audited_and_a_blank_one_refused(
    ws: Workspace, demo: DemoSession
) -> None:
    from app.core.records.amendment_reason import amendment_reason

    old = confirmed(ws, demo)
    with pytest.raises(IncidentError, match="give the reason"):
        ws.amend(old, draft(demo), reason="   ")
    new = ws.amend(old, draft(demo), reason=" 座位号记错 ")
    assert amendment_reason(ws, new.id) == "座位号记错"
    assert amendment_reason(ws, old) is None
    assert ws.verify().ok


def test_voiding_needs_a_reason_and_the_site_head(ws: Workspace, demo: DemoSession) -> None:
    incident = ws.create_incident(demo.session_id, draft(demo)).id
    head = demo.staff["site_head"][0]
    with pytest.raises(IncidentError, match="give the reason"):
        ws.void(incident, head.id, "  ", DEMO_PIN)
    with pytest.raises(IncidentError, match="only the site head"):
        ws.void(incident, demo.staff["exam_admin"][0].id, "录入错误", DEMO_PIN)
    ws.void(incident, head.id, "录入错误，考生座位记错", DEMO_PIN)
    detail = ws.incident(incident)
    assert (detail["status"], detail["void_reason"]) == ("void", "录入错误，考生座位记错")
    with pytest.raises(IncidentError, match="no more signatures"):
        ws.sign(incident, demo.staff["exam_admin"][0].id, INK, DEMO_PIN)


def test_voiding_an_amendment_makes_the_old_version_current(
    ws: Workspace, demo: DemoSession
) -> None:
    old = confirmed(ws, demo)
    new = ws.amend(old, draft(demo, description="补充说明"))
    ws.void(new.id, demo.staff["site_head"][0].id, "修改有误", DEMO_PIN)
    listed = {r.id: r.status for r in ws.list_incidents(IncidentFilters())}
    assert listed == {old: "confirmed", new.id: "void"}
    assert ws.incident(old)["superseded_by"] is None
    again = ws.amend(old, draft(demo, description="再次补充"))
    assert again.version == 3


def test_seized_item_return_is_recorded_outside_the_signed_content(
    ws: Workspace, demo: DemoSession
) -> None:
    incident = confirmed(ws, demo)
    before = ws.incident(incident)["content_hash"]
    staff = demo.staff["exam_admin"][2].id
    with pytest.raises(IncidentError, match="no seized item with receipt R-999"):
        ws.record_return(incident, "R-999", "本人", staff, INK, DEMO_PIN)
    ws.record_return(incident, "R-001", demo.candidates[1].name, staff, INK, DEMO_PIN)
    with pytest.raises(IncidentError, match="already returned"):
        ws.record_return(incident, "R-001", demo.candidates[1].name, staff, INK, DEMO_PIN)
    detail = ws.incident(incident)
    assert [r["returned_to"] for r in detail["returns"]] == [demo.candidates[1].name]
    assert detail["content_hash"] == before
    assert ws.verify().ok


def test_a_return_holds_for_the_versions_that_amend_the_record(
    ws: Workspace, demo: DemoSession
) -> None:
    """The phone was handed back on version 1: version 2 says so and cannot return it
    again."""
    old = confirmed(ws, demo)
    staff = demo.staff["exam_admin"][2].id
    ws.record_return(old, "R-001", demo.candidates[1].name, staff, INK, DEMO_PIN)
    new = ws.amend(old, draft(demo, description="携带手机一部，经提醒拒不交出，已暂扣"))
    sign_two(ws, demo, new.id)
    ws.acknowledge(new.id, INK)
    ws.confirm(new.id, demo.staff["site_head"][0].id, INK, DEMO_PIN)
    returns = ws.incident(new.id)["returns"]
    assert [(r["receipt_number"], r["returned_to"]) for r in returns] == [
        ("R-001", demo.candidates[1].name)
    ]
    with pytest.raises(IncidentError, match="already returned"):
        ws.record_return(new.id, "R-001", "别人", staff, INK, DEMO_PIN)
    assert ws.verify().ok


@pytest.mark.parametrize(
    "items",
    [
        (SeizedItem("手机一部", ""),),
        (SeizedItem("手机一部", "R-1"), SeizedItem("智能手表一块", "R-1")),
    ],
)
def test_seized_items_need_a_distinct_receipt_number_before_signing(
    ws: Workspace, demo: DemoSession, items: tuple[SeizedItem, ...]
) -> None:
    """A return names its item by receipt number: a blank or shared one would hand back
    several items at once."""
    incident = ws.create_incident(demo.session_id, draft(demo, seized_items=items)).id
    with pytest.raises(IncidentError, match="seized items: a distinct receipt number each"):
        ws.sign(incident, demo.staff["exam_admin"][0].id, INK, DEMO_PIN)


def test_evidence_is_stored_once_by_sha256_and_size_limited(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    photo = tmp_path / "phone.jpg"
    photo.write_bytes(b"\xff\xd8 not really a jpeg " * 100)
    first = ws.create_incident(demo.session_id, draft(demo)).id
    second = ws.create_incident(demo.session_id, draft(demo, clause="5.4", facts={})).id
    sign_two(ws, demo, first)
    ws.attach_evidence(first, photo)
    ws.attach_evidence(second, photo, name="同一照片")
    content = ws.incident(first)["content"]
    [entry] = content["evidence"]
    assert entry["media_type"] == "image/jpeg" and entry["size"] == photo.stat().st_size
    stored = evidence_path(ws.data_dir, entry["sha256"])
    assert stored.read_bytes() == photo.read_bytes()
    assert not stored.stat().st_mode & stat.S_IWUSR
    assert len(list((ws.data_dir / "evidence").rglob("*"))) == 2  # one folder, one file
    assert ws.incident(first)["status"] == "draft"  # attaching changed the signed content
    with pytest.raises(IncidentError, match="already attached"):
        ws.attach_evidence(first, photo)
    ws.evidence_limit = 100
    with pytest.raises(IncidentError, match="the limit is"):
        ws.attach_evidence(first, tmp_path / "phone.jpg")
    assert ws.verify().ok
    stored.chmod(0o644)
    stored.write_bytes(b"swapped")
    assert any("has changed" in p.reason for p in ws.verify().problems)


def test_paper_numbers_never_collide_between_devices(ws: Workspace, demo: DemoSession) -> None:
    numbers = [ws.create_incident(demo.session_id, draft(demo)).number for _ in range(2)]
    code = ws.device.code
    ws.set_device_code("Z" if code != "Z" else "Y")
    numbers.append(ws.create_incident(demo.session_id, draft(demo)).number)
    other = "Z" if code != "Z" else "Y"
    assert numbers == [f"{code}-001", f"{code}-002", f"{other}-001"]
