"""Who acts: the account an institution command runs as (``docs/accounts.md``).

In a folder that holds the institution's identity every command on its data names an account
(global ``--user NAME`` or ``$PROCTOR_DESK_USER``) and its password (global ``--password-file
FILE``, else ``$PROCTOR_DESK_PASSWORD``, else asked at the terminal). A reviewer may look; an
admin may also act. A site laptop has no accounts: there nothing is asked.

Every refusal (no account given, no such account, a wrong password, a lock, a role that may not
act, no account yet) is one line, exit 2, and changes nothing but the failure's count.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.errors import CliError

if TYPE_CHECKING:
    from app.core.accounts import Account
    from app.core.records.service import Workspace

USER_ENV = "PROCTOR_DESK_USER"
PASSWORD_ENV = "PROCTOR_DESK_PASSWORD"
LOOK, ACT = "reviewer", "admin"  # the role a command needs: to look, to act


def add_global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--user",
        metavar="NAME",
        help=f"at the institution: the account to act as (or set ${USER_ENV})",
    )
    parser.add_argument(
        "--password-file",
        metavar="FILE",
        help=f"file whose first line is that account's password (or set ${PASSWORD_ENV}; "
        "else it is asked for at the terminal)",
    )


def read_secret(file: str | None, env: str, prompt: str, *, what: str, option: str) -> str:
    """A password from ``file`` (its first line), ``$env``, or the terminal."""
    from app.cli.institution import read_passphrase

    secret = read_passphrase(file, env, prompt, what=what, option=option)
    assert secret is not None  # required: None only when it may be left out
    return secret


def user_name(args: argparse.Namespace) -> str | None:
    return getattr(args, "user", None) or os.environ.get(USER_ENV) or None


def acting(args: argparse.Namespace, role: str, folder: Path | None = None) -> Account | None:
    """The account the command acts as, signed in and allowed ``role``; None where the folder
    holds no institution (a site laptop: nothing is asked)."""
    from app.cli.institution import data_folder
    from app.core import accounts

    folder = data_folder(args) if folder is None else folder
    if not accounts.needs_accounts(folder):
        return None
    if not accounts.accounts_of(folder):
        raise CliError(f"this institution has no accounts yet: {accounts.FIRST_ACCOUNT_HINT}")
    name = user_name(args)
    if name is None:
        raise CliError(
            f"this command acts on the institution's data: give --user NAME (or set ${USER_ENV})"
        )
    password = read_secret(
        getattr(args, "password_file", None),
        PASSWORD_ENV,
        f"Password of {name}",
        what="password",
        option="--password-file",
    )
    try:
        account = accounts.sign_in(folder, name, password)
        accounts.require_role(account, role)
    except accounts.AccountError as exc:
        raise CliError(str(exc)) from None
    return account


def record(
    workspace: Workspace,
    account: Account | None,
    action: str,
    details: dict[str, Any] | None = None,
    *,
    session_id: str | None = None,
) -> None:
    """Audit that ``account`` did ``action`` (for a service whose own entry does not name the
    account); nothing where no account acted (a site laptop)."""
    if account is None:
        return
    from app.core.accounts import record_action

    record_action(workspace, account, action, details, session_id=session_id)
