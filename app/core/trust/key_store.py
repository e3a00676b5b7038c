"""The institution's private keys at rest: one file, ``private-keys.json``, a versioned JSON
envelope under the admin's passphrase::

    {"format": "proctor-desk-private-keys", "version": 1,
     "kdf": {"name": "argon2id", "time_cost", "memory_kib", "parallelism", "salt"},
     "cipher": {"name": "AES-256-GCM", "nonce"},
     "ciphertext": "<base64>"}

The key is Argon2id of the passphrase (RFC 9106's second recommended setting: 3 passes over
64 MiB, 4 lanes), memory-hard, so a copied folder's passphrase cannot be guessed at the speed
PKCS#8's PBKDF2 of 2,048 rounds allowed (what earlier versions wrote, ``*-key.pem``; they are
still read and rewritten in this form at the first successful unlock). AES-GCM's associated
data is the canonical JSON of every field but ``ciphertext``. The plaintext holds the keys as
unencrypted PKCS#8 PEM, by name.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.core.seal.canonical import canonical_text

FILE = "private-keys.json"
FORMAT = "proctor-desk-private-keys"
VERSION = 1
TIME_COST, MEMORY_KIB, PARALLELISM = 3, 64 * 1024, 4
# A file asking for more is refused rather than obeyed (it could make an unlock take hours).
_MAX_TIME, _MAX_MEMORY, _MAX_LANES = 10, 1024 * 1024, 16
MAX_FILE_BYTES = 1 << 20


class KeyStoreError(ValueError):
    """The file is no key store this version reads."""


class WrongKeyStorePassphrase(ValueError):
    """The passphrase does not open the store (or the store was altered)."""


def _key(passphrase: str, salt: bytes, time_cost: int, memory_kib: int, lanes: int) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=time_cost,
        memory_cost=memory_kib,
        parallelism=lanes,
        hash_len=32,
        type=Type.ID,
    )


def _aad(envelope: dict[str, Any]) -> bytes:
    return canonical_text({k: v for k, v in envelope.items() if k != "ciphertext"}).encode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def seal_keys(keys: dict[str, str], passphrase: str) -> bytes:
    """The store's bytes: ``keys`` (name → unencrypted PKCS#8 PEM) under ``passphrase``."""
    salt, nonce = os.urandom(16), os.urandom(12)
    envelope: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "kdf": {
            "name": "argon2id",
            "time_cost": TIME_COST,
            "memory_kib": MEMORY_KIB,
            "parallelism": PARALLELISM,
            "salt": _b64(salt),
        },
        "cipher": {"name": "AES-256-GCM", "nonce": _b64(nonce)},
    }
    key = _key(passphrase, salt, TIME_COST, MEMORY_KIB, PARALLELISM)
    plaintext = json.dumps(keys).encode("utf-8")
    envelope["ciphertext"] = _b64(AESGCM(key).encrypt(nonce, plaintext, _aad(envelope)))
    return (json.dumps(envelope, indent=2) + "\n").encode("utf-8")


def open_keys(data: bytes, passphrase: str) -> dict[str, str]:
    """The keys in the store's bytes ``data``; ``WrongKeyStorePassphrase`` when ``passphrase``
    does not open them, ``KeyStoreError`` when the file is no store of this version."""
    if len(data) > MAX_FILE_BYTES:
        raise KeyStoreError("far too large for a key store")
    try:
        envelope = json.loads(data.decode("utf-8"))
        kdf, cipher = envelope["kdf"], envelope["cipher"]
        if envelope["format"] != FORMAT or envelope["version"] != VERSION:
            raise KeyStoreError(f"not a key store of version {VERSION}")
        if kdf["name"] != "argon2id" or cipher["name"] != "AES-256-GCM":
            raise KeyStoreError("unknown key derivation or cipher")
        time_cost, memory, lanes = kdf["time_cost"], kdf["memory_kib"], kdf["parallelism"]
        if not all(type(v) is int for v in (time_cost, memory, lanes)) or not (
            1 <= time_cost <= _MAX_TIME
            and 8 * lanes <= memory <= _MAX_MEMORY
            and 1 <= lanes <= _MAX_LANES
        ):
            raise KeyStoreError("key derivation parameters out of range")
        salt = base64.b64decode(kdf["salt"], validate=True)
        nonce = base64.b64decode(cipher["nonce"], validate=True)
        ciphertext = base64.b64decode(envelope["ciphertext"], validate=True)
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        if isinstance(exc, KeyStoreError):
            raise
        raise KeyStoreError(f"malformed key store ({type(exc).__name__})") from None
    key = _key(passphrase, salt, time_cost, memory, lanes)
    try:
        plaintext = AESGCM(key).decrypt(nonce, ciphertext, _aad(envelope))
    except (InvalidTag, ValueError):
        raise WrongKeyStorePassphrase("the passphrase does not open the key store") from None
    keys = json.loads(plaintext)
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        raise KeyStoreError("malformed key store content")
    return {str(k): v for k, v in keys.items()}
