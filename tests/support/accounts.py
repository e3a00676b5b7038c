"""The institution's first account, made the way an admin makes it, for command-line tests that
run institution commands: ``proctor-desk user add`` with the institution passphrase, then the
account in ``$PROCTOR_DESK_USER`` and ``$PROCTOR_DESK_PASSWORD`` for the commands that follow."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main

ADMIN, ADMIN_PASSWORD = "admin1", "admin-password-1"


def act_as(monkeypatch: pytest.MonkeyPatch, name: str, password: str) -> None:
    monkeypatch.setenv("PROCTOR_DESK_USER", name)
    monkeypatch.setenv("PROCTOR_DESK_PASSWORD", password)


def first_admin(
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    passphrase: str | None = None,
    name: str = ADMIN,
    password: str = ADMIN_PASSWORD,
) -> None:
    """Add the first admin of the institution in ``folder`` and act as it from now on.
    ``passphrase``: the institution's, when not already in ``$PROCTOR_DESK_PASSPHRASE``.
    Where ``tests.support.sync.make_institution`` added its admin already, that admin adds
    this one."""
    from tests.support.sync import ADMIN_ACCOUNT, ADMIN_ACCOUNT_PASS

    command = ["--data-dir", str(folder), "user", "add", name, "--role", "admin"]
    with monkeypatch.context() as scoped:
        scoped.setenv("PROCTOR_DESK_NEW_PASSWORD", password)
        if passphrase is not None:
            scoped.setenv("PROCTOR_DESK_PASSPHRASE", passphrase)
        status = main.run(command)
        if status != 0:  # the institution has its first admin already (``make_institution``)
            act_as(scoped, ADMIN_ACCOUNT, ADMIN_ACCOUNT_PASS)
            status = main.run(command)
    assert status == 0, "the first admin could not be added"
    act_as(monkeypatch, name, password)
