"""The institution's archive timestamps (docs/archive.md): a site report verified after its
certificate ended is judged at the time the institution's document timestamp proves; the
timestamps chain on renewal; nothing but validation data and timestamps may follow a
signature; pdfsig still reads the site signature of an archived copy as valid."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.x509.oid import ExtendedKeyUsageOID

from app.core.reports.archive_stamp import (
    ArchiveStampError,
    add_archive_timestamp,
    archive_stamper,
    timestamp_count,
)
from app.core.reports.incident import build_incident_pdf
from app.core.reports.pdf_signing import PdfSigner
from app.core.reports.pdf_verification import check_pdf
from app.core.trust.certificates import SITE_DAYS, issue_site, make_root
from app.core.trust.institution import InstitutionIdentity, InstitutionPublic
from app.core.trust.pdf_identity import SigningIdentity
from tests.support.report_samples import sample_incident

NOW = dt.datetime.now(dt.UTC)
FIVE_YEARS_ON = NOW + dt.timedelta(days=5 * 366)  # past the site certificate (400 days)


def _raw(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@pytest.fixture(scope="module")
def institution() -> InstitutionIdentity:
    root_key = ec.generate_private_key(ec.SECP256R1())
    # Valid from NOW, which was read when the module was imported: a worker may reach this
    # module's tests long after that.
    root = make_root(root_key, "示范鉴定中心", now=NOW)
    signing, encryption = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
    public = InstitutionPublic("inst", "示范鉴定中心", _raw(signing), _raw(encryption), root)
    return InstitutionIdentity(public, signing, encryption, root_key)


@pytest.fixture(scope="module")
def site_signed(institution: InstitutionIdentity) -> bytes:
    """An incident report signed with a site certificate, as a kit laptop signs it."""
    site_key = ec.generate_private_key(ec.SECP256R1())
    root = institution.public.root_certificate
    site = issue_site(institution.root_key, root, site_key, "第一考点", "0123456789abcdef")
    unsigned = build_incident_pdf(sample_incident(None, None))
    return PdfSigner(SigningIdentity(site_key, site, (root,))).sign(unsigned)


@pytest.fixture(scope="module")
def archived(institution: InstitutionIdentity, site_signed: bytes) -> bytes:
    # A second later at least, as an import always is: a writer that dates its update would
    # change the document information (seen only when the second turned, before).
    time.sleep(1.1)
    return add_archive_timestamp(site_signed, archive_stamper(institution))


def _info(pdf: bytes) -> dict[str, str]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    info = PdfFileReader(io.BytesIO(pdf), strict=False).trailer_view["/Info"].get_object()
    return {str(k): str(v) for k, v in info.items()}


def _root(institution: InstitutionIdentity) -> list[x509.Certificate]:
    return [institution.public.root_certificate]


def test_without_a_timestamp_a_genuine_report_fails_once_its_certificate_ended(
    institution: InstitutionIdentity, site_signed: bytes
) -> None:
    today = check_pdf(site_signed, _root(institution))
    assert today.trusted and not today.expired_since_signing
    later = check_pdf(site_signed, _root(institution), at=FIVE_YEARS_ON)
    assert later.intact and not later.trusted
    (sig,) = later.signatures
    assert sig.trusted_when_signed and sig.certificate_ends is not None
    assert sig.certificate_ends < NOW + dt.timedelta(days=SITE_DAYS + 1)
    assert later.expired_since_signing and later.timestamped_at is None


def test_the_archived_copy_verifies_after_every_certificate_ended(
    institution: InstitutionIdentity, site_signed: bytes, archived: bytes
) -> None:
    assert archived.startswith(site_signed)  # only appended: the signed bytes are untouched
    assert _info(archived) == _info(site_signed)  # the record it names, as signed
    assert timestamp_count(archived) == 1
    check = check_pdf(archived, _root(institution), at=FIVE_YEARS_ON)
    assert check.intact and check.trusted, check
    site, stamp = check.signatures
    assert not site.timestamp and stamp.timestamp
    assert site.only_archival_after and not site.covers_whole_file
    assert stamp.covers_whole_file  # the timestamp's own chain went in before it
    assert site.by_timestamp and site.judged_at == stamp.signed_at
    assert stamp.judged_at == FIVE_YEARS_ON and not stamp.by_timestamp
    # The real time of stamping (the fixture's, just before this test), not the module's NOW:
    # a long run would otherwise put minutes between the two.
    stamped_ago = dt.datetime.now(dt.UTC) - (
        stamp.signed_at or dt.datetime.min.replace(tzinfo=dt.UTC)
    )
    assert stamp.signed_at is not None and dt.timedelta(0) <= stamped_ago < dt.timedelta(minutes=5)
    assert check.timestamped_at == stamp.signed_at
    assert "archive timestamping" in stamp.signer
    assert site.certificate_ends is not None and site.certificate_ends < FIVE_YEARS_ON


def test_the_archived_copy_carries_its_validation_data(
    institution: InstitutionIdentity, archived: bytes
) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    dss = DocumentSecurityStore.read_dss(PdfFileReader(io.BytesIO(archived), strict=False))
    subjects = {c.subject.human_friendly for c in dss.load_certs()}
    assert any("第一考点" in s for s in subjects)  # the site certificate …
    assert any("archive timestamping" in s for s in subjects)  # … the timestamping one …
    assert any("示范鉴定中心 root" in s for s in subjects)  # … and the root they chain to


def test_the_timestamping_certificate_is_for_timestamping_only(
    institution: InstitutionIdentity,
) -> None:
    stamper = archive_stamper(institution, NOW)
    cert = stamper.certificate
    usage = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert usage.critical and list(usage.value) == [ExtendedKeyUsageOID.TIME_STAMPING]
    assert cert.issuer == institution.public.root_certificate.subject
    assert cert.not_valid_after_utc <= institution.public.root_certificate.not_valid_after_utc
    # A fresh key each run: none is kept that could date a report later.
    assert archive_stamper(institution, NOW).certificate.public_key() != cert.public_key()


def test_renewal_chains_the_timestamps_past_the_first_timestamping_certificate(
    institution: InstitutionIdentity, archived: bytes
) -> None:
    fifteen_years_on = NOW + dt.timedelta(days=15 * 365)
    unrenewed = check_pdf(archived, _root(institution), at=fifteen_years_on)
    assert unrenewed.intact and not unrenewed.trusted  # the first TSA certificate has ended
    nine_years_on = NOW + dt.timedelta(days=9 * 365)
    renewed = add_archive_timestamp(archived, archive_stamper(institution, nine_years_on))
    assert renewed.startswith(archived) and timestamp_count(renewed) == 2
    check = check_pdf(renewed, _root(institution), at=fifteen_years_on)
    assert check.intact and check.trusted, check
    site, first, second = check.signatures
    assert second.judged_at == fifteen_years_on
    assert first.judged_at == second.signed_at  # judged when the renewal proves it existed
    assert site.judged_at == first.signed_at


def test_renewal_after_the_newest_timestamp_ended_is_refused(
    institution: InstitutionIdentity, archived: bytes
) -> None:
    too_late = NOW + dt.timedelta(days=11 * 365)
    with pytest.raises(ArchiveStampError, match="no longer validates"):
        add_archive_timestamp(archived, archive_stamper(institution, too_late))


def test_a_record_reference_changed_under_a_later_timestamp_is_not_intact(
    institution: InstitutionIdentity, archived: bytes
) -> None:
    """The record a report names is in its document information: pyHanko's default policy
    lets that change among archival updates; ours does not."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(archived))
    info = writer.trailer["/Info"]
    info["/Keywords"] = generic.TextStringObject('{"kind":"incident","record_id":"other"}')
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    restamped = add_archive_timestamp(out.getvalue(), archive_stamper(institution))
    check = check_pdf(restamped, _root(institution), at=FIVE_YEARS_ON)
    assert not check.intact and not check.trusted
    assert not check.signatures[0].sound


def test_an_unsigned_pdf_is_not_timestamped(institution: InstitutionIdentity) -> None:
    with pytest.raises(ArchiveStampError, match="not signed"):
        add_archive_timestamp(
            build_incident_pdf(sample_incident(None, None)), archive_stamper(institution)
        )


@pytest.mark.skipif(
    shutil.which("pdfsig") is None or shutil.which("certutil") is None,
    reason="needs poppler-utils and libnss3-tools",
)
def test_pdfsig_reads_the_archived_site_signature_as_valid(
    institution: InstitutionIdentity, archived: bytes, tmp_path: Path
) -> None:
    root = tmp_path / "root.pem"
    root.write_bytes(institution.public.root_certificate.public_bytes(serialization.Encoding.PEM))
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{nss}", "-n", "root", "-t", "CT,C,C", "-i", str(root)],
        check=True,
    )
    pdf = tmp_path / "archived.pdf"
    pdf.write_bytes(archived)
    result = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(pdf)], capture_output=True, text=True
    )
    report = result.stdout + result.stderr
    first, second = report.split("Signature #2")
    assert "Signature is Valid." in first and "Certificate is Trusted." in first
    assert "ETSI.RFC3161" in second or "archive timestamping" in second


def test_the_index_lists_renews_and_is_rebuilt_from_the_files(
    institution: InstitutionIdentity, site_signed: bytes, tmp_path: Path
) -> None:
    from app.core.reports import archive

    session, bundle = "0f0e0d0c-0000-4000-8000-000000000001", "0f0e0d0c-0000-4000-8000-000000000002"
    folder = tmp_path / "reports" / session / bundle / "reports"
    folder.mkdir(parents=True)
    stored, damaged = folder / "incident.pdf", folder / "damaged.pdf"
    stored.write_bytes(site_signed)
    damaged.write_bytes(b"%PDF-1.4\nnot really")
    entries = archive.archive_bundle_reports(
        tmp_path, institution, session, bundle, [stored, damaged]
    )
    good, bad = entries
    assert good.id == archive.pdf_id(site_signed) and good.timestamps == 1 and not good.problem
    assert good.kind == "incident" and good.record and good.version == 1
    assert bad.timestamps == 0 and bad.timestamped_at is None and bad.problem
    assert damaged.read_bytes() == b"%PDF-1.4\nnot really"  # kept as it came
    assert archive.load_index(tmp_path) == entries
    assert archive.find(tmp_path, good.id[:6]) == good

    # Nothing is due for years; nine years on, the newest timestamp ends within two.
    assert [e.file for e in archive.due(entries, NOW)] == [bad.file]
    nine_years_on = NOW + dt.timedelta(days=9 * 365)
    renewed = archive.renew(tmp_path, institution, now=nine_years_on)
    by_file = {e.file: e for e in renewed}
    assert by_file[good.file].timestamps == 2
    assert by_file[good.file].timestamped_at == good.timestamped_at  # still the first proof
    assert by_file[good.file].id == good.id  # named by the laptop's bytes, not the archive's
    assert by_file[bad.file].problem
    later = NOW + dt.timedelta(days=15 * 365)
    assert check_pdf(stored.read_bytes(), _root(institution), at=later).trusted

    (tmp_path / "reports" / archive.INDEX_FILE).write_text("{", encoding="utf-8")
    with pytest.raises(archive.ArchiveError, match="--rebuild"):
        archive.load_index(tmp_path)
    rebuilt = archive.rebuild(tmp_path)
    assert {e.file: e.timestamps for e in rebuilt} == {good.file: 2, bad.file: 0}
    assert archive.load_index(tmp_path) == rebuilt


def test_a_timestamp_from_an_authority_not_trusted_proves_nothing_and_takes_nothing_away(
    institution: InstitutionIdentity, archived: bytes
) -> None:
    """A reader trusting only the site certificate: the signature is judged at the time asked
    for, as if there were no timestamp, and stays trusted."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(archived), strict=False)
    der = reader.embedded_regular_signatures[0].signer_cert.dump()
    site = x509.load_der_x509_certificate(der)
    today = check_pdf(archived, [site])
    assert today.trusted and today.timestamped_at is None
    assert not today.signatures[1].trusted  # the timestamp's authority is not the site
    assert not today.signatures[0].by_timestamp
