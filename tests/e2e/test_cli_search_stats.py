"""``proctor-desk search`` and ``proctor-desk stats`` at the institution, on SQLite and
PostgreSQL: records a bundle brought are found and counted right after the import (nothing to
rebuild), beside known records; a reviewer may run both; the ID-number search is audited with
the account; the XLSX is written once and an existing file refused in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import col, select

from app.core.records.service import Workspace
from app.core.records.tables import AuditEntry
from app.core.search import AUDIT_ACTION
from tests.support.accounts import act_as, first_admin
from tests.support.casework import record, send
from tests.support.cli import Run, one_line_error
from tests.support.people_records import EXPECTED_2024, ZHANG_ID, seed_known
from tests.support.sync import ADMIN_PASS, make_institution, make_laptop

URL_ENV = "PROCTOR_DESK_DATABASE_URL"
READER, READER_PASSWORD = "rita", "reader-password-1"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "institution"


@pytest.fixture
def imported(
    tmp_path: Path,
    institution_db: str | None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> dict[str, str]:
    """An institution that imported a bundle of two candidate records (2024-06-15), beside
    the known records; a reviewer acts from now on. The imported candidate's name and id."""
    inst = make_institution(tmp_path, institution_db)
    laptop = make_laptop(tmp_path, "laptop-a", "A", inst.kit)
    record(laptop, inst.session_id, index=0, clause="6.1")
    record(laptop, inst.session_id, index=1, clause="7.4")
    folder = tmp_path / "bundles"
    folder.mkdir()
    send(inst, laptop, folder, "one")
    laptop.close()
    candidate = inst.ws.candidates(inst.session_id)[0]
    seed_known(inst.ws)
    inst.ws.close()
    if institution_db is not None:
        monkeypatch.setenv(URL_ENV, institution_db)
    first_admin(inst.ws.data_dir, monkeypatch, passphrase=ADMIN_PASS)
    monkeypatch.setenv("PROCTOR_DESK_NEW_PASSWORD", READER_PASSWORD)
    from app.cli import main

    assert (
        main.run(["--data-dir", str(inst.ws.data_dir), "user", "add", READER, "--role", "reviewer"])
        == 0
    )
    act_as(monkeypatch, READER, READER_PASSWORD)
    capsys.readouterr()
    return {"name": candidate.name, "id": candidate.id, "session": inst.session_id}


def _json(cli: Run, *args: str) -> object:
    status, out, err = cli(*args, "--json")
    assert status == 0, err
    return json.loads(out)


def test_search_finds_what_the_import_brought_and_the_known_people(
    cli: Run, imported: dict[str, str]
) -> None:
    hits = _json(cli, "search", imported["name"])
    assert isinstance(hits, list)
    assert all(set(h) == {"type", "id", "label", "session_id"} for h in hits)
    person = next(h for h in hits if h["type"] == "person" and h["id"] == imported["id"])
    assert person["session_id"] == imported["session"]
    # The imported record about that candidate, found by the person's name.
    assert any(h["type"] == "incident" and h["session_id"] == imported["session"] for h in hits)
    zhang = _json(cli, "search", "张三")
    assert {h["type"] for h in zhang} == {"person", "incident", "case"}
    status, out, err = cli("search", "张三丰")
    assert status == 0, err
    assert "张三丰" in out and "考生" in out


def test_an_id_number_search_is_audited_with_the_reviewer(
    cli: Run, imported: dict[str, str], data_dir: Path
) -> None:
    hits = _json(cli, "search", ZHANG_ID.lower())
    assert {h["type"] for h in hits} == {"person", "case"}
    assert all(ZHANG_ID not in h["label"] for h in hits)
    with Workspace.open(data_dir, read_only=True) as ws, ws.reading() as db:
        entries = list(
            db.exec(select(AuditEntry).where(col(AuditEntry.action) == AUDIT_ACTION)).all()
        )
    assert len(entries) == 1
    details = json.loads(entries[0].details_json)
    assert details["account"] == READER
    assert ZHANG_ID not in entries[0].details_json.upper()


def test_stats_of_a_year_count_the_import_and_the_known_records(
    cli: Run, imported: dict[str, str]
) -> None:
    stats = _json(cli, "stats", "--from", "2024-01-01", "--to", "2024-12-31")
    assert isinstance(stats, dict)
    counts = {
        name: {r["key"]: r["count"] for r in rows} for name, rows in stats["breakdowns"].items()
    }
    assert stats["total"] == EXPECTED_2024["total"] + 2
    assert counts["site"]["天河考点"] == 3 and counts["site"]["越秀考点"] == 2
    assert counts["month"]["2024-06"] == EXPECTED_2024["month"]["2024-06"] + 2
    assert counts["clause"]["6.1"] == 2 and counts["article"]["6"] == 3
    decided = _json(cli, "stats", "--by", "decision", "--from", "2024-01-01", "--to", "2024-12-31")
    assert isinstance(decided, dict) and decided["total"] == 2
    status, out, err = cli("stats", "--from", "2024-01-01", "--to", "2024-12-31")
    assert status == 0, err
    assert f"{EXPECTED_2024['total'] + 2} records in force" in out and "By site" in out


def test_the_xlsx_is_written_once(cli: Run, imported: dict[str, str], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "2024.xlsx"
    status, _out, err = cli(
        "stats", "--from", "2024-01-01", "--to", "2024-12-31", "--xlsx", str(out)
    )
    assert status == 0, err
    book = load_workbook(out)
    register = book.worksheets[-1]
    assert register.max_row == 1 + EXPECTED_2024["total"] + 2
    before = out.read_bytes()
    status, _out, err = cli("stats", "--xlsx", str(out))
    assert status == 2
    assert "already exists" in one_line_error(err)
    assert out.read_bytes() == before


def test_a_bad_date_and_an_empty_search_are_one_line(cli: Run, imported: dict[str, str]) -> None:
    status, _out, err = cli("stats", "--from", "2024-13-01")
    assert status == 2 and "no date" in one_line_error(err)
    status, _out, err = cli("stats", "--from", "2024-12-31", "--to", "2024-01-01")
    assert status == 2 and "after" in one_line_error(err)
    status, _out, err = cli("search", "  ")
    assert status == 2 and "search" in one_line_error(err)
