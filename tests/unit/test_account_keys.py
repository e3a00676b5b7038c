"""Account keys at the institution (``seal.account_keys``): each account signs its own acts with
its own key, sealed under its password and certified up to the institution's signing key; the
institution's folder holds no device key, and ``verify`` follows every account key's chain, so
that whoever can write the (shared) database but holds no key and no password cannot add or
certify a signer of their own."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlmodel import col, select

from app.core import accounts
from app.core.accounts import ADMIN, REVIEWER
from app.core.casework.service import CaseDesk
from app.core.demo.seed import seed_demo
from app.core.kits.kit_export import export_kit
from app.core.records import audit
from app.core.records.account_tables import AccountRow
from app.core.records.service import Workspace
from app.core.records.tables import AuditEntry, Device
from app.core.seal import account_keys, key_vault
from app.core.seal.account_keys import AccountSigner
from app.core.seal.device_keys import fingerprint, load_or_create
from app.core.sync.export import export_bundle
from app.core.sync.importing import import_bundles
from app.core.trust.institution import InstitutionIdentity, init_institution
from app.core.trust.presence import FOLDER, INFO_FILE
from tests.support.casework import record
from tests.support.sync import OPENED, SITE_PASS, make_laptop

PASSPHRASE = "institution-pass-1"
BOSS, BOSS_PW = "boss", "boss-password-1"
REV, REV_PW = "rev", "reviewer-password-1"
WRONG = "not-the-password-at-all"


@dataclass
class Inst:
    ws: Workspace
    identity: InstitutionIdentity
    session_id: str
    kit: Path


def _institution(tmp_path: Path, database_url: str | None = None) -> Inst:
    """As an admin makes it: ``institution init``, then the folder opened, the first admin
    (institution passphrase) and a reviewer added by that admin."""
    folder = tmp_path / "institution"
    identity = init_institution(folder, "示范鉴定中心", PASSPHRASE)
    ws = Workspace.open(folder, database_url=database_url)
    OPENED.append(ws)
    boss = accounts.add_account(ws, BOSS, ADMIN, BOSS_PW, institution_passphrase=PASSPHRASE)
    accounts.add_account(ws, REV, REVIEWER, REV_PW, by=boss)
    accounts.authenticate(ws, BOSS, BOSS_PW)
    session_id = seed_demo(ws, candidates=6, incidents=0).session_id
    kit = tmp_path / "site.kit"
    export_kit(ws, identity, session_id, kit, SITE_PASS)
    return Inst(ws, identity, session_id, kit)


@pytest.fixture
def inst(tmp_path: Path) -> Iterator[Inst]:
    made = _institution(tmp_path)
    yield made
    made.ws.close()


def _no_device_key(folder: Path) -> None:
    assert not (folder / "device").exists(), sorted(p.name for p in folder.iterdir())
    assert not key_vault.vault_for(folder).exists()
    assert not (folder / key_vault.LEGACY_DEVICE_KEY).exists()


def _entries(ws: Workspace) -> list[AuditEntry]:
    with ws.reading() as db:
        return list(db.exec(select(AuditEntry).order_by(col(AuditEntry.seq))).all())


def _rows(ws: Workspace) -> dict[str, AccountRow]:
    with ws.reading() as db:
        return {r.name: r for r in db.exec(select(AccountRow)).all()}


def _problems(ws: Workspace) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in ws.verify().problems:
        found.setdefault(problem.record, []).append(problem.reason)
    return found


def _act(ws: Workspace, signer: AccountSigner | None = None, action: str = "export_kit") -> int:
    """An entry appended as a database writer would, signed by ``signer`` (the folder's
    signed-in account by default)."""
    with ws.transaction() as db:
        entry = audit.append(
            db, action=action, device=signer or ws.device, details={"account": "x"}
        )
        return entry.seq


def _rogue_row(
    ws: Workspace, name: str, role: str, issuer: dict[str, str], issuer_key: Ed25519PrivateKey
) -> AccountSigner:
    """An account row a database writer adds: a key of their own and a certificate signed by
    ``issuer_key``."""
    key_id, private = account_keys.new_key()
    public = key_vault.raw_public(private)
    statement = account_keys.certificate(name, role, public, key_id, issuer)
    with ws.transaction() as db:
        db.add(
            AccountRow(
                name=name,
                role=role,
                password_hash=accounts.service.hash_password("mallory-password-1"),
                failed_count=0,
                locked_until=None,
                created_at=accounts.service.now(),
                created_by=BOSS,
                password_changed_at=accounts.service.now(),
                key_id=key_id,
                public_key=public.hex(),
                sealed_key=account_keys.seal_private(private, key_id, "mallory-password-1"),
                certificate=statement,
                certificate_signature=account_keys.sign_certificate(statement, issuer_key),
            )
        )
    return AccountSigner(ws.data_dir, name, key_id, private)


# The whole flow, on both engines -------------------------------------------------------------


def test_the_institution_signs_as_its_accounts_and_holds_no_device_key(
    tmp_path: Path, institution_db: str | None
) -> None:
    made = _institution(tmp_path, institution_db)
    ws, folder = made.ws, made.ws.data_dir
    laptop = make_laptop(tmp_path, "laptop", "A", made.kit)
    try:
        record(laptop, made.session_id, index=0, clause="7.4")  # its case asks a severity
        bundle = tmp_path / "a.pdbundle"
        export_bundle(laptop, made.session_id, bundle)
    finally:
        laptop.close()
    (outcome,) = import_bundles(ws, made.identity, [bundle])
    assert outcome.status == "imported", outcome.message
    boss = accounts.authenticate(ws, BOSS, BOSS_PW)
    desk = CaseDesk(ws)
    case = desk.list(boss)[0]
    ref = str(case["id"])
    desk.determine(boss, ref, desk.version_of(boss, ref), severity="minor")
    report = ws.verify()
    assert report.ok, report.problems
    _no_device_key(folder)
    keys = {r.key_id: r.name for r in _rows(ws).values()}
    entries = _entries(ws)
    # Each entry signed by its account, or vouched for by a signed entry of the same account
    # (an import's entries are signed one in every few hundred).
    vouched = {seq: e.device_id for e in entries for seq in audit.vouched_for(e)}
    assert entries and all(e.device_id in keys for e in entries)
    assert all(e.signature or vouched.get(e.seq) == e.device_id for e in entries)
    assert {keys[e.device_id] for e in entries} == {BOSS}  # the reviewer did nothing yet
    with ws.reading() as db:
        assert db.exec(select(Device).where(col(Device.device_id).in_(list(keys)))).all() == []
    assert ws.verify(anchor=made.identity.public.fingerprint).ok
    if institution_db is None:
        return
    # A second computer of the institution: its own folder with the institution's public files
    # only, the same database; it signs as the account signed in there.
    second = tmp_path / "second"
    (second / FOLDER).mkdir(parents=True)
    for name in (INFO_FILE, "root-cert.pem"):
        shutil.copy(folder / FOLDER / name, second / FOLDER / name)
    with Workspace.open(second, database_url=institution_db) as other:
        rev = accounts.authenticate(other, REV, REV_PW)
        accounts.record_action(other, rev, "print_report", {"what": "list"})
        assert other.device.device_id == _rows(other)[REV].key_id
        other_report = other.verify(anchor=made.identity.public.fingerprint)
        assert other_report.ok, other_report.problems
        assert _entries(other)[-1].device_id == _rows(other)[REV].key_id
    _no_device_key(second)
    assert ws.verify().ok


# Passwords and keys --------------------------------------------------------------------------


def test_only_the_accounts_password_opens_its_key(inst: Inst) -> None:
    ws = inst.ws
    row = _rows(ws)[REV]
    assert row.sealed_key is not None and row.public_key is not None
    assert REV_PW not in row.sealed_key
    with pytest.raises(account_keys.WrongAccountPassword):
        account_keys.open_private(row.sealed_key, WRONG)
    with pytest.raises(accounts.AccountError):
        accounts.authenticate(ws, REV, WRONG)
    assert account_keys.signer_for(ws.data_dir).account == BOSS  # a failure unlocks nothing
    opened = account_keys.open_private(row.sealed_key, REV_PW)
    assert key_vault.raw_public(opened).hex() == row.public_key
    accounts.change_password(ws, REV, REV_PW, "new-reviewer-pw-1")
    changed = _rows(ws)[REV]
    assert changed.sealed_key is not None
    assert (changed.key_id, changed.public_key) == (row.key_id, row.public_key)  # same key
    with pytest.raises(account_keys.WrongAccountPassword):
        account_keys.open_private(changed.sealed_key, REV_PW)
    reopened = account_keys.open_private(changed.sealed_key, "new-reviewer-pw-1")
    assert key_vault.raw_public(reopened).hex() == row.public_key
    signer = accounts.authenticate(ws, REV, "new-reviewer-pw-1").signer
    assert signer is not None and signer.device_id == row.key_id
    assert ws.verify().ok


def test_the_lockout_holds_and_its_unsigned_entries_verify(inst: Inst) -> None:
    ws = inst.ws
    account_keys.forget(ws.data_dir)  # nobody signed in: the failures are written unsigned
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(accounts.AccountError):
            accounts.authenticate(ws, REV, WRONG)
    with pytest.raises(accounts.AccountError, match="locked"):
        accounts.authenticate(ws, REV, REV_PW)
    unsigned = [e for e in _entries(ws) if not e.signature]
    assert [e.action for e in unsigned] == [
        *["login_failed"] * accounts.MAX_FAILURES,
        "account_locked",
        "login_refused",
    ]
    assert ws.verify().ok
    with pytest.raises(account_keys.NotSignedIn):  # nothing else is written unsigned
        _act(ws)
    accounts.authenticate(ws, BOSS, BOSS_PW)
    _act(ws)  # a signed entry after them covers them in the chain
    assert ws.verify().ok


# Attacks by a writer of the database -----------------------------------------------------------


def test_an_account_row_certified_by_its_own_key_is_named(inst: Inst) -> None:
    ws = inst.ws
    before = len(_entries(ws))
    own = Ed25519PrivateKey.generate()
    mallory = _rogue_row(ws, "mallory", ADMIN, account_keys.account_issuer("mallory", "x"), own)
    # The issuer field pointing at its own key id: self-signed.
    with ws.transaction() as db:
        row = db.get(AccountRow, "mallory")
        assert row is not None and row.key_id is not None
        statement = account_keys.certificate(
            "mallory", ADMIN, bytes.fromhex(str(row.public_key)), row.key_id,
            account_keys.account_issuer("mallory", row.key_id),
        )  # fmt: skip
        row.certificate = statement
        row.certificate_signature = account_keys.sign_certificate(statement, mallory.private_key)
        db.add(row)
    seq = _act(ws, mallory)
    assert seq == before + 1
    problems = _problems(ws)
    assert any("signed by itself" in r for r in problems["account mallory"])
    assert any("account mallory" in r for r in problems[f"audit log entry {seq}"])


def test_an_account_row_not_signed_by_the_institution_is_named(inst: Inst) -> None:
    ws = inst.ws
    stranger = Ed25519PrivateKey.generate()
    root = inst.identity.public.signing_key
    # Names the institution as issuer but is signed by another key; then one naming another
    # institution's key altogether.
    one = _rogue_row(ws, "mallory", ADMIN, account_keys.institution_issuer(root), stranger)
    other_root = key_vault.raw_public(stranger)
    two = _rogue_row(ws, "trudy", ADMIN, account_keys.institution_issuer(other_root), stranger)
    first, second = _act(ws, one), _act(ws, two)
    _act(ws)  # a genuine entry after them: the chain is whole, the signers are not
    problems = _problems(ws)
    for name, seq in (("mallory", first), ("trudy", second)):
        assert problems[f"account {name}"] == [
            "its certificate is not signed by the institution's key"
        ]
        assert any(
            "not certified by the institution" in r for r in problems[f"audit log entry {seq}"]
        )
    assert set(problems) == {
        "account mallory", "account trudy", f"audit log entry {first}", f"audit log entry {second}"
    }  # fmt: skip


def test_a_certificate_issued_by_a_reviewer_or_an_unknown_key_is_refused(inst: Inst) -> None:
    ws = inst.ws
    rev = accounts.authenticate(ws, REV, REV_PW)
    assert rev.signer is not None
    by_reviewer = _rogue_row(
        ws, "mallory", ADMIN,
        account_keys.account_issuer(REV, rev.signer.device_id), rev.signer.private_key,
    )  # fmt: skip
    unknown = Ed25519PrivateKey.generate()
    by_unknown = _rogue_row(
        ws, "trudy", ADMIN, account_keys.account_issuer(BOSS, str(uuid.uuid4())), unknown
    )
    boss = accounts.authenticate(ws, BOSS, BOSS_PW)
    assert boss.signer is not None
    # An issuer that names the admin but whose signature is another key's.
    forged = _rogue_row(
        ws, "eve", ADMIN, account_keys.account_issuer(BOSS, boss.signer.device_id), unknown
    )
    seqs = [_act(ws, s) for s in (by_reviewer, by_unknown, forged)]
    problems = _problems(ws)
    assert problems["account mallory"] == [f"its certificate's issuer, account {REV}, is no admin"]
    assert problems["account trudy"] == ["its certificate's issuer is no account here"]
    assert problems["account eve"] == [
        f"its certificate is not signed by the key of account {BOSS}"
    ]
    for seq in seqs:
        assert f"audit log entry {seq}" in problems


def test_an_edited_role_or_key_in_an_account_row_is_named(inst: Inst) -> None:
    ws = inst.ws
    accounts.authenticate(ws, REV, REV_PW)
    seq = _act(ws)  # signed by the reviewer's key
    accounts.authenticate(ws, BOSS, BOSS_PW)
    assert ws.verify().ok
    with ws.transaction() as db:
        row = db.get(AccountRow, REV)
        assert row is not None
        row.role = ADMIN  # promoted by hand
        db.add(row)
    problems = _problems(ws)
    assert problems[f"account {REV}"] == [
        "its role (admin) is not the one its certificate gives (reviewer)"
    ]
    assert f"audit log entry {seq}" in problems
    with ws.transaction() as db:
        row = db.get(AccountRow, REV)
        assert row is not None
        row.role = REVIEWER
        row.public_key = key_vault.raw_public(Ed25519PrivateKey.generate()).hex()
        db.add(row)
    problems = _problems(ws)
    assert problems[f"account {REV}"] == ["its certificate is for another account or key"]


def test_a_key_added_to_the_device_table_signs_nothing_here(inst: Inst) -> None:
    """The old hole: a writer adds a ``device`` row with a key of their own and signs with it."""
    ws = inst.ws
    private = Ed25519PrivateKey.generate()
    fake = AccountSigner(ws.data_dir, None, str(uuid.uuid4()), private)
    with ws.transaction() as db:
        db.add(
            Device(
                device_id=fake.device_id,
                code="ZZ",
                public_key=fake.public_bytes.hex(),
                first_seen=accounts.service.now(),
            )
        )
    seq = _act(ws, fake)
    problems = _problems(ws)
    assert list(problems) == [f"audit log entry {seq}"]
    assert "no certified account's" in problems[f"audit log entry {seq}"][0]


def test_a_signature_copied_onto_another_entry_is_caught(inst: Inst) -> None:
    ws = inst.ws
    first, second = _act(ws), _act(ws)
    with ws.transaction() as db:
        a, b = db.get(AuditEntry, first), db.get(AuditEntry, second)
        assert a is not None and b is not None
        stolen = a.signature
    _edit(ws, f"UPDATE audit_log SET signature = '{stolen}' WHERE seq = {second}")
    problems = _problems(ws)
    assert problems == {
        f"audit log entry {second}": [f"its signature by the key of account {BOSS} does not verify"]
    }


def test_an_unsigned_entry_other_than_a_failed_sign_in_is_caught(inst: Inst) -> None:
    ws = inst.ws
    with ws.transaction() as db:
        entry = audit.append(db, action="export_kit", device=ws.device, details={"account": BOSS})
        entry.signature = None  # written as a writer of the database would, without a key
        seq = entry.seq
    _act(ws)
    problems = _problems(ws)
    assert problems == {
        f"audit log entry {seq}": ["it carries no device signature (added without the key)"]
    }
    with ws.transaction() as db:  # a failed sign-in, unsigned, is accepted
        audit.append(
            db, action="login_failed", device=account_keys.nobody(ws.data_dir),
            details={"account": REV, "reason": "wrong password"},
        )  # fmt: skip
    assert set(_problems(ws)) == {f"audit log entry {seq}"}


def test_verify_anchors_on_the_institution_fingerprint(inst: Inst) -> None:
    ws = inst.ws
    good = ws.verify(anchor=inst.identity.public.fingerprint)
    assert good.ok and good.anchor is not None and good.anchor.anchored
    unanchored = ws.verify()
    assert unanchored.ok and unanchored.anchor is not None and not unanchored.anchor.anchored
    other = fingerprint(key_vault.raw_public(Ed25519PrivateKey.generate()))
    wrong = ws.verify(anchor=other)
    assert not wrong.ok
    assert [p.record for p in wrong.problems] == ["institution key"]


def test_a_replaced_institution_key_in_the_folder_fails_the_whole_chain(inst: Inst) -> None:
    """A writer of the folder and the database who swaps institution.json for their own key
    still cannot pass: the accounts' certificates lead to the real one (and --anchor names
    it)."""
    import json

    ws = inst.ws
    info_path = ws.data_dir / FOLDER / INFO_FILE
    info = json.loads(info_path.read_text(encoding="utf-8"))
    info["signing_key"] = key_vault.raw_public(Ed25519PrivateKey.generate()).hex()
    info_path.write_text(json.dumps(info), encoding="utf-8")
    problems = _problems(ws)
    assert problems[f"account {BOSS}"] == ["its certificate is not signed by the institution's key"]
    assert f"account {REV}" in problems  # certified by boss, whose chain is broken


# An institution of an earlier version ------------------------------------------------------------


def test_an_earlier_institution_device_key_still_verifies_but_signs_no_more(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "institution"
    identity = init_institution(folder, "示范鉴定中心", PASSPHRASE)
    # As an earlier version left it: a device key, and entries signed with it.
    legacy = load_or_create(folder / "device")
    with Workspace.open(folder) as ws:
        with ws.transaction() as db:
            audit.append(db, action="export_kit", device=legacy, details={"file": "a.kit"})
        assert ws.verify().ok
        boss = accounts.add_account(ws, BOSS, ADMIN, BOSS_PW, institution_passphrase=PASSPHRASE)
        accounts.record_action(ws, boss, "export_kit", {"file": "b.kit"})
        entries = _entries(ws)
        assert entries[0].device_id == legacy.device_id
        assert {e.device_id for e in entries[1:]} == {_rows(ws)[BOSS].key_id}
        report = ws.verify(anchor=identity.public.fingerprint)
        assert report.ok, report.problems
        assert ws.verify(anchor=legacy.fingerprint).ok
        # The earlier key, still in the folder, signs nothing after the accounts began.
        with ws.transaction() as db:
            late = audit.append(db, action="export_kit", device=legacy, details={}).seq
        problems = _problems(ws)
        assert list(problems) == [f"audit log entry {late}"]


def _edit(ws: Workspace, *statements: str) -> None:
    import sqlite3

    from app.core.records.db import DB_FILE

    con = sqlite3.connect(ws.data_dir / DB_FILE)
    with con:
        for statement in ("DROP TRIGGER audit_log_no_update", *statements):
            con.execute(statement)
    con.close()
