"""``proctor-desk user``: the institution's accounts (``docs/accounts.md``).

``add`` creates an account: the first one (an admin) with the institution passphrase, every
later one by an admin acting with ``--user``. ``list`` shows every account to any account;
``password`` changes the acting account's own password; ``certify`` gives the key of an account
an earlier version added (made at its first sign-in) its certificate, by an admin acting with
``--user`` or else by the institution passphrase. New passwords come from
``--new-password-file``, else ``$PROCTOR_DESK_NEW_PASSWORD``, else the terminal (asked twice).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

from app.cli.acting import ACT, LOOK, PASSWORD_ENV, acting, read_secret, user_name
from app.cli.errors import CliError
from app.cli.institution import PASSPHRASE_ENV, add_passphrase_option, data_folder, read_passphrase

NEW_PASSWORD_ENV = "PROCTOR_DESK_NEW_PASSWORD"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("user", help="the institution's accounts (admins, reviewers)")
    commands = parser.add_subparsers(dest="user_command", metavar="COMMAND", required=True)

    p_add = commands.add_parser(
        "add", help="add an account (the first with the institution passphrase, then by an admin)"
    )
    p_add.add_argument("name", metavar="NAME")
    p_add.add_argument("--role", required=True, choices=("admin", "reviewer"))
    add_new_password_option(p_add)
    add_passphrase_option(p_add)
    p_add.set_defaults(func=_add)

    p_list = commands.add_parser("list", help="every account: name, role, locked or not")
    p_list.add_argument("--json", action="store_true", help="print JSON")
    p_list.set_defaults(func=_list)

    p_password = commands.add_parser("password", help="change the acting account's password")
    add_new_password_option(p_password)
    p_password.set_defaults(func=_password)

    p_certify = commands.add_parser(
        "certify",
        help="certify the key of an account an earlier version added (after its first sign-in): "
        "by an admin acting with --user, else by the institution passphrase",
    )
    p_certify.add_argument("name", metavar="NAME")
    add_passphrase_option(p_certify)
    p_certify.set_defaults(func=_certify)


def add_new_password_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--new-password-file",
        metavar="FILE",
        help=f"file whose first line is the new password (or set ${NEW_PASSWORD_ENV}; else it "
        "is asked for twice at the terminal)",
    )


def _new_password(args: argparse.Namespace, name: str) -> str:
    from app.core.accounts import MIN_PASSWORD

    if args.new_password_file or not sys.stdin.isatty():
        return read_secret(
            args.new_password_file,
            NEW_PASSWORD_ENV,
            "",
            what="new password",
            option="--new-password-file",
        )
    if os.environ.get(NEW_PASSWORD_ENV):
        return os.environ[NEW_PASSWORD_ENV]
    first = getpass.getpass(f"New password of {name} (at least {MIN_PASSWORD} characters): ")
    if len(first) < MIN_PASSWORD:
        raise CliError(f"password: use at least {MIN_PASSWORD} characters")
    if getpass.getpass(f"New password of {name} (again): ") != first:
        raise CliError("the two passwords differ")
    return first


def _institution_folder(args: argparse.Namespace) -> Path:
    from app.core.accounts import needs_accounts

    folder = data_folder(args)
    if not needs_accounts(folder):
        raise CliError(
            f"{folder} holds no institution: accounts are kept where "
            "`proctor-desk institution init` was run (a site laptop has none)"
        )
    return folder


def _add(args: argparse.Namespace) -> int:
    from app.core.accounts import accounts_of, add_account
    from app.core.records.service import Workspace

    folder = _institution_folder(args)
    first = not accounts_of(folder)
    passphrase = None
    by = None
    if first:
        if args.role != "admin":
            raise CliError("the first account must be an admin: add it with --role admin")
        passphrase = read_passphrase(args.passphrase_file, PASSPHRASE_ENV, "Institution passphrase")
    else:
        by = acting(args, ACT, folder)
    password = _new_password(args, args.name)
    with Workspace.open(args.data_dir) as workspace:
        account = add_account(
            workspace, args.name, args.role, password, by=by, institution_passphrase=passphrase
        )
    print(f"已添加账户 (added the account) {account.name}: {account.role}")
    return 0


def _list(args: argparse.Namespace) -> int:
    from app.core.accounts import accounts_of

    folder = _institution_folder(args)
    acting(args, LOOK, folder)
    rows = accounts_of(folder)
    if args.json:
        listed = [
            {
                "name": a.name,
                "role": a.role,
                "locked": a.locked(),
                "locked_until": (
                    a.locked_until.isoformat() if a.locked() and a.locked_until else None
                ),
                "created_at": a.created_at.isoformat(),
                "created_by": a.created_by,
            }
            for a in rows
        ]
        print(json.dumps(listed, ensure_ascii=False, indent=2))
        return 0
    for a in rows:
        state = (
            f"locked until {a.locked_until.isoformat(timespec='seconds')}"
            if a.locked() and a.locked_until is not None
            else "active"
        )
        print(f"{a.name}  {a.role}  {state}")
    return 0


def _password(args: argparse.Namespace) -> int:
    from app.cli.acting import USER_ENV
    from app.core.accounts import accounts_of, change_password
    from app.core.records.service import Workspace

    folder = _institution_folder(args)
    if not accounts_of(folder):
        from app.core.accounts import FIRST_ACCOUNT_HINT

        raise CliError(f"this institution has no accounts yet: {FIRST_ACCOUNT_HINT}")
    name = user_name(args)
    if name is None:
        raise CliError(f"whose password: give --user NAME (or set ${USER_ENV})")
    old = read_secret(
        args.password_file,
        PASSWORD_ENV,
        f"Current password of {name}",
        what="password",
        option="--password-file",
    )
    new = _new_password(args, name)
    with Workspace.open(args.data_dir) as workspace:
        change_password(workspace, name, old, new)
    print(f"已更改密码 (changed the password of) {name}")
    return 0


def _certify(args: argparse.Namespace) -> int:
    from app.core.accounts import certify_account
    from app.core.records.service import Workspace

    folder = _institution_folder(args)
    by = passphrase = None
    if user_name(args) is not None:
        by = acting(args, ACT, folder)
    else:
        passphrase = read_passphrase(args.passphrase_file, PASSPHRASE_ENV, "Institution passphrase")
    with Workspace.open(args.data_dir) as workspace:
        certify_account(workspace, args.name, by=by, institution_passphrase=passphrase)
    issuer = f"account {by.name}" if by is not None else "the institution's key"
    print(f"已认证账户密钥 (certified the key of) {args.name}, by {issuer}")
    return 0
