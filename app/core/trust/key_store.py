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

import json
from typing import Any

from app.core.seal import passphrase_box as box
from app.core.seal.canonical import canonical_bytes

FILE = "private-keys.json"
FORMAT = "proctor-desk-private-keys"
VERSION = 1
TIME_COST, MEMORY_KIB, PARALLELISM = 3, 64 * 1024, 4
MAX_FILE_BYTES = 1 << 20


class KeyStoreError(ValueError):
    """The file is no key store this version reads."""


class WrongKeyStorePassphrase(ValueError):
    """The passphrase does not open the store (or the store was altered)."""


def _aad(envelope: dict[str, Any]) -> bytes:
    return canonical_bytes(box.clear_fields(envelope))


def _unb64(text: Any) -> bytes:
    return box.from_b64(text, lambda exc: KeyStoreError(_malformed(exc)))


def _malformed(exc: Exception) -> str:
    return f"malformed key store ({type(exc).__name__})"


def seal_keys(keys: dict[str, str], passphrase: str) -> bytes:
    """The store's bytes: ``keys`` (name → unencrypted PKCS#8 PEM) under ``passphrase``."""
    salt, nonce = box.fresh_salt_and_nonce()
    envelope: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "kdf": box.argon2id_fields(TIME_COST, MEMORY_KIB, PARALLELISM, salt),
        "cipher": box.cipher_fields(nonce),
    }
    key = box.argon2id_key(passphrase, salt, TIME_COST, MEMORY_KIB, PARALLELISM)
    plaintext = json.dumps(keys).encode("utf-8")
    envelope["ciphertext"] = box.to_b64(box.seal(key, nonce, plaintext, _aad(envelope)))
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
        if kdf["name"] != "argon2id" or cipher["name"] != box.CIPHER:
            raise KeyStoreError("unknown key derivation or cipher")
        time_cost, memory, lanes = kdf["time_cost"], kdf["memory_kib"], kdf["parallelism"]
        params = (time_cost, memory, lanes)
        if not all(type(v) is int for v in params) or not box.argon2id_in_bounds(*params):
            raise KeyStoreError("key derivation parameters out of range")
        salt, nonce = _unb64(kdf["salt"]), _unb64(cipher["nonce"])
        ciphertext = _unb64(envelope["ciphertext"])
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        if isinstance(exc, KeyStoreError):
            raise
        raise KeyStoreError(_malformed(exc)) from None
    key = box.argon2id_key(passphrase, salt, time_cost, memory, lanes)
    plaintext = box.open_sealed(
        key,
        nonce,
        ciphertext,
        lambda: _aad(envelope),
        lambda: WrongKeyStorePassphrase("the passphrase does not open the key store"),
    )
    keys = json.loads(plaintext)
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        raise KeyStoreError("malformed key store content")
    return {str(k): v for k, v in keys.items()}
