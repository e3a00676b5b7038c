"""The institution's account keys: each account signs its own acts with its own Ed25519 key.

An account's key is made when the account is added. Its private part is kept in the account's
row sealed under the account's password (``seal_private``: Argon2id of the password, AES-256-GCM,
the envelope's clear fields bound as associated data, as ``passphrase_box`` does for the other
envelopes); its public part is in clear beside it. A password change rewraps the same key.

Each key carries a certificate: the canonical JSON of ``{"account", "role", "public_key",
"key_id", "issued_at", "issuer"}`` signed with Ed25519 by its issuer, the institution's signing
key (``issuer = {"kind": "institution", "fingerprint": …}``, the first account, authorised by
the institution passphrase) or an admin's account key (``{"kind": "account", "account": …,
"key_id": …}``, every later one). ``verify`` follows the chain to the institution's public key.

Once an account signs in, its key is unlocked and registered for the data folder
(``use``): the folder's workspace signs every audit entry with it from then on (``signer_for``).
With nobody signed in the folder has ``NOBODY``'s signer, which signs nothing: only a failed
sign-in and a lockout are written unsigned (``UNSIGNED_ACTIONS``); anything else is refused.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.core.seal import passphrase_box as box
from app.core.seal.canonical import CanonicalError, canonical_bytes, canonical_text
from app.core.seal.device_keys import DeviceKey, default_code, fingerprint, verify_signature
from app.core.seal.key_vault import KeysLocked, raw_public

FORMAT = "proctor-desk-account-key"
VERSION = 1
# As the password hash (argon2-cffi's defaults): 3 passes over 64 MiB, 4 lanes.
TIME_COST, MEMORY_KIB, PARALLELISM = 3, 64 * 1024, 4
CERTIFICATE_KIND = "proctor-desk-account-certificate"

# What the institution writes with nobody signed in: these carry no signature.
UNSIGNED_ACTIONS = frozenset({"login_failed", "login_refused", "account_locked"})


class NotSignedIn(KeysLocked):
    """An act at the institution with no account signed in: nothing signs it."""


class WrongAccountPassword(ValueError):
    """The password does not open the account's key (or the sealed key was altered)."""


class SealedKeyError(ValueError):
    """The sealed key is no envelope this version reads."""


def _aad(envelope: dict[str, Any]) -> bytes:
    return canonical_bytes(box.clear_fields(envelope))


def new_key() -> tuple[str, Ed25519PrivateKey]:
    """A fresh key and its id (a UUID: the ``device_id`` of the entries it signs)."""
    return str(uuid.uuid4()), Ed25519PrivateKey.generate()


def seal_private(private: Ed25519PrivateKey, key_id: str, password: str) -> str:
    """The private key's raw bytes sealed under ``password`` (JSON text for the account row);
    the key id and the public key are among the bound clear fields."""
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )

    salt, nonce = box.fresh_salt_and_nonce()
    envelope: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "key_id": key_id,
        "public_key": raw_public(private).hex(),
        "kdf": box.argon2id_fields(TIME_COST, MEMORY_KIB, PARALLELISM, salt),
        "cipher": box.cipher_fields(nonce),
    }
    secret = box.argon2id_key(password, salt, TIME_COST, MEMORY_KIB, PARALLELISM)
    raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    envelope["ciphertext"] = box.to_b64(box.seal(secret, nonce, raw, _aad(envelope)))
    return canonical_text(envelope)


def open_private(sealed: str, password: str) -> Ed25519PrivateKey:
    """The key ``seal_private`` sealed; ``WrongAccountPassword`` when ``password`` does not
    open it, ``SealedKeyError`` for text that is no such envelope."""
    try:
        envelope = json.loads(sealed)
        kdf, cipher = envelope["kdf"], envelope["cipher"]
        if envelope["format"] != FORMAT or envelope["version"] != VERSION:
            raise SealedKeyError(f"not an account key of version {VERSION}")
        if kdf["name"] != "argon2id" or cipher["name"] != box.CIPHER:
            raise SealedKeyError("unknown key derivation or cipher")
        params = (kdf["time_cost"], kdf["memory_kib"], kdf["parallelism"])
        if not all(type(v) is int for v in params) or not box.argon2id_in_bounds(*params):
            raise SealedKeyError("key derivation parameters out of range")
        salt = box.from_b64(kdf["salt"], SealedKeyError)
        nonce = box.from_b64(cipher["nonce"], SealedKeyError)
        ciphertext = box.from_b64(envelope["ciphertext"], SealedKeyError)
        public = bytes.fromhex(str(envelope["public_key"]))
    except (ValueError, KeyError, TypeError) as exc:
        if isinstance(exc, SealedKeyError):
            raise
        raise SealedKeyError(f"malformed account key ({type(exc).__name__})") from None
    secret = box.argon2id_key(password, salt, *params)
    raw = box.open_sealed(
        secret,
        nonce,
        ciphertext,
        lambda: _aad(envelope),
        lambda: WrongAccountPassword("the password does not open the account's key"),
    )
    try:
        private = Ed25519PrivateKey.from_private_bytes(raw)
    except ValueError:
        raise SealedKeyError("the sealed account key is no Ed25519 key") from None
    if raw_public(private) != public:
        raise SealedKeyError("the sealed account key does not match its public key")
    return private


# Certificates ----------------------------------------------------------------------------


def institution_issuer(institution_key: bytes) -> dict[str, str]:
    return {"kind": "institution", "fingerprint": institution_key.hex()}


def account_issuer(account: str, key_id: str) -> dict[str, str]:
    return {"kind": "account", "account": account, "key_id": key_id}


def certificate(
    account: str,
    role: str,
    public_key: bytes,
    key_id: str,
    issuer: dict[str, str],
    issued_at: dt.datetime | None = None,
) -> str:
    """The statement an issuer signs (canonical JSON text)."""
    at = (issued_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return canonical_text(
        {
            "kind": CERTIFICATE_KIND,
            "account": account,
            "role": role,
            "public_key": public_key.hex(),
            "key_id": key_id,
            "issued_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "issuer": issuer,
        }
    )


def sign_certificate(statement: str, issuer_key: Ed25519PrivateKey) -> str:
    return issuer_key.sign(statement.encode("utf-8")).hex()


@dataclass(frozen=True)
class Certificate:
    """A certificate read back: its fields, and the bytes its signature covers."""

    account: str
    role: str
    public_key: bytes
    key_id: str
    issuer: dict[str, str]
    statement: str
    signature: str

    def signed_by(self, public_key: bytes) -> bool:
        try:
            signature = bytes.fromhex(self.signature)
        except ValueError:
            return False
        return verify_signature(public_key, signature, self.statement.encode("utf-8"))


def read_certificate(statement: str | None, signature: str | None) -> Certificate | None:
    """The certificate, or None when it is missing or not a certificate's canonical JSON."""
    if not statement or not signature:
        return None
    try:
        value = json.loads(statement)
        if not isinstance(value, dict) or canonical_text(value) != statement:
            return None
        issuer = value["issuer"]
        if value["kind"] != CERTIFICATE_KIND or not isinstance(issuer, dict):
            return None
        return Certificate(
            account=str(value["account"]),
            role=str(value["role"]),
            public_key=bytes.fromhex(str(value["public_key"])),
            key_id=str(value["key_id"]),
            issuer={str(k): str(v) for k, v in issuer.items()},
            statement=statement,
            signature=signature,
        )
    except (ValueError, KeyError, TypeError, CanonicalError):
        return None


# Signers ---------------------------------------------------------------------------------


class AccountSigner(DeviceKey):
    """An account's unlocked key, with what the audit log asks of a device key: ``sign``,
    ``public_bytes`` and the id its entries name (``device_id``: the key's id). ``NOBODY``
    (no key) signs nothing."""

    def __init__(
        self,
        data_dir: Path,
        account: str | None,
        key_id: str,
        private: Ed25519PrivateKey | None,
    ) -> None:
        public = b"" if private is None else raw_public(private)
        super().__init__(data_dir, key_id, default_code(public) if public else "")
        self.account = account
        self._private = private
        self._public = public

    @property
    def signs(self) -> bool:
        return self._private is not None

    @property
    def public_bytes(self) -> bytes:
        return self._public or b""

    def existing_public(self) -> bytes | None:
        return self._public or None

    @property
    def private_key(self) -> Ed25519PrivateKey:
        if self._private is None:
            raise NotSignedIn("sign in with an account first: nobody is signed in to act")
        return self._private

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_bytes) if self._public else ""

    def with_code(self, code: str) -> DeviceKey:
        return self


# The key id of entries signed by the institution's own signing key (``institution_signer``).
INSTITUTION_KEY_ID = "institution"


def institution_signer(data_dir: Path, signing_key: Ed25519PrivateKey) -> AccountSigner:
    """The institution's signing key as a signer, for what is done with the institution
    passphrase (which opens that key) while no account is signed in; ``verify`` checks its
    entries against the institution's public key itself."""
    return AccountSigner(Path(data_dir), None, INSTITUTION_KEY_ID, signing_key)


_signers: dict[Path, AccountSigner] = {}


@functools.cache
def _where(data_dir: Path) -> Path:
    # Once per folder: an import signs an entry per record, each asking for its signer.
    return Path(data_dir).resolve()


def nobody(data_dir: Path) -> AccountSigner:
    return AccountSigner(Path(data_dir), None, "", None)


def use(data_dir: Path, signer: AccountSigner) -> None:
    """From now on the folder's acts (in this program) are signed by ``signer``."""
    _signers[_where(data_dir)] = signer


def forget(data_dir: Path) -> None:
    """Nobody is signed in on the folder any more (a sign-out)."""
    _signers.pop(_where(data_dir), None)


def signer_for(data_dir: Path) -> AccountSigner:
    """The signed-in account's signer for the folder, else one that signs nothing."""
    return _signers.get(_where(data_dir)) or nobody(data_dir)
