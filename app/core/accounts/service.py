"""Accounts of the institution: adding them, signing in, roles, passwords; every act audited.

Only the folder that holds the institution's identity has accounts (``needs_accounts``). The
first account is an admin, authorised by the institution passphrase; after it only an admin
adds accounts. A wrong password counts against the account: ``MAX_FAILURES`` in a row lock it
for ``LOCK_MINUTES``, and the count and the lock's end are in the database, so a restart does
not lift them. Failed sign-ins, lockouts and every change are in the audit log with the
account's name, never with a password.

Every refusal is an ``AccountError`` (a ``UserError``): one line for a person.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, func, select

from app.core.errors import UserError
from app.core.records import audit
from app.core.records.account_tables import AccountRow
from app.core.records.db import records_exist
from app.core.records.service import Workspace
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


def _public(row: AccountRow) -> Account:
    return Account(row.name, row.role, row.locked_until, row.created_at, row.created_by)


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
    with ws.transaction() as db:
        first = _count(db) == 0
        if first:
            if role != ADMIN:
                raise AccountError(f"the first account must be an admin: {FIRST_ACCOUNT_HINT}")
            if not institution.exists(ws.data_dir):
                raise AccountError("accounts are kept only where the institution's identity is")
            if institution_passphrase is None:
                raise AccountError("the first account is authorised by the institution passphrase")
            institution.load_identity(ws.data_dir, institution_passphrase)  # wrong: refused
        elif by is None:
            raise AccountError("only an admin adds accounts: act as one (--user)")
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
        )
        db.add(row)
        details: dict[str, Any] = {"new_account": name, "role": role}
        if first:
            details |= {"account": name, "authorised_by": "institution passphrase"}
        else:
            assert by is not None
            details["account"] = by.name
        _audit(ws, db, "add_account", details)
    return _public(row)


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
        db.add(row)
    return _public(row)


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
    return account


def sign_in(folder: Path, name: str, password: str) -> Account:
    """``authenticate`` on a data folder. A sign-in that changes nothing (the right password,
    no failures to forget) reads without the folder's writer lock, so a command that only looks
    runs while the app has the folder open; anything else is written under the lock."""
    if records_exist(folder):
        with Workspace.open(folder, read_only=True) as ws, ws.reading() as db:
            row = db.get(AccountRow, name)
            quiet = (
                row is not None
                and row.failed_count == 0
                and (row.locked_until is None or row.locked_until <= now())
                and _matches(row.password_hash, password)
            )
            if quiet:
                assert row is not None
                return _public(row)
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
    with ws.transaction() as db:
        row = db.get(AccountRow, account.name)
        if row is None:  # removed meanwhile
            raise AccountError(f"no account {name!r} here")
        row.password_hash, row.password_changed_at = password_hash, now()
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
        audit.append(
            db,
            action=action,
            device=ws.device,
            session_id=session_id,
            details={**(details or {}), "account": account.name},
        )
