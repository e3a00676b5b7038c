"""The data folder: named by --data-dir or $PROCTOR_DESK_HOME. A read-only command never
creates one, nor anything in one; a command that records creates it."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main as cli_main
from app.core.records.db import DB_FILE
from tests.support.accounts import first_admin
from tests.support.cli import Run, one_line_error

READ_ONLY = [
    ("verify",),
    ("session", "list"),
    ("session", "show", "abc"),
    ("incident", "list"),
    ("incident", "show", "A-001"),
    ("evidence", "list", "A-001"),
    ("institution", "show"),
    ("institution", "root-cert", "--out", "root.pem"),
    ("institution", "devices"),
    ("report", "incident", "abc", "--out", "a.pdf"),
    ("report", "session", "abc", "--out", "a.pdf"),
    ("report", "blank-form", "--session", "abc", "--out", "a.pdf"),
]


@pytest.mark.parametrize("argv", READ_ONLY, ids=" ".join)
def test_read_only_command_on_a_missing_data_folder_creates_nothing(
    argv: tuple[str, ...], cli: Run, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    status, out, err = cli(*argv)
    assert status == 2 and out == ""
    assert f"no data folder at {data_dir}; check --data-dir" in one_line_error(err)
    assert not data_dir.exists()


@pytest.mark.parametrize("argv", [("verify",), ("session", "list"), ("incident", "list")])
def test_read_only_command_on_a_folder_without_records_creates_nothing(
    argv: tuple[str, ...], cli: Run, data_dir: Path
) -> None:
    data_dir.mkdir()
    status, _out, err = cli(*argv)
    assert status == 2 and "no records in" in one_line_error(err)
    assert list(data_dir.iterdir()) == []


def test_devices_of_an_institution_with_nothing_imported(
    cli: Run, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROCTOR_DESK_PASSPHRASE", "admin-pass-1")
    assert cli("institution", "init", "--name", "示范鉴定中心")[0] == 0
    first_admin(data_dir, monkeypatch)  # its own key signs the account's entry: no device
    before = sorted(p.name for p in data_dir.iterdir())
    status, out, _ = cli("institution", "devices")
    assert status == 0 and "no devices yet" in out
    assert sorted(p.name for p in data_dir.iterdir()) == before


def test_commands_that_record_still_create_the_folder(cli: Run, data_dir: Path) -> None:
    status, _out, err = cli("demo", "seed", "--candidates", "4", "--incidents", "1")
    assert status == 0, err
    status, out, _ = cli("verify")
    assert status == 0 and out.startswith("OK: 1 incidents")


def test_data_folder_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("PROCTOR_DESK_HOME", str(home))
    assert cli_main.run(["demo", "seed", "--candidates", "3", "--incidents", "2"]) == 0
    assert (home / DB_FILE).is_file()
    assert (home / "device" / "keys.json").is_file()
    capsys.readouterr()
    assert cli_main.run(["verify"]) == 0
    assert capsys.readouterr().out.startswith("OK: 2 incidents")
