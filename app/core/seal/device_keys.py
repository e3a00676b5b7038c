"""This device's Ed25519 key, its id and its short code, created on first run in the data folder.

The key seals confirmed records; the short code prefixes paper-log numbers (``A-007``) so that
several laptops recording in one session never hand out the same number.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.core.durable import create_durably, write_durably
from app.core.errors import UserError
from app.core.seal.canonical import sha256_hex

KEY_FILE = "device_key.pem"
INFO_FILE = "device.json"
# Letters that cannot be misread on paper (no I, O, Q) — the code is copied by hand.
CODE_ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ"


class DeviceKeyError(UserError):
    """The device key or its info file is unreadable."""


@dataclass(frozen=True)
class DeviceKey:
    device_id: str
    code: str
    private_key: Ed25519PrivateKey
    public_bytes: bytes  # raw 32-byte public key

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_bytes)

    def sign(self, data: bytes) -> bytes:
        return self.private_key.sign(data)


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
    """Load the device key from ``folder``, creating key and info on first run."""
    folder.mkdir(parents=True, exist_ok=True)
    key_path, info_path = folder / KEY_FILE, folder / INFO_FILE
    if not key_path.exists():
        private = Ed25519PrivateKey.generate()
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        # Whole or not at all: a full disk or a kill leaves no empty key to trip on later.
        # FileExistsError: another process made it first; use theirs.
        with contextlib.suppress(FileExistsError):
            create_durably(key_path, pem, 0o600)
    try:
        loaded = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise DeviceKeyError(_damaged(key_path, str(exc) or type(exc).__name__)) from None
    if not isinstance(loaded, Ed25519PrivateKey):
        raise DeviceKeyError(_damaged(key_path, "not an Ed25519 key"))
    public = loaded.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    if info_path.exists():
        try:
            info = json.loads(info_path.read_text(encoding="utf-8"))
            device_id, code = str(info["device_id"]), str(info["code"])
        except (ValueError, KeyError) as exc:
            raise DeviceKeyError(f"device info {info_path} is unreadable: {exc}") from exc
    else:
        device_id, code = str(uuid.uuid4()), default_code(public)
        _write_info(info_path, device_id, code)
    return DeviceKey(device_id, code, loaded, public)


def _damaged(key_path: Path, reason: str) -> str:
    first_line = reason.splitlines()[0] if reason.strip() else "empty file"
    return (
        f"device key {key_path} is damaged or empty ({first_line}); the records sealed with it "
        "need it: put it back from a backup of the data folder. On a laptop that has sealed "
        "no record yet, remove the file and start again to make a new key"
    )


def set_code(folder: Path, code: str) -> DeviceKey:
    """Give this device another short code (e.g. the letter written on the laptop)."""
    code = code.strip().upper()
    if not valid_code(code):
        raise DeviceKeyError(
            f"device code: '{code}' is not allowed; use 1-3 letters ({CODE_ALPHABET}) or digits"
        )
    key = load_or_create(folder)
    _write_info(folder / INFO_FILE, key.device_id, code)
    return DeviceKey(key.device_id, code, key.private_key, key.public_bytes)


def _write_info(path: Path, device_id: str, code: str) -> None:
    # The device code numbers every record: it must not revert after a power cut.
    write_durably(path, json.dumps({"device_id": device_id, "code": code}).encode("utf-8"))
