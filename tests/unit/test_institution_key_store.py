"""The institution's private keys are kept under a memory-hard key derivation (Argon2id), not
PKCS#8's PBKDF2 of 2,048 rounds, which a stolen laptop's passphrase would not long withstand.
A key store of an earlier version (PKCS#8 PEM files) still opens, and is rewritten in the new
form at its first successful unlock; a wrong passphrase changes nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.core.trust.institution import (
    WrongPassphraseError,
    init_institution,
    load_identity,
    load_public,
)
from app.core.trust.presence import folder_of

ROOT = Path(__file__).resolve().parents[2]
COMPAT = ROOT / "tests" / "data" / "compat" / "0.1.0"
COMPAT_PASSPHRASE = "compat-corpus-institution"
PASSPHRASE = "correct horse battery"
LEGACY_FILES = ("signing-key.pem", "encryption-key.pem", "root-key.pem")


def _store(data_dir: Path) -> dict[str, object]:
    [store] = [
        p
        for p in folder_of(data_dir).iterdir()
        if p.name.endswith(".json") and p.name != "institution.json"
    ]
    envelope = json.loads(store.read_text(encoding="utf-8"))
    assert isinstance(envelope, dict)
    return envelope


def test_a_new_institution_keeps_its_keys_under_argon2id(tmp_path: Path) -> None:
    identity = init_institution(tmp_path, "某职业技能评价中心", PASSPHRASE)
    folder = folder_of(tmp_path)
    for name in LEGACY_FILES:
        assert not (folder / name).exists()
    kdf = _store(tmp_path)["kdf"]
    assert isinstance(kdf, dict)
    assert kdf["name"] == "argon2id"
    assert kdf["memory_kib"] >= 64 * 1024 and kdf["time_cost"] >= 3
    assert "PRIVATE KEY" not in "".join(p.read_text(errors="replace") for p in folder.iterdir())
    opened = load_identity(tmp_path, PASSPHRASE)
    assert opened.public == identity.public
    with pytest.raises(WrongPassphraseError):
        load_identity(tmp_path, PASSPHRASE + "!")


def test_an_earlier_key_store_opens_and_is_rewritten_at_its_first_unlock(tmp_path: Path) -> None:
    shutil.copytree(COMPAT / "institution", folder_of(tmp_path))
    before = {p.name: p.read_bytes() for p in folder_of(tmp_path).iterdir()}
    with pytest.raises(WrongPassphraseError):
        load_identity(tmp_path, "not the passphrase")
    assert {p.name: p.read_bytes() for p in folder_of(tmp_path).iterdir()} == before
    identity = load_identity(tmp_path, COMPAT_PASSPHRASE)
    assert identity.public == load_public(tmp_path)
    for name in LEGACY_FILES:
        assert not (folder_of(tmp_path) / name).exists(), "the PBKDF2 copy is gone"
    assert _store(tmp_path)["kdf"]["name"] == "argon2id"  # type: ignore[index]
    again = load_identity(tmp_path, COMPAT_PASSPHRASE)
    assert again.signing_key.private_bytes_raw() == identity.signing_key.private_bytes_raw()
    with pytest.raises(WrongPassphraseError):
        load_identity(tmp_path, "not the passphrase")
