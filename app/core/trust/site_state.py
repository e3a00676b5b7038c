"""What a laptop keeps from the kits it imported, under ``<data folder>/site-kit/``.

``institution.json`` pins the institution (the first kit's; a kit from another one is
refused). Per session: ``<session id>/kit.json`` marks the session as a kit session (its
bundles are encrypted to the institution), and, once the site passphrase was given,
``chain.pem`` (root, site, device); the site key itself is in the laptop's vault
(``key_vault``), never in the clear.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from app.core.durable import write_durably
from app.core.errors import UserError
from app.core.trust.certificates import from_pem, to_pem
from app.core.trust.institution import InstitutionPublic

FOLDER = "site-kit"
INSTITUTION_FILE = "institution.json"
SESSION_FILE = "kit.json"
CHAIN_FILE = "chain.pem"


class SiteStateError(UserError):
    """The kit state on this laptop is unreadable."""


@dataclass(frozen=True)
class SiteCredentials:
    """A session's site key and the chain root → site → device."""

    site_key: ec.EllipticCurvePrivateKey
    chain: tuple[x509.Certificate, x509.Certificate, x509.Certificate]

    @property
    def root(self) -> x509.Certificate:
        return self.chain[0]

    @property
    def site(self) -> x509.Certificate:
        return self.chain[1]

    @property
    def device(self) -> x509.Certificate:
        return self.chain[2]


def _folder(data_dir: Path) -> Path:
    return Path(data_dir) / FOLDER


def _session_folder(data_dir: Path, session_id: str) -> Path:
    if not session_id or "/" in session_id or "\\" in session_id or session_id.startswith("."):
        raise SiteStateError(f"session id {session_id!r} cannot name a folder")
    return _folder(data_dir) / session_id


def _replace(path: Path, data: bytes, mode: int = 0o644) -> None:
    write_durably(path, data, mode)


def pinned_institution(data_dir: Path) -> InstitutionPublic | None:
    path = _folder(data_dir) / INSTITUTION_FILE
    if not path.is_file():
        return None
    try:
        return InstitutionPublic.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise SiteStateError(f"{path}: unreadable ({exc})") from None


def pin_institution(data_dir: Path, institution: InstitutionPublic) -> None:
    _replace(
        _folder(data_dir) / INSTITUTION_FILE,
        json.dumps(institution.to_json(), indent=2).encode("utf-8"),
    )


def mark_kit_session(data_dir: Path, session_id: str, kit_id: str) -> None:
    _replace(
        _session_folder(data_dir, session_id) / SESSION_FILE,
        json.dumps({"session_id": session_id, "kit_id": kit_id}).encode("utf-8"),
    )


def is_kit_session(data_dir: Path, session_id: str) -> bool:
    return (_session_folder(data_dir, session_id) / SESSION_FILE).is_file()


def save_credentials(data_dir: Path, session_id: str, credentials: SiteCredentials) -> None:
    """The site key into the laptop's vault (``key_vault``), the chain beside it (public)."""
    from app.core.seal.device_keys import load_or_create
    from app.core.seal.key_vault import site_item

    folder = _session_folder(data_dir, session_id)
    pem = credentials.site_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    load_or_create(Path(data_dir) / "device").vault.put(site_item(session_id), pem)
    _replace(folder / CHAIN_FILE, to_pem(credentials.chain).encode("ascii"))


def load_credentials(data_dir: Path, session_id: str) -> SiteCredentials | None:
    from app.core.seal.device_keys import load_or_create
    from app.core.seal.key_vault import site_item

    folder = _session_folder(data_dir, session_id)
    chain_path = folder / CHAIN_FILE
    if not chain_path.is_file():
        return None
    pem = load_or_create(Path(data_dir) / "device").vault.item(site_item(session_id))
    if pem is None:
        return None
    try:
        key = serialization.load_pem_private_key(pem, password=None)
        chain = from_pem(chain_path.read_text(encoding="ascii"))
    except (OSError, ValueError) as exc:
        raise SiteStateError(f"{folder}: site key or certificates unreadable ({exc})") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or len(chain) != 3:
        raise SiteStateError(f"{folder}: site key or certificate chain is not as written")
    return SiteCredentials(key, (chain[0], chain[1], chain[2]))


def credential_sessions(data_dir: Path) -> list[str]:
    """Sessions with site credentials, most recently certified first."""
    folder = _folder(data_dir)
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if (p / CHAIN_FILE).is_file()]
    found.sort(key=lambda p: (p / CHAIN_FILE).stat().st_mtime_ns, reverse=True)
    return [p.name for p in found]
