"""The institution's keys in a passphrase-protected recovery file: restored on another
computer they read the bundles sent to the institution; a wrong passphrase writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.records.service import Workspace
from app.core.sync.export import export_bundle
from app.core.sync.importing import import_bundles
from app.core.trust import key_recovery
from app.core.trust.institution import exists, load_identity
from tests.support.sync import (
    ADMIN_PASS,
    institution_signs,
    make_institution,
    make_laptop,
    record_incident,
)

RECOVERY_PASS = "recovery-pass-9"
NEW_PASS = "new-admin-pass-2"


def test_restored_keys_import_a_bundle_encrypted_to_the_institution(tmp_path: Path) -> None:
    inst = make_institution(tmp_path)
    laptop = make_laptop(tmp_path, "laptop", "A", inst.kit)
    try:
        record_incident(laptop, inst.session_id, 0)
        bundle = tmp_path / "site.pdbundle"
        export_bundle(laptop, inst.session_id, bundle)
        recovery = key_recovery.export_keys(inst.ws.data_dir, ADMIN_PASS, RECOVERY_PASS)
    finally:
        laptop.close()
        inst.ws.close()
    assert ADMIN_PASS.encode() not in recovery and b"PRIVATE KEY" not in recovery
    # The institution's computer is lost; a new one gets the keys back from the file.
    with Workspace.open(tmp_path / "new-computer") as ws:
        restored = key_recovery.restore_keys(ws.data_dir, recovery, RECOVERY_PASS, NEW_PASS)
        assert restored.public.fingerprint == inst.identity.public.fingerprint
        identity = load_identity(ws.data_dir, NEW_PASS)  # now under the passphrase given
        institution_signs(ws, identity)  # this computer's database has no account
        [outcome] = import_bundles(ws, identity, [bundle])
        assert outcome.status == "imported", outcome.line()
        assert len(ws.list_sessions()) == 1


def test_a_wrong_recovery_passphrase_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    inst = make_institution(tmp_path)
    inst.ws.close()
    recovery = key_recovery.export_keys(inst.ws.data_dir, ADMIN_PASS, RECOVERY_PASS)
    target = tmp_path / "new-computer"
    with pytest.raises(key_recovery.WrongRecoveryPassphraseError):
        key_recovery.restore_keys(target, recovery, "not-the-passphrase", NEW_PASS)
    assert not target.exists()


def test_an_altered_field_in_clear_is_refused(tmp_path: Path) -> None:
    inst = make_institution(tmp_path)
    inst.ws.close()
    envelope = json.loads(key_recovery.export_keys(inst.ws.data_dir, ADMIN_PASS, RECOVERY_PASS))
    envelope["institution"]["name"] = "另一个机构"
    altered = json.dumps(envelope).encode()
    with pytest.raises(key_recovery.WrongRecoveryPassphraseError):
        key_recovery.read_keys(altered, RECOVERY_PASS)
    envelope["kdf"]["n"] = 2**30  # a file may not make the reader spend what it likes
    with pytest.raises(key_recovery.RecoveryError, match="out of range"):
        key_recovery.read_keys(json.dumps(envelope).encode(), RECOVERY_PASS)


def test_restore_refuses_where_an_identity_already_is(tmp_path: Path) -> None:
    inst = make_institution(tmp_path)
    inst.ws.close()
    recovery = key_recovery.export_keys(inst.ws.data_dir, ADMIN_PASS, RECOVERY_PASS)
    before = {p.name: p.read_bytes() for p in (inst.ws.data_dir / "institution").iterdir()}
    with pytest.raises(key_recovery.RecoveryError, match="already holds"):
        key_recovery.restore_keys(inst.ws.data_dir, recovery, RECOVERY_PASS, NEW_PASS)
    after = {p.name: p.read_bytes() for p in (inst.ws.data_dir / "institution").iterdir()}
    assert after == before and exists(inst.ws.data_dir)
