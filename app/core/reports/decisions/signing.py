"""Signing a casework document: the same PAdES signature, field and signer as every other
signed report of the app (``reports.pdf_signing.PdfSigner``), so ``report verify`` and the
archive read it as they read the others."""

from __future__ import annotations

from app.core.reports.pdf_signing import PdfSigner
from app.core.trust.pdf_identity import SigningIdentity


def sign_document(
    pdf: bytes, identity: SigningIdentity, *, reason: str, location: str = ""
) -> bytes:
    """``pdf`` signed by ``identity``; ``reason`` names the document (its title and number)."""
    return PdfSigner(identity).sign(pdf, reason=reason, location=location)
