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

import json
from typing import Any

from app.core.errors import UserError
from app.core.seal import passphrase_box as box
from app.core.seal.canonical import canonical_bytes

FORMAT = "proctor-desk-kit-envelope"
VERSION = 1
ENVELOPE_RECORD = "kit-envelope.json"
# 64 MiB and about a quarter of a second per guess; the passphrase has 8 characters at least.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**16, 8, 1
_KEYS = {"format", "version", "kdf", "cipher", "ciphertext"}


class EnvelopeError(UserError):
    """A kit envelope that cannot be opened: altered, or the passphrase is wrong."""


def _unb64(text: Any, what: str) -> bytes:
    return box.from_b64(
        str(text),
        lambda _: EnvelopeError(f"the kit is damaged: its {what} is not valid base64"),
    )


def _aad(envelope: dict[str, Any], institution_id: str, session_id: str) -> bytes:
    return canonical_bytes(
        {
            "envelope": box.clear_fields(envelope),
            "institution_id": institution_id,
            "session_id": session_id,
        }
    )


def seal_kit(
    kit: dict[str, Any], p12: bytes, passphrase: str, institution_id: str, session_id: str
) -> dict[str, Any]:
    """The envelope of ``kit`` and the site PKCS#12 under ``passphrase``."""
    salt, nonce = box.fresh_salt_and_nonce()
    envelope: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "kdf": box.scrypt_fields(SCRYPT_N, SCRYPT_R, SCRYPT_P, salt),
        "cipher": box.cipher_fields(nonce),
    }
    plaintext = canonical_bytes({"kit": kit, "site_p12": box.to_b64(p12)})
    key = box.scrypt_key(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    sealed = box.seal(key, nonce, plaintext, _aad(envelope, institution_id, session_id))
    envelope["ciphertext"] = box.to_b64(sealed)
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
        or cipher.get("name") != box.CIPHER
    ):
        raise EnvelopeError("the kit's envelope names a method this app does not use")
    n, r, p = kdf.get("n"), kdf.get("r"), kdf.get("p")
    if not all(type(v) is int for v in (n, r, p)):
        raise EnvelopeError("the kit is damaged: its scrypt parameters are not numbers")
    assert isinstance(n, int) and isinstance(r, int) and isinstance(p, int)
    if not box.scrypt_in_bounds(n, r, p):
        raise EnvelopeError("the kit's envelope asks for scrypt parameters out of range")
    salt, nonce = _unb64(kdf.get("salt"), "salt"), _unb64(cipher.get("nonce"), "nonce")
    if len(nonce) != 12 or not 16 <= len(salt) <= 64:
        raise EnvelopeError("the kit is damaged: its salt or nonce has the wrong length")
    sealed = _unb64(envelope["ciphertext"], "ciphertext")
    key = box.scrypt_key(passphrase, salt, n, r, p)
    # Outside the opening: a field with no canonical form is not taken for a wrong passphrase.
    aad = _aad(envelope, institution_id, session_id)
    plaintext = box.open_sealed(
        key,
        nonce,
        sealed,
        lambda: aad,
        lambda: EnvelopeError(
            "the site passphrase is wrong, or the kit was altered (its envelope does not open)"
        ),
    )
    malformed = "the kit's content is malformed"
    try:
        content = json.loads(plaintext)
        kit = content["kit"]
        p12 = box.from_b64(content["site_p12"], lambda _: EnvelopeError(malformed))
    except (ValueError, KeyError, TypeError):
        raise EnvelopeError(malformed) from None
    if not isinstance(kit, dict):
        raise EnvelopeError(malformed)
    return kit, p12
