"""The laptop's private keys at rest: ``device/keys.json``, never a key in the clear.

It holds the device's Ed25519 key (seals and audit entries), its PDF-signing key and the site
keys of kit sessions, as PEM text by name, AES-256-GCM under a random *vault key*::

    {"format": "proctor-desk-device-keys", "version": 1,
     "device_id": "<uuid>", "public_key": "<hex of the Ed25519 public key>",
     "kdf": {"name": "argon2id", ...}, "cipher": {"name": "AES-256-GCM", "nonce"},
     "wrapped_key": "<the vault key under the key passphrase>",
     "os_store": true | false,
     "items": {"nonce", "ciphertext"}}

The vault key is kept twice: under the *key passphrase* the site head chooses when the laptop
is set up (Argon2id), and, where the computer has one, in the operating system's key store
(``os_key_store``), so that the app opens under that account without the passphrase. The
identity fields are the associated data of both ciphertexts: a vault edited to name another
key does not open. The public key is in the clear so that ``verify`` can name it locked.

Folders of earlier versions kept ``device/device_key.pem``, ``pdf-signing/device-key.pem`` and
``site-kit/<session>/site-key.pem`` in the clear; they move into the vault (and are removed)
when the laptop first opens its keys with a passphrase.

How a passphrase is asked for is the front end's: ``set_passphrase_source``. The default reads
``$PROCTOR_DESK_DEVICE_PASSPHRASE`` only.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.core.durable import write_durably
from app.core.errors import UserError
from app.core.seal import os_key_store
from app.core.seal import passphrase_box as box
from app.core.seal.canonical import canonical_bytes

DEVICE_DIR = "device"
FILE = "keys.json"
FORMAT = "proctor-desk-device-keys"
VERSION = 1
# OWASP's Argon2id setting (2 passes over 19 MiB): about 0.07 s here, each guess as dear.
TIME_COST, MEMORY_KIB, LANES = 2, 19 * 1024, 1
MIN_PASSPHRASE = 8
MAX_FILE_BYTES = 1 << 20
ENV = "PROCTOR_DESK_DEVICE_PASSPHRASE"
DEVICE_ITEM, PDF_ITEM = "device", "pdf"
LEGACY_DEVICE_KEY = Path(DEVICE_DIR) / "device_key.pem"
LEGACY_PDF_KEY = Path("pdf-signing") / "device-key.pem"

Kind = Literal["unlock", "new"]
PassphraseSource = Callable[[Kind], "str | None"]


class KeyVaultError(UserError):
    """The keys cannot be opened or the vault file is not as written."""


class KeysLocked(KeyVaultError):
    """No passphrase was given (and no key store holds the vault key)."""


class WrongPassphrase(KeyVaultError):
    """The passphrase does not open the keys."""


def env_source(kind: Kind) -> str | None:
    return os.environ.get(ENV) or None


_source: list[PassphraseSource] = [env_source]


def set_passphrase_source(source: PassphraseSource) -> None:
    """How this program asks for the key passphrase (the CLI: file, environment, terminal)."""
    _source[:] = [source]


def current_source() -> PassphraseSource:
    return _source[0]


def passphrase_problem(passphrase: str) -> str:
    """Why ``passphrase`` cannot be a new key passphrase, or ``""``."""
    if len(passphrase) < MIN_PASSPHRASE:
        return f"the key passphrase needs at least {MIN_PASSPHRASE} characters"
    return ""


def locked_message(kind: Kind) -> str:
    if kind == "new":
        return (
            "this laptop's keys are not set up: the site head chooses a key passphrase (at "
            f"least {MIN_PASSPHRASE} characters; give it in ${ENV}, with "
            "--device-passphrase-file, or at the prompt; the app asks for it in a window)"
        )
    return (
        "this laptop's keys are locked: give the key passphrase the site head chose "
        f"(${ENV}, --device-passphrase-file, or at the prompt)"
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, what: str) -> bytes:
    return box.from_b64(text, lambda exc: KeyVaultError(f"keys file: {what} is not base64"))


class Vault:
    """One data folder's vault; ``vault_for`` shares one per folder in a process, so that the
    keys are opened once."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / DEVICE_DIR / FILE
        self._key: bytes | None = None  # the vault key, once opened
        self.opened_by = ""  # "key store" or "passphrase", once opened

    # Reading the clear part ------------------------------------------------------------

    def exists(self) -> bool:
        return self.path.is_file()

    def _read(self) -> dict[str, Any]:
        try:
            with self.path.open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise KeyVaultError(f"keys file {self.path}: {exc.strerror or exc}") from None
        if len(data) > MAX_FILE_BYTES:
            raise KeyVaultError(f"keys file {self.path} is larger than any this app writes")
        try:
            value = json.loads(data)
        except ValueError:
            raise KeyVaultError(self._damaged("not JSON")) from None
        if (
            not isinstance(value, dict)
            or value.get("format") != FORMAT
            or value.get("version") != VERSION
        ):
            raise KeyVaultError(self._damaged("not a keys file of this version"))
        for name in ("device_id", "public_key", "wrapped_key"):
            if not isinstance(value.get(name), str):
                raise KeyVaultError(self._damaged(f"no {name}"))
        if not isinstance(value.get("kdf"), dict) or not isinstance(value.get("items"), dict):
            raise KeyVaultError(self._damaged("no kdf or items"))
        return value

    def _damaged(self, why: str) -> str:
        return (
            f"keys file {self.path} is damaged ({why}); the records sealed here need its keys: "
            "put the data folder back from a backup"
        )

    def identity(self) -> tuple[str, bytes]:
        """(device id, raw Ed25519 public key) as the file states them, without opening it."""
        value = self._read()
        try:
            public = bytes.fromhex(value["public_key"])
        except ValueError:
            raise KeyVaultError(self._damaged("public key is not hex")) from None
        if len(public) != 32:
            raise KeyVaultError(self._damaged("public key is not 32 bytes"))
        return value["device_id"], public

    @staticmethod
    def _identity_aad(value: dict[str, Any]) -> bytes:
        return canonical_bytes(
            {k: value[k] for k in ("format", "version", "device_id", "public_key")}
        )

    # Opening ---------------------------------------------------------------------------

    @property
    def unlocked(self) -> bool:
        return self._key is not None

    def unlock_with(self, passphrase: str) -> None:
        """Open the vault with ``passphrase`` (``WrongPassphrase`` when it does not)."""
        value = self._read()
        kdf = value["kdf"]
        try:
            salt = _unb64(kdf.get("salt"), "salt")
            time_cost, memory, lanes = kdf["time_cost"], kdf["memory_kib"], kdf["parallelism"]
            nonce = _unb64((value.get("cipher") or {}).get("nonce"), "nonce")
        except (KeyError, TypeError, AttributeError):
            raise KeyVaultError(self._damaged("kdf or cipher fields missing")) from None
        if kdf.get("name") != "argon2id" or not all(
            isinstance(n, int) for n in (time_cost, memory, lanes)
        ):
            raise KeyVaultError(self._damaged("unknown kdf"))
        if not box.argon2id_in_bounds(time_cost, memory, lanes):
            raise KeyVaultError(self._damaged("kdf parameters beyond any this app writes"))
        kek = box.argon2id_key(passphrase, salt, time_cost, memory, lanes)
        key = box.open_sealed(
            kek,
            nonce,
            _unb64(value["wrapped_key"], "wrapped key"),
            lambda: self._wrap_aad(value),
            lambda: WrongPassphrase("the key passphrase is wrong; try again"),
        )
        self._check_key(key, value)
        self._key, self.opened_by = key, "passphrase"
        self._adopt_legacy_files()

    def _wrap_aad(self, value: dict[str, Any]) -> bytes:
        return canonical_bytes(
            {
                "identity": self._identity_aad(value).decode("utf-8"),
                "kdf": value["kdf"],
                "cipher": value.get("cipher"),
            }
        )

    def unlock_from_store(self) -> bool:
        """Open the vault with the key kept in the OS key store, where there is one."""
        if self._key is not None and self.opened_by == "key store":
            return True
        value = self._read()
        if value.get("os_store") is not True:
            return False
        try:
            stored = os_key_store.get(value["device_id"])
        except os_key_store.KeyStoreUnavailable:
            return False
        if stored is None:
            return False
        try:
            key = base64.b64decode(stored, validate=True)
            self._check_key(key, value)
        except (ValueError, KeyVaultError):
            return False
        self._key, self.opened_by = key, "key store"
        self._adopt_legacy_files()
        return True

    def open_without_asking(self) -> bool:
        """Open the vault where nobody need be asked: opened in this program already (and the
        file not replaced since), the key store, or the passphrase in the environment.
        ``False``: a person must give the passphrase; ``WrongPassphrase`` when the
        environment's does not open it."""
        if self.still_opens() or self.unlock_from_store():
            return True
        passphrase = env_source("unlock")
        if not passphrase:
            return False
        self.unlock_with(passphrase)
        return True

    def unlock(self) -> None:
        """Open the vault as this program can: the key store, else the passphrase source."""
        if self._key is not None or self.unlock_from_store():
            return
        passphrase = _source[0]("unlock")
        if not passphrase:
            raise KeysLocked(locked_message("unlock"))
        self.unlock_with(passphrase)

    def still_opens(self) -> bool:
        """Whether the key this program opened the vault with opens the file as it is now
        (not replaced since) and finds there the key the file names."""
        if self._key is None:
            return False
        try:
            self._check_key(self._key, self._read())
        except KeyVaultError:
            self.lock()
            return False
        return True

    def lock(self) -> None:
        self._key, self.opened_by = None, ""

    def _check_key(self, key: bytes, value: dict[str, Any]) -> None:
        """The items open under ``key`` and hold the device key the file names."""
        items = self._decrypt_items(key, value)
        pem = items.get(DEVICE_ITEM)
        if pem is None or raw_public(load_ed25519(pem.encode("ascii"))) != bytes.fromhex(
            value["public_key"]
        ):
            raise KeyVaultError(self._damaged("its device key is not the one it names"))

    def _decrypt_items(self, key: bytes, value: dict[str, Any]) -> dict[str, str]:
        items = value["items"]
        plain = box.open_sealed(
            key,
            _unb64(items.get("nonce"), "nonce"),
            _unb64(items.get("ciphertext"), "ciphertext"),
            lambda: self._identity_aad(value),
            lambda: KeyVaultError(self._damaged("its keys do not open")),
        )
        try:
            decoded = json.loads(plain)
        except ValueError:
            raise KeyVaultError(self._damaged("its keys are not JSON")) from None
        if not isinstance(decoded, dict) or not all(isinstance(v, str) for v in decoded.values()):
            raise KeyVaultError(self._damaged("its keys are not as written"))
        return decoded

    # Items -----------------------------------------------------------------------------

    def items(self) -> dict[str, str]:
        self.unlock()
        assert self._key is not None
        value = self._read()
        try:
            return self._decrypt_items(self._key, value)
        except KeyVaultError:
            self._key = None  # the file was replaced (a restore): open it afresh
            raise

    def item(self, name: str) -> bytes | None:
        pem = self.items().get(name)
        return None if pem is None else pem.encode("ascii")

    def put(self, name: str, pem: bytes) -> None:
        """Add or replace one key (the vault must open)."""
        items = self.items()
        items[name] = pem.decode("ascii")
        self._write_items(self._read(), items)

    def _write_items(self, value: dict[str, Any], items: dict[str, str]) -> None:
        assert self._key is not None
        nonce = os.urandom(box.NONCE_BYTES)
        sealed = box.seal(self._key, nonce, canonical_bytes(items), self._identity_aad(value))
        value = {**value, "items": {"nonce": _b64(nonce), "ciphertext": _b64(sealed)}}
        write_durably(self.path, json.dumps(value, indent=1).encode("utf-8"), 0o600)

    def device_private(self) -> Ed25519PrivateKey:
        pem = self.item(DEVICE_ITEM)
        if pem is None:
            raise KeyVaultError(self._damaged("no device key"))
        return load_ed25519(pem)

    # Making ----------------------------------------------------------------------------

    def create(self, device_id: str, passphrase: str) -> None:
        """A new vault: the device key of an earlier version's plain file, else a new one,
        and the earlier plain keys beside it, which are then removed."""
        problem = passphrase_problem(passphrase)
        if problem:
            raise KeyVaultError(problem)
        legacy = self.data_dir / LEGACY_DEVICE_KEY
        if legacy.is_file():
            private = load_ed25519(legacy.read_bytes(), legacy)
        else:
            private = Ed25519PrivateKey.generate()
        items = {DEVICE_ITEM: _pem(private).decode("ascii")}
        key = os.urandom(box.KEY_BYTES)
        salt, nonce = box.fresh_salt_and_nonce()
        value: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "device_id": device_id,
            "public_key": raw_public(private).hex(),
            "kdf": box.argon2id_fields(TIME_COST, MEMORY_KIB, LANES, salt),
            "cipher": box.cipher_fields(nonce),
        }
        kek = box.argon2id_key(passphrase, salt, TIME_COST, MEMORY_KIB, LANES)
        value["wrapped_key"] = _b64(box.seal(kek, nonce, key, self._wrap_aad(value)))
        value["os_store"] = os_key_store.put(device_id, _b64(key))
        value["items"] = {}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._key, self.opened_by = key, "passphrase"
        self._write_items(value, items)
        self._adopt_legacy_files()

    def change_passphrase(self, new: str) -> None:
        """Wrap the vault key under ``new`` (the vault must open)."""
        problem = passphrase_problem(new)
        if problem:
            raise KeyVaultError(problem)
        self.unlock()
        assert self._key is not None
        value = self._read()
        salt, nonce = box.fresh_salt_and_nonce()
        value["kdf"] = box.argon2id_fields(TIME_COST, MEMORY_KIB, LANES, salt)
        value["cipher"] = box.cipher_fields(nonce)
        kek = box.argon2id_key(new, salt, TIME_COST, MEMORY_KIB, LANES)
        value["wrapped_key"] = _b64(box.seal(kek, nonce, self._key, self._wrap_aad(value)))
        write_durably(self.path, json.dumps(value, indent=1).encode("utf-8"), 0o600)

    def _adopt_legacy_files(self) -> None:
        """Plain key files of earlier versions: into the vault, then removed."""
        legacy: list[tuple[str, Path]] = []
        device_file = self.data_dir / LEGACY_DEVICE_KEY
        if device_file.is_file():
            legacy.append(("", device_file))  # already the vault's device key
        pdf_file = self.data_dir / LEGACY_PDF_KEY
        if pdf_file.is_file():
            legacy.append((PDF_ITEM, pdf_file))
        kits = self.data_dir / "site-kit"
        if kits.is_dir():
            legacy += [(site_item(p.parent.name), p) for p in sorted(kits.glob("*/site-key.pem"))]
        if not legacy:
            return
        value = self._read()
        assert self._key is not None
        items = self._decrypt_items(self._key, value)
        for name, path in legacy:
            if name:
                items[name] = path.read_text(encoding="ascii")
        self._write_items(value, items)
        for _name, path in legacy:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


def site_item(session_id: str) -> str:
    return f"site:{session_id}"


def load_ed25519(pem: bytes, where: Path | None = None) -> Ed25519PrivateKey:
    """The Ed25519 key in ``pem``; ``where`` names the plain file of an earlier version it was
    read from, so that a damaged one is named with what to do."""
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise KeyVaultError(_damaged_key(where, str(exc) or type(exc).__name__)) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyVaultError(_damaged_key(where, "not an Ed25519 key"))
    return key


def _damaged_key(where: Path | None, reason: str) -> str:
    first_line = reason.splitlines()[0] if reason.strip() else "empty file"
    if where is None:
        return f"the device key is damaged ({first_line}); put the data folder back from a backup"
    return (
        f"device key {where} is damaged or empty ({first_line}); the records sealed with it "
        "need it: put it back from a backup of the data folder. On a laptop that has sealed "
        "no record yet, remove the file and start again to make a new key"
    )


def _pem(private: Ed25519PrivateKey) -> bytes:
    return private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def raw_public(private: Ed25519PrivateKey) -> bytes:
    """The raw 32-byte public key of ``private``."""
    return private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


_vaults: dict[Path, Vault] = {}


def vault_for(data_dir: Path) -> Vault:
    """The one vault object of ``data_dir`` in this process."""
    folder = Path(data_dir).resolve()
    if folder not in _vaults:
        _vaults[folder] = Vault(folder)
    return _vaults[folder]


def forget(data_dir: Path) -> None:
    """Close the vault of ``data_dir`` in this process (as a restart would)."""
    _vaults.pop(Path(data_dir).resolve(), None)


def ensure(data_dir: Path, device_id: str) -> Vault:
    """The vault of ``data_dir``, made at the first need with a new passphrase."""
    vault = vault_for(data_dir)
    if vault.exists():
        return vault
    passphrase = _source[0]("new")
    if not passphrase:
        raise KeysLocked(locked_message("new"))
    vault.create(device_id, passphrase)
    return vault
