"""The records commands end to end: session, demo seed, incident list/show, verify."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from app.cli import main as cli_main
from app.core.records.db import DB_FILE
from app.core.records.service import Workspace
from tests.support.cli import Run


def test_session_create_list_show(cli: Run) -> None:
    status, out, err = cli(
        "session",
        "create",
        "--institution",
        "深圳市鹏城职业技能评价中心",
        "--filing-code",
        "S4403000001",
        "--occupation",
        "电工",
        "--level",
        "四级/中级工",
        "--site",
        "南山考点",
        "--address",
        "深圳市南山区科技园 1 号",
        "--room",
        "第1考场:30:李老师",
        "--room",
        "第2考场:25",
        "--subject",
        "理论知识=2024-06-15T09:00/2024-06-15T10:30",
        "--json",
    )
    assert status == 0, err
    created = json.loads(out)
    assert created["subjects"][0]["starts_at"] == "2024-06-15T01:00:00.000000Z"
    assert [r["seats"] for r in created["rooms"]] == [30, 25]
    status, out, _ = cli("session", "list", "--json")
    assert [s["id"] for s in json.loads(out)] == [created["id"]]
    status, out, _ = cli("session", "show", created["id"][:8])
    assert status == 0 and "南山考点" in out and "第2考场: 25 seats" in out


def test_bad_session_arguments_are_one_line_errors(cli: Run, tmp_path: Path) -> None:
    status, _out, err = cli(
        "session",
        "create",
        "--institution",
        "X",
        "--filing-code",
        "F",
        "--occupation",
        "电工",
        "--site",
        "S",
        "--address",
        "A",
        "--room",
        "第1考场",
        "--subject",
        "理论知识=x/y",
    )
    assert status == 2
    assert "--room 第1考场: write NAME:SEATS" in err
    # An unknown session in an existing data folder (a missing folder is its own error).
    Workspace.open(tmp_path / "data").close()
    status, _out, err = cli("session", "show", "nope")
    assert status == 2 and "no session 'nope'" in err


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


def test_data_folder_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("PROCTOR_DESK_HOME", str(home))
    assert cli_main.run(["demo", "seed", "--candidates", "3", "--incidents", "2"]) == 0
    assert (home / DB_FILE).is_file()
    assert (home / "device" / "device_key.pem").is_file()
    capsys.readouterr()
    assert cli_main.run(["verify"]) == 0
    assert capsys.readouterr().out.startswith("OK: 2 incidents")
