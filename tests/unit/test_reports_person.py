"""Who the record is about, as the data holds it: a candidate's document by its type (a passport
number is not printed under 身份证件号码), the site's address, a staff member's staff number
labelled as such and their employer where the staff list names one, an institution's filing
code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.core.demo.seed import DemoSession
from app.core.records.content import IncidentDraft
from app.core.records.service import Workspace
from app.core.reports.from_records import id_type_label, incident_view
from app.core.reports.incident import build_incident_pdf
from app.core.reports.views import Copy
from app.core.rosters.rows import CandidateRow
from tests.support.pdf import flat_pdf_text
from tests.support.records import WHEN, draft

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def text_of(pdf: bytes, folder: Path, name: str) -> str:
    path = folder / name
    path.write_bytes(pdf)
    return flat_pdf_text(path)


def passport_holder(ws: Workspace, demo: DemoSession) -> str:
    room, seats = next(iter(ws.rooms(demo.session_id).items()))
    row = CandidateRow("李安娜", "passport", "E12345678", "2406150999", room, seats, None)
    ws.import_candidates(demo.session_id, [row])
    return next(c.id for c in ws.candidates(demo.session_id) if c.id_number == "E12345678")


def test_a_passport_number_is_printed_as_a_passport_number(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    person = passport_holder(ws, demo)
    record = ws.create_incident(demo.session_id, draft(demo, person_id=person)).id
    view = incident_view(ws, record)
    text = text_of(build_incident_pdf(view), tmp_path, "passport.pdf")
    assert "证件类型护照" in text
    assert "证件号码E12345678" in text
    assert "身份证件号码" not in text
    masked = text_of(build_incident_pdf(view, Copy.CANDIDATE), tmp_path, "masked.pdf")
    assert "证件类型护照" in masked and "E12345678" not in masked


def test_a_resident_id_says_so(ws: Workspace, demo: DemoSession, tmp_path: Path) -> None:
    record = ws.create_incident(demo.session_id, draft(demo)).id
    text = text_of(build_incident_pdf(incident_view(ws, record)), tmp_path, "resident.pdf")
    assert "证件类型居民身份证" in text
    assert id_type_label(None) == "证件"  # a record from before document types were kept
    assert id_type_label("student_card") == "student_card"  # printed as stored


def test_the_site_address_is_printed(ws: Workspace, demo: DemoSession, tmp_path: Path) -> None:
    record = ws.create_incident(demo.session_id, draft(demo)).id
    text = text_of(build_incident_pdf(incident_view(ws, record)), tmp_path, "site.pdf")
    address = ws.session(demo.session_id)["site"]["address"]
    assert address
    assert "考点地址" + "".join(address.split()) in text


def test_a_staff_member_is_shown_with_the_staff_number_under_its_own_label(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    admin = demo.staff["exam_admin"][0]
    staff_draft = IncidentDraft(
        party="staff",
        occurred_at=WHEN,
        person_id=admin.id,
        clause="9.2",
        description="未按规定按时分发试卷",
    )
    record = ws.create_incident(demo.session_id, staff_draft).id
    text = text_of(build_incident_pdf(incident_view(ws, record)), tmp_path, "staff.pdf")
    assert f"工号/证书编号{admin.staff_number}" in text
    assert f"单位工号{admin.staff_number}" not in text  # no longer passed off as an employer
    assert "准考证号" not in text and "证件号码" not in text
    assert "工作单位" not in text  # this staff list names no employer


def test_a_staff_members_employer_is_printed_where_the_staff_list_names_one(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    from app.core.rosters.rows import StaffRow

    row = StaffRow("周外聘", "exam_admin", "KP-0099", None, 0, "广州市技师学院")
    ws.import_staff(demo.session_id, [row])
    assessor = next(s for s in ws.staff(demo.session_id) if s.staff_number == "KP-0099")
    staff_draft = IncidentDraft(
        party="staff",
        occurred_at=WHEN,
        person_id=assessor.id,
        clause="9.2",
        description="未按规定按时分发试卷",
    )
    record = ws.create_incident(demo.session_id, staff_draft).id
    text = text_of(build_incident_pdf(incident_view(ws, record)), tmp_path, "employer.pdf")
    assert "工作单位广州市技师学院" in text
    assert "工号/证书编号KP-0099" in text
    assert ws.verify().ok  # a staff row with an employer is vouched for like any other


def test_an_institution_is_shown_with_its_filing_code(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    inst_draft = IncidentDraft(
        party="institution",
        occurred_at=WHEN,
        clause="13.1",
        description="未按规定开展质量督导",
        noted_by=demo.staff["supervisor"][0].id,
    )
    record = ws.create_incident(demo.session_id, inst_draft).id
    text = text_of(build_incident_pdf(incident_view(ws, record)), tmp_path, "inst.pdf")
    institution = ws.session(demo.session_id)["institution"]
    assert f"名称{institution['name']}身份评价机构" in text
    assert "准考证号" not in text and "证件号码" not in text
