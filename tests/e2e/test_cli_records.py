"""The records commands end to end: demo seed, incident list (and its filters) and show,
verify."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from app.core.records.db import DB_FILE
from tests.support.cli import Run, one_line_error


def test_demo_seed_incident_list_show_and_verify(cli: Run) -> None:
    status, out, err = cli("demo", "seed", "--candidates", "20", "--incidents", "8", "--json")
    assert status == 0, err
    seeded = json.loads(out)
    assert len(seeded["incidents"]) == 8
    status, out, _ = cli("incident", "list", "--json")
    listing = json.loads(out)
    assert listing["total"] == 8
    first = listing["incidents"][0]
    assert {"id", "number", "clause", "status", "party"} <= set(first)
    assert {i["status"] for i in listing["incidents"]} == {"confirmed"}
    status, out, _ = cli("incident", "list", "--clause", first["clause"], "--json")
    assert [i["id"] for i in json.loads(out)["incidents"]] == [first["id"]]
    status, out, _ = cli("incident", "show", first["number"], "--json")
    shown = json.loads(out)
    assert shown["id"] == first["id"] and shown["seal"] is not None
    status, out, _ = cli("incident", "show", first["number"])
    assert status == 0 and "sealed: yes" in out
    status, out, _ = cli("incident", "show", first["number"] + "/1", "--json")
    assert status == 0 and json.loads(out)["id"] == first["id"]
    for ref, said in (
        (first["number"] + "/abc", "must be a number"),
        (first["number"] + "/²", "must be a number"),
        ("", "give an incident id or record number"),
        (first["number"] + "/9", "no incident"),
    ):
        status, _, err = cli("incident", "show", ref)
        assert status == 2 and said in err, (ref, err)
    status, out, _ = cli("verify")
    assert status == 0 and out.startswith("OK: 8 incidents, 8 seals")


def test_verify_names_a_hand_edited_record(cli: Run, tmp_path: Path) -> None:
    cli("demo", "seed", "--candidates", "10", "--incidents", "4")
    _, out, _ = cli("incident", "list", "--json")
    victim = json.loads(out)["incidents"][1]
    con = sqlite3.connect(tmp_path / "data" / DB_FILE)
    with con:
        con.execute("UPDATE incident SET clause = '7.4' WHERE id = ?", (victim["id"],))
    con.close()
    status, out, _ = cli("verify", "--json")
    assert status == 1
    report = json.loads(out)
    assert [p["record"] for p in report["problems"]] == [
        f"incident {victim['number']} v1 ({victim['id']})"
    ]
    status, out, _ = cli("verify")
    assert status == 1 and f"FAILED incident {victim['number']}" in out


@pytest.fixture
def seeded(cli: Run) -> Run:
    status, _out, err = cli("demo", "seed", "--candidates", "10", "--incidents", "4")
    assert status == 0, err
    return cli


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--clause", "99"), "unknown clause '99' in rulebook cn-national-2021"),
        (("--date", "2024-13-01"), "argument --date: '2024-13-01' is not a date; write YYYY-MM-DD"),
        (("--date", "2024-6-1"), "argument --date: '2024-6-1' is not a date"),
        (("--limit", "0"), "argument --limit: '0': give a whole number of 1 or more"),
        (("--limit", "-1"), "argument --limit: '-1': give a whole number of 1 or more"),
        (("--offset", "-1"), "argument --offset: '-1': give a whole number of 0 or more"),
    ],
)
def test_incident_list_refuses_bad_filters(
    seeded: Run, args: tuple[str, str], message: str
) -> None:
    status, out, err = seeded("incident", "list", *args)
    assert status == 2 and out == ""
    assert message in one_line_error(err)


def test_incident_list_unknown_clause_within_a_session(seeded: Run) -> None:
    _, out, _ = seeded("session", "list", "--json")
    session_id = json.loads(out)[0]["id"]
    status, _out, err = seeded("incident", "list", "--session", session_id[:8], "--clause", "6.99")
    assert status == 2 and "unknown clause '6.99'" in err


def test_incident_list_good_filters_still_list(seeded: Run) -> None:
    _, out, _ = seeded("incident", "list", "--json")
    first = json.loads(out)["incidents"][0]
    status, out, err = seeded("incident", "list", "--limit", "1", "--json")
    assert status == 0, err
    assert len(json.loads(out)["incidents"]) == 1
    status, out, _ = seeded("incident", "list", "--date", first["local_date"], "--json")
    assert status == 0 and first["id"] in [i["id"] for i in json.loads(out)["incidents"]]
    # A clause of the rulebook with no incident is a valid filter that lists none.
    status, out, _ = seeded("incident", "list", "--clause", "15.1")
    assert status == 0 and out.strip().endswith("0 of 0 incidents")
