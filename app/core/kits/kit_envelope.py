"""A site kit's content under the site passphrase: the rosters it carries hold names and ID
numbers, and a kit travels by e-mail or USB stick.

The kit (a bundle signed by the institution, ``docs/site-kit.md``) holds one record,
``kit-envelope.json``, a versioned envelope::

    {"format": "proctor-desk-kit-envelope", "version": 1,
     "kdf": {"name": "scrypt", "n", "r", "p", "salt"},       # salt base64
     "cipher": {"name": "AES-256-GCM", "nonce"},             # nonce base64
     "ciphertext": "<base64>"}

The key is scrypt (memory-hard) of the site passphrase; AES-GCM's associated data is the
canonical JSON of every field but ``ciphertext`` together with the kit's institution and
session ids, so neither the parameters nor the envelope's place can be changed unseen. The
plaintext is the canonical JSON ``{"kit": <what kit.json held>, "site_p12": <base64>}``.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from app.core.errors import UserError
from app.core.seal.canonical import canonical_bytes

FORMAT = "proctor-desk-kit-envelope"
VERSION = 1
ENVELOPE_RECORD = "kit-envelope.json"
# 64 MiB and about a quarter of a second per guess; the passphrase has 8 characters at least.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**16, 8, 1
_MAX_N, _MAX_R, _MAX_P = 2**20, 16, 4  # an envelope asking more is refused, not obeyed
_KEYS = {"format", "version", "kdf", "cipher", "ciphertext"}


class EnvelopeError(UserError):
    """A kit envelope that cannot be opened: altered, or the passphrase is wrong."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, what: str) -> bytes:
    try:
        return base64.b64decode(str(text), validate=True)
    except ValueError:
        raise EnvelopeError(f"the kit is damaged: its {what} is not valid base64") from None


def _key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _aad(envelope: dict[str, Any], institution_id: str, session_id: str) -> bytes:
    bound = {k: v for k, v in envelope.items() if k != "ciphertext"}
    return canonical_bytes(
        {"envelope": bound, "institution_id": institution_id, "session_id": session_id}
    )


def seal_kit(
    kit: dict[str, Any], p12: bytes, passphrase: str, institution_id: str, session_id: str
) -> dict[str, Any]:
    """The envelope of ``kit`` and the site PKCS#12 under ``passphrase``."""
    salt, nonce = os.urandom(16), os.urandom(12)
    envelope: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": _b64(salt)},
        "cipher": {"name": "AES-256-GCM", "nonce": _b64(nonce)},
    }
    plaintext = canonical_bytes({"kit": kit, "site_p12": _b64(p12)})
    key = _key(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    sealed = AESGCM(key).encrypt(nonce, plaintext, _aad(envelope, institution_id, session_id))
    envelope["ciphertext"] = _b64(sealed)
    return envelope


def open_kit(
    envelope: Any, passphrase: str, institution_id: str, session_id: str
) -> tuple[dict[str, Any], bytes]:
    """(kit, site PKCS#12) from the envelope; ``EnvelopeError`` when it cannot be opened."""
    if not isinstance(envelope, dict) or set(envelope) != _KEYS:
        raise EnvelopeError("the kit is damaged: its envelope lacks or adds fields")
    if envelope["format"] != FORMAT or envelope["version"] != VERSION:
        raise EnvelopeError(
            "the kit's envelope is of another format or version: update the app to import it"
        )
    kdf, cipher = envelope["kdf"], envelope["cipher"]
    if (
        not isinstance(kdf, dict)
        or kdf.get("name") != "scrypt"
        or not isinstance(cipher, dict)
        or cipher.get("name") != "AES-256-GCM"
    ):
        raise EnvelopeError("the kit's envelope names a method this app does not use")
    n, r, p = kdf.get("n"), kdf.get("r"), kdf.get("p")
    if not all(type(v) is int for v in (n, r, p)):
        raise EnvelopeError("the kit is damaged: its scrypt parameters are not numbers")
    assert isinstance(n, int) and isinstance(r, int) and isinstance(p, int)
    if not (2 <= n <= _MAX_N and n & (n - 1) == 0 and 1 <= r <= _MAX_R and 1 <= p <= _MAX_P):
        raise EnvelopeError("the kit's envelope asks for scrypt parameters out of range")
    salt, nonce = _unb64(kdf.get("salt"), "salt"), _unb64(cipher.get("nonce"), "nonce")
    if len(nonce) != 12 or not 16 <= len(salt) <= 64:
        raise EnvelopeError("the kit is damaged: its salt or nonce has the wrong length")
    sealed = _unb64(envelope["ciphertext"], "ciphertext")
    try:
        plaintext = AESGCM(_key(passphrase, salt, n, r, p)).decrypt(
            nonce, sealed, _aad(envelope, institution_id, session_id)
        )
    except InvalidTag:
        raise EnvelopeError(
            "the site passphrase is wrong, or the kit was altered (its envelope does not open)"
        ) from None
    try:
        content = json.loads(plaintext)
        kit, p12 = content["kit"], base64.b64decode(content["site_p12"], validate=True)
    except (ValueError, KeyError, TypeError):
        raise EnvelopeError("the kit's content is malformed") from None
    if not isinstance(kit, dict):
        raise EnvelopeError("the kit's content is malformed")
    return kit, p12
