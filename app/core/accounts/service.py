"""Accounts of the institution: adding them, signing in, roles, passwords; every act audited.

Only the folder that holds the institution's identity has accounts (``needs_accounts``). The
first account is an admin, authorised by the institution passphrase; after it only an admin
adds accounts. A wrong password counts against the account: ``MAX_FAILURES`` in a row lock it
for ``LOCK_MINUTES``, and the count and the lock's end are in the database, so a restart does
not lift them. Failed sign-ins, lockouts and every change are in the audit log with the
account's name, never with a password.

Each account has its own Ed25519 key (``seal.account_keys``), made when it is added, sealed in
its row under its password and certified by its issuer: the institution's signing key for the
first account, the adding admin's key for every later one. Signing in unlocks the key and makes
it the folder's signer: every audit entry of the account's acts is signed with it.

Every refusal is an ``AccountError`` (a ``UserError``): one line for a person.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, func, select

from app.core.errors import UserError
from app.core.records import audit
from app.core.records.account_tables import AccountRow
from app.core.records.db import records_exist
from app.core.records.service import Workspace
from app.core.seal import account_keys
from app.core.seal.account_keys import AccountSigner
from app.core.seal.key_vault import raw_public
from app.core.trust import institution

ADMIN, REVIEWER = "admin", "reviewer"
ROLES = (ADMIN, REVIEWER)
MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # hashing a longer text costs time and proves nothing more
MAX_FAILURES = 5
LOCK_MINUTES = 15
_NAME = re.compile(r"^[\w.@-]{1,64}$")

FIRST_ACCOUNT_HINT = "create the first account with `proctor-desk user add NAME --role admin`"


class AccountError(UserError):
    """A refusal: no such account, a wrong password, a lock, a role that may not act …"""


@dataclass(frozen=True)
class Account:
    """An account as the interfaces see it (never its password hash)."""

    name: str
    role: str
    locked_until: dt.datetime | None
    created_at: dt.datetime
    created_by: str | None
    # Its unlocked key, once signed in (``authenticate``) or just added; None otherwise.
    signer: AccountSigner | None = field(default=None, compare=False, repr=False)

    def locked(self, at: dt.datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (at or now())


def now() -> dt.datetime:
    """The clock every lock is judged by (tests set it)."""
    return dt.datetime.now(dt.UTC)


@cache
def _hasher() -> Any:
    from argon2 import PasswordHasher, Type

    return PasswordHasher(type=Type.ID)


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password`` (salted, as argon2-cffi writes it)."""
    return str(_hasher().hash(password))


def _matches(password_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


@cache
def _decoy() -> str:
    """A hash to check an unknown name's password against, so it takes as long as a known."""
    return hash_password("not any account's password")


def _public(row: AccountRow, signer: AccountSigner | None = None) -> Account:
    return Account(row.name, row.role, row.locked_until, row.created_at, row.created_by, signer)


def _unlock(ws: Workspace, row: AccountRow, password: str) -> AccountSigner:
    """The account's key opened with ``password`` (already checked against its hash). An
    account of an earlier version, which has none, gets one now, not yet certified
    (``certify_account``)."""
    if row.sealed_key is None or row.key_id is None:
        key_id, private = account_keys.new_key()
        row.key_id, row.public_key = key_id, raw_public(private).hex()
        row.sealed_key = account_keys.seal_private(private, key_id, password)
        row.certificate = row.certificate_signature = None
        return AccountSigner(ws.data_dir, row.name, key_id, private)
    try:
        private = account_keys.open_private(row.sealed_key, password)
    except (account_keys.WrongAccountPassword, account_keys.SealedKeyError) as exc:
        raise AccountError(f"account {row.name!r}: its key does not open ({exc})") from None
    if row.public_key != raw_public(private).hex():
        raise AccountError(f"account {row.name!r}: its key does not match its public key")
    return AccountSigner(ws.data_dir, row.name, row.key_id, private)


def _certify(
    row: AccountRow,
    public: bytes,
    issuer: dict[str, str],
    issuer_key: Any,
    at: dt.datetime,
) -> None:
    """Write ``row``'s certificate: its name, role and key, signed by ``issuer_key``."""
    assert row.key_id is not None
    statement = account_keys.certificate(row.name, row.role, public, row.key_id, issuer, at)
    row.certificate = statement
    row.certificate_signature = account_keys.sign_certificate(statement, issuer_key)


def _institution_issuer(ws: Workspace, passphrase: str) -> tuple[dict[str, str], Any]:
    """The institution's issuer field and signing key, which its passphrase opens (a wrong
    one is refused)."""
    identity = institution.load_identity(ws.data_dir, passphrase)
    return account_keys.institution_issuer(identity.public.signing_key), identity.signing_key


def _issuer_of(by: Account) -> tuple[dict[str, str], Any]:
    """The adding admin's issuer field and key: the key they signed in with."""
    signer = by.signer
    if signer is None or signer.account != by.name or not signer.signs:
        raise AccountError(f"account {by.name!r}: sign in first, to certify with its key")
    return account_keys.account_issuer(by.name, signer.device_id), signer.private_key


def check_name(name: str) -> str:
    name = name.strip()
    if not _NAME.match(name):
        raise AccountError(
            f"account name {name!r}: use 1 to 64 letters, digits, '.', '_', '-' or '@'"
        )
    return name


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password: use at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"password: use at most {MAX_PASSWORD} characters")


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"role {role!r}: use {' or '.join(ROLES)}")
    return role


def needs_accounts(folder: Path) -> bool:
    """Whether commands on ``folder`` act as an account: it holds the institution's identity
    (a site laptop has no accounts)."""
    return institution.exists(folder)


def _count(db: Session) -> int:
    return int(db.exec(select(func.count()).select_from(AccountRow)).one())


def has_accounts(ws: Workspace) -> bool:
    with ws.reading() as db:
        return _count(db) > 0


def list_accounts(ws: Workspace) -> list[Account]:
    """Every account by name (locked or not: ``Account.locked()``)."""
    with ws.reading() as db:
        rows = db.exec(select(AccountRow).order_by(col(AccountRow.name))).all()
        return [_public(row) for row in rows]


def accounts_of(folder: Path) -> list[Account]:
    """``list_accounts`` of a folder, read without the writer lock (none without records)."""
    if not records_exist(folder):
        return []
    with Workspace.open(folder, read_only=True) as ws:
        return list_accounts(ws)


def _audit(ws: Workspace, db: Session, action: str, details: dict[str, Any]) -> None:
    audit.append(db, action=action, device=ws.device, details=details)


def add_account(
    ws: Workspace,
    name: str,
    role: str,
    password: str,
    *,
    by: Account | None = None,
    institution_passphrase: str | None = None,
) -> Account:
    """Add an account (audited). The first one must be an admin and is authorised by the
    institution passphrase (``institution_passphrase``); every later one only by an admin
    (``by``, as ``authenticate`` returned it)."""
    name, role = check_name(name), check_role(role)
    check_password(password)
    if by is not None:
        require_role(by, ADMIN)
    password_hash = hash_password(password)  # outside the transaction: it takes a while
    key_id, private = account_keys.new_key()
    public = raw_public(private)
    sealed = account_keys.seal_private(private, key_id, password)
    signer = AccountSigner(ws.data_dir, name, key_id, private)
    with ws.transaction() as db:
        first = _count(db) == 0
        if first:
            if role != ADMIN:
                raise AccountError(f"the first account must be an admin: {FIRST_ACCOUNT_HINT}")
            if not institution.exists(ws.data_dir):
                raise AccountError("accounts are kept only where the institution's identity is")
            if institution_passphrase is None:
                raise AccountError("the first account is authorised by the institution passphrase")
            # A wrong passphrase is refused; the right one certifies the first account.
            issuer, issuer_key = _institution_issuer(ws, institution_passphrase)
        elif by is None:
            raise AccountError("only an admin adds accounts: act as one (--user)")
        else:
            issuer, issuer_key = _issuer_of(by)
        if db.get(AccountRow, name) is not None:
            raise AccountError(f"account {name!r} already exists")
        at = now()
        row = AccountRow(
            name=name,
            role=role,
            password_hash=password_hash,
            failed_count=0,
            locked_until=None,
            created_at=at,
            created_by=None if first else by.name if by is not None else None,
            password_changed_at=at,
            key_id=key_id,
            public_key=public.hex(),
            sealed_key=sealed,
        )
        _certify(row, public, issuer, issuer_key, at)
        db.add(row)
        details: dict[str, Any] = {"new_account": name, "role": role}
        if first:
            details |= {"account": name, "authorised_by": "institution passphrase"}
            # The first account signs its own creation: nobody else is signed in yet.
            account_keys.use(ws.data_dir, signer)
        else:
            assert by is not None
            details["account"] = by.name
        _audit(ws, db, "add_account", details)
    return _public(row, signer)


def certify_account(
    ws: Workspace,
    name: str,
    *,
    by: Account | None = None,
    institution_passphrase: str | None = None,
) -> None:
    """Certify the key of an account added by an earlier version (made at its first sign-in
    with this one): by an admin signed in (``by``), or by the institution passphrase."""
    if by is not None:
        require_role(by, ADMIN)
        issuer, issuer_key = _issuer_of(by)
    elif institution_passphrase is not None:
        issuer, issuer_key = _institution_issuer(ws, institution_passphrase)
    else:
        raise AccountError("an account is certified by an admin or the institution passphrase")
    with ws.transaction() as db:
        row = db.get(AccountRow, name)
        if row is None:
            raise AccountError(f"no account {name!r} here (`proctor-desk user list` shows them)")
        if row.public_key is None:
            raise AccountError(f"account {name!r} has no key yet: it signs in first")
        _certify(row, bytes.fromhex(row.public_key), issuer, issuer_key, now())
        db.add(row)
        details = {"certified_account": name, "key_id": row.key_id}
        _audit(ws, db, "certify_account", {**details, "account": by.name if by else name})


def _check(ws: Workspace, db: Session, name: str, password: str) -> Account:
    """Judge a sign-in in the caller's transaction: the failure's count, lock and audit entry
    are written before the ``AccountError`` is raised (the caller commits them)."""
    row = db.get(AccountRow, name)
    at = now()
    if row is None:
        _matches(_decoy(), password)
        _audit(ws, db, "login_failed", {"account": name, "reason": "no such account"})
        raise _Refused(f"no account {name!r} here (or a wrong password)")
    if row.locked_until is not None and row.locked_until > at:
        _audit(ws, db, "login_refused", {"account": name, "reason": "locked"})
        raise _Refused(
            f"account {name!r} is locked until {row.locked_until.isoformat(timespec='seconds')} "
            f"after {MAX_FAILURES} wrong passwords"
        )
    if not _matches(row.password_hash, password):
        row.failed_count += 1
        _audit(
            ws, db, "login_failed",
            {"account": name, "reason": "wrong password", "failed_count": row.failed_count},
        )  # fmt: skip
        message = f"wrong password for account {name!r}"
        if row.failed_count >= MAX_FAILURES:
            row.locked_until = at + dt.timedelta(minutes=LOCK_MINUTES)
            row.failed_count = 0
            _audit(
                ws, db, "account_locked",
                {"account": name, "until": row.locked_until.isoformat(timespec="seconds")},
            )  # fmt: skip
            message += f"; it is locked for {LOCK_MINUTES} minutes"
        db.add(row)
        raise _Refused(message)
    if row.failed_count or row.locked_until is not None:
        row.failed_count, row.locked_until = 0, None
    signer = _unlock(ws, row, password)
    db.add(row)
    return _public(row, signer)


class _Refused(AccountError):
    """Raised inside the transaction; re-raised as ``AccountError`` once it is committed."""


def authenticate(ws: Workspace, name: str, password: str) -> Account:
    """The account, when ``password`` is its password and it is not locked. Otherwise an
    ``AccountError``, after the failure is counted (and the account locked at the
    ``MAX_FAILURES``-th) and audited. ``ws`` must be open for writing."""
    failure: _Refused | None = None
    with ws.transaction() as db:
        try:
            account = _check(ws, db, name, password)
        except _Refused as exc:
            failure = exc  # committed with the transaction, then raised
    if failure is not None:
        raise AccountError(str(failure)) from None
    assert account.signer is not None
    account_keys.use(ws.data_dir, account.signer)  # its acts are signed with its key
    return account


def sign_in(folder: Path, name: str, password: str) -> Account:
    """``authenticate`` on a data folder. A sign-in that changes nothing (the right password,
    no failures to forget, a key already made) reads without the folder's writer lock, so a
    command that only looks runs while the app has the folder open; anything else is written
    under the lock. Either way the account's key is unlocked and signs the folder's acts in
    this program from now on."""
    if records_exist(folder):
        with Workspace.open(folder, read_only=True) as ws, ws.reading() as db:
            row = db.get(AccountRow, name)
            quiet = (
                row is not None
                and row.failed_count == 0
                and (row.locked_until is None or row.locked_until <= now())
                and row.sealed_key is not None
                and _matches(row.password_hash, password)
            )
            if quiet:
                assert row is not None
                signer = _unlock(ws, row, password)
                account_keys.use(folder, signer)
                return _public(row, signer)
    with Workspace.open(folder) as ws:
        return authenticate(ws, name, password)


def require_role(account: Account, role: str) -> None:
    """Refuse an account whose role may not do what needs ``role`` (an admin may do all)."""
    check_role(role)
    if account.role != role and account.role != ADMIN:
        raise AccountError(
            f"account {account.name!r} is a {account.role}: this needs an {role} account"
        )


def change_password(ws: Workspace, name: str, old_password: str, new_password: str) -> None:
    """Change one's own password: the old one first (a wrong one counts like any sign-in)."""
    check_password(new_password)
    account = authenticate(ws, name, old_password)
    if new_password == old_password:
        raise AccountError("the new password is the old one: choose another")
    password_hash = hash_password(new_password)
    signer = account.signer
    assert signer is not None and signer.signs
    # The same key, rewrapped: the old password no longer opens it.
    sealed = account_keys.seal_private(signer.private_key, signer.device_id, new_password)
    with ws.transaction() as db:
        row = db.get(AccountRow, account.name)
        if row is None:  # removed meanwhile
            raise AccountError(f"no account {name!r} here")
        if row.key_id != signer.device_id:
            raise AccountError(f"account {name!r}: its key changed meanwhile; try again")
        row.password_hash, row.password_changed_at = password_hash, now()
        row.sealed_key = sealed
        db.add(row)
        _audit(ws, db, "change_password", {"account": account.name})


def record_action(
    ws: Workspace,
    account: Account,
    action: str,
    details: dict[str, Any] | None = None,
    *,
    session_id: str | None = None,
) -> None:
    """An audit entry saying ``account`` did ``action`` (for a service whose own entry does not
    name the account)."""
    with ws.transaction() as db:
        signer = account.signer if account.signer is not None and account.signer.signs else None
        audit.append(
            db,
            action=action,
            device=signer or ws.device,
            session_id=session_id,
            details={**(details or {}), "account": account.name},
        )
