"""The institution's identity, created once by its admin: an Ed25519 signing key (kits, import
receipts), an X25519 encryption key (bundles are encrypted to it) and an ECDSA P-256 root
certificate (site and device certificates chain to it).

Kept under ``<data folder>/institution/``; the private keys are in ``private-keys.json``
under the admin's passphrase with Argon2id (``key_store``; earlier versions wrote PKCS#8 PEM
files under PBKDF2, read still and rewritten at the first successful unlock), the public part
is ``institution.json`` plus ``root-cert.pem``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from app.core.durable import create_durably, sync_folder
from app.core.errors import UserError
from app.core.seal.device_keys import fingerprint
from app.core.trust import key_store
from app.core.trust.certificates import make_root
from app.core.trust.presence import INFO_FILE, folder_of, institution_here

ROOT_CERT_FILE = "root-cert.pem"
SIGNING_KEY_FILE = "signing-key.pem"
ENCRYPTION_KEY_FILE = "encryption-key.pem"
ROOT_KEY_FILE = "root-key.pem"
MIN_PASSPHRASE = 8


class InstitutionError(UserError):
    """The institution identity is missing, unreadable, or the passphrase is wrong."""


class WrongPassphraseError(InstitutionError):
    """The passphrase does not open the institution's keys."""


def _raw(key: Any) -> bytes:
    raw: bytes = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw


@dataclass(frozen=True)
class InstitutionPublic:
    """What anyone may hold: sites get it in their kit, bundles are checked against it."""

    institution_id: str
    name: str
    signing_key: bytes  # raw Ed25519
    encryption_key: bytes  # raw X25519
    root_certificate: x509.Certificate

    @property
    def fingerprint(self) -> str:
        """The institution's fingerprint: that of its signing key."""
        return fingerprint(self.signing_key)

    @property
    def recipient(self) -> X25519PublicKey:
        return X25519PublicKey.from_public_bytes(self.encryption_key)

    def root_pem(self) -> str:
        return self.root_certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.institution_id,
            "name": self.name,
            "signing_key": self.signing_key.hex(),
            "encryption_key": self.encryption_key.hex(),
            "root_certificate": self.root_pem(),
        }

    @classmethod
    def from_json(cls, value: Any) -> InstitutionPublic:
        try:
            return cls(
                institution_id=str(value["id"]),
                name=str(value["name"]),
                signing_key=_key_bytes(value["signing_key"]),
                encryption_key=_key_bytes(value["encryption_key"]),
                root_certificate=x509.load_pem_x509_certificate(
                    str(value["root_certificate"]).encode("ascii")
                ),
            )
        except (KeyError, TypeError, ValueError, UnicodeEncodeError) as exc:
            raise InstitutionError(f"institution description is malformed: {exc}") from None


def _key_bytes(text: Any) -> bytes:
    raw = bytes.fromhex(str(text))
    if len(raw) != 32:
        raise ValueError("a public key must be 32 bytes")
    return raw


@dataclass(frozen=True)
class InstitutionIdentity:
    """The public part with the private keys (only after the passphrase was given)."""

    public: InstitutionPublic
    signing_key: Ed25519PrivateKey
    encryption_key: X25519PrivateKey
    root_key: ec.EllipticCurvePrivateKey


def exists(data_dir: Path) -> bool:
    return institution_here(data_dir)


def _write_new(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def init_institution(data_dir: Path, name: str, passphrase: str) -> InstitutionIdentity:
    """Create the identity once; refuses to replace an existing one."""
    if not name.strip():
        raise InstitutionError("institution name: empty; give the institution's name")
    if len(passphrase) < MIN_PASSPHRASE:
        raise InstitutionError(f"passphrase: use at least {MIN_PASSPHRASE} characters")
    folder = folder_of(data_dir)
    if exists(data_dir):
        raise InstitutionError(f"{folder} already holds an institution identity; it is kept")
    folder.mkdir(parents=True, exist_ok=True)
    signing, encryption = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = make_root(root_key, name.strip())
    public = InstitutionPublic(
        str(uuid.uuid4()),
        name.strip(),
        _raw(signing.public_key()),
        _raw(encryption.public_key()),
        root,
    )
    identity = InstitutionIdentity(public, signing, encryption, root_key)
    write_identity(folder, identity, passphrase)
    return identity


def _sealed_keys(identity: InstitutionIdentity, passphrase: str) -> bytes:
    plain = serialization.NoEncryption()
    keys = {
        file_name: key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, plain
        ).decode("ascii")
        for file_name, key in (
            (SIGNING_KEY_FILE, identity.signing_key),
            (ENCRYPTION_KEY_FILE, identity.encryption_key),
            (ROOT_KEY_FILE, identity.root_key),
        )
    }
    return key_store.seal_keys(keys, passphrase)


def write_identity(
    folder: Path, identity: InstitutionIdentity, passphrase: str, created_at: str | None = None
) -> None:
    """Write ``identity`` into ``folder`` (new files only), the private keys under
    ``passphrase``; ``institution.json`` last."""
    create_durably(folder / key_store.FILE, _sealed_keys(identity, passphrase), 0o600)
    root_pem = identity.public.root_certificate.public_bytes(serialization.Encoding.PEM)
    _write_new(folder / ROOT_CERT_FILE, root_pem, 0o644)
    info = dict(identity.public.to_json())
    del info["root_certificate"]
    info["created_at"] = created_at or dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    # Written last: its presence means the identity is complete.
    _write_new(folder / INFO_FILE, json.dumps(info, indent=2).encode("utf-8"), 0o644)


def load_public(data_dir: Path) -> InstitutionPublic:
    folder = folder_of(data_dir)
    if not exists(data_dir):
        raise InstitutionError(
            f"{folder}: no institution identity here; "
            "create it with 'proctor-desk institution init'"
        )
    try:
        info = json.loads((folder / INFO_FILE).read_text(encoding="utf-8"))
        info["root_certificate"] = (folder / ROOT_CERT_FILE).read_text(encoding="ascii")
    except (OSError, ValueError) as exc:
        raise InstitutionError(f"{folder}: institution identity unreadable ({exc})") from None
    return InstitutionPublic.from_json(info)


def load_identity(data_dir: Path, passphrase: str) -> InstitutionIdentity:
    """The identity with its private keys; a wrong passphrase is one clear error."""
    public = load_public(data_dir)
    folder = folder_of(data_dir)
    store = folder / key_store.FILE
    legacy = not store.is_file()
    keys = _legacy_keys(folder, passphrase) if legacy else _stored_keys(store, passphrase)
    signing, encryption, root_key = keys
    if (
        not isinstance(signing, Ed25519PrivateKey)
        or not isinstance(encryption, X25519PrivateKey)
        or not isinstance(root_key, ec.EllipticCurvePrivateKey)
        or _raw(signing.public_key()) != public.signing_key
        or _raw(encryption.public_key()) != public.encryption_key
        or root_key.public_key() != public.root_certificate.public_key()
    ):
        raise InstitutionError(f"{folder}: the keys do not match institution.json")
    identity = InstitutionIdentity(public, signing, encryption, root_key)
    if legacy or (folder / SIGNING_KEY_FILE).exists():  # also a migration cut short
        _migrate(folder, identity, passphrase)
    return identity


def _stored_keys(store: Path, passphrase: str) -> list[Any]:
    try:
        pems = key_store.open_keys(store.read_bytes(), passphrase)
        return [
            serialization.load_pem_private_key(pems[name].encode("ascii"), None)
            for name in (SIGNING_KEY_FILE, ENCRYPTION_KEY_FILE, ROOT_KEY_FILE)
        ]
    except key_store.WrongKeyStorePassphrase:
        raise WrongPassphraseError("the institution passphrase is wrong") from None
    except OSError as exc:
        raise InstitutionError(f"{store}: cannot be read ({exc})") from None
    except (key_store.KeyStoreError, KeyError, ValueError, TypeError) as exc:
        raise InstitutionError(f"{store}: the institution's key store is damaged ({exc})") from None


def _legacy_keys(folder: Path, passphrase: str) -> list[Any]:
    """The keys as earlier versions kept them: PKCS#8 PEM files under PBKDF2."""
    keys: list[Any] = []
    for file_name in (SIGNING_KEY_FILE, ENCRYPTION_KEY_FILE, ROOT_KEY_FILE):
        try:
            keys.append(
                serialization.load_pem_private_key(
                    (folder / file_name).read_bytes(), passphrase.encode("utf-8")
                )
            )
        except (ValueError, TypeError):
            raise WrongPassphraseError("the institution passphrase is wrong") from None
        except OSError as exc:
            raise InstitutionError(f"{folder / file_name}: cannot be read ({exc})") from None
    return keys


def _migrate(folder: Path, identity: InstitutionIdentity, passphrase: str) -> None:
    """Rewrite keys an earlier version kept under PBKDF2 in the Argon2id store, then remove
    the PEM files. The store is complete before any PEM goes (a stop in between leaves both,
    and the store is read); a folder that cannot be written keeps the old form for now."""
    with contextlib.suppress(FileExistsError, OSError):
        create_durably(folder / key_store.FILE, _sealed_keys(identity, passphrase), 0o600)
    if not (folder / key_store.FILE).is_file():
        return
    for file_name in (SIGNING_KEY_FILE, ENCRYPTION_KEY_FILE, ROOT_KEY_FILE):
        with contextlib.suppress(OSError):
            (folder / file_name).unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        sync_folder(folder)
