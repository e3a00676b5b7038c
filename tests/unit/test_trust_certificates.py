"""Certificate checks refuse, never crash: a signature by an unknown algorithm is a plain no."""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from app.core.trust.certificates import issue_site, make_root, signed_by

ECDSA_SHA256 = bytes.fromhex("06082a8648ce3d040302")
UNKNOWN_OID = bytes.fromhex("06082a8648ce3d040309")


def _pair() -> tuple[x509.Certificate, x509.Certificate]:
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = make_root(root_key, "测试评价机构")
    site = issue_site(root_key, root, ec.generate_private_key(ec.SECP256R1()), "测试考点", "s-1")
    return root, site


def test_a_site_issued_by_the_root_is_signed_by_it() -> None:
    root, site = _pair()
    assert signed_by(site, root)
    other_root, _ = _pair()
    assert not signed_by(site, other_root)


def test_an_unknown_signature_algorithm_is_refused_not_raised() -> None:
    root, site = _pair()
    der = site.public_bytes(serialization.Encoding.DER)
    assert ECDSA_SHA256 in der
    mangled = x509.load_der_x509_certificate(der.replace(ECDSA_SHA256, UNKNOWN_OID))
    assert signed_by(mangled, root) is False
