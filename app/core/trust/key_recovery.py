"""The institution's keys in a recovery file, kept apart from the computer (a safe, a USB stick
in the archive): without them no encrypted bundle can be read again, and no site certificate
issued.

The file is a versioned JSON envelope::

    {"format": "proctor-desk-institution-keys", "version": 1,
     "institution": {"id", "name", "fingerprint"},              # in clear, to tell files apart
     "kdf": {"name": "scrypt", "n", "r", "p", "salt"},          # salt base64
     "cipher": {"name": "AES-256-GCM", "nonce"},                 # nonce base64
     "ciphertext": "<base64>"}

The key is scrypt (memory-hard) of the recovery passphrase; AES-GCM's associated data is the
canonical JSON of every field but ``ciphertext``, so none of them can be changed unseen. The
plaintext holds ``institution.json``, the root certificate and the three private keys (PKCS#8).
Restoring writes them as ``institution init`` does, the private keys under the institution
passphrase given then (the old one or a new one).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from app.core.durable import sync_folder
from app.core.seal import passphrase_box as box
from app.core.seal.canonical import canonical_bytes
from app.core.trust.institution import (
    MIN_PASSPHRASE,
    InstitutionError,
    InstitutionIdentity,
    InstitutionPublic,
    exists,
    load_identity,
    write_identity,
)
from app.core.trust.presence import INFO_FILE, folder_of

FORMAT = "proctor-desk-institution-keys"
VERSION = 1
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1  # 128 MiB and about half a second per guess
MAX_FILE_BYTES = 1 << 20


class RecoveryError(InstitutionError):
    """A recovery file that cannot be written or read, or a wrong recovery passphrase."""


class WrongRecoveryPassphraseError(RecoveryError):
    """The recovery passphrase does not open the file (or the file was altered)."""


def _unb64(text: Any, what: str) -> bytes:
    return box.from_b64(
        str(text), lambda _: RecoveryError(f"recovery file: {what} is not valid base64")
    )


def _aad(envelope: dict[str, Any]) -> bytes:
    return canonical_bytes(box.clear_fields(envelope))


def _pkcs8(key: Ed25519PrivateKey | X25519PrivateKey | ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def export_keys(data_dir: Path, passphrase: str, recovery_passphrase: str) -> bytes:
    """The recovery file's bytes: the institution's keys (opened with ``passphrase``) under
    ``recovery_passphrase``."""
    if len(recovery_passphrase) < MIN_PASSPHRASE:
        raise RecoveryError(f"recovery passphrase: use at least {MIN_PASSPHRASE} characters")
    identity = load_identity(data_dir, passphrase)
    info = json.loads((folder_of(data_dir) / INFO_FILE).read_text(encoding="utf-8"))
    secret = {
        "institution": identity.public.to_json(),
        "created_at": info.get("created_at"),
        "signing_key": _pkcs8(identity.signing_key),
        "encryption_key": _pkcs8(identity.encryption_key),
        "root_key": _pkcs8(identity.root_key),
    }
    salt, nonce = box.fresh_salt_and_nonce()
    envelope: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "institution": {
            "id": identity.public.institution_id,
            "name": identity.public.name,
            "fingerprint": identity.public.fingerprint,
        },
        "kdf": box.scrypt_fields(SCRYPT_N, SCRYPT_R, SCRYPT_P, salt),
        "cipher": box.cipher_fields(nonce),
    }
    key = box.scrypt_key(recovery_passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    plaintext = json.dumps(secret).encode("utf-8")
    envelope["ciphertext"] = box.to_b64(box.seal(key, nonce, plaintext, _aad(envelope)))
    return (json.dumps(envelope, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _envelope(data: bytes) -> dict[str, Any]:
    try:
        envelope = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise RecoveryError("not a recovery file (not JSON)") from None
    if not isinstance(envelope, dict) or envelope.get("format") != FORMAT:
        raise RecoveryError("not a Proctor Desk recovery file of the institution's keys")
    if envelope.get("version") != VERSION:
        raise RecoveryError(
            f"recovery file version {envelope.get('version')!r}; this app reads {VERSION}"
        )
    kdf, cipher = envelope.get("kdf"), envelope.get("cipher")
    if not isinstance(kdf, dict) or kdf.get("name") != "scrypt":
        raise RecoveryError("recovery file: unknown key derivation")
    if not isinstance(cipher, dict) or cipher.get("name") != box.CIPHER:
        raise RecoveryError("recovery file: unknown cipher")
    n, r, p = kdf.get("n"), kdf.get("r"), kdf.get("p")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (n, r, p)):
        raise RecoveryError("recovery file: malformed key derivation parameters")
    assert isinstance(n, int) and isinstance(r, int) and isinstance(p, int)
    if not box.scrypt_in_bounds(n, r, p):
        raise RecoveryError("recovery file: key derivation parameters out of range")
    return envelope


def read_keys(data: bytes, recovery_passphrase: str) -> tuple[InstitutionIdentity, str | None]:
    """The identity in a recovery file, and when it was created; nothing is written."""
    if len(data) > MAX_FILE_BYTES:
        raise RecoveryError("not a recovery file (far too large)")
    envelope = _envelope(data)
    kdf, cipher = envelope["kdf"], envelope["cipher"]
    salt = _unb64(kdf.get("salt"), "salt")
    key = box.scrypt_key(recovery_passphrase, salt, kdf["n"], kdf["r"], kdf["p"])
    plaintext = box.open_sealed(
        key,
        _unb64(cipher.get("nonce"), "nonce"),
        _unb64(envelope.get("ciphertext"), "ciphertext"),
        lambda: _aad(envelope),
        lambda: WrongRecoveryPassphraseError(
            "the recovery passphrase is wrong (or the recovery file was altered)"
        ),
    )
    try:
        secret = json.loads(plaintext)
        public = InstitutionPublic.from_json(secret["institution"])
        keys = [
            serialization.load_pem_private_key(str(secret[name]).encode("ascii"), None)
            for name in ("signing_key", "encryption_key", "root_key")
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise RecoveryError(f"recovery file: its content is malformed ({exc})") from None
    signing, encryption, root_key = keys
    if (
        not isinstance(signing, Ed25519PrivateKey)
        or not isinstance(encryption, X25519PrivateKey)
        or not isinstance(root_key, ec.EllipticCurvePrivateKey)
        or signing.public_key().public_bytes_raw() != public.signing_key
        or encryption.public_key().public_bytes_raw() != public.encryption_key
        or root_key.public_key() != public.root_certificate.public_key()
        or envelope.get("institution", {}).get("fingerprint") != public.fingerprint
    ):
        raise RecoveryError("recovery file: its keys do not match the institution it names")
    created = secret.get("created_at")
    identity = InstitutionIdentity(public, signing, encryption, root_key)
    return identity, created if isinstance(created, str) else None


def restore_keys(
    data_dir: Path, data: bytes, recovery_passphrase: str, passphrase: str
) -> InstitutionIdentity:
    """Put the identity of a recovery file in ``data_dir``, its private keys under the
    institution ``passphrase``; refused where an identity (or part of one) is already."""
    folder = folder_of(data_dir)
    if exists(data_dir):
        raise RecoveryError(f"{folder} already holds an institution identity; it is kept")
    if folder.exists() and any(folder.iterdir()):
        raise RecoveryError(f"{folder} holds files of an unfinished identity; move them away")
    if len(passphrase) < MIN_PASSPHRASE:
        raise RecoveryError(f"passphrase: use at least {MIN_PASSPHRASE} characters")
    identity, created = read_keys(data, recovery_passphrase)
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    # Written beside the final folder and renamed into place: all of it appears, or none.
    work = Path(tempfile.mkdtemp(prefix=".institution-", dir=data_dir))
    try:
        write_identity(work, identity, passphrase, created)
        if folder.exists():
            folder.rmdir()  # empty, checked above
        os.rename(work, folder)
        sync_folder(Path(data_dir))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return identity
