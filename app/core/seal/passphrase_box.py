"""Bytes sealed under a passphrase: the mechanism shared by the app's three passphrase envelopes
(the site kit's ``kits/kit_envelope``, the institution's recovery file ``trust/key_recovery``
and its key store ``trust/key_store``).

Each envelope is a versioned JSON object of clear fields (format, version, ``kdf``, ``cipher``)
and a base64 ``ciphertext``: AES-256-GCM under a key derived from the passphrase by a
memory-hard KDF (scrypt or Argon2id), with the clear fields bound as associated data so none can
be changed unseen. Each format keeps its own name, version, parameters, plaintext and messages;
what is here is only what they share. A file names its own KDF parameters, so those above a
ceiling are refused rather than obeyed (they could make one guess take hours or all the memory).
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

CIPHER = "AES-256-GCM"
SALT_BYTES, NONCE_BYTES, KEY_BYTES = 16, 12, 32
SCRYPT_MAX_N, SCRYPT_MAX_R, SCRYPT_MAX_P = 2**20, 16, 4
ARGON2_MAX_TIME, ARGON2_MAX_MEMORY_KIB, ARGON2_MAX_LANES = 10, 1024 * 1024, 16


def to_b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def from_b64(text: Any, error: Callable[[ValueError], Exception]) -> bytes:
    """Strict base64 of ``text``; ``error(exc)`` is raised for text that is not base64 (a value
    that is not text at all raises the ``TypeError`` of ``base64.b64decode``)."""
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise error(exc) from None


def fresh_salt_and_nonce() -> tuple[bytes, bytes]:
    return os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)


def scrypt_fields(n: int, r: int, p: int, salt: bytes) -> dict[str, Any]:
    """An envelope's ``kdf`` field for scrypt."""
    return {"name": "scrypt", "n": n, "r": r, "p": p, "salt": to_b64(salt)}


def argon2id_fields(time_cost: int, memory_kib: int, lanes: int, salt: bytes) -> dict[str, Any]:
    """An envelope's ``kdf`` field for Argon2id."""
    return {
        "name": "argon2id",
        "time_cost": time_cost,
        "memory_kib": memory_kib,
        "parallelism": lanes,
        "salt": to_b64(salt),
    }


def cipher_fields(nonce: bytes) -> dict[str, Any]:
    """An envelope's ``cipher`` field."""
    return {"name": CIPHER, "nonce": to_b64(nonce)}


def scrypt_in_bounds(n: int, r: int, p: int) -> bool:
    """Whether a file's scrypt parameters are valid and under the ceiling."""
    return (
        2 <= n <= SCRYPT_MAX_N
        and n & (n - 1) == 0
        and 1 <= r <= SCRYPT_MAX_R
        and 1 <= p <= SCRYPT_MAX_P
    )


def argon2id_in_bounds(time_cost: int, memory_kib: int, lanes: int) -> bool:
    """Whether a file's Argon2id parameters are valid and under the ceiling."""
    return (
        1 <= time_cost <= ARGON2_MAX_TIME
        and 8 * lanes <= memory_kib <= ARGON2_MAX_MEMORY_KIB
        and 1 <= lanes <= ARGON2_MAX_LANES
    )


def scrypt_key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=KEY_BYTES, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def argon2id_key(
    passphrase: str, salt: bytes, time_cost: int, memory_kib: int, lanes: int
) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=time_cost,
        memory_cost=memory_kib,
        parallelism=lanes,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def clear_fields(envelope: dict[str, Any]) -> dict[str, Any]:
    """Every field of ``envelope`` but ``ciphertext``: what its associated data binds."""
    return {k: v for k, v in envelope.items() if k != "ciphertext"}


def seal(key: bytes, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """AES-256-GCM of ``plaintext`` with ``aad`` as associated data."""
    return AESGCM(key).encrypt(nonce, plaintext, aad)


def open_sealed(
    key: bytes,
    nonce: bytes,
    sealed: bytes,
    aad: Callable[[], bytes],
    wrong: Callable[[], Exception],
) -> bytes:
    """The plaintext of ``seal``; ``wrong()`` is raised when it does not open: a wrong
    passphrase, altered fields or ciphertext, a nonce of an impossible length, or clear fields
    ``aad()`` finds no associated data for (a ``ValueError``, as of a float where none was
    written)."""
    try:
        return AESGCM(key).decrypt(nonce, sealed, aad())
    except (InvalidTag, ValueError):
        raise wrong() from None
