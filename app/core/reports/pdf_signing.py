"""PAdES baseline-B signatures on report PDFs, with ECDSA P-256.

Until a site kit brings an institution-issued certificate (PKCS#12, chain root → site), each
device signs with its own self-issued certificate, made once and kept in the data folder under
``pdf-signing/``. Ed25519 stays the key of record seals: PDF readers do not accept it.

pyHanko takes most of a second to import, so it is imported only when a PDF is signed.
"""

from __future__ import annotations

import io
from typing import Any

from cryptography.hazmat.primitives import serialization

from app.core.reports.pyhanko_import import load_pyhanko
from app.core.trust.pdf_identity import SigningIdentity

FIELD_NAME = "ProctorDeskSignature"


class PdfSigner:
    """Signs PDFs with one identity; builds the pyHanko signer once and reuses it."""

    def __init__(self, identity: SigningIdentity) -> None:
        self.identity = identity
        self._signer: Any = None

    def _pyhanko_signer(self) -> Any:
        if self._signer is None:
            from asn1crypto import keys as asn1_keys
            from asn1crypto import x509 as asn1_x509

            load_pyhanko()
            from pyhanko.sign import signers
            from pyhanko_certvalidator.registry import SimpleCertificateStore

            der = serialization.Encoding.DER
            key_info = asn1_keys.PrivateKeyInfo.load(
                self.identity.key.private_bytes(
                    der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                )
            )
            cert = asn1_x509.Certificate.load(self.identity.certificate.public_bytes(der))
            chain = [asn1_x509.Certificate.load(c.public_bytes(der)) for c in self.identity.chain]
            self._signer = signers.SimpleSigner(
                signing_cert=cert,
                signing_key=key_info,
                cert_registry=SimpleCertificateStore.from_certs([cert, *chain]),  # type: ignore[no-untyped-call]
            )
        return self._signer

    def sign(self, pdf: bytes, *, reason: str = "", location: str = "") -> bytes:
        """``pdf`` with a PAdES baseline-B signature appended as an incremental update."""
        load_pyhanko()
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import signers
        from pyhanko.sign.fields import SigSeedSubFilter

        meta = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            subfilter=SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=reason or None,
            location=location or None,
            name=self.identity.signer_name,
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        output = io.BytesIO()
        signers.sign_pdf(writer, meta, signer=self._pyhanko_signer(), output=output)
        return output.getvalue()
