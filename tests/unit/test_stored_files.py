"""Files on a shared database (docs/postgresql.md): an institution on PostgreSQL keeps evidence
files and archived PDFs in the database, so a second admin's computer (its own, empty data
folder, the same database) reads them; bytes stored by a failed import go with its rollback;
bytes changed in the database are found. SQLite keeps them in the data folder as before."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import text
from sqlmodel import select

from app.core.bundles import open_bundle
from app.core.records import file_store
from app.core.records.content import IncidentError
from app.core.records.file_tables import ArchivedPdfRow, StoredFile
from app.core.records.service import Workspace
from app.core.records.tables import Evidence
from app.core.reports import archive
from app.core.reports.incident import build_incident_pdf
from app.core.reports.pdf_signing import PdfSigner
from app.core.reports.pdf_verification import check_pdf
from app.core.sync import importing
from app.core.sync.export import ExportResult, export_bundle
from app.core.sync.importing import IMPORTED, REJECTED, import_bundles
from app.core.trust.certificates import issue_site
from app.core.trust.institution import InstitutionIdentity
from app.core.trust.pdf_identity import SigningIdentity
from tests.support.crafted_bundles import signed_again
from tests.support.report_samples import sample_incident
from tests.support.sync import Institution, make_institution, make_laptop, record_incident

PHOTO = b"\xff\xd8\xff" + bytes(range(256)) * 40
PDF = b"%PDF-1.7\n" + bytes(range(200)) + b"\n%%EOF\n"  # not signed: archived with a problem


@pytest.fixture
def shared(tmp_path: Path, pg_url: str) -> Iterator[Institution]:
    institution = make_institution(tmp_path, pg_url)
    yield institution
    institution.ws.close()


def _second_computer(inst: Institution, folder: Path) -> Workspace:
    """Another admin's computer: an empty data folder of its own, the same database."""
    assert not folder.exists()
    url = inst.ws.engine.url.render_as_string(hide_password=False)
    return Workspace.open(folder, database_url=url)


def _bundle_with_evidence(
    inst: Institution, tmp_path: Path, reports: list[Path] | None = None
) -> tuple[Path, str, ExportResult]:
    laptop = make_laptop(tmp_path, "laptop-a", "A", inst.kit)
    photo = tmp_path / "phone.jpg"
    photo.write_bytes(PHOTO)
    incident_id = record_incident(laptop, inst.session_id, 0, evidence=photo)
    sha = laptop.incident(incident_id)["content"]["evidence"][0]["sha256"]
    out = tmp_path / "a.pdbundle"
    result = export_bundle(laptop, inst.session_id, out, reports=reports or [])
    laptop.close()
    return out, sha, result


def _stored(ws: Workspace) -> list[tuple[str, str]]:
    with ws.reading() as db:
        return [(f.kind, f.name) for f in db.exec(select(StoredFile)).all()]


def test_imported_evidence_is_kept_where_every_admin_sees_it(
    inst: Institution, tmp_path: Path, institution_db: str | None
) -> None:
    out, sha, _ = _bundle_with_evidence(inst, tmp_path)
    assert [o.status for o in import_bundles(inst.ws, inst.identity, [out])] == [IMPORTED]
    report = inst.ws.verify()
    assert report.ok, report.problems
    in_folder = file_store.evidence_path(inst.ws.data_dir, sha)
    if institution_db is None:  # SQLite: the folder's store, as always; nothing in the table
        assert in_folder.read_bytes() == PHOTO
        assert _stored(inst.ws) == []
        with inst.ws.reading() as db:
            assert file_store.evidence_local_path(db, inst.ws.data_dir, sha) == in_folder
        return
    # PostgreSQL: in the database, not in the importing computer's folder.
    assert not in_folder.exists()
    assert _stored(inst.ws) == [(file_store.EVIDENCE, sha)]
    with _second_computer(inst, tmp_path / "second") as second:
        with second.reading() as db:
            assert file_store.read_evidence(db, second.data_dir, sha) == PHOTO
            path = file_store.evidence_local_path(db, second.data_dir, sha)
            assert path.is_relative_to(second.data_dir / file_store.CACHE_DIR)
            assert path.read_bytes() == PHOTO
            # A copy changed on this computer is not handed out: made again from the database.
            path.chmod(0o600)
            path.write_bytes(b"swapped")
            assert file_store.evidence_local_path(db, second.data_dir, sha).read_bytes() == PHOTO
        second_report = second.verify()
        assert not [p for p in second_report.problems if "evidence" in p.reason]


def test_evidence_attached_on_the_shared_database_is_stored_in_it(
    shared: Institution, tmp_path: Path
) -> None:
    photo = tmp_path / "p.jpg"
    photo.write_bytes(PHOTO)
    shared.ws.set_device_code("H")
    first = record_incident(shared.ws, shared.session_id, 0, evidence=photo)
    second = record_incident(shared.ws, shared.session_id, 1, evidence=photo)  # stored once
    sha = shared.ws.incident(first)["content"]["evidence"][0]["sha256"]
    assert shared.ws.incident(second)["content"]["evidence"][0]["sha256"] == sha
    assert _stored(shared.ws) == [(file_store.EVIDENCE, sha)]
    assert not (shared.ws.data_dir / file_store.EVIDENCE_DIR).exists()
    report = shared.ws.verify()
    assert report.ok, report.problems


def test_archived_pdfs_of_an_import_are_read_from_another_computer(
    shared: Institution, tmp_path: Path
) -> None:
    pdf = tmp_path / "记录 A-001.pdf"
    pdf.write_bytes(PDF)
    out, _, result = _bundle_with_evidence(shared, tmp_path, reports=[pdf])
    assert [o.status for o in import_bundles(shared.ws, shared.identity, [out])] == [IMPORTED]
    # Nothing is left in the importing computer's folder: the database holds the archive.
    assert not list((shared.ws.data_dir / "reports").rglob("*.pdf"))
    assert not (shared.ws.data_dir / "reports" / archive.INDEX_FILE).exists()
    with _second_computer(shared, tmp_path / "second") as second:
        entries = archive.load_index(second.data_dir, engine=second.engine)
        assert [(e.session_id, e.bundle_id) for e in entries] == [
            (shared.session_id, result.receipt.bundle_id)
        ]
        entry = archive.find(second.data_dir, entries[0].id[:6], engine=second.engine)
        assert archive.read_archived(second.data_dir, entry, engine=second.engine) == PDF
        assert entry.problem and entry.timestamps == 0  # not signed: kept as it came
        assert not (second.data_dir / "reports").exists()


def test_archive_on_the_database_timestamps_renews_and_rebuilds(
    shared: Institution, tmp_path: Path
) -> None:
    identity: InstitutionIdentity = shared.identity
    site_key = ec.generate_private_key(ec.SECP256R1())
    root = identity.public.root_certificate
    site = issue_site(identity.root_key, root, site_key, "第一考点", "0123456789abcdef")
    signed = PdfSigner(SigningIdentity(site_key, site, (root,))).sign(
        build_incident_pdf(sample_incident(None, None))
    )
    session, bundle = "0f0e0d0c-0000-4000-8000-000000000001", "0f0e0d0c-0000-4000-8000-000000000002"
    data_dir = shared.ws.data_dir
    folder = data_dir / "reports" / session / bundle / "reports"
    folder.mkdir(parents=True)
    (folder / "incident.pdf").write_bytes(signed)
    (folder / "damaged.pdf").write_bytes(b"%PDF-1.4\nnot really")
    entries = archive.archive_bundle_reports(
        data_dir,
        identity,
        session,
        bundle,
        [folder / "incident.pdf", folder / "damaged.pdf"],
        engine=shared.ws.engine,
    )
    good, bad = entries
    assert good.id == archive.pdf_id(signed) and good.timestamps == 1 and not good.problem
    assert bad.timestamps == 0 and bad.problem
    assert not (data_dir / "reports").exists()  # taken into the database
    assert archive.load_index(data_dir, engine=shared.ws.engine) == entries

    nine_years_on = dt.datetime.now(dt.UTC) + dt.timedelta(days=9 * 365)
    with _second_computer(shared, tmp_path / "second") as second:
        renewed = archive.renew(second.data_dir, identity, now=nine_years_on, engine=second.engine)
    by_file = {e.file: e for e in renewed}
    assert by_file[good.file].timestamps == 2 and by_file[good.file].id == good.id
    stamped = archive.read_archived(data_dir, good, engine=shared.ws.engine)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=15 * 365)
    assert check_pdf(stamped, [root], at=later).trusted

    with shared.ws.transaction() as db:  # the index lost: made again from the PDFs kept
        db.execute(text("DELETE FROM archived_pdf"))
    assert archive.load_index(data_dir, engine=shared.ws.engine) == []
    rebuilt = archive.rebuild(data_dir, engine=shared.ws.engine)
    assert {e.file: e.timestamps for e in rebuilt} == {good.file: 2, bad.file: 0}
    assert archive.load_index(data_dir, engine=shared.ws.engine) == rebuilt


def test_a_failed_import_leaves_no_stored_bytes(
    shared: Institution, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, sha, _ = _bundle_with_evidence(shared, tmp_path)
    seen: list[list[tuple[str, str]]] = []

    def fails(workspace: Workspace, prepared: object) -> None:
        # The evidence is written by now, inside the import's transaction: another
        # connection does not see it yet.
        seen.append(_stored(workspace))
        raise OSError("the disk is full")

    monkeypatch.setattr(importing, "_store_reports", fails)
    assert [o.status for o in import_bundles(shared.ws, shared.identity, [out])] == [REJECTED]
    assert seen == [[]]
    assert _stored(shared.ws) == []
    with shared.ws.reading() as db:
        assert db.exec(select(Evidence)).all() == []
        assert file_store.evidence_problem(db, shared.ws.data_dir, sha) == (
            "is missing from the database"
        )
    assert not (shared.ws.data_dir / file_store.EVIDENCE_DIR).exists()

    monkeypatch.undo()  # the same bundle again, nothing failing: its bytes are stored
    assert [o.status for o in import_bundles(shared.ws, shared.identity, [out])] == [IMPORTED]
    assert _stored(shared.ws) == [(file_store.EVIDENCE, sha)]


def _without_files(inst: Institution, tmp_path: Path, bundle: Path, name: str) -> Path:
    """The bundle's records again, under a new id and signed by the same laptop, without its
    evidence files: each must be found where the institution keeps what came before."""
    with open_bundle(bundle, inst.identity.encryption_key) as opened:
        records, fields = opened.records, copy.deepcopy(opened.fields)
    fields["counts"]["evidence_files"] = 0
    path = tmp_path / name
    with Workspace.open(tmp_path / "laptop-a") as laptop:
        return signed_again(
            path, records, fields, laptop.device.private_key, inst.identity.public.recipient
        )


def test_evidence_sent_before_is_looked_for_in_the_database(
    shared: Institution, tmp_path: Path
) -> None:
    out, sha, _ = _bundle_with_evidence(shared, tmp_path)
    assert [o.status for o in import_bundles(shared.ws, shared.identity, [out])] == [IMPORTED]
    again = _without_files(shared, tmp_path, out, "again.pdbundle")
    [outcome] = import_bundles(shared.ws, shared.identity, [again])
    assert outcome.status == IMPORTED, outcome.line()

    _attack(shared.ws, "DELETE FROM stored_file WHERE name = :n", n=sha)
    third = _without_files(shared, tmp_path, out, "third.pdbundle")
    [outcome] = import_bundles(shared.ws, shared.identity, [third])
    assert outcome.status == REJECTED and "neither in the bundle nor here" in outcome.message


def _attack(ws: Workspace, sql: str, **values: object) -> None:
    with ws.engine.begin() as connection:
        connection.execute(text(sql), values)


def test_bytes_changed_in_the_database_are_found(shared: Institution, tmp_path: Path) -> None:
    pdf = tmp_path / "记录 A-001.pdf"
    pdf.write_bytes(PDF)
    out, sha, _ = _bundle_with_evidence(shared, tmp_path, reports=[pdf])
    assert [o.status for o in import_bundles(shared.ws, shared.identity, [out])] == [IMPORTED]
    assert shared.ws.verify().ok
    forged = b"\xff\xd8\xff" + b"another picture"

    # The bytes replaced, their recorded hash left: a hash mismatch.
    _attack(shared.ws, "UPDATE stored_file SET content = :c WHERE name = :n", c=forged, n=sha)
    problems = [p.reason for p in shared.ws.verify().problems]
    assert any("has changed in the database" in p for p in problems), problems
    with _second_computer(shared, tmp_path / "second") as second, second.reading() as db:
        with pytest.raises(file_store.StoredFileError, match="has changed in the database"):
            file_store.read_evidence(db, second.data_dir, sha)
        with pytest.raises(file_store.StoredFileError, match="has changed"):
            file_store.evidence_local_path(db, second.data_dir, sha)
        assert not list(second.data_dir.rglob(sha))  # no copy of forged bytes handed out

    # The recorded hash forged as well: the name is the hash the record lists.
    _attack(
        shared.ws,
        "UPDATE stored_file SET sha256 = :h, size = :s WHERE name = :n",
        h=hashlib.sha256(forged).hexdigest(),
        s=len(forged),
        n=sha,
    )
    assert not shared.ws.verify().ok

    # The row gone: missing.
    _attack(shared.ws, "DELETE FROM stored_file WHERE name = :n", n=sha)
    problems = [p.reason for p in shared.ws.verify().problems]
    assert any("is missing from the database" in p for p in problems), problems

    # An archived PDF changed in the database is refused, not handed out.
    with shared.ws.reading() as db:
        entry_file = db.exec(select(ArchivedPdfRow.file)).one()
    _attack(
        shared.ws, "UPDATE stored_file SET content = :c WHERE name = :n", c=b"%PDF-x", n=entry_file
    )
    entry = archive.load_index(shared.ws.data_dir, engine=shared.ws.engine)[0]
    with pytest.raises(archive.ArchiveError, match="has changed in the database"):
        archive.read_archived(shared.ws.data_dir, entry, engine=shared.ws.engine)


def test_an_oversized_file_is_refused_before_it_is_read(
    shared: Institution, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.mp4"
    big.write_bytes(b"x" * 2048)
    monkeypatch.setattr(file_store, "MAX_STORED_BYTES", 1024)
    with shared.ws.transaction() as db, pytest.raises(IncidentError, match="the limit is"):
        file_store.store_evidence(db, shared.ws.data_dir, big, limit=1 << 62)
    assert _stored(shared.ws) == []


def test_sqlite_archive_stays_in_the_folder(tmp_path: Path) -> None:
    inst = make_institution(tmp_path)
    pdf = tmp_path / "记录 A-001.pdf"
    pdf.write_bytes(PDF)
    out, _, result = _bundle_with_evidence(inst, tmp_path, reports=[pdf])
    assert [o.status for o in import_bundles(inst.ws, inst.identity, [out])] == [IMPORTED]
    kept = inst.ws.data_dir / "reports" / inst.session_id / result.receipt.bundle_id / "reports"
    assert (kept / pdf.name).read_bytes() == PDF
    assert (inst.ws.data_dir / "reports" / archive.INDEX_FILE).is_file()
    [entry] = archive.load_index(inst.ws.data_dir, engine=inst.ws.engine)
    assert archive.load_index(inst.ws.data_dir) == [entry]
    assert archive.read_archived(inst.ws.data_dir, entry, engine=inst.ws.engine) == PDF
    assert _stored(inst.ws) == []
    with inst.ws.reading() as db:
        assert db.exec(select(ArchivedPdfRow)).all() == []
