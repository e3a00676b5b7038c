"""Who signs a report's PDF: the site certificate when a kit provided one (so the PDF
validates against the institution's root), else the device's own self-issued certificate, made
once (its key in the laptop's key vault, its certificate under ``pdf-signing/``). The signing
itself (pyHanko) is ``reports.pdf_signing``'s."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from app.core.durable import write_durably
from app.core.errors import UserError
from app.core.trust import site_state
from app.core.trust.certificates import issue_document_signing

if TYPE_CHECKING:
    from app.core.trust.institution import InstitutionIdentity

FOLDER = "pdf-signing"
CERT_FILE = "device-cert.pem"
CERT_YEARS = 10


class SigningError(UserError):
    """The signing key or certificate cannot be used."""


@dataclass(frozen=True)
class SigningIdentity:
    """A private key with its certificate and the chain up to its root (may be empty)."""

    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def signer_name(self) -> str:
        names = self.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(names[0].value) if names else self.certificate.subject.rfc4514_string()

    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @classmethod
    def from_pkcs12(cls, data: bytes, passphrase: bytes | None) -> SigningIdentity:
        """A site-issued identity from a PKCS#12 file (key, certificate, chain)."""
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(data, passphrase)
        except ValueError as exc:
            raise SigningError(f"PKCS#12 file cannot be opened: {exc}") from None
        if cert is None or not isinstance(key, ec.EllipticCurvePrivateKey):
            raise SigningError("PKCS#12 file must hold an ECDSA key and its certificate")
        return cls(key, cert, tuple(extra))


def device_identity(data_folder: Path, device_code: str) -> SigningIdentity:
    """This device's self-issued identity: its key in the laptop's vault (``key_vault``),
    created at the first use, its certificate under ``pdf-signing/`` (public; one found
    missing, as after a stop between the two writes, is issued again for the same key)."""
    from app.core.seal.device_keys import load_or_create
    from app.core.seal.key_vault import PDF_ITEM

    vault = load_or_create(data_folder / "device").vault
    pem = vault.item(PDF_ITEM)
    if pem is None:
        pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        vault.put(PDF_ITEM, pem)
    key = _load_key(pem, vault.path)
    cert_path = data_folder / FOLDER / CERT_FILE
    if not cert_path.exists():
        cert = _self_issued(key, f"Proctor Desk device {device_code}")
        write_durably(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    return _load_device(key, cert_path)


def _damaged(path: Path, what: str, reason: str) -> SigningError:
    first_line = reason.splitlines()[0] if reason.strip() else "empty file"
    return SigningError(
        f"{what} {path} is damaged or empty ({first_line}): remove the folder {path.parent} "
        "and this laptop makes a new PDF signing key (PDFs signed before keep verifying with "
        "--trust and the old certificate, or put the folder back from a backup)"
    )


def _load_key(pem: bytes, where: Path) -> ec.EllipticCurvePrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise _damaged(where, "PDF signing key in", str(exc)) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise SigningError(f"{where}: the PDF signing key is not an ECDSA key")
    return key


def _load_device(key: ec.EllipticCurvePrivateKey, cert_path: Path) -> SigningIdentity:
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    except OSError as exc:
        raise SigningError(f"{cert_path}: PDF signing certificate unreadable ({exc})") from None
    except ValueError as exc:
        raise _damaged(cert_path, "PDF signing certificate", str(exc)) from None
    if cert.public_key() != key.public_key():
        raise SigningError(f"{cert_path}: certificate does not match the key")
    return SigningIdentity(key, cert)


def _self_issued(key: ec.EllipticCurvePrivateKey, common_name: str) -> x509.Certificate:
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Proctor Desk"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * CERT_YEARS))
        # The certificate is its own trust anchor; NSS (pdfsig, Firefox) accepts an anchor only
        # when it is marked CA, so it is a CA that may issue nothing (path length 0).
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )


def report_identity(
    data_dir: Path, device_code: str, session_id: str | None = None
) -> SigningIdentity:
    """The site identity of ``session_id`` (or, with no session, of the latest kit) when this
    laptop was certified; otherwise the device identity."""
    if session_id is not None:
        sessions = [session_id]
    else:
        sessions = site_state.credential_sessions(data_dir)[:1]
    for candidate in sessions:
        credentials = site_state.load_credentials(data_dir, candidate)
        if credentials is not None:
            return SigningIdentity(credentials.site_key, credentials.site, (credentials.root,))
    return device_identity(data_dir, device_code)


def document_identity(
    identity: InstitutionIdentity, account_name: str, now: dt.datetime | None = None
) -> SigningIdentity:
    """The identity that signs the institution's case documents for one run: a fresh key
    certified by the institution's root (``issue_document_signing``) in the name of the
    institution and ``account_name``, then forgotten. A document it signs validates against
    the root alone."""
    when = now or dt.datetime.now(dt.UTC)
    root = identity.public.root_certificate
    if not root.not_valid_before_utc <= when < root.not_valid_after_utc:
        raise SigningError(
            f"the institution's root certificate is not valid at {when:%Y-%m-%d}: "
            "no document can be signed with it"
        )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = issue_document_signing(identity.root_key, root, key, when, account_name)
    return SigningIdentity(key, cert, (root,))
