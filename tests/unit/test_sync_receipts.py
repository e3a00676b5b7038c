"""Import receipts: issued by the institution for an imported bundle, accepted by the laptop
that wrote it; then, and only then, the session's personal data can be purged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.records.evidence import evidence_path
from app.core.records.service import Workspace
from app.core.sync.export import export_bundle
from app.core.sync.importing import import_bundles
from app.core.sync.receipts import ReceiptError, accept_receipt, issue_receipt, purge_session
from app.core.trust.institution import init_institution
from tests.support.sync import (
    Institution,
    dump,
    record_incident,
)


def _exported_and_imported(inst: Institution, laptop: Workspace, out: Path) -> str:
    bundle_id = export_bundle(laptop, inst.session_id, out).receipt.bundle_id
    assert import_bundles(inst.ws, inst.identity, [out])[0].status == "imported"
    return bundle_id


def test_receipt_then_purge_keeps_the_receipt(
    inst: Institution, laptop: Workspace, tmp_path: Path
) -> None:
    photo = tmp_path / "p.jpg"
    photo.write_bytes(b"\xff\xd8" + b"p" * 500)
    incident_id = record_incident(laptop, inst.session_id, 0, evidence=photo)
    sha = laptop.incident(incident_id)["content"]["evidence"][0]["sha256"]
    with pytest.raises(ReceiptError, match="nothing of this session was exported"):
        purge_session(laptop, inst.session_id)
    bundle_id = _exported_and_imported(inst, laptop, tmp_path / "a.pdbundle")
    with pytest.raises(ReceiptError, match="has not yet confirmed"):
        purge_session(laptop, inst.session_id)
    receipt = issue_receipt(inst.ws, inst.identity, bundle_id)
    accepted = accept_receipt(laptop, receipt)
    assert accepted.bundle_id == bundle_id
    kit_rows = [line for line in dump(laptop) if line.startswith("register_kit_")]
    assert kit_rows  # the kit's screening of its roster, kept with the session
    result = purge_session(laptop, inst.session_id)
    assert (result.incidents, result.evidence_files) == (1, 1)
    assert laptop.candidates(inst.session_id) == [] and laptop.staff(inst.session_id) == []
    assert [line for line in dump(laptop) if line.startswith("register_kit_")] == []
    assert not evidence_path(laptop.data_dir, sha).exists()
    with pytest.raises(ReceiptError, match="already purged"):
        purge_session(laptop, inst.session_id)
    from app.core.records.exchange_tables import PurgedSession

    with laptop.reading() as db:
        row = db.get(PurgedSession, inst.session_id)
    assert row is not None
    assert json.loads(row.receipts_json)[0]["bundle_id"] == bundle_id


def test_purge_refused_when_records_changed_after_the_receipted_bundle(
    inst: Institution, laptop: Workspace, tmp_path: Path
) -> None:
    record_incident(laptop, inst.session_id, 0)
    bundle_id = _exported_and_imported(inst, laptop, tmp_path / "a.pdbundle")
    accept_receipt(laptop, issue_receipt(inst.ws, inst.identity, bundle_id))
    record_incident(laptop, inst.session_id, 1)
    with pytest.raises(ReceiptError, match="changed after the last receipted bundle"):
        purge_session(laptop, inst.session_id)
    assert len(laptop.candidates(inst.session_id)) == 6


def test_forged_or_foreign_receipts_are_refused(
    inst: Institution, laptop: Workspace, tmp_path: Path
) -> None:
    record_incident(laptop, inst.session_id, 0)
    bundle_id = _exported_and_imported(inst, laptop, tmp_path / "a.pdbundle")
    receipt = json.loads(issue_receipt(inst.ws, inst.identity, bundle_id))
    receipt["receipt"]["counts"]["incidents"] = 99
    from app.core.seal.canonical import canonical_bytes

    with pytest.raises(ReceiptError, match="signature does not verify"):
        accept_receipt(laptop, canonical_bytes(receipt))
    rogue = init_institution(tmp_path / "rogue", "冒名机构", "rogue-pass-1")
    with pytest.raises(ReceiptError, match="another institution"):
        accept_receipt(laptop, issue_receipt(inst.ws, rogue, bundle_id))
    with pytest.raises(ReceiptError, match="not a readable import receipt"):
        accept_receipt(laptop, b"\xff{}")
    with pytest.raises(ReceiptError, match="not been imported"):
        issue_receipt(inst.ws, inst.identity, "0" * 36)


def test_export_marks_confirmed_records_exported_without_blocking_purge(
    inst: Institution, laptop: Workspace, tmp_path: Path
) -> None:
    from sqlmodel import col, select

    from app.core.records.tables import AuditEntry

    first = record_incident(laptop, inst.session_id, 0)
    assert laptop.incident(first)["status"] == "confirmed"
    bundle_id = _exported_and_imported(inst, laptop, tmp_path / "a.pdbundle")
    assert laptop.incident(first)["status"] == "exported"
    with laptop.reading() as db:
        exports = db.exec(select(AuditEntry).where(col(AuditEntry.action) == "export")).all()
    assert len(exports) == 1
    details = json.loads(exports[0].details_json)
    assert details["bundle_id"] == bundle_id and details["incidents"] == [first]
    assert laptop.verify().ok
    # Being marked exported changes no record: the receipted bundle still allows the purge.
    accept_receipt(laptop, issue_receipt(inst.ws, inst.identity, bundle_id))
    assert purge_session(laptop, inst.session_id).incidents == 1


def test_being_marked_exported_is_not_sent_again(
    inst: Institution, laptop: Workspace, tmp_path: Path
) -> None:
    record_incident(laptop, inst.session_id, 0)
    export_bundle(laptop, inst.session_id, tmp_path / "a.pdbundle")
    again = export_bundle(laptop, inst.session_id, tmp_path / "b.pdbundle", since_last=True)
    assert again.incidents == 0
    record_incident(laptop, inst.session_id, 1)
    third = export_bundle(laptop, inst.session_id, tmp_path / "c.pdbundle", since_last=True)
    assert third.incidents == 1


def test_no_receipt_while_an_earlier_bundle_of_the_device_is_missing(
    inst: Institution, laptop: Workspace, tmp_path: Path
) -> None:
    """An incremental bundle holds only what changed since the one before: its receipt must
    not let the laptop purge changes the institution never got."""
    record_incident(laptop, inst.session_id, 0)
    first = _exported_and_imported(inst, laptop, tmp_path / "1.pdbundle")
    record_incident(laptop, inst.session_id, 1)
    second = tmp_path / "2.pdbundle"
    missing = export_bundle(laptop, inst.session_id, second, since_last=True).receipt.bundle_id
    record_incident(laptop, inst.session_id, 2)
    last = tmp_path / "3.pdbundle"
    last_id = export_bundle(laptop, inst.session_id, last, since_last=True).receipt.bundle_id
    (outcome,) = import_bundles(inst.ws, inst.identity, [last])
    assert outcome.status == "imported" and outcome.gap
    with pytest.raises(ReceiptError, match=f"follows bundle {missing}.*import it first"):
        issue_receipt(inst.ws, inst.identity, last_id)
    assert issue_receipt(inst.ws, inst.identity, first)  # the chain up to the first is whole

    assert import_bundles(inst.ws, inst.identity, [second])[0].status == "imported"
    receipt = issue_receipt(inst.ws, inst.identity, last_id)
    assert json.loads(receipt)["receipt"]["covers_earlier_bundles"] is True
    accept_receipt(laptop, receipt)
    assert purge_session(laptop, inst.session_id).incidents == 3


def test_a_receipt_not_covering_earlier_bundles_needs_one_for_each(
    inst: Institution, laptop: Workspace, tmp_path: Path
) -> None:
    """A receipt without ``covers_earlier_bundles`` (an older institution's) purges only
    once every bundle of the session has been receipted."""
    from app.core.seal.canonical import canonical_bytes
    from app.core.sync.receipts import _DOMAIN

    def old_style(bundle_id: str) -> bytes:
        payload = json.loads(issue_receipt(inst.ws, inst.identity, bundle_id))["receipt"]
        del payload["covers_earlier_bundles"]
        signature = inst.identity.signing_key.sign(_DOMAIN + canonical_bytes(payload))
        return canonical_bytes({"receipt": payload, "signature": signature.hex()})

    record_incident(laptop, inst.session_id, 0)
    first = _exported_and_imported(inst, laptop, tmp_path / "1.pdbundle")
    record_incident(laptop, inst.session_id, 1)
    out = tmp_path / "2.pdbundle"
    second = export_bundle(laptop, inst.session_id, out, since_last=True).receipt.bundle_id
    assert import_bundles(inst.ws, inst.identity, [out])[0].status == "imported"
    accept_receipt(laptop, old_style(second))
    with pytest.raises(ReceiptError, match=f"bundle {first} has no receipt"):
        purge_session(laptop, inst.session_id)
    assert len(laptop.candidates(inst.session_id)) == 6
    accept_receipt(laptop, old_style(first))
    assert purge_session(laptop, inst.session_id).incidents == 2


def test_a_purged_session_takes_no_more_work(
    inst: Institution, laptop: Workspace, tmp_path: Path
) -> None:
    """After the purge nothing brings personal data back or reports a session without its
    records: rosters, new records, the session summary and bundles are refused."""
    import datetime as dt

    from app.core.records.content import IncidentDraft
    from app.core.records.sessions import SessionPurgedError, local_date
    from app.core.records.tables import from_utc_text
    from app.core.reports.signed import session_summary_job
    from app.core.rosters.rows import CandidateRow

    record_incident(laptop, inst.session_id, 0)
    bundle_id = _exported_and_imported(inst, laptop, tmp_path / "a.pdbundle")
    accept_receipt(laptop, issue_receipt(inst.ws, inst.identity, bundle_id))
    purge_session(laptop, inst.session_id)
    room = next(iter(laptop.rooms(inst.session_id)))
    row = CandidateRow("张三", "resident_id", "11010519491231002X", "2406010001", room, 1, None)
    draft = IncidentDraft(party="candidate", occurred_at=dt.datetime.now(dt.UTC))
    refused = (
        lambda: laptop.import_candidates(inst.session_id, [row]),
        lambda: laptop.create_incident(inst.session_id, draft),
        lambda: session_summary_job(laptop, inst.session_id),
        lambda: export_bundle(laptop, inst.session_id, tmp_path / "after.pdbundle"),
    )
    for attempt in refused:
        with pytest.raises(SessionPurgedError, match="was purged here on"):
            attempt()
    # Its kit again would bring the rosters back: refused too.
    from app.core.kits.kit_import import KitError, import_kit

    with pytest.raises(KitError, match=r"kit refused: session .* was purged here"):
        import_kit(laptop, inst.kit, "site-pass-123")
    assert laptop.candidates(inst.session_id) == []
    assert not (tmp_path / "after.pdbundle").exists()
    (summary,) = laptop.list_sessions()
    assert summary["purged"] and laptop.session(inst.session_id)["purged"]
    assert not inst.ws.list_sessions()[0]["purged"]  # the institution keeps its copy
    # The exam's local date, from its first subject (one query for the whole list).
    first = min(s["starts_at"] for s in laptop.session(inst.session_id)["subjects"])
    assert summary["exam_date"] == local_date(from_utc_text(first), summary["timezone"])
    assert laptop.verify().ok


def test_a_full_bundle_makes_good_a_lost_one(
    inst: Institution, laptop: Workspace, tmp_path: Path
) -> None:
    """A bundle lost on the way: the laptop exports a full one, which holds all of the
    session, so its receipt can be issued and the purge go ahead."""
    record_incident(laptop, inst.session_id, 0)
    lost = export_bundle(laptop, inst.session_id, tmp_path / "lost.pdbundle").receipt.bundle_id
    record_incident(laptop, inst.session_id, 1)
    full = tmp_path / "full.pdbundle"
    result = export_bundle(laptop, inst.session_id, full)
    assert result.mode == "full" and result.previous_bundle_id == lost
    (outcome,) = import_bundles(inst.ws, inst.identity, [full])
    assert outcome.status == "imported" and outcome.gap
    accept_receipt(laptop, issue_receipt(inst.ws, inst.identity, result.receipt.bundle_id))
    assert purge_session(laptop, inst.session_id).incidents == 2
