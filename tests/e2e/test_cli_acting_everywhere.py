"""At the institution every command on its data acts as an account, not only the institution's
own commands: reading records (verify, incident, report, evidence) needs a reviewer at least,
changing them (backup, restore, evidence attach, demo data, the key passphrase) an admin. A
site laptop is asked for none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.accounts.service import ADMIN, REVIEWER, add_account
from app.core.records.service import Workspace
from app.core.trust.institution import init_institution
from tests.support.cli import Run

PASSPHRASE = "admin-pass-1"


@pytest.fixture
def institution(data_dir: Path) -> Path:
    with Workspace.open(data_dir) as ws:
        init_institution(data_dir, "示范鉴定中心", PASSPHRASE)
        admin = add_account(
            ws, "admin1", ADMIN, "admin password 1", institution_passphrase=PASSPHRASE
        )
        add_account(ws, "reader1", REVIEWER, "reader password 1", by=admin)
    return data_dir


def _as(monkeypatch: pytest.MonkeyPatch, name: str | None, password: str = "") -> None:
    if name is None:
        monkeypatch.delenv("PROCTOR_DESK_USER", raising=False)
        monkeypatch.delenv("PROCTOR_DESK_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("PROCTOR_DESK_USER", name)
        monkeypatch.setenv("PROCTOR_DESK_PASSWORD", password)


@pytest.mark.parametrize(
    "command", [("verify",), ("incident", "list"), ("evidence", "list", "A-001"), ("keys", "show")]
)
def test_reading_the_institutions_records_needs_an_account(
    cli: Run, institution: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    _as(monkeypatch, None)
    status, out, err = cli(*command)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "give --user NAME" in err
    _as(monkeypatch, "reader1", "wrong password!")
    status, _out, err = cli(*command)
    assert status == 2 and "wrong password" in err
    _as(monkeypatch, "reader1", "reader password 1")
    status, _out, err = cli(*command)
    assert "give --user" not in err and "needs an admin" not in err


def test_changing_them_needs_an_admin(
    cli: Run, institution: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _as(monkeypatch, "reader1", "reader password 1")
    status, _out, err = cli("backup", "--out", str(tmp_path / "copy.sqlite3"))
    assert status == 2 and "needs an admin" in err
    assert not (tmp_path / "copy.sqlite3").exists()
    status, _out, err = cli("demo", "seed", "--candidates", "2", "--incidents", "0")
    assert status == 2 and "needs an admin" in err
    _as(monkeypatch, "admin1", "admin password 1")
    status, _out, err = cli("backup", "--out", str(tmp_path / "copy.sqlite3"))
    assert status == 0, err
    assert (tmp_path / "copy.sqlite3").is_file()


def test_a_site_laptop_is_asked_for_no_account(
    cli: Run, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _as(monkeypatch, None)
    with Workspace.open(data_dir):
        pass
    status, _out, err = cli("verify")
    assert status == 0, err


def test_keys_show_at_the_institution_names_the_institution_key_and_the_accounts(
    cli: Run, institution: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.core.seal.device_keys import fingerprint
    from app.core.trust.institution import load_public

    anchor = fingerprint(load_public(institution).signing_key)
    _as(monkeypatch, "reader1", "reader password 1")
    status, out, err = cli("keys", "show", "--json")
    assert status == 0, err
    shown = json.loads(out)
    assert shown["institution_key"] == anchor
    assert shown["account"] == "reader1" and shown["account_key"]
    assert shown["account_key"] != anchor
    status, out, err = cli("keys", "show")
    assert status == 0, err
    assert f"Institution key {anchor}" in out and "Account reader1: key " in out
    # The fingerprint it names is the one verify takes as the anchor.
    status, out, err = cli("verify", "--anchor", anchor)
    assert status == 0, out + err
    assert "Anchored by the institution fingerprint given" in out
