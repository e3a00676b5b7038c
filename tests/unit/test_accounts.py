"""The institution's accounts (app.core.accounts): Argon2id hashes, failures counted and a lockout
that outlives the program, roles, and every act in the audit log under the account's name,
never with a password."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import col, select

from app.core import accounts
from app.core.accounts import service
from app.core.records.account_tables import AccountRow
from app.core.records.service import Workspace
from app.core.records.tables import AuditEntry
from app.core.trust.institution import WrongPassphraseError, init_institution

PASSPHRASE = "institution-pass-1"
BOSS, BOSS_PW = "boss", "boss-password-1"
REV, REV_PW = "rev", "reviewer-password-1"
WRONG = "not-the-password-at-all"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An institution's data folder with an admin (boss) and a reviewer (rev)."""
    folder = tmp_path / "institution"
    init_institution(folder, "示范鉴定中心", PASSPHRASE)
    with Workspace.open(folder) as ws:
        boss = accounts.add_account(ws, BOSS, "admin", BOSS_PW, institution_passphrase=PASSPHRASE)
        accounts.add_account(ws, REV, "reviewer", REV_PW, by=boss)
    return folder


@pytest.fixture
def ws(folder: Path) -> Iterator[Workspace]:
    with Workspace.open(folder) as workspace:
        yield workspace


def row(ws: Workspace, name: str) -> AccountRow:
    with ws.reading() as db:
        found = db.get(AccountRow, name)
        assert found is not None
        return found


def log(ws: Workspace) -> list[tuple[str, dict[str, object], str]]:
    with ws.reading() as db:
        entries = db.exec(select(AuditEntry).order_by(col(AuditEntry.seq))).all()
        return [(e.action, json.loads(e.details_json), e.details_json) for e in entries]


def at(minutes: float) -> dt.datetime:
    return dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes)


def refused(ws: Workspace, name: str, password: str) -> str:
    with pytest.raises(accounts.AccountError) as caught:
        accounts.authenticate(ws, name, password)
    return str(caught.value)


def test_passwords_are_kept_as_argon2id_hashes(ws: Workspace) -> None:
    from argon2 import Type
    from argon2.low_level import verify_secret

    stored = row(ws, BOSS).password_hash
    assert stored.startswith("$argon2id$") and BOSS_PW not in stored
    assert verify_secret(stored.encode(), BOSS_PW.encode(), Type.ID)
    other = row(ws, REV).password_hash
    assert other.startswith("$argon2id$") and other.split("$")[4] != stored.split("$")[4]  # salts


def test_a_wrong_password_counts_and_the_right_one_resets_the_count(ws: Workspace) -> None:
    assert "wrong password" in refused(ws, REV, WRONG)
    assert "wrong password" in refused(ws, REV, REV_PW.upper())
    assert row(ws, REV).failed_count == 2
    assert accounts.authenticate(ws, REV, REV_PW).role == "reviewer"
    assert row(ws, REV).failed_count == 0


def test_five_wrong_passwords_lock_the_account_across_a_restart(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Workspace.open(folder) as ws:
        for _ in range(accounts.MAX_FAILURES - 1):
            assert "locked" not in refused(ws, REV, WRONG)
        assert "locked for 15 minutes" in refused(ws, REV, WRONG)
    # A new program (the workspace closed and opened again) finds the lock in the database.
    with Workspace.open(folder) as ws:
        message = refused(ws, REV, REV_PW)
        assert "is locked until" in message
        assert [a.locked() for a in accounts.list_accounts(ws) if a.name == REV] == [True]
        monkeypatch.setattr(service, "now", lambda: at(14))
        assert "is locked until" in refused(ws, REV, REV_PW)  # the right password, still locked
        monkeypatch.setattr(service, "now", lambda: at(accounts.LOCK_MINUTES + 0.1))
        assert accounts.authenticate(ws, REV, REV_PW).name == REV
        assert row(ws, REV).locked_until is None and row(ws, REV).failed_count == 0
        # The other accounts were never locked.
        assert accounts.authenticate(ws, BOSS, BOSS_PW).role == "admin"


def test_a_locked_account_is_refused_through_sign_in_too(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(accounts.AccountError):
            accounts.sign_in(folder, BOSS, WRONG)
    with pytest.raises(accounts.AccountError, match="is locked until"):
        accounts.sign_in(folder, BOSS, BOSS_PW)
    monkeypatch.setattr(service, "now", lambda: at(accounts.LOCK_MINUTES + 1))
    assert accounts.sign_in(folder, BOSS, BOSS_PW).name == BOSS


def test_a_quiet_sign_in_writes_nothing_and_needs_no_writer_lock(folder: Path) -> None:
    with Workspace.open(folder) as holder:  # another program writes meanwhile
        before = log(holder)
        assert accounts.sign_in(folder, REV, REV_PW).role == "reviewer"
        assert log(holder) == before


def test_an_unknown_account_is_refused_and_audited_by_the_name_given(ws: Workspace) -> None:
    assert "no account 'nobody'" in refused(ws, "nobody", WRONG)
    assert log(ws)[-1][:2] == ("login_failed", {"account": "nobody", "reason": "no such account"})
    assert [a.name for a in accounts.list_accounts(ws)] == [BOSS, REV]


def test_roles(ws: Workspace) -> None:
    boss = accounts.authenticate(ws, BOSS, BOSS_PW)
    rev = accounts.authenticate(ws, REV, REV_PW)
    accounts.require_role(boss, "admin")
    accounts.require_role(boss, "reviewer")  # an admin may look too
    accounts.require_role(rev, "reviewer")
    with pytest.raises(accounts.AccountError, match="'rev' is a reviewer: this needs an admin"):
        accounts.require_role(rev, "admin")
    with pytest.raises(accounts.AccountError, match="needs an admin"):
        accounts.add_account(ws, "third", "reviewer", "third-password-1", by=rev)
    with pytest.raises(accounts.AccountError, match="only an admin adds accounts"):
        accounts.add_account(ws, "third", "reviewer", "third-password-1")
    with pytest.raises(accounts.AccountError, match="only an admin adds accounts"):
        # The passphrase authorises the first account only.
        accounts.add_account(
            ws, "third", "admin", "third-password-1", institution_passphrase=PASSPHRASE
        )
    with pytest.raises(accounts.AccountError, match="already exists"):
        accounts.add_account(ws, REV, "admin", "another-password-1", by=boss)
    assert [(a.name, a.role) for a in accounts.list_accounts(ws)] == [
        (BOSS, "admin"),
        (REV, "reviewer"),
    ]
    added = accounts.add_account(ws, "third", "reviewer", "third-password-1", by=boss)
    assert (added.role, added.created_by) == ("reviewer", BOSS)


def test_the_first_account_is_an_admin_authorised_by_the_institution_passphrase(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "institution"
    init_institution(folder, "示范鉴定中心", PASSPHRASE)
    with Workspace.open(folder) as ws:
        assert not accounts.has_accounts(ws)
        with pytest.raises(accounts.AccountError, match="first account must be an admin"):
            accounts.add_account(ws, BOSS, "reviewer", BOSS_PW, institution_passphrase=PASSPHRASE)
        with pytest.raises(accounts.AccountError, match="institution passphrase"):
            accounts.add_account(ws, BOSS, "admin", BOSS_PW)
        with pytest.raises(WrongPassphraseError):
            accounts.add_account(ws, BOSS, "admin", BOSS_PW, institution_passphrase="wrong-pass-1")
        with pytest.raises(accounts.AccountError, match="at least 10 characters"):
            accounts.add_account(ws, BOSS, "admin", "short-pw", institution_passphrase=PASSPHRASE)
        with pytest.raises(accounts.AccountError, match="account name"):
            accounts.add_account(ws, "a b", "admin", BOSS_PW, institution_passphrase=PASSPHRASE)
        assert not accounts.has_accounts(ws) and log(ws) == []
        accounts.add_account(ws, BOSS, "admin", BOSS_PW, institution_passphrase=PASSPHRASE)
        assert accounts.has_accounts(ws)


def test_no_accounts_on_a_site_laptop(tmp_path: Path) -> None:
    laptop = tmp_path / "laptop"
    with Workspace.open(laptop) as ws:
        assert not accounts.needs_accounts(laptop)
        with pytest.raises(accounts.AccountError, match="only where the institution"):
            accounts.add_account(ws, BOSS, "admin", BOSS_PW, institution_passphrase=PASSPHRASE)


def test_changing_a_password(ws: Workspace) -> None:
    with pytest.raises(accounts.AccountError, match="wrong password"):
        accounts.change_password(ws, REV, WRONG, "new-reviewer-pw-1")
    assert row(ws, REV).failed_count == 1
    with pytest.raises(accounts.AccountError, match="at least 10"):
        accounts.change_password(ws, REV, REV_PW, "short")
    accounts.change_password(ws, REV, REV_PW, "new-reviewer-pw-1")
    assert "wrong password" in refused(ws, REV, REV_PW)
    assert accounts.authenticate(ws, REV, "new-reviewer-pw-1").name == REV


def _seen_device(ws: Workspace) -> str:
    """The fingerprint of a laptop's key the institution's database has seen."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from app.core.records.tables import Device
    from app.core.seal.device_keys import fingerprint
    from app.core.seal.key_vault import raw_public

    public = raw_public(Ed25519PrivateKey.generate())
    with ws.transaction() as db:
        db.add(Device(device_id="laptop-1", code="LA", public_key=public.hex(), first_seen=at(0)))
    return fingerprint(public)


def test_every_act_is_audited_with_its_account_and_no_password(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.core.institution import devices

    boss = accounts.authenticate(ws, BOSS, BOSS_PW)
    for _ in range(accounts.MAX_FAILURES):
        refused(ws, REV, WRONG)
    refused(ws, REV, REV_PW)  # locked
    monkeypatch.setattr(service, "now", lambda: at(accounts.LOCK_MINUTES + 1))
    accounts.change_password(ws, REV, REV_PW, "new-reviewer-pw-1")
    accounts.record_action(ws, boss, "export_kit", {"file": "site.kit"})
    key = _seen_device(ws)  # the institution has no device key of its own to use here
    ws.close()
    devices.accept(ws.data_dir, key, account=BOSS)
    devices.revoke(ws.data_dir, key, "丢失", account=BOSS)
    with Workspace.open(ws.data_dir) as again:
        entries = log(again)
    actions = [(action, details.get("account")) for action, details, _ in entries]
    assert actions == [
        ("add_account", BOSS),
        ("add_account", BOSS),  # rev, added by boss
        *[("login_failed", REV)] * accounts.MAX_FAILURES,
        ("account_locked", REV),
        ("login_refused", REV),
        ("change_password", REV),
        ("export_kit", BOSS),
        ("accept_device", BOSS),
        ("revoke_device", BOSS),
    ]
    assert entries[0][1] == {
        "account": BOSS,
        "new_account": BOSS,
        "role": "admin",
        "authorised_by": "institution passphrase",
    }
    assert entries[1][1] == {"account": BOSS, "new_account": REV, "role": "reviewer"}
    assert entries[-1][1]["reason"] == "丢失"
    text = "\n".join(raw for _, _, raw in entries)
    for secret in (BOSS_PW, REV_PW, WRONG, "new-reviewer-pw-1", PASSPHRASE, "$argon2"):
        assert secret not in text


def test_without_an_account_the_device_entries_stay_as_they_were(folder: Path) -> None:
    from app.core.institution import devices

    with Workspace.open(folder) as ws:
        key = _seen_device(ws)
    devices.accept(folder, key)
    with Workspace.open(folder) as ws:
        action, details, _ = log(ws)[-1]
    assert action == "accept_device" and "account" not in details


def test_the_accounts_table_matches_its_migration(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    from app.core.records.db import open_engine

    engine = open_engine(tmp_path / "db.sqlite3")
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert "accounts" in SQLModel.metadata.tables
    assert diff == []
