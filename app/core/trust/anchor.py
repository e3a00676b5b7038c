"""What vouches for the device key that ``verify`` checks seals and audit entries against.

Everything in the data folder (the ``device`` table, the vault's clear public key, a kit's
certificate chain) can be rewritten by whoever can write the folder, so a key found there
proves nothing by itself. It is *anchored* when something outside the folder's files agrees:

- ``--anchor FINGERPRINT``: the device's fingerprint from the export receipt or the paper log,
  or the SHA-256 of the institution's root certificate (``keys show``), which must then have
  certified this device's key through the kit's chain;
- the operating system's key store, whose copy of the vault key opens the vault holding it;
- the key passphrase (``$PROCTOR_DESK_DEVICE_PASSPHRASE``), which opens that vault.

Without any of them ``verify`` still checks every seal and entry against the folder's key and
says that it is not anchored.

Where the institution's identity is there is no device key (an earlier version's, if any, is
still read): the accounts sign with their own keys, certified up to the institution's signing
key, which ``institution_key`` names (from ``institution.json``). ``--anchor`` with the
institution's fingerprint anchors it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from app.core.seal import key_vault
from app.core.seal.device_keys import DeviceKey, fingerprint, load_or_create

DEVICE_DIR = "device"


@dataclass(frozen=True)
class Anchor:
    public_key: bytes  # the device key every local seal and audit entry must be made by
    anchored: bool
    by: str  # what anchors it, or why nothing does
    problem: str = ""  # an anchor given that does not hold
    # At the institution: its public signing key, which every account key's certificate
    # chain must lead to (empty elsewhere).
    institution_key: bytes = b""

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key) if self.public_key else ""

    def to_dict(self) -> dict[str, object]:
        return {"anchored": self.anchored, "by": self.by, "fingerprint": self.fingerprint}


def _hex(text: str) -> str:
    return "".join(text.split()).lower()


def root_fingerprint(root_der: bytes) -> str:
    digest = hashlib.sha256(root_der).hexdigest()
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def kit_roots(data_dir: Path) -> list[tuple[str, bytes, bytes]]:
    """(session id, root certificate DER, certified device key) of each kit chain here whose
    certificates are issued in order (root → site → device); their dates are not judged: an
    anchor holds for records made while they were valid."""
    from app.core.trust.certificates import CertificateError, from_pem, verify_device_chain
    from app.core.trust.site_state import CHAIN_FILE, FOLDER

    found: list[tuple[str, bytes, bytes]] = []
    folder = data_dir / FOLDER
    if not folder.is_dir():
        return found
    for chain_path in sorted(folder.glob(f"*/{CHAIN_FILE}")):
        try:
            chain = from_pem(chain_path.read_text(encoding="ascii"))
            if len(chain) != 3:
                continue
            device = verify_device_chain(chain[0], chain, at=chain[2].not_valid_before_utc)
        except (OSError, ValueError, CertificateError):
            continue
        found.append(
            (
                chain_path.parent.name,
                chain[0].public_bytes(serialization.Encoding.DER),
                device,
            )
        )
    return found


def folder_key(data_dir: Path) -> DeviceKey | None:
    """The folder's device key; none where the institution's identity is and no earlier
    version made one (reading must not make one there)."""
    from app.core.seal.device_keys import INFO_FILE
    from app.core.trust.presence import institution_here

    if institution_here(data_dir) and not (data_dir / DEVICE_DIR / INFO_FILE).is_file():
        return None
    return load_or_create(data_dir / DEVICE_DIR)


def resolve(data_dir: Path, given: str | None = None) -> Anchor:
    """The anchor of ``data_dir``'s keys: at the institution its signing key
    (``institution_anchor``); elsewhere the device key's, ``given`` (a fingerprint), else the
    key store, else the key passphrase from the environment, else none."""
    from app.core.trust.presence import institution_here

    if institution_here(data_dir):
        return institution_anchor(data_dir, given)
    return _device_anchor(data_dir, given)


def institution_anchor(data_dir: Path, given: str | None) -> Anchor:
    """The institution's signing key from ``institution.json``, anchored by ``given`` (its
    fingerprint); the device key of an earlier version, if the folder has one, with it."""
    from app.core.trust.institution import InstitutionError, load_public

    try:
        root = load_public(data_dir).signing_key
    except InstitutionError as exc:
        return Anchor(b"", False, "not anchored", str(exc))
    device = folder_key(data_dir)
    legacy = None if device is None else device.existing_public()
    if given and _hex(given) == _hex(fingerprint(root)):
        return Anchor(
            legacy or b"", True, "the institution fingerprint given (--anchor)",
            institution_key=root,
        )  # fmt: skip
    if legacy is not None:
        found = _device_anchor(data_dir, given)
        if given and found.problem:
            return Anchor(
                legacy, False, "not anchored",
                f"the institution key in this folder ({fingerprint(root)}) is not the one "
                "--anchor names, nor is its earlier device key",
                institution_key=root,
            )  # fmt: skip
        return Anchor(found.public_key, found.anchored, found.by, found.problem, root)
    if given:
        return Anchor(
            b"", False, "not anchored",
            f"the institution key in this folder ({fingerprint(root)}) is not the one "
            "--anchor names: institution.json was replaced, or the fingerprint is of another "
            "institution",
            institution_key=root,
        )  # fmt: skip
    return Anchor(
        b"",
        False,
        "not anchored: the account keys were checked up to the institution key that "
        "institution.json names, which anyone able to write the folder could replace; give "
        "--anchor with the institution's fingerprint",
        institution_key=root,
    )


def _device_anchor(data_dir: Path, given: str | None = None) -> Anchor:
    folder_device = folder_key(data_dir)
    existing = None if folder_device is None else folder_device.existing_public()
    if existing is None:
        return Anchor(b"", False, "no device key yet: nothing was signed in this folder")
    public = existing
    if given:
        wanted = _hex(given)
        if wanted == _hex(fingerprint(public)):
            return Anchor(public, True, "the device fingerprint given (--anchor)")
        for session_id, root_der, device in kit_roots(data_dir):
            if wanted == hashlib.sha256(root_der).hexdigest():
                if device == public:
                    return Anchor(
                        public,
                        True,
                        f"the institution root given (--anchor), through the chain of kit "
                        f"session {session_id}",
                    )
                return Anchor(
                    public,
                    False,
                    "not anchored",
                    f"the institution root given certified another key ({fingerprint(device)}) "
                    "than the one in this folder",
                )
        return Anchor(
            public,
            False,
            "not anchored",
            f"the device key in this folder ({fingerprint(public)}) is not the one --anchor "
            "names, nor certified by it: the folder's key was replaced, or the fingerprint "
            "is of another laptop",
        )
    vault = key_vault.vault_for(data_dir)
    if vault.exists():
        try:
            # Opened in this program already (the app, the self-test), or by the key store,
            # or with the passphrase from the environment; never asked for here.
            if vault.open_without_asking():
                if vault.opened_by == "key store":
                    return Anchor(public, True, "the operating system's key store")
                return Anchor(public, True, "the key passphrase, which opens the vault")
        except key_vault.KeyVaultError as exc:
            return Anchor(public, False, "not anchored", f"the vault does not open: {exc}")
    return Anchor(
        public,
        False,
        "not anchored: the checks used the key this folder names, which anyone able to write "
        "the folder could replace; give --anchor with the fingerprint from the export receipt "
        "or the paper log",
    )
