"""X.509 for the chain root → site → device.

The root (ECDSA P-256) is the institution's; a site certificate (ECDSA P-256, issued by the
root) signs the site's PDFs and certifies the site's laptops; a device certificate binds a
laptop's Ed25519 key (the key that seals records and signs bundles) to the site. The site
certificate is a CA limited to issuing end certificates (path length 0).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from app.core.errors import UserError

ROOT_YEARS = 20
SITE_DAYS = 400
DEVICE_DAYS = 400
# An archive timestamping certificate lasts this long (never past the root): the archive's
# newest timestamp must be renewed before it ends (``report archived --renew``).
TIMESTAMPING_YEARS = 10
# A case document's signing certificate: its key signs one run's documents and is forgotten,
# so it may last as long as the documents must verify (never past the root).
DOCUMENT_SIGNING_YEARS = 10
# id-kp-documentSigning (RFC 9336): for signing documents, not for TLS or code.
DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")


class CertificateError(UserError):
    """A certificate or chain that does not hold."""


def _name(common_name: str, organization: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
        ]
    )


def _usage(*, sign: bool, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def make_root(
    key: ec.EllipticCurvePrivateKey, institution_name: str, now: dt.datetime | None = None
) -> x509.Certificate:
    """The institution's self-signed root certificate, valid from ``now`` (default the clock)."""
    name = _name(f"{institution_name} root", institution_name)
    now = now or dt.datetime.now(dt.UTC)
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * ROOT_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
        .add_extension(_usage(sign=False, cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )


def issue_site(
    root_key: ec.EllipticCurvePrivateKey,
    root: x509.Certificate,
    site_key: ec.EllipticCurvePrivateKey,
    site_name: str,
    session_id: str,
) -> x509.Certificate:
    """A site certificate for one session's exam site."""
    organization = _organization(root)
    now = dt.datetime.now(dt.UTC)
    public = site_key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, f"{site_name} ({session_id[:8]})"),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
                    x509.NameAttribute(NameOID.SERIAL_NUMBER, session_id),
                ]
            )
        )
        .issuer_name(root.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=SITE_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(sign=True, cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(_ec_public(root)),
            critical=False,
        )
        .sign(root_key, hashes.SHA256())
    )


def issue_timestamping(
    root_key: ec.EllipticCurvePrivateKey,
    root: x509.Certificate,
    tsa_key: ec.EllipticCurvePrivateKey,
    now: dt.datetime,
) -> x509.Certificate:
    """A certificate for the institution's archive timestamping key (RFC 3161 TSA: key usage
    for signing only, extended key usage timeStamping alone and critical, as RFC 3161 §2.3
    asks), valid from ``now`` for ``TIMESTAMPING_YEARS`` or until the root ends."""
    organization = _organization(root)
    public = tsa_key.public_key()
    until = min(now + dt.timedelta(days=365 * TIMESTAMPING_YEARS), root.not_valid_after_utc)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(f"{organization} archive timestamping", organization))
        .issuer_name(root.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(sign=True, cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(_ec_public(root)),
            critical=False,
        )
        .sign(root_key, hashes.SHA256())
    )


def issue_document_signing(
    root_key: ec.EllipticCurvePrivateKey,
    root: x509.Certificate,
    key: ec.EllipticCurvePrivateKey,
    now: dt.datetime,
    signer: str,
) -> x509.Certificate:
    """A certificate for a key that signs the institution's case documents for one run: an end
    certificate (not a CA), key usage digitalSignature and contentCommitment, extended key
    usage documentSigning (RFC 9336); its subject names the institution and ``signer``, the
    account acting. Valid from ``now`` for ``DOCUMENT_SIGNING_YEARS`` or until the root ends."""
    organization = _organization(root)
    public = key.public_key()
    until = min(now + dt.timedelta(days=365 * DOCUMENT_SIGNING_YEARS), root.not_valid_after_utc)
    account = signer.strip() or "?"
    return (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, f"{organization} ({account})"),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
                    x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "case documents"),
                    x509.NameAttribute(NameOID.PSEUDONYM, account),
                ]
            )
        )
        .issuer_name(root.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(sign=True, cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([DOCUMENT_SIGNING]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(_ec_public(root)),
            critical=False,
        )
        .sign(root_key, hashes.SHA256())
    )


def certify_device(
    site_key: ec.EllipticCurvePrivateKey,
    site: x509.Certificate,
    device_public: bytes,
    device_id: str,
    device_code: str,
) -> x509.Certificate:
    """A certificate for a laptop's raw Ed25519 key, issued with the site key."""
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, f"device {device_code}"),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, _organization(site)),
                    x509.NameAttribute(NameOID.SERIAL_NUMBER, device_id),
                ]
            )
        )
        .issuer_name(site.subject)
        .public_key(Ed25519PublicKey.from_public_bytes(device_public))
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=DEVICE_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(sign=True, cert_sign=False), critical=True)
        .sign(site_key, hashes.SHA256())
    )


def _organization(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    return str(names[0].value) if names else "Proctor Desk"


def _ec_public(cert: x509.Certificate) -> ec.EllipticCurvePublicKey:
    key = cert.public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise CertificateError(f"certificate {cert.subject.rfc4514_string()}: not an ECDSA key")
    return key


def signed_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """Whether ``issuer``'s ECDSA key signed ``cert``; any unreadable signature is a no."""
    if cert.issuer != issuer.subject:
        return False
    try:
        # A hostile certificate may name an algorithm cryptography does not know.
        algorithm = cert.signature_hash_algorithm
        if algorithm is None:
            return False
        _ec_public(issuer).verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(algorithm))
    except (InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def verify_device_chain(
    root: x509.Certificate, chain: Sequence[x509.Certificate], at: dt.datetime | None = None
) -> bytes:
    """Check ``chain`` = [root, site, device] against our ``root``; return the device's raw key.

    The root in the chain must be ours byte for byte; each certificate must be issued by the
    one before it and valid at ``at`` (default: now).
    """
    if len(chain) != 3:
        raise CertificateError(
            f"the certificate chain has {len(chain)} certificates; expected root, site, device"
        )
    given_root, site, device = chain
    der = serialization.Encoding.DER
    if given_root.public_bytes(der) != root.public_bytes(der):
        raise CertificateError("the certificate chain is rooted in another institution")
    if not _is_ca(site) or not signed_by(site, root):
        raise CertificateError("the site certificate was not issued by the institution's root")
    if _is_ca(device) or not signed_by(device, site):
        raise CertificateError("the device certificate was not issued by the site certificate")
    when = at or dt.datetime.now(dt.UTC)
    for cert, what in ((site, "site"), (device, "device")):
        if not cert.not_valid_before_utc <= when <= cert.not_valid_after_utc:
            raise CertificateError(f"the {what} certificate is not valid at {when:%Y-%m-%d}")
    key = device.public_key()
    if not isinstance(key, Ed25519PublicKey):
        raise CertificateError("the device certificate does not hold an Ed25519 key")
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _serial_attribute(cert: x509.Certificate) -> str | None:
    names = cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    return str(names[0].value) if len(names) == 1 else None


def certified_for(chain: Sequence[x509.Certificate]) -> tuple[str, str]:
    """(session id, device id) a checked chain [root, site, device] binds its device key to.

    The site certificate names its session (serial-number attribute, signed by the root: one
    site key per kit, so per session); the device certificate names the device id (signed by
    that site key). Every chain this app issued carries both, from the first release on.
    """
    if len(chain) != 3:
        raise CertificateError("the certificate chain is not root, site, device")
    session_id, device_id = _serial_attribute(chain[1]), _serial_attribute(chain[2])
    if session_id is None or device_id is None:
        raise CertificateError("the site or device certificate does not name its session or device")
    return session_id, device_id


def to_pem(certs: Sequence[x509.Certificate]) -> str:
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in certs)


def from_pem(text: str) -> list[x509.Certificate]:
    try:
        return x509.load_pem_x509_certificates(text.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise CertificateError(f"a certificate cannot be read: {exc}") from None
