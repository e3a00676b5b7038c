"""This device's Ed25519 key, its id and its short code, created on first run in the data folder.

The key seals confirmed records; the short code prefixes paper-log numbers (``A-007``) so that
several laptops recording in one session never hand out the same number.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.core.durable import write_durably
from app.core.errors import UserError
from app.core.seal import key_vault
from app.core.seal.canonical import sha256_hex

INFO_FILE = "device.json"
# Letters that cannot be misread on paper (no I, O, Q) — the code is copied by hand.
CODE_ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ"


class DeviceKeyError(UserError):
    """The device key or its info file is unreadable."""


class DeviceKey:
    """This device's identity and its Ed25519 key, opened from the vault at the first need
    (``key_vault``): reading and verifying never need the passphrase, signing does."""

    def __init__(self, data_dir: Path, device_id: str, code: str) -> None:
        self.data_dir = data_dir
        self.device_id = device_id
        self.code = code
        self._private: Ed25519PrivateKey | None = None
        self._public: bytes | None = None  # once read (the vault's clear part, checked)

    @property
    def vault(self) -> key_vault.Vault:
        return key_vault.ensure(self.data_dir, self.device_id)

    @property
    def public_bytes(self) -> bytes:
        """The raw public key: from the vault's clear part, or an earlier version's plain key
        file (which moves into the vault at the first signature)."""
        if self._public is not None:
            return self._public
        vault = key_vault.vault_for(self.data_dir)
        if vault.exists():
            device_id, public = vault.identity()
            if device_id != self.device_id:
                raise DeviceKeyError(
                    f"the keys in {vault.path} belong to device {device_id}, not to this "
                    f"folder's device {self.device_id}: put the data folder back from a backup"
                )
            self._public = public
            return public
        legacy = self.data_dir / key_vault.LEGACY_DEVICE_KEY
        if legacy.is_file():
            return key_vault.raw_public(key_vault.load_ed25519(legacy.read_bytes(), legacy))
        return self.vault.identity()[1]

    def existing_public(self) -> bytes | None:
        """The public key where one was made already; ``None`` on a folder that never signed
        (reading must not make a key)."""
        vault = key_vault.vault_for(self.data_dir)
        legacy = self.data_dir / key_vault.LEGACY_DEVICE_KEY
        if self._public is None and not vault.exists() and not legacy.is_file():
            return None
        return self.public_bytes

    @property
    def private_key(self) -> Ed25519PrivateKey:
        if self._private is None:
            public = self.public_bytes  # the device check above, before anything is signed
            private = self.vault.device_private()
            if key_vault.raw_public(private) != public:
                raise DeviceKeyError("the device key does not match the key this folder names")
            self._private = private
        return self._private

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_bytes)

    def sign(self, data: bytes) -> bytes:
        return self.private_key.sign(data)

    def with_code(self, code: str) -> DeviceKey:
        other = DeviceKey(self.data_dir, self.device_id, code)
        other._private, other._public = self._private, self._public
        return other


def fingerprint(public_bytes: bytes) -> str:
    """SHA-256 of the raw public key, hex in groups of four, to read aloud or compare by eye."""
    digest = sha256_hex(public_bytes)
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def verify_signature(public_bytes: bytes, signature: bytes, data: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_bytes).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def default_code(public_bytes: bytes) -> str:
    """A two-letter code derived from the key (529 possibilities).

    Only a code the site hands out per laptop (``set_code``, e.g. "A", "B") is certain to
    differ between laptops; the derived one makes a clash unlikely until that is done.
    """
    n = int.from_bytes(public_bytes[:4], "big")
    size = len(CODE_ALPHABET)
    return CODE_ALPHABET[n % size] + CODE_ALPHABET[(n // size) % size]


def valid_code(code: str) -> bool:
    return 1 <= len(code) <= 3 and all(c in CODE_ALPHABET or c.isdigit() for c in code)


def load_or_create(folder: Path) -> DeviceKey:
    """This device's identity from ``folder`` (the data folder's ``device/``), its id made on
    first run; the key itself is made, or opened, in the vault when first needed."""
    folder.mkdir(parents=True, exist_ok=True)
    info_path = folder / INFO_FILE
    if info_path.exists():
        try:
            info = json.loads(info_path.read_text(encoding="utf-8"))
            device_id, code = str(info["device_id"]), str(info["code"])
        except (ValueError, KeyError, TypeError) as exc:
            raise DeviceKeyError(f"device info {info_path} is unreadable: {exc}") from exc
        return DeviceKey(folder.parent, device_id, code)
    vault = key_vault.vault_for(folder.parent)
    legacy = folder.parent / key_vault.LEGACY_DEVICE_KEY
    if vault.exists():
        device_id, public = vault.identity()
    else:
        device_id = str(uuid.uuid4())
        public = (
            key_vault.raw_public(key_vault.load_ed25519(legacy.read_bytes(), legacy))
            if legacy.is_file()
            else uuid.UUID(device_id).bytes
        )
    code = default_code(public)
    _write_info(info_path, device_id, code)
    return DeviceKey(folder.parent, device_id, code)


def set_code(folder: Path, code: str) -> DeviceKey:
    """Give this device another short code (e.g. the letter written on the laptop)."""
    code = code.strip().upper()
    if not valid_code(code):
        raise DeviceKeyError(
            f"device code: '{code}' is not allowed; use 1-3 letters ({CODE_ALPHABET}) or digits"
        )
    key = load_or_create(folder)
    _write_info(folder / INFO_FILE, key.device_id, code)
    return key.with_code(code)


def _write_info(path: Path, device_id: str, code: str) -> None:
    # The device code numbers every record: it must not revert after a power cut.
    write_durably(path, json.dumps({"device_id": device_id, "code": code}).encode("utf-8"))
