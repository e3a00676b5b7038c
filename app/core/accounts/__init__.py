"""The institution's accounts: admins and reviewers, Argon2id passwords, a lockout that
survives restarts, and every act in the audit log under the account's name (``service``)."""

from __future__ import annotations

from app.core.accounts.service import (
    ADMIN,
    FIRST_ACCOUNT_HINT,
    LOCK_MINUTES,
    MAX_FAILURES,
    MIN_PASSWORD,
    REVIEWER,
    ROLES,
    Account,
    AccountError,
    accounts_of,
    add_account,
    authenticate,
    certify_account,
    change_password,
    has_accounts,
    list_accounts,
    needs_accounts,
    record_action,
    require_role,
    sign_in,
)

__all__ = [
    "ADMIN",
    "FIRST_ACCOUNT_HINT",
    "LOCK_MINUTES",
    "MAX_FAILURES",
    "MIN_PASSWORD",
    "REVIEWER",
    "ROLES",
    "Account",
    "AccountError",
    "accounts_of",
    "add_account",
    "authenticate",
    "certify_account",
    "change_password",
    "has_accounts",
    "list_accounts",
    "needs_accounts",
    "record_action",
    "require_role",
    "sign_in",
]
