"""Signed reports checked by pyHanko and by poppler's pdfsig; one changed byte is caught."""

from __future__ import annotations

import datetime as dt
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from cryptography.x509.oid import NameOID

from app.core.reports.incident import build_incident_pdf
from app.core.reports.pdf_signing import PdfSigner
from app.core.reports.pdf_verification import (
    UnreadablePdfError,
    check_pdf,
    load_certificates,
)
from app.core.trust.pdf_identity import (
    CERT_FILE,
    FOLDER,
    SigningError,
    SigningIdentity,
    device_identity,
)
from tests.support.report_samples import sample_incident

needs_pdfsig = pytest.mark.skipif(
    shutil.which("pdfsig") is None or shutil.which("certutil") is None,
    reason="needs poppler-utils and libnss3-tools",
)


@pytest.fixture(scope="module")
def unsigned() -> bytes:
    return build_incident_pdf(sample_incident(None, None))


@pytest.fixture()
def identity(tmp_path: Path) -> SigningIdentity:
    return device_identity(tmp_path, "A")


def _flip(data: bytes, marker: bytes) -> bytes:
    """One byte changed inside the signed range (the first byte of ``marker``)."""
    at = data.index(marker)
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def _nss_db(folder: Path, cert_pem: bytes) -> str:
    cert = folder / "trusted.pem"
    cert.write_bytes(cert_pem)
    db = folder / "nss"
    db.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{db}", "--empty-password"], check=True)
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{db}", "-n", "dev", "-t", "CT,C,C", "-i", str(cert)],
        check=True,
    )
    return f"sql:{db}"


def _pdfsig(nss: str, pdf: Path) -> str:
    # pdfsig exits 0 whatever it finds: the verdict is in its output.
    out = subprocess.run(["pdfsig", "-nssdir", nss, str(pdf)], capture_output=True, text=True)
    return out.stdout + out.stderr


def test_device_identity_is_created_once_with_its_key_in_the_vault(tmp_path: Path) -> None:
    first = device_identity(tmp_path, "B")
    second = device_identity(tmp_path, "B")
    assert first.certificate == second.certificate
    assert first.signer_name == "Proctor Desk device B"
    vault = tmp_path / "device" / "keys.json"
    assert stat.S_IMODE(vault.stat().st_mode) == 0o600
    assert not list((tmp_path / FOLDER).glob("*key*"))  # no key in the clear
    assert (tmp_path / FOLDER / CERT_FILE).read_bytes().startswith(b"-----BEGIN CERTIFICATE")
    public = first.certificate.public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    assert public.curve.name == "secp256r1"


def test_mismatched_certificate_is_refused(tmp_path: Path) -> None:
    device_identity(tmp_path, "A")
    other = tmp_path / "other"
    device_identity(other, "B")
    (tmp_path / FOLDER / CERT_FILE).write_bytes((other / FOLDER / CERT_FILE).read_bytes())
    with pytest.raises(SigningError, match="does not match"):
        device_identity(tmp_path, "A")


def test_signed_report_validates_and_is_trusted(unsigned: bytes, identity: SigningIdentity) -> None:
    signed = PdfSigner(identity).sign(unsigned, reason="考场违纪违规行为记录")
    assert signed.startswith(unsigned)  # an incremental update: the report bytes are untouched
    result = check_pdf(signed, [identity.certificate])
    assert result.intact and result.trusted
    (sig,) = result.signatures
    assert "Proctor Desk device A" in sig.signer
    assert sig.signed_at is not None
    assert abs(sig.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert result.reference is not None
    assert result.reference.kind == "incident"
    view = sample_incident(None, None)
    assert result.reference.record_id == view.record_id
    assert result.reference.content_hash == view.content_hash
    assert result.reference.version == view.version


def test_untrusted_without_the_certificate_or_with_another(
    unsigned: bytes, identity: SigningIdentity, tmp_path: Path
) -> None:
    signed = PdfSigner(identity).sign(unsigned)
    result = check_pdf(signed)
    assert result.intact
    assert not result.trusted
    stranger = device_identity(tmp_path / "stranger", "Z")
    result = check_pdf(signed, [stranger.certificate])
    assert result.intact
    assert not result.trusted


def test_one_changed_byte_is_caught(unsigned: bytes, identity: SigningIdentity) -> None:
    signed = PdfSigner(identity).sign(unsigned)
    damaged = _flip(signed, b"ReportLab PDF Library")
    result = check_pdf(damaged, [identity.certificate])
    assert not result.intact
    assert not result.trusted
    assert not result.signatures[0].intact


def test_unsigned_pdf_is_not_intact(unsigned: bytes) -> None:
    result = check_pdf(unsigned)
    assert result.signatures == ()
    assert not result.intact


def test_not_a_pdf_is_refused() -> None:
    with pytest.raises(UnreadablePdfError):
        check_pdf(b"hello")
    with pytest.raises(UnreadablePdfError):
        load_certificates(b"-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n")


def _site_chain(tmp_path: Path) -> tuple[bytes, x509.Certificate]:
    """A root CA and a site certificate issued by it, the site's in a PKCS#12 file."""
    now = dt.datetime.now(dt.UTC)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Institution Root")])
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(root_key, hashes.SHA256())
    )
    site_key = ec.generate_private_key(ec.SECP256R1())
    site = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Site 01")]))
        .issuer_name(root_name)
        .public_key(site_key.public_key())
        .serial_number(2)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(root_key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        b"site", site_key, site, [root], BestAvailableEncryption(b"secret")
    )
    return data, root


def test_site_certificate_from_pkcs12_signs_and_chains_to_its_root(
    unsigned: bytes, tmp_path: Path
) -> None:
    data, root = _site_chain(tmp_path)
    site = SigningIdentity.from_pkcs12(data, b"secret")
    assert site.signer_name == "Test Site 01"
    signed = PdfSigner(site).sign(unsigned)
    assert check_pdf(signed, [root]).trusted
    with pytest.raises(SigningError):
        SigningIdentity.from_pkcs12(data, b"wrong")


@needs_pdfsig
def test_pdfsig_finds_the_signature_valid_and_trusted(
    unsigned: bytes, identity: SigningIdentity, tmp_path: Path
) -> None:
    nss = _nss_db(tmp_path, identity.certificate_pem())
    pdf = tmp_path / "signed.pdf"
    pdf.write_bytes(PdfSigner(identity).sign(unsigned))
    report = _pdfsig(nss, pdf)
    assert "Signature is Valid." in report
    assert "Certificate is Trusted." in report
    assert "Total document signed" in report
    assert "Proctor Desk device A" in report


@needs_pdfsig
def test_pdfsig_reports_a_changed_byte(
    unsigned: bytes, identity: SigningIdentity, tmp_path: Path
) -> None:
    nss = _nss_db(tmp_path, identity.certificate_pem())
    pdf = tmp_path / "damaged.pdf"
    pdf.write_bytes(_flip(PdfSigner(identity).sign(unsigned), b"ReportLab PDF Library"))
    report = _pdfsig(nss, pdf)
    assert "Digest Mismatch" in report
    assert "Signature is Valid." not in report


def test_an_update_appended_after_signing_is_not_intact(
    unsigned: bytes, identity: SigningIdentity
) -> None:
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    signed = PdfSigner(identity).sign(unsigned)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    info = writer.trailer["/Info"]
    info["/Title"] = generic.TextStringObject("改过的标题")
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)
    result = check_pdf(out.getvalue(), [identity.certificate])
    assert result.signatures[0].intact  # the signed bytes themselves are unchanged …
    assert not result.signatures[0].covers_whole_file  # … but something came after them
    assert not result.intact
