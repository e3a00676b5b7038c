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
    signed_at: dt.datetime | None  # a signature's own claim; a timestamp's proven time
    intact: bool  # the signed bytes are unchanged
    valid: bool  # the cryptographic signature checks out
    trusted: bool  # the signer chains to a given trust anchor, at ``judged_at``
    covers_whole_file: bool  # nothing was added after signing
    # Only validation data and document timestamps follow (PAdES B-LTA), nothing else.
    only_archival_after: bool = False
    timestamp: bool = False  # an RFC 3161 document timestamp, not a signature
    # When the certificates were judged: the time a later trusted timestamp proves, else the
    # moment asked for (or now).
    judged_at: dt.datetime | None = None
    by_timestamp: bool = False  # ``judged_at`` is the time a later timestamp proves
    certificate_ends: dt.datetime | None = None  # the signer certificate's notAfter
    # Not trusted at ``judged_at`` only because the certificate had expired, and trusted at
    # the signing time the signature itself states.
    trusted_when_signed: bool = False

    @property
    def sound(self) -> bool:
        """Intact and valid, and followed by nothing but the archive's additions."""
        return self.intact and self.valid and (self.covers_whole_file or self.only_archival_after)


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
        """Signed, every signature and timestamp intact and valid, and covering the whole
        file or followed only by the archive's timestamps and validation data."""
        return (
            not self.problem
            and any(not s.timestamp for s in self.signatures)
            and all(s.sound for s in self.signatures)
        )

    @property
    def trusted(self) -> bool:
        """Intact, and every signature trusted at the time it is judged at. A timestamp whose
        authority is not trusted proves no time (what it covers is judged at the time asked
        for) but takes nothing away from a signature."""
        return self.intact and all(s.trusted for s in self.signatures if not s.timestamp)

    @property
    def timestamped_at(self) -> dt.datetime | None:
        """The time the archive's trusted timestamps prove the signatures existed at (None when
        no signature is judged by a timestamp)."""
        times = [s.judged_at for s in self.signatures if s.by_timestamp and not s.timestamp]
        return min((t for t in times if t is not None), default=None)

    @property
    def expired_since_signing(self) -> bool:
        """Intact, trusted when signed, but a signer certificate has expired since and no
        trusted timestamp proves the signature older than that: the laptop's copy of a report
        whose archived copy (at the institution) is the one that still verifies."""
        signatures = [s for s in self.signatures if not s.timestamp]
        return (
            self.intact
            and not self.trusted
            and any(not s.trusted for s in signatures)
            and all(s.trusted or s.trusted_when_signed for s in signatures)
        )


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
    from app.core.trust.institution import ROOT_CERT_FILE
    from app.core.trust.pdf_identity import CERT_FILE
    from app.core.trust.pdf_identity import FOLDER as SIGNING_FOLDER
    from app.core.trust.presence import folder_of
    from app.core.trust.site_state import pinned_institution

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
    """Validate every signature and document timestamp in ``data`` against ``trust`` (no
    network access). Certificates are judged at ``at`` (default: now), except where a trusted
    document timestamp follows: what it covers is judged at the time it proves, so a report
    the institution timestamped while its site certificate was valid stays valid after that
    certificate ends (PAdES B-LTA; each archive timestamp is in turn judged at the time the
    next one proves)."""
    if not data.lstrip()[:5] == b"%PDF-":
        raise UnreadablePdfError("not a PDF file")
    load_pyhanko()
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        reference = _reference(reader)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:  # pyHanko raises many kinds on a damaged file
        return PdfCheck((), None, problem=f"the file is damaged ({exc})")
    roots = [_asn1_certificate(c) for c in trust]
    moment = at or dt.datetime.now(dt.UTC)
    checks: list[SignatureCheck] = []
    # Newest first: each is judged at the time the trusted timestamp after it proves.
    proven: dt.datetime | None = None
    for sig in reversed(embedded):
        try:
            check = _check_one(sig, roots, proven or moment, by_timestamp=proven is not None)
        except Exception as exc:
            return PdfCheck((), reference, problem=f"signature unreadable ({exc})")
        checks.append(check)
        if check.timestamp:
            proven = check.signed_at if check.sound and check.trusted else None
    return PdfCheck(tuple(reversed(checks)), reference)


def _archive_diff_policy() -> Any:
    """pyHanko's default policy for what may follow a signature, less the two rules that let
    the document information and XMP metadata change at the "archival updates" level: the
    record a report names is in its document information (``_reference``), and the archive
    adds only validation data and document timestamps."""
    global _POLICY
    if _POLICY is None:
        from pyhanko.sign.diff_analysis import (
            CatalogModificationRule,
            DSSCompareRule,
            FormUpdatingRule,
            ModificationLevel,
            ObjectStreamRule,
            SigFieldCreationRule,
            SigFieldModificationRule,
            StandardDiffPolicy,
            XrefStreamRule,
        )

        archival = ModificationLevel.LTA_UPDATES
        _POLICY = StandardDiffPolicy(
            global_rules=[
                CatalogModificationRule(),  # type: ignore[no-untyped-call]
                XrefStreamRule().as_qualified(archival),
                ObjectStreamRule().as_qualified(archival),
                DSSCompareRule().as_qualified(archival),
            ],
            form_rule=FormUpdatingRule(
                field_rules=[
                    SigFieldCreationRule(),  # type: ignore[no-untyped-call]
                    SigFieldModificationRule(),
                ]
            ),
        )
    return _POLICY


_POLICY: Any = None


def _context(roots: list[Any], moment: dt.datetime) -> Any:
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(trust_roots=roots, allow_fetching=False, moment=moment)


def _check_one(
    sig: Any, roots: list[Any], moment: dt.datetime, *, by_timestamp: bool
) -> SignatureCheck:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    timestamp = str(sig.sig_object_type) == "/DocTimeStamp"
    status: Any
    if timestamp:
        status = validate_pdf_timestamp(
            sig, validation_context=_context(roots, moment), diff_policy=_archive_diff_policy()
        )
        signed_at = status.timestamp
    else:
        status = validate_pdf_signature(
            sig, _context(roots, moment), diff_policy=_archive_diff_policy()
        )
        signed_at = status.signer_reported_dt or sig.self_reported_timestamp
    ends = status.signing_cert.not_valid_after
    trusted = bool(status.trusted)
    when_signed = False
    if not trusted and not timestamp and signed_at is not None and ends < moment:
        # Expired since: was it good at the time the signature states? (Its own claim, so it
        # only tells the reader where to look, never makes the report trusted.)
        again = validate_pdf_signature(sig, _context(roots, signed_at))
        when_signed = bool(again.trusted)
    return SignatureCheck(
        field_name=str(sig.field_name),
        signer=str(status.signing_cert.subject.human_friendly),
        signed_at=signed_at,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=trusted,
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        only_archival_after=(
            status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
            and status.modification_level == ModificationLevel.LTA_UPDATES
        ),
        timestamp=timestamp,
        judged_at=moment,
        by_timestamp=by_timestamp,
        certificate_ends=ends,
        trusted_when_signed=when_signed,
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
