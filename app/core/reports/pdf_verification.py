"""Checks a signed report: signature intact and valid, who signed and when, trusted or not,
and which record (id, version, content hash) the PDF says it shows."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from app.core.errors import UserError
from app.core.reports.pyhanko_import import load_pyhanko


class UnreadablePdfError(UserError):
    """Not a PDF at all, or a certificate that cannot be read."""


@dataclass(frozen=True)
class SignatureCheck:
    field_name: str
    signer: str
    signed_at: dt.datetime | None
    intact: bool  # the signed bytes are unchanged
    valid: bool  # the cryptographic signature checks out
    trusted: bool  # the signer chains to a given trust anchor
    covers_whole_file: bool  # nothing was added after signing


@dataclass(frozen=True)
class RecordReference:
    """What the PDF's metadata says it shows (written by the report builders)."""

    kind: str
    record_id: str = ""
    version: int | None = None
    content_hash: str = ""
    session: str = ""
    status: str = ""  # the record's status when the PDF was made (``RecordStatus`` value)


@dataclass(frozen=True)
class PdfCheck:
    signatures: tuple[SignatureCheck, ...]
    reference: RecordReference | None
    problem: str = ""  # why the file could not be checked, when it is damaged

    @property
    def intact(self) -> bool:
        """Signed, every signature intact and valid, and covering the whole file."""
        return (
            not self.problem
            and bool(self.signatures)
            and all(s.intact and s.valid and s.covers_whole_file for s in self.signatures)
        )

    @property
    def trusted(self) -> bool:
        return self.intact and all(s.trusted for s in self.signatures)


def load_certificates(data: bytes) -> list[x509.Certificate]:
    """Certificates from PEM (one or more) or DER bytes."""
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        # The parser's own words (ASN.1 offsets) help nobody; what to give instead does.
        raise UnreadablePdfError(
            "not a certificate: give the institution's root certificate as PEM or DER "
            "(proctor-desk institution root-cert --out FILE writes it)"
        ) from None


def local_trust_anchors(data_dir: Path) -> list[x509.Certificate]:
    """The certificates a data folder itself vouches for: this laptop's own signing
    certificate, the root of the institution whose kit it imported, and on the institution's
    computer its own root. A report signed by anyone else is not trusted by default."""
    from app.core.kits.site_state import pinned_institution
    from app.core.reports.pdf_signing import CERT_FILE
    from app.core.reports.pdf_signing import FOLDER as SIGNING_FOLDER
    from app.core.trust.institution import ROOT_CERT_FILE
    from app.core.trust.presence import folder_of

    anchors: list[x509.Certificate] = []
    for path in (data_dir / SIGNING_FOLDER / CERT_FILE, folder_of(data_dir) / ROOT_CERT_FILE):
        if path.is_file():
            anchors += load_certificates(path.read_bytes())
    pinned = pinned_institution(data_dir)
    if pinned is not None:
        anchors.append(pinned.root_certificate)
    return list({c.fingerprint(hashes.SHA256()): c for c in anchors}.values())


def check_pdf(
    data: bytes, trust: Sequence[x509.Certificate] = (), *, at: dt.datetime | None = None
) -> PdfCheck:
    """Validate every signature in ``data`` against ``trust`` (no network access), with the
    certificates' validity judged at ``at`` (default: now; an archive checks a report at the
    time it was made, after its site certificate expired)."""
    if not data.lstrip()[:5] == b"%PDF-":
        raise UnreadablePdfError("not a PDF file")
    load_pyhanko()
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        reference = _reference(reader)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:  # pyHanko raises many kinds on a damaged file
        return PdfCheck((), None, problem=f"the file is damaged ({exc})")
    roots = [_asn1_certificate(c) for c in trust]
    checks: list[SignatureCheck] = []
    for sig in embedded:
        context = ValidationContext(trust_roots=roots, allow_fetching=False, moment=at)
        try:
            status = validate_pdf_signature(sig, context)
        except Exception as exc:
            return PdfCheck(tuple(checks), reference, problem=f"signature unreadable ({exc})")
        checks.append(_signature_check(sig, status))
    return PdfCheck(tuple(checks), reference)


def _signature_check(sig: Any, status: Any) -> SignatureCheck:
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    signed_at = status.signer_reported_dt or sig.self_reported_timestamp
    return SignatureCheck(
        field_name=str(sig.field_name),
        signer=str(status.signing_cert.subject.human_friendly),
        signed_at=signed_at,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
    )


def _asn1_certificate(cert: x509.Certificate) -> Any:
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _reference(reader: Any) -> RecordReference | None:
    info = reader.trailer_view.get("/Info")
    if info is None:
        return None
    keywords = info.get_object().get("/Keywords")
    if keywords is None:
        return None
    try:
        meta = json.loads(str(keywords))
    except ValueError:
        return None
    if not isinstance(meta, dict) or "kind" not in meta:
        return None
    version = meta.get("version")
    return RecordReference(
        kind=str(meta["kind"]),
        record_id=str(meta.get("record_id", "")),
        version=version if isinstance(version, int) else None,
        content_hash=str(meta.get("sha256", "")),
        session=str(meta.get("session", "")),
        status=str(meta.get("status", "")),
    )
