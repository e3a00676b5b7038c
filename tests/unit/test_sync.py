"""Export on laptops, import at the institution: identical records (signatures and evidence
bytes included), idempotent, incremental, in any order, from several laptops; conflicts,
unaccepted and revoked devices refused with the database unchanged."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from sqlmodel import select

from app.core.bundles import inspect_bundle, open_bundle
from app.core.demo.seed import seed_demo
from app.core.records import file_store
from app.core.records.evidence import evidence_path
from app.core.records.exchange_tables import DeviceTrust, ImportedAudit, ImportedBundle
from app.core.records.file_tables import StoredFile
from app.core.records.service import Workspace
from app.core.reports import archive
from app.core.sync.export import ExportError, export_bundle
from app.core.sync.importing import ALREADY, IMPORTED, REJECTED, import_bundles
from app.core.trust import device_trust
from tests.support.sync import (
    Institution,
    dump,
    make_laptop,
    record_incident,
    record_tables,
    revoke_device,
)

# ``inst`` (the institution, on each engine it runs on: a shared PostgreSQL for institutions
# that outgrow one PC) and ``laptop`` (on SQLite, as laptops always are): tests/unit/conftest.py.


def _stored_evidence(inst: Institution) -> list[bytes]:
    """The evidence files the institution keeps: in its folder (SQLite), in the database
    (PostgreSQL)."""
    if inst.ws.engine.dialect.name == "sqlite":
        stored = [p for p in (inst.ws.data_dir / "evidence").rglob("*") if p.is_file()]
        return [p.read_bytes() for p in stored]
    with inst.ws.reading() as db:
        rows = db.exec(select(StoredFile).where(StoredFile.kind == file_store.EVIDENCE)).all()
        return [file_store.read_evidence(db, inst.ws.data_dir, row.name) for row in rows]


def _import(inst: Institution, *paths: Path, trust: tuple[str, ...] = ()) -> list[str]:
    outcomes = import_bundles(inst.ws, inst.identity, list(paths), trust=trust)
    return [o.status for o in outcomes]


def test_full_bundle_imports_identical_records_and_evidence(
    inst: Institution, laptop: Workspace, tmp_path: Path
) -> None:
    photo = tmp_path / "phone.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 40)
    record_incident(laptop, inst.session_id, 0, evidence=photo)
    record_incident(laptop, inst.session_id, 1)
    out = tmp_path / "a1.pdbundle"
    result = export_bundle(laptop, inst.session_id, out)
    assert result.receipt.encrypted and result.mode == "full" and result.incidents == 2
    assert result.evidence_files == 1
    assert "Bundle " in result.text and result.receipt.bundle_id in result.text

    assert _import(inst, out) == [IMPORTED]
    assert record_tables(inst.ws, inst.session_id) == record_tables(laptop, inst.session_id)
    assert _stored_evidence(inst) == [photo.read_bytes()]
    report = inst.ws.verify()
    assert report.ok, report.problems
    assert report.incidents == 2 and report.seals == 2
    with inst.ws.reading() as db:
        imported_audit = len(db.exec(select(ImportedAudit)).all())
        bundle_row = db.get(ImportedBundle, result.receipt.bundle_id)
    assert imported_audit == result.audit_entries
    assert bundle_row is not None and not bundle_row.gap


def test_reimport_is_reported_and_changes_nothing(
    inst: Institution, laptop: Workspace, tmp_path: Path
) -> None:
    record_incident(laptop, inst.session_id, 0)
    out = tmp_path / "a1.pdbundle"
    export_bundle(laptop, inst.session_id, out)
    assert _import(inst, out) == [IMPORTED]
    before = dump(inst.ws)
    assert _import(inst, out, out) == [ALREADY, ALREADY]
    assert dump(inst.ws) == before


def test_incremental_bundles_in_any_order_flag_the_gap(
    inst: Institution, laptop: Workspace, tmp_path: Path
) -> None:
    with pytest.raises(ExportError, match="full one first"):
        export_bundle(laptop, inst.session_id, tmp_path / "x", since_last=True)
    first = record_incident(laptop, inst.session_id, 0)
    full = tmp_path / "1-full.pdbundle"
    export_bundle(laptop, inst.session_id, full)
    second = record_incident(laptop, inst.session_id, 1)
    draft = laptop.draft_of(first)
    amended = laptop.amend(first, dataclasses.replace(draft, description="更正：携带手机未使用"))
    inc = tmp_path / "2-inc.pdbundle"
    result = export_bundle(laptop, inst.session_id, inc, since_last=True)
    assert result.mode == "incremental"
    with open_bundle(inc, inst.identity.encryption_key) as bundle:
        carried = {
            item["incident"]["id"]
            for name, group in bundle.records
            if name.startswith("incidents/")
            for item in group
        }
    # The new incident, the amendment, and the version it amends (self-contained).
    assert carried == {second, amended.id, first}
    # The incremental bundle arrives first: imported, and flagged as following a gap.
    outcomes = import_bundles(inst.ws, inst.identity, [inc])
    assert outcomes[0].status == IMPORTED and outcomes[0].gap
    assert "GAP" in outcomes[0].line()
    assert _import(inst, full) == [IMPORTED]
    assert record_tables(inst.ws, inst.session_id) == record_tables(laptop, inst.session_id)
    assert inst.ws.verify().ok


def test_two_laptops_in_one_session(inst: Institution, tmp_path: Path) -> None:
    a = make_laptop(tmp_path, "laptop-a", "A", inst.kit)
    b = make_laptop(tmp_path, "laptop-b", "B", inst.kit)
    try:
        record_incident(a, inst.session_id, 0)
        record_incident(b, inst.session_id, 1)
        record_incident(b, inst.session_id, 2)
        export_bundle(a, inst.session_id, tmp_path / "a.pdbundle")
        export_bundle(b, inst.session_id, tmp_path / "b.pdbundle")
        assert _import(inst, tmp_path / "b.pdbundle", tmp_path / "a.pdbundle") == [
            IMPORTED,
            IMPORTED,
        ]
        numbers = sorted(r[2] for r in record_tables(inst.ws, inst.session_id)["incident"])
        assert numbers == ["A-001", "B-001", "B-002"]
        assert inst.ws.verify().ok
    finally:
        a.close()
        b.close()


def test_same_record_with_other_content_is_a_conflict(
    inst: Institution, laptop: Workspace, tmp_path: Path
) -> None:
    draft_id = laptop.create_incident(
        inst.session_id, laptop.draft_of(record_incident(laptop, inst.session_id, 0))
    ).id
    laptop.close()
    # A copy of the laptop's folder (a restored backup) edits the same draft differently.
    clone_dir = tmp_path / "laptop-a-copy"
    shutil.copytree(tmp_path / "laptop-a", clone_dir)
    original = Workspace.open(tmp_path / "laptop-a")
    clone = Workspace.open(clone_dir)
    try:
        for ws, text in ((original, "第一种说法"), (clone, "第二种说法")):
            draft = ws.draft_of(draft_id)
            ws.update_draft(draft_id, dataclasses.replace(draft, description=text))
        export_bundle(original, inst.session_id, tmp_path / "one.pdbundle")
        export_bundle(clone, inst.session_id, tmp_path / "two.pdbundle")
    finally:
        original.close()
        clone.close()
    assert _import(inst, tmp_path / "one.pdbundle") == [IMPORTED]
    before = dump(inst.ws)
    outcomes = import_bundles(inst.ws, inst.identity, [tmp_path / "two.pdbundle"])
    assert outcomes[0].status == REJECTED
    assert "same id, different content" in outcomes[0].message
    assert any(draft_id in c for c in outcomes[0].conflicts)
    assert outcomes[0].reason == "conflict"
    assert dump(inst.ws) == before


def test_session_without_kit_needs_the_fingerprint_then_revocation(
    inst: Institution, tmp_path: Path
) -> None:
    site = Workspace.open(tmp_path / "no-kit")
    try:
        session_id = seed_demo(site, candidates=4, incidents=2).session_id
        first = tmp_path / "plain-1.pdbundle"
        result = export_bundle(site, session_id, first)
        assert not result.receipt.encrypted
        assert inspect_bundle(first).ok
        fp = site.device.fingerprint
        before = dump(inst.ws)
        outcomes = import_bundles(inst.ws, inst.identity, [first])
        assert outcomes[0].status == REJECTED and "--trust" in outcomes[0].message
        assert dump(inst.ws) == before
        assert _import(inst, first, trust=(fp,)) == [IMPORTED]
        assert inst.ws.verify().ok
        # Accepted once, its next bundle needs no --trust.
        seed_demo(site, candidates=4, incidents=1)
        second = tmp_path / "plain-2.pdbundle"
        export_bundle(site, session_id, second, since_last=True)
        # Revoked (a lost laptop): refused from now on.
        revoke_device(inst.ws, site.device.public_bytes.hex(), "laptop lost")
        before = dump(inst.ws)
        outcomes = import_bundles(inst.ws, inst.identity, [second], trust=(fp,))
        assert outcomes[0].status == REJECTED and "revoked" in outcomes[0].message
        assert dump(inst.ws) == before
    finally:
        site.close()


def test_revoked_certified_device_is_refused(
    inst: Institution, laptop: Workspace, tmp_path: Path
) -> None:
    record_incident(laptop, inst.session_id, 0)
    out = tmp_path / "a.pdbundle"
    export_bundle(laptop, inst.session_id, out)
    revoke_device(inst.ws, laptop.device.public_bytes.hex(), "stolen")
    before = dump(inst.ws)
    outcomes = import_bundles(inst.ws, inst.identity, [out])
    assert outcomes[0].status == REJECTED and "revoked" in outcomes[0].message
    assert dump(inst.ws) == before


def test_device_trust_core_refuses_blank_reason_and_second_revocation(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "data") as ws:
        key = ws.device.public_bytes.hex()
        with pytest.raises(device_trust.DeviceTrustError, match="reason"):
            device_trust.revoking(None, key, " ")
        revoke_device(ws, key, "stolen")
        with ws.reading() as db:
            row = db.get(DeviceTrust, key)
            with pytest.raises(device_trust.DeviceTrustError, match="already revoked"):
                device_trust.revoking(row, key, "again")
            with pytest.raises(device_trust.DeviceTrustError, match="cannot be accepted"):
                device_trust.accepting(row, key)
            assert device_trust.status_of(row) == device_trust.REVOKED
        assert ws.verify().ok


def test_evidence_path_of_imported_file(
    inst: Institution, laptop: Workspace, tmp_path: Path
) -> None:
    photo = tmp_path / "p.png"
    photo.write_bytes(b"\x89PNG" + b"x" * 100)
    incident_id = record_incident(laptop, inst.session_id, 0, evidence=photo)
    sha = laptop.incident(incident_id)["content"]["evidence"][0]["sha256"]
    out = tmp_path / "a.pdbundle"
    export_bundle(laptop, inst.session_id, out)
    _import(inst, out)
    with inst.ws.reading() as db:
        path = file_store.evidence_local_path(db, inst.ws.data_dir, sha)
    assert path.read_bytes() == photo.read_bytes()
    if inst.ws.engine.dialect.name == "sqlite":  # the folder's store; elsewhere a checked copy
        assert path == evidence_path(inst.ws.data_dir, sha)


def test_signed_pdfs_travel_and_are_kept_by_bundle(
    inst: Institution, laptop: Workspace, tmp_path: Path
) -> None:
    record_incident(laptop, inst.session_id, 0)
    pdf = tmp_path / "记录 A-001.pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + bytes(range(200)) + b"\n%%EOF\n")
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_bytes(b"hello")
    with pytest.raises(ExportError, match="not a PDF"):
        export_bundle(laptop, inst.session_id, tmp_path / "x.pdbundle", reports=[not_pdf])
    out = tmp_path / "a.pdbundle"
    result = export_bundle(laptop, inst.session_id, out, reports=[pdf])
    assert result.reports == 1 and "signed PDFs 1" in result.text
    assert _import(inst, out) == [IMPORTED]
    kept = inst.ws.data_dir / "reports" / inst.session_id / result.receipt.bundle_id / "reports"
    [entry] = archive.load_index(inst.ws.data_dir, engine=inst.ws.engine)
    assert entry.file == (kept / pdf.name).relative_to(inst.ws.data_dir).as_posix()
    assert archive.read_archived(inst.ws.data_dir, entry, engine=inst.ws.engine) == pdf.read_bytes()
    if inst.ws.engine.dialect.name == "sqlite":  # a shared database keeps it instead
        assert (kept / pdf.name).read_bytes() == pdf.read_bytes()
