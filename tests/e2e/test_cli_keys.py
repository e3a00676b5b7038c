"""``keys show``, ``keys passphrase``, ``verify --anchor`` and a laptop whose keys are locked,
through the command line."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from app.core.records.db import DB_FILE
from app.core.seal import key_vault
from tests.support.cli import Run, one_line_error


@pytest.fixture
def recorded(cli: Run, data_dir: Path) -> Path:
    status, _out, err = cli("demo", "seed", "--candidates", "4")
    assert status == 0, err
    return data_dir


def _fingerprint(cli: Run) -> str:
    status, out, err = cli("keys", "show", "--json")
    assert status == 0, err
    shown = json.loads(out)
    assert shown["institution_roots"] == []
    assert "passphrase" in shown["keys_kept"]
    return str(shown["fingerprint"])


def test_verify_names_its_anchor_and_checks_the_one_given(cli: Run, recorded: Path) -> None:
    fingerprint = _fingerprint(cli)
    status, out, _err = cli("verify")
    assert status == 0
    assert f"Device key {fingerprint}" in out
    assert "Anchored by the key passphrase" in out
    status, out, _err = cli("verify", "--anchor", fingerprint.replace(" ", ""))
    assert status == 0 and "the device fingerprint given" in out
    other = "ab" * 32
    status, out, _err = cli("verify", "--anchor", other, "--json")
    assert status == 1
    report = json.loads(out)
    assert report["anchor"]["anchored"] is False
    assert any("is not the one --anchor names" in p["reason"] for p in report["problems"])


def test_without_the_passphrase_verify_works_but_says_it_is_not_anchored(
    cli: Run, recorded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(key_vault.ENV)
    key_vault.forget(recorded)
    status, out, _err = cli("verify")
    assert status == 0
    assert "Not anchored" in out and "--anchor" in out


def test_a_command_that_records_needs_the_passphrase_and_says_how(
    cli: Run, recorded: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(key_vault.ENV)
    key_vault.forget(recorded)
    status, _out, err = cli("demo", "seed", "--candidates", "2")
    assert status == 2
    line = one_line_error(err)
    assert "locked" in line and key_vault.ENV in line
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase\n", encoding="utf-8")
    status, _out, err = cli("--device-passphrase-file", str(wrong), "demo", "seed")
    assert status == 2 and "wrong" in one_line_error(err)
    right = tmp_path / "right.txt"
    right.write_text("test key passphrase\n", encoding="utf-8")
    status, _out, err = cli("--device-passphrase-file", str(right), "demo", "seed")
    assert status == 0, err


def test_a_new_laptop_without_a_passphrase_is_told_to_choose_one(
    cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(key_vault.ENV)
    status, _out, err = cli("demo", "seed", "--candidates", "2")
    assert status == 2
    assert "not set up" in one_line_error(err)


def test_changing_the_passphrase_is_audited(
    cli: Run, recorded: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    new = tmp_path / "new.txt"
    new.write_text("a brand new phrase\n", encoding="utf-8")
    status, out, err = cli("keys", "passphrase", "--new-passphrase-file", str(new))
    assert status == 0, err
    with sqlite3.connect(recorded / DB_FILE) as con:
        (action,) = con.execute("SELECT action FROM audit_log ORDER BY seq DESC").fetchone()
    assert action == "key_passphrase_changed"
    key_vault.forget(recorded)
    status, _out, err = cli("verify")
    assert status == 1  # the old passphrase in the environment no longer opens the keys
    monkeypatch.setenv(key_vault.ENV, "a brand new phrase")
    key_vault.forget(recorded)
    status, out, err = cli("verify")
    assert status == 0 and "Anchored by the key passphrase" in out


def test_looking_at_a_folder_that_never_signed_makes_no_key(
    cli: Run, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.support.cli import readme_example

    monkeypatch.delenv(key_vault.ENV)
    status, _out, err = cli(*readme_example("session create"))
    assert status == 0, err  # a session plan is no signature: no key needed yet
    status, out, _err = cli("verify")
    assert status == 0 and "No device key yet" in out
    status, out, _err = cli("keys", "show")
    assert status == 0 and "not made yet" in out
    assert sorted(p.name for p in (data_dir / "device").iterdir()) == ["device.json"]
