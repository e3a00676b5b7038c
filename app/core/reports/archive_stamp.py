"""The institution's document timestamps (RFC 3161) on the signed PDFs it archives, with the
validation data beside them (PAdES B-LTA): docs/archive.md.

The time-stamping authority runs inside this program: at each archiving run the institution's
root (opened with the admin's passphrase) certifies a fresh ECDSA P-256 key for time-stamping
only, which signs that run's timestamps and is then forgotten. No timestamping key is kept, so
none can leak from the data folder and back-date a report later; the root's signature on the
certificate, carried in every timestamp, is what a reader checks.

pyHanko is imported when this module is, so import it only where a PDF is timestamped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import secrets
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from app.core.errors import UserError
from app.core.reports.pyhanko_import import load_pyhanko
from app.core.trust.certificates import issue_timestamping
from app.core.trust.institution import InstitutionIdentity

load_pyhanko()  # before pyHanko's own modules, without cryptography's DSA warning

from asn1crypto import algos, cms, core, tsp  # noqa: E402
from asn1crypto import x509 as asn1_x509  # noqa: E402
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: E402
from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: E402
from pyhanko.sign import signers  # noqa: E402
from pyhanko.sign.general import as_signing_certificate_v2  # noqa: E402
from pyhanko.sign.general import simple_cms_attribute as _attribute  # noqa: E402
from pyhanko.sign.signers.pdf_signer import TimestampDSSContentSettings  # noqa: E402
from pyhanko.sign.timestamps.api import TimeStamper  # noqa: E402
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp  # noqa: E402
from pyhanko.sign.validation.dss import DocumentSecurityStore  # noqa: E402
from pyhanko_certvalidator import ValidationContext  # noqa: E402

# The timestamp policy (RFC 3161 requires one): an OID under 2.25 (ITU-T X.667, from a UUID),
# naming "a Proctor Desk institution's archive timestamp".
POLICY = "2.25.213178424512339785766043337069658398241"
FIELD_PREFIX = "ProctorDeskArchive"
DOC_TIMESTAMP = "/DocTimeStamp"


class ArchiveStampError(UserError):
    """A PDF cannot be timestamped for the archive."""


def _attr(name: str, value: Any) -> Any:
    return _attribute(name, value)  # type: ignore[no-untyped-call]


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


class _ArchiveWriter(IncrementalPdfFileWriter):
    """An incremental writer that leaves the document information and XMP metadata as
    signed: pyHanko's writer sets their modification date on every write, and the verifier
    (``pdf_verification``) accepts no change to them after a signature, since the record a
    report names is written there."""

    def _update_meta(self) -> None:
        return


class InstitutionTimeStamper(TimeStamper):
    """An RFC 3161 time-stamping authority in this process: answers every request with a token
    signed (ECDSA P-256, SHA-256) by ``key``, whose certificate ``cert`` the root issued."""

    def __init__(
        self,
        key: ec.EllipticCurvePrivateKey,
        cert: x509.Certificate,
        root: x509.Certificate,
        now: dt.datetime,
    ) -> None:
        super().__init__(include_nonce=True)  # type: ignore[no-untyped-call]
        self.key, self.now = key, now
        self.cert, self.root = _asn1(cert), _asn1(root)

    def request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        imprint: tsp.MessageImprint = req["message_imprint"]
        md = str(imprint["hash_algorithm"]["algorithm"].native)
        info: dict[str, Any] = {
            "version": "v1",
            "policy": tsp.ObjectIdentifier(POLICY),
            "message_imprint": imprint,
            "serial_number": secrets.randbits(63),
            "gen_time": self.now,
            "tsa": asn1_x509.GeneralName(name="directory_name", value=self.cert.subject),
        }
        if req["nonce"].native is not None:
            info["nonce"] = req["nonce"]
        content = tsp.TSTInfo(info).dump()
        attrs = cms.CMSAttributes(
            [
                _attr("content_type", "tst_info"),
                _attr("signing_time", cms.Time({"utc_time": core.UTCTime(self.now)})),
                _attr("signing_certificate_v2", as_signing_certificate_v2(self.cert)),
                _attr("message_digest", hashlib.new(md, content).digest()),
            ]
        )
        signature = self.key.sign(attrs.dump(), ec.ECDSA(hashes.SHA256()))
        digest = algos.DigestAlgorithm({"algorithm": md})
        signer_info = cms.SignerInfo(
            {
                "version": "v1",
                "sid": cms.SignerIdentifier(
                    {
                        "issuer_and_serial_number": cms.IssuerAndSerialNumber(
                            {
                                "issuer": self.cert.issuer,
                                "serial_number": self.cert.serial_number,
                            }
                        )
                    }
                ),
                "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                "signed_attrs": attrs,
                "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"}),
                "signature": signature,
            }
        )
        signed_data = cms.SignedData(
            {
                "version": "v3",
                "digest_algorithms": cms.DigestAlgorithms((digest,)),
                "encap_content_info": cms.EncapsulatedContentInfo(
                    {
                        "content_type": cms.ContentType("tst_info"),
                        "content": cms.ParsableOctetString(content),
                    }
                ),
                # The whole chain, so a reader needs only the root it already trusts.
                "certificates": [self.cert, self.root],
                "signer_infos": [signer_info],
            }
        )
        token = cms.ContentInfo(
            {"content_type": cms.ContentType("signed_data"), "content": signed_data}
        )
        status = tsp.PKIStatusInfo({"status": tsp.PKIStatus("granted")})
        return tsp.TimeStampResp({"status": status, "time_stamp_token": token})

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        return self.request_tsa_response(req)


@dataclass(frozen=True)
class ArchiveStamper:
    """One archiving run's timestamping: the root, a fresh key and its certificate, the time."""

    root: x509.Certificate
    certificate: x509.Certificate
    timestamper: InstitutionTimeStamper
    now: dt.datetime

    def context(self) -> ValidationContext:
        # Offline: the certificates travel in the PDF, and no revocation service exists here.
        return ValidationContext(
            trust_roots=[_asn1(self.root)],
            allow_fetching=False,
            moment=self.now,
            revocation_mode="soft-fail",
        )


def archive_stamper(
    identity: InstitutionIdentity, now: dt.datetime | None = None
) -> ArchiveStamper:
    """A timestamping authority for one run, certified by ``identity``'s root (``now``: the
    time its timestamps state, default the clock)."""
    when = now or dt.datetime.now(dt.UTC)
    root = identity.public.root_certificate
    if not root.not_valid_before_utc <= when < root.not_valid_after_utc:
        raise ArchiveStampError(
            f"the institution's root certificate is not valid at {when:%Y-%m-%d}: "
            "no archive timestamp can be made with it"
        )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = issue_timestamping(identity.root_key, root, key, when)
    return ArchiveStamper(root, cert, InstitutionTimeStamper(key, cert, root, when), when)


def timestamp_count(pdf: bytes) -> int:
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    return len(reader.embedded_timestamp_signatures)


def add_archive_timestamp(pdf: bytes, stamper: ArchiveStamper) -> bytes:
    """``pdf`` with the validation data of what it holds (the certificates of its signatures,
    or of its newest timestamp when it has one) and a new document timestamp over all of it,
    each as an incremental update: the signed bytes before stay as they were.

    A renewal (the PDF already carries timestamps) requires its newest timestamp to be still
    valid now: once that one's certificate has ended, nothing proves the older times any more."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        stamps = list(reader.embedded_timestamp_signatures)
        context = stamper.context()
        paths: list[Any] = []
        if stamps:
            status = validate_pdf_timestamp(stamps[-1], validation_context=context)
            if not (status.intact and status.valid and status.trusted):
                raise ArchiveStampError(
                    "the newest archive timestamp no longer validates (its certificate "
                    "has ended or the file was changed): the chain cannot be renewed"
                )
            paths.append(status.validation_path)
        else:
            for sig in reader.embedded_regular_signatures:
                signed = validate_pdf_signature(sig, context)
                if not (signed.intact and signed.valid):
                    raise ArchiveStampError("its signature is not intact")
                if signed.validation_path is not None:  # trusted: its chain goes in the DSS
                    paths.append(signed.validation_path)
            if not reader.embedded_regular_signatures:
                raise ArchiveStampError("the file is not signed")
        writer = _ArchiveWriter(io.BytesIO(pdf), strict=False)
        if paths:
            DocumentSecurityStore.supply_dss_in_writer(
                writer, None, paths=paths, validation_context=context
            )
        output = io.BytesIO()
        field = f"{FIELD_PREFIX}{len(stamps) + 1}"
        signers.PdfTimeStamper(stamper.timestamper, field_name=field).timestamp_pdf(
            writer,
            "sha256",
            validation_context=context,
            output=output,
            # The timestamp's own chain goes in before it, so it covers the whole file.
            dss_settings=TimestampDSSContentSettings(update_before_ts=True, include_vri=False),
        )
    except ArchiveStampError:
        raise
    except Exception as exc:  # pyHanko raises many kinds on a damaged file
        raise ArchiveStampError(f"the file cannot be timestamped ({exc})") from None
    return output.getvalue()
