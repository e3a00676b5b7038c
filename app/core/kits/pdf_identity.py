"""Which identity signs a report's PDF: the site certificate when a kit provided one (so the
PDF validates against the institution's root), else the device's self-issued certificate."""

from __future__ import annotations

from pathlib import Path

from app.core.kits import site_state
from app.core.reports.pdf_signing import SigningIdentity, device_identity


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
