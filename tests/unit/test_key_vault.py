"""The laptop's private keys at rest (``key_vault``, ``os_key_store``): a thief with the files
but without the passphrase or the operating-system account gets no key."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from keyring.backend import KeyringBackend
from keyring.backends.fail import Keyring as FailKeyring
from keyring.backends.SecretService import Keyring as SecretServiceKeyring

from app.core.seal import key_vault, os_key_store
from app.core.seal.device_keys import load_or_create

PASSPHRASE = "the site head's phrase"


class MemorySecretService(SecretServiceKeyring):
    """The Secret Service backend's class with an in-memory store: what a desktop session with
    GNOME Keyring gives, without D-Bus."""

    priority = 5

    def __init__(self) -> None:
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


class PlaintextFileKeyring(KeyringBackend):
    """Like ``keyrings.alt.file.PlaintextKeyring``: secrets in a file beside the data."""

    priority = 1

    def __init__(self) -> None:
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture
def store() -> Iterator[MemorySecretService]:
    backend = MemorySecretService()
    os_key_store.use_backend(backend)
    yield backend
    os_key_store.use_backend(None)


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(key_vault.ENV, raising=False)


def _fresh(folder: Path) -> key_vault.Vault:
    key_vault.forget(folder)
    return key_vault.vault_for(folder)


def test_only_the_operating_systems_stores_are_accepted(store: MemorySecretService) -> None:
    assert os_key_store.acceptable(store)
    assert not os_key_store.acceptable(PlaintextFileKeyring())
    assert not os_key_store.acceptable(FailKeyring())  # type: ignore[no-untyped-call]
    os_key_store.use_backend(PlaintextFileKeyring())
    assert os_key_store.backend() is None
    assert os_key_store.put("x", "secret") is False


def test_without_a_key_store_the_keys_open_only_with_the_passphrase(
    tmp_path: Path, no_env: None
) -> None:
    vault = key_vault.vault_for(tmp_path)
    vault.create("device-1", PASSPHRASE)
    assert json.loads(vault.path.read_text())["os_store"] is False
    vault = _fresh(tmp_path)
    with pytest.raises(key_vault.KeysLocked, match="locked"):
        vault.unlock()
    with pytest.raises(key_vault.WrongPassphrase):
        vault.unlock_with("a wrong phrase")
    vault.unlock_with(PASSPHRASE)
    assert vault.item(key_vault.DEVICE_ITEM) is not None


def test_with_a_key_store_the_keys_open_without_the_passphrase(
    tmp_path: Path, store: MemorySecretService, no_env: None
) -> None:
    vault = key_vault.vault_for(tmp_path)
    vault.create("device-1", PASSPHRASE)
    assert json.loads(vault.path.read_text())["os_store"] is True
    assert store.secrets  # the vault key, not the device key
    assert all(b"PRIVATE" not in base64.b64decode(v) for v in store.secrets.values())
    vault = _fresh(tmp_path)
    vault.unlock()
    assert vault.opened_by == "key store"
    # Another account (an empty store) falls back to the passphrase.
    os_key_store.use_backend(MemorySecretService())
    vault = _fresh(tmp_path)
    with pytest.raises(key_vault.KeysLocked):
        vault.unlock()
    vault.unlock_with(PASSPHRASE)


def test_a_vault_edited_to_name_another_key_does_not_open(tmp_path: Path, no_env: None) -> None:
    vault = key_vault.vault_for(tmp_path)
    vault.create("device-1", PASSPHRASE)
    value: dict[str, Any] = json.loads(vault.path.read_text())
    value["public_key"] = "11" * 32
    vault.path.write_text(json.dumps(value))
    with pytest.raises(key_vault.KeyVaultError):
        _fresh(tmp_path).unlock_with(PASSPHRASE)


def test_kdf_parameters_beyond_any_written_are_refused_not_obeyed(
    tmp_path: Path, no_env: None
) -> None:
    vault = key_vault.vault_for(tmp_path)
    vault.create("device-1", PASSPHRASE)
    value: dict[str, Any] = json.loads(vault.path.read_text())
    value["kdf"]["memory_kib"] = 1 << 30  # a terabyte per guess
    vault.path.write_text(json.dumps(value))
    with pytest.raises(key_vault.KeyVaultError, match="beyond"):
        _fresh(tmp_path).unlock_with(PASSPHRASE)


def test_a_short_passphrase_is_refused(tmp_path: Path) -> None:
    with pytest.raises(key_vault.KeyVaultError, match="at least"):
        key_vault.vault_for(tmp_path).create("device-1", "1234")


def test_changing_the_passphrase(tmp_path: Path, no_env: None) -> None:
    vault = key_vault.vault_for(tmp_path)
    vault.create("device-1", PASSPHRASE)
    vault.change_passphrase("another long phrase")
    with pytest.raises(key_vault.WrongPassphrase):
        _fresh(tmp_path).unlock_with(PASSPHRASE)
    _fresh(tmp_path).unlock_with("another long phrase")


def test_keys_an_earlier_version_kept_in_the_clear_move_into_the_vault(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    def pem(key: Any) -> bytes:
        return bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )

    device = Ed25519PrivateKey.generate()
    (tmp_path / "device").mkdir()
    (tmp_path / key_vault.LEGACY_DEVICE_KEY).write_bytes(pem(device))
    (tmp_path / "pdf-signing").mkdir()
    (tmp_path / key_vault.LEGACY_PDF_KEY).write_bytes(pem(ec.generate_private_key(ec.SECP256R1())))
    site = tmp_path / "site-kit" / "0b6c1d9e-3f7a-4c2b-9d1e-5a6b7c8d9e0f"
    site.mkdir(parents=True)
    (site / "site-key.pem").write_bytes(pem(ec.generate_private_key(ec.SECP256R1())))
    key = load_or_create(tmp_path / "device")
    public = device.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    assert key.public_bytes == public  # readable before the move
    key.sign(b"x")  # the first signature moves them (passphrase from the environment)
    assert key.public_bytes == public
    assert not list(tmp_path.rglob("*.pem")), "no private key is left in the clear"
    vault = _fresh(tmp_path)
    vault.unlock()
    assert set(vault.items()) == {"device", "pdf", f"site:{site.name}"}
