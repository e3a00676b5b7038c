"""Input at the edges is one line on stderr, exit 2, never a traceback: numbers too large for
the database, times at the calendar's ends, a 100,000-character id, a data folder that is a
file, signature strokes edited in the database, an empty or foreign database under a command
that only reads (which creates nothing). ``%`` and ``_`` in an id prefix are plain characters;
``roster template`` never writes over a file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from app.core.records.db import DB_FILE
from tests.e2e.test_cli_sessions import SESSION_ARGS
from tests.support.cli import Run, one_line_error

SUBJECT = "理论知识=2026-06-12T09:00/2026-06-12T10:30"
HUGE = "99999999999999999999999"


def _seeded(cli: Run) -> dict[str, str]:
    status, out, err = cli("demo", "seed", "--candidates", "4", "--incidents", "2", "--json")
    assert status == 0, err
    status, out, err = cli("incident", "list", "--json")
    first = json.loads(out)["incidents"][0]
    return {"incident": first["id"], "session": first["session_id"]}


def _refused(cli: Run, *args: str) -> str:
    status, out, err = cli(*args)
    assert status == 2, err
    assert out == ""
    return one_line_error(err)


def test_a_room_with_more_seats_than_a_number_can_hold(cli: Run, data_dir: Path) -> None:
    args = [a for a in SESSION_ARGS if a not in ("--room", "第1考场:30")]
    line = _refused(cli, *args, "--room", "R:99999999999999999999", "--subject", SUBJECT)
    assert "seats" in line
    status, out, _ = cli("session", "list", "--json")
    assert status in (0, 2) and (status == 2 or json.loads(out) == [])


@pytest.mark.parametrize(
    ("window", "zone"),
    [
        ("9999-12-31T20:00/9999-12-31T23:30", "America/Los_Angeles"),
        ("0001-01-01T09:00/0001-01-01T10:00", "Asia/Shanghai"),
        ("9999-12-31T20:00/9999-12-31T23:30", "Asia/Shanghai"),
    ],
)
def test_subject_times_at_the_calendars_ends(cli: Run, window: str, zone: str) -> None:
    line = _refused(cli, *SESSION_ARGS, "--subject", f"理论知识={window}", "--timezone", zone)
    assert "理论知识" in line
    status, _out, err = cli("session", "list")
    assert status in (0, 2) and "unexpected" not in err


@pytest.mark.parametrize("option", ["--limit", "--offset"])
def test_huge_limit_or_offset(cli: Run, option: str) -> None:
    _seeded(cli)
    assert option in _refused(cli, "incident", "list", option, HUGE)


@pytest.mark.parametrize("command", [("incident", "show"), ("session", "show")])
def test_a_100k_character_id(cli: Run, command: tuple[str, str]) -> None:
    _seeded(cli)
    line = _refused(cli, *command, "a" * 100_000)
    assert len(line) < 500 and "no " in line


def test_a_huge_version_number(cli: Run) -> None:
    _seeded(cli)
    _refused(cli, "incident", "show", "BR-001/" + "9" * 5000)
    _refused(cli, "incident", "show", "BR-001/" + HUGE)


@pytest.mark.parametrize("ref", ["%", "_", "%%%", "____"])
def test_like_wildcards_in_an_id_prefix_are_plain_characters(cli: Run, ref: str) -> None:
    _seeded(cli)
    assert "no incident" in _refused(cli, "incident", "show", ref)
    assert "no session" in _refused(cli, "session", "show", ref)


def test_a_data_dir_that_is_a_file(cli: Run, data_dir: Path, tmp_path: Path) -> None:
    data_dir.write_text("not a folder", encoding="utf-8")
    line = _refused(cli, *SESSION_ARGS, "--subject", SUBJECT)
    assert str(data_dir) in line and "not a folder" in line
    assert _refused(cli, "demo", "seed")
    assert data_dir.read_text(encoding="utf-8") == "not a folder"


def test_signature_strokes_edited_in_the_database(cli: Run, data_dir: Path, tmp_path: Path) -> None:
    ids = _seeded(cli)
    con = sqlite3.connect(data_dir / DB_FILE)
    with con:
        con.execute(
            "UPDATE signature SET strokes_json = 'garbage' WHERE incident_id = ?",
            (ids["incident"],),
        )
    con.close()
    status, out, err = cli("incident", "show", ids["incident"], "--json")
    assert status == 0, err
    shown = json.loads(out)
    assert shown["intact"] is False and shown["problems"]
    status, out, err = cli("verify")
    assert status == 1 and "FAILED" in out
    # The record fails verify: no signed report of it, the reason named.
    line = _refused(cli, "report", "incident", ids["incident"], "--out", str(tmp_path / "r.pdf"))
    assert "verify" in line
    status, _out, err = cli("report", "session", ids["session"], "--out", str(tmp_path / "s.pdf"))
    assert "unexpected" not in err and "Traceback" not in err


@pytest.mark.parametrize("kind", ["empty", "foreign"])
@pytest.mark.parametrize(
    "command", [("verify",), ("session", "list"), ("incident", "list"), ("incident", "show", "X")]
)
def test_an_empty_or_foreign_database_is_named_and_left_alone(
    cli: Run, data_dir: Path, kind: str, command: tuple[str, ...]
) -> None:
    data_dir.mkdir()
    database = data_dir / DB_FILE
    if kind == "empty":
        database.touch()
    else:
        con = sqlite3.connect(database)
        with con:
            con.execute("CREATE TABLE photos (name TEXT)")
        con.close()
    before = database.read_bytes()
    line = _refused(cli, *command)
    assert str(database) in line
    assert ("empty" if kind == "empty" else "not a Proctor Desk database") in line
    assert database.read_bytes() == before
    assert not (data_dir / "device").exists()
    assert {p.name for p in data_dir.iterdir()} <= {DB_FILE, "logs"}


def test_roster_template_never_writes_over_a_file(cli: Run, tmp_path: Path) -> None:
    existing = tmp_path / "staff.csv"
    existing.write_text("mine", encoding="utf-8")
    status, _out, err = cli(
        "roster", "template", "--kind", "staff", "--out", str(existing), "--force"
    )
    assert status == 2, err
    status, _out, err = cli("roster", "template", "--kind", "staff", "--out", str(existing))
    assert status == 2 and "exists" in one_line_error(err)
    assert existing.read_text(encoding="utf-8") == "mine"
