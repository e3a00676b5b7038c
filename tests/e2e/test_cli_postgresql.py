"""The command line on records kept in a shared PostgreSQL ($PROCTOR_DESK_DATABASE_URL): the
same commands list, show and verify them, and a password in the URL is never printed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.demo.seed import seed_demo
from app.core.records.service import Workspace
from tests.support.cli import Run


def test_the_commands_read_and_verify_records_in_the_shared_database(
    cli: Run, data_dir: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROCTOR_DESK_DATABASE_URL", pg_url)
    with Workspace.open(data_dir) as ws:
        demo = seed_demo(ws, candidates=4, incidents=2)
    assert not (data_dir / "proctor-desk.sqlite3").exists()  # the records are not in the folder
    status, out, err = cli("verify")
    assert status == 0, err
    assert "2" in out
    status, out, err = cli("incident", "list", "--session", demo.session_id, "--json")
    assert status == 0, err
    listed = json.loads(out)
    assert listed["total"] == 2
    assert {row["id"] for row in listed["incidents"]} == set(demo.incident_ids)


def test_an_unreachable_database_is_one_line_without_its_password(
    cli: Run, data_dir: Path, pg_server: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.support.postgres import Server

    assert isinstance(pg_server, Server)
    url = pg_server.url("missing").replace("postgres@", "postgres:s3cret-pw@")
    monkeypatch.setenv("PROCTOR_DESK_DATABASE_URL", url)
    data_dir.mkdir()
    status, out, err = cli("verify")
    assert status != 0
    assert "missing" in err and "could not be opened" in err
    assert "s3cret-pw" not in err + out
    assert "Traceback" not in err


def test_the_database_url_option_names_it_for_one_command(
    cli: Run, data_dir: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    monkeypatch.delenv("PROCTOR_DESK_DATABASE_URL", raising=False)
    with Workspace.open(data_dir, database_url=pg_url) as ws:
        demo = seed_demo(ws, candidates=4, incidents=1)
    status, out, err = cli("--database-url", pg_url, "incident", "list", "--json")
    assert status == 0, err
    assert [row["id"] for row in json.loads(out)["incidents"]] == demo.incident_ids
    assert "PROCTOR_DESK_DATABASE_URL" not in os.environ  # the option was this command's only
    status, out, err = cli("incident", "list", "--json")  # the folder's own (empty) SQLite
    assert status != 0 or json.loads(out)["total"] == 0
