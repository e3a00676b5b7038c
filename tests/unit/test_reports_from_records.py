"""Report views built from a real workspace: signatures sorted by kind, refusals, amendments,
void records, session counts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from app.core.demo.seed import DEMO_PIN, DemoSession, seed_demo
from app.core.records.service import Workspace
from app.core.reports.from_records import (
    blank_form_view,
    incident_view,
    session_summary_view,
    stored_content_hash,
)
from app.core.rulebook.model import StaffRole


@pytest.fixture()
def demo(tmp_path: Path) -> Iterator[tuple[Workspace, DemoSession]]:
    with Workspace.open(tmp_path) as workspace:
        yield workspace, seed_demo(workspace, candidates=30)


def _details(workspace: Workspace, session: DemoSession) -> list[dict[str, Any]]:
    return [workspace.incident(i) for i in session.incident_ids]


def test_confirmed_candidate_record_has_every_signature_in_its_place(
    demo: tuple[Workspace, DemoSession],
) -> None:
    workspace, session = demo
    detail = next(
        d
        for d in _details(workspace, session)
        if any(s["kind"] == "acknowledge" for s in d["signatures"])
    )
    view = incident_view(workspace, detail["id"])
    assert view.record_id == detail["id"]
    assert view.content_hash == detail["content_hash"]
    assert view.rulebook_label.startswith("cn-national-2021@")
    assert len(view.staff_signatures) == 2
    assert {s.role for s in view.staff_signatures} == {"考务管理人员"}
    assert view.acknowledgement is not None and not view.acknowledgement.refused
    assert view.acknowledgement.signature is not None
    assert view.acknowledgement.signature.role == "参评人员"
    assert view.site_head is not None
    assert view.site_head.signature.role == "考场负责人"
    assert all(stroke for s in view.staff_signatures for stroke in s.strokes)
    pressures = [p[3] for s in view.staff_signatures for st in s.strokes for p in st]
    assert all(0.0 <= p <= 1.0 for p in pressures)
    assert view.clause is not None
    rulebook = workspace.rulebook("cn-national-2021")
    clause = rulebook.clause(detail["content"]["clause"])
    assert view.clause.article_head_zh == rulebook.article_of(clause).head_zh
    assert view.clause.clause_text_zh == clause.text_zh
    assert view.handling is not None
    assert list(view.handling.measures_zh) == [
        m["zh"] for m in detail["content"]["outcome"]["measures"]
    ]
    assert view.person.id_number == detail["content"]["person"]["id_number"]
    assert view.notice == ""  # confirmed: nothing to warn about


def test_refusal_is_witnessed_by_two_staff(demo: tuple[Workspace, DemoSession]) -> None:
    workspace, session = demo
    detail = next(
        d
        for d in _details(workspace, session)
        if any(s["kind"] == "refusal_witness" for s in d["signatures"])
    )
    view = incident_view(workspace, detail["id"])
    assert view.acknowledgement is not None
    assert view.acknowledgement.refused
    assert view.acknowledgement.signature is None
    assert len(view.acknowledgement.witnesses) == 2


def test_amendment_names_the_version_it_supersedes(demo: tuple[Workspace, DemoSession]) -> None:
    workspace, session = demo
    first = session.incident_ids[0]
    draft = replace(workspace.draft_of(first), description="更正后的事实描述")
    amended = workspace.amend(first, draft)
    view = incident_view(workspace, amended.id)
    assert view.version == 2
    assert view.supersedes_version == 1
    assert view.facts == "更正后的事实描述"
    assert view.staff_signatures == []  # the new version needs its own signatures
    assert "草稿" in view.notice
    old = incident_view(workspace, first)
    assert "已被更正版本替代" in old.notice
    assert view.amendment_reason == ""  # amended without a reason through the bare API


def test_amended_report_carries_the_reason(demo: tuple[Workspace, DemoSession]) -> None:
    workspace, session = demo
    first = session.incident_ids[1]
    amended = workspace.amend(first, workspace.draft_of(first), reason="补充考生陈述")
    assert incident_view(workspace, amended.id).amendment_reason == "补充考生陈述"


def test_void_record_says_so_with_its_reason(demo: tuple[Workspace, DemoSession]) -> None:
    workspace, session = demo
    head = session.staff[StaffRole.SITE_HEAD][0]
    target = next(
        d for d in _details(workspace, session) if d["content"]["person"]["id"] != head.id
    )
    workspace.void(target["id"], head.id, "重复录入", DEMO_PIN)
    view = incident_view(workspace, target["id"])
    assert "已作废" in view.notice and "重复录入" in view.notice
    summary = session_summary_view(workspace, session.session_id)
    line = next(li for li in summary.incidents if li.record_id == target["id"])
    assert line.signature_status.startswith("已作废")


def test_session_summary_counts_rooms_incidents_and_articles(
    demo: tuple[Workspace, DemoSession],
) -> None:
    workspace, session = demo
    view = session_summary_view(workspace, session.session_id[:6])
    assert len(view.incidents) == len(session.incident_ids)
    assert sum(r.candidates for r in view.rooms) == 30
    assert sum(n for _, n in view.counts_by_article()) == len(session.incident_ids)
    assert all(line.complete for line in view.incidents)  # the demo confirms every record
    assert {s.name for s in view.staff} == {
        p.name for people in session.staff.values() for p in people
    }
    assert view.rulebook_label.startswith("cn-national-2021@")


def test_blank_form_lists_rooms_and_candidate_clauses(
    demo: tuple[Workspace, DemoSession],
) -> None:
    workspace, session = demo
    view = blank_form_view(workspace, session.session_id)
    assert view.rooms == tuple(r["name"] for r in workspace.session(session.session_id)["rooms"])
    ids = [cid for cid, _ in view.clause_hints]
    assert "5.1" in ids and "6.1" in ids
    assert not any(cid.startswith("9.") for cid in ids)  # staff clauses are not for candidates


def test_stored_content_hash_is_none_for_an_unknown_record(
    demo: tuple[Workspace, DemoSession],
) -> None:
    workspace, session = demo
    first = session.incident_ids[0]
    assert stored_content_hash(workspace, first) == workspace.incident(first)["content_hash"]
    assert stored_content_hash(workspace, "00000000-no-such-record") is None


def test_the_report_prints_the_sitting_as_sealed_with_the_record(
    demo: tuple[Workspace, DemoSession],
) -> None:
    """Site, institution, occupation and level are part of the signed content: editing the
    session's tables afterwards does not change what the signed report says."""
    import sqlite3

    from app.core.records.db import DB_FILE

    workspace, session = demo
    record = session.incident_ids[0]
    before = incident_view(workspace, record).session
    con = sqlite3.connect(workspace.data_dir / DB_FILE)
    with con:
        con.execute("UPDATE exam_session SET site_name = '伪造考点', level = '一级/高级技师'")
        con.execute("UPDATE institution SET name = '伪造机构', filing_code = 'X0000'")
    con.close()
    after = incident_view(workspace, record).session
    assert after == before
    assert after.site_name != "伪造考点" and after.institution_name != "伪造机构"
    content = workspace.incident(record)["content"]
    assert content["session"]["site"]["name"] == before.site_name
    assert content["session"]["institution"]["filing_code"] == before.filing_code
