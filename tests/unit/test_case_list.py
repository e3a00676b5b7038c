"""The case list answered by the database, on both engines: the filters (status, party,
session, overdue) and the count, paging in the list's order, "overdue" in SQL equal to
``duties.overdue`` for cases in every state on every day, the list kept up by the import
when a case's records change, and migration 0012 filling in an existing 0011 database."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text

from app.core.casework import cases, duties, views
from app.core.casework.deadlines import deadlines
from app.core.casework.errors import CaseInputError
from app.core.casework.service import CaseDesk
from app.core.records.db import MIGRATIONS_DIR, upgrade
from app.core.records.service import Workspace
from app.core.rulebook.model import StaffRole
from tests.support.casework import ANNA, CHEN, FAKE_SHA, READER, amend, record, send
from tests.support.register import finding
from tests.support.sync import Institution, make_laptop

DAYS = [dt.date(2026, 3, 1) + dt.timedelta(days=n) for n in range(0, 45, 2)]


def at(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    """Casework's clock at noon (Beijing) of ``day``."""
    instant = dt.datetime.fromisoformat(f"{day}T04:00:00+00:00")
    monkeypatch.setattr(cases, "now", lambda: instant)


def _every_state(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Cases found after the evaluation (Art. 8), one in each state, with and without their
    documents delivered, their steps spread over March 2026: name → case id."""
    desk = CaseDesk(ws)
    made: dict[str, str] = {}

    def case(name: str, day: str) -> str:
        at(monkeypatch, day)
        number = f"44010619900101{len(made):03d}"
        opened = desk.open_without_record(ANNA, finding(name, number + "X", "6.2"))
        made[name] = ref = str(opened["id"])
        return ref

    def step(ref: str, day: str, kind: str, **kwargs: Any) -> None:
        at(monkeypatch, day)
        version = desk.version_of(ANNA, ref)
        getattr(desk, kind)(CHEN if kind == "review" else ANNA, ref, version, **kwargs)

    def noticed(name: str, day: str) -> str:
        ref = case(name, "2026-03-01")
        step(ref, "2026-03-01", "determine")
        step(ref, day, "notice", document_sha256=FAKE_SHA)
        return ref

    def delivered(name: str, decided: str, on: list[str]) -> str:
        ref = noticed(name, "2026-03-02")
        step(ref, decided, "decide", decision_date=dt.date.fromisoformat(decided),
             document_sha256=FAKE_SHA)  # fmt: skip
        for day in on:
            step(ref, day, "deliver", document="decision", method="post",
                 date=dt.date.fromisoformat(day))  # fmt: skip
        return ref

    case("open", "2026-03-01")
    step(case("determined", "2026-03-01"), "2026-03-02", "determine")
    noticed("noticed", "2026-03-03")  # no delivery: counted from the notice's day
    ref = noticed("noticed, delivered", "2026-03-03")
    step(ref, "2026-03-09", "deliver", document="notice", method="post",
         date=dt.date(2026, 3, 6))  # fmt: skip
    step(ref, "2026-03-10", "deliver", document="notice", method="in_person",
         date=dt.date(2026, 3, 10))  # fmt: skip
    step(noticed("responded", "2026-03-03"), "2026-03-05", "respond", text="本人无异议")
    ref = noticed("decided", "2026-03-02")
    step(ref, "2026-03-04", "decide", decision_date=dt.date(2026, 3, 4), document_sha256=FAKE_SHA)
    delivered("delivered", "2026-03-05", ["2026-03-07"])
    delivered("delivered twice", "2026-03-05", ["2026-03-12", "2026-03-20"])
    ref = delivered("under review", "2026-03-05", ["2026-03-07"])
    step(ref, "2026-03-15", "object_to", text="本人不服")
    step(ref, "2026-03-20", "review", outcome="upheld", document_sha256=FAKE_SHA)
    step(ref, "2026-03-21", "close")
    made["closed"] = made.pop("under review")
    ref = delivered("objected", "2026-03-05", ["2026-03-07"])
    step(ref, "2026-03-30", "object_to", text="本人不服")  # late: flagged, never refused
    return made


def _overdue_as_duties_say(ws: Workspace, day: dt.date) -> dict[str, str | None]:
    with ws.reading() as db:
        limits = deadlines(db)
        return {
            case.id: duties.overdue(case, cases.steps_of(db, case.id), limits, day)
            for case in (cases.resolve(db, r["id"]) for r in views.list_cases(db))
        }


def _check_overdue(ws: Workspace) -> int:
    """On every day of ``DAYS``, what the list says is overdue (and what its overdue filter
    finds) is what ``duties.overdue`` says; how many (case, day) were overdue."""
    seen = 0
    for day in DAYS:
        expected = _overdue_as_duties_say(ws, day)
        with ws.reading() as db:
            shown = {r["id"]: r["overdue"] for r in views.list_cases(db, today=day)}
            assert shown == expected, day
            for kind in ("response", "objection", "any"):
                found = [r["id"] for r in views.list_cases(db, overdue=kind, today=day)]
                wanted = [i for i, k in expected.items() if k and kind in (k, "any")]
                assert found == wanted, (day, kind)
                assert views.count_cases(db, overdue=kind, today=day) == len(wanted)
        seen += sum(1 for k in expected.values() if k)
    return seen


def test_overdue_in_sql_is_what_the_duties_say_in_every_state(
    inst: Institution, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _every_state(inst.ws, monkeypatch)
    desk = CaseDesk(inst.ws)
    statuses = {r["status"] for r in desk.list(READER)}
    assert statuses >= {"open", "determined", "noticed", "decided", "delivered", "closed"}
    assert "under_review" in statuses
    assert _check_overdue(inst.ws) > 0
    day = dt.date(2026, 3, 9)  # notice of 3 March + 5 days = 8 March: over on the 9th
    rows = {r["id"]: r["overdue"] for r in desk.list(READER, today=day)}
    assert rows[made["noticed"]] == "response"
    assert rows[made["noticed, delivered"]] is None  # delivered on 6 March: till the 11th
    assert rows[made["responded"]] is None
    # The institution's deadlines are settings: the list follows them when they change.
    desk.set_deadline(ANNA, "response_days", 20)
    desk.set_deadline(ANNA, "objection_days", 3)
    assert desk.list(READER, today=day, overdue="response") == []
    assert _check_overdue(inst.ws) > 0


def test_filters_count_and_paging(
    tmp_path: Path, inst: Institution, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop = make_laptop(tmp_path, "laptop-a", "A", inst.kit)
    first = record(laptop, inst.session_id, clause="6.1", index=0)
    record(laptop, inst.session_id, clause="6.2", index=1)
    record(laptop, inst.session_id, party="staff", role=StaffRole.ASSESSOR, clause="10.1")
    folder = tmp_path / "bundles"
    folder.mkdir()
    send(inst, laptop, folder, "first")
    made = _every_state(inst.ws, monkeypatch)
    desk = CaseDesk(inst.ws)
    everything = desk.list(READER)
    assert len(everything) == desk.count(READER) == 3 + len(made)
    # The list's order: when the case was opened (then its id), as before.
    with inst.ws.reading() as db:
        order = [
            r[0]
            for r in db.connection().execute(
                text("SELECT id FROM casework_case ORDER BY created_at, id")
            )
        ]
    assert [r["id"] for r in everything] == order
    # Each row is the case as ``case show`` tells it (the JSON contract of ``case list``).
    keys = ("id", "person", "party", "session_id", "clauses", "status", "overdue")
    for row in everything:
        assert list(row) == list(keys)
        shown = desk.show(READER, row["id"])
        assert row == {k: shown[k] for k in keys}

    def ids(**filters: Any) -> list[str]:
        found = [r["id"] for r in desk.list(READER, **filters)]
        assert desk.count(READER, **filters) == len(found)
        return found

    def where(test: Any) -> list[str]:
        return [r["id"] for r in everything if test(r)]

    assert ids(party="staff") == where(lambda r: r["party"] == "staff") != []
    assert ids(party="candidate") == where(lambda r: r["party"] == "candidate")
    assert ids(party="institution") == []
    assert len(ids(session_id=inst.session_id)) == 3
    assert ids(session_id=inst.session_id, party="candidate") == where(
        lambda r: r["session_id"] == inst.session_id and r["party"] == "candidate"
    )
    for status in ("open", "noticed", "delivered", "closed", "reviewed"):
        assert ids(status=status) == where(lambda r, s=status: r["status"] == s)
    assert ids(status="open", session_id=inst.session_id, party="staff") == where(
        lambda r: r["party"] == "staff"
    )
    assert ids(session_id="no-such-session") == []
    # Paging: pages of 4 put together are the whole list, in its order.
    pages = [desk.list(READER, offset=n, limit=4) for n in range(0, len(everything) + 4, 4)]
    assert [r for page in pages for r in page] == everything
    assert all(len(p) == 4 for p in pages[: len(everything) // 4]) and pages[-1] == []
    assert (
        desk.list(READER, status="delivered", offset=1, limit=1)
        == [r for r in everything if r["status"] == "delivered"][1:2]
    )
    for bad in ({"status": "shut"}, {"party": "someone"}, {"overdue": "yes"}):
        with pytest.raises(CaseInputError):
            desk.list(READER, **bad)
        with pytest.raises(CaseInputError):
            desk.count(READER, **bad)
    # A record amended on the site changes what its open case holds: the list shows it.
    case_of_first = next(r for r in everything if r["session_id"] and r["clauses"] == ["6.1"])
    amend(laptop, inst.session_id, first, "6.3")
    send(inst, laptop, folder, "second")
    after = {r["id"]: r for r in desk.list(READER)}
    assert after[case_of_first["id"]]["clauses"] == ["6.3"]
    assert (
        after[case_of_first["id"]]["clauses"] == desk.show(READER, case_of_first["id"])["clauses"]
    )
    laptop.close()


def test_migration_0012_fills_the_list_of_an_existing_database(
    inst: Institution, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _every_state(inst.ws, monkeypatch)
    desk = CaseDesk(inst.ws)
    before = {day: desk.list(READER, today=day) for day in DAYS}
    engine = inst.ws.engine
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0011")
    assert "casework_case_list" not in inspect(engine).get_table_names()
    upgrade(engine)  # 0011 → 0012: every case's row filled in from the case and its steps
    with engine.connect() as connection:
        listed = connection.execute(text("SELECT count(*) FROM casework_case_list")).scalar()
    assert listed == len(made)
    assert {day: desk.list(READER, today=day) for day in DAYS} == before
    assert _check_overdue(inst.ws) > 0


def test_case_list_on_the_command_line_takes_the_filters(
    tmp_path: Path,
    inst: Institution,
    institution_db: str | None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from app.cli import main
    from tests.support.accounts import first_admin
    from tests.support.sync import ADMIN_PASS

    laptop = make_laptop(tmp_path, "laptop-a", "A", inst.kit)
    record(laptop, inst.session_id, clause="6.1", index=0)
    record(laptop, inst.session_id, party="staff", role=StaffRole.ASSESSOR, clause="10.1")
    folder = tmp_path / "bundles"
    folder.mkdir()
    send(inst, laptop, folder, "first")
    laptop.close()
    made = _every_state(inst.ws, monkeypatch)
    data_dir = inst.ws.data_dir
    inst.ws.close()
    if institution_db is not None:
        monkeypatch.setenv("PROCTOR_DESK_DATABASE_URL", institution_db)
    first_admin(data_dir, monkeypatch, passphrase=ADMIN_PASS)
    capsys.readouterr()
    at(monkeypatch, "2026-04-01")  # the list's today: every waiting period is over

    def listed(*extra: str) -> list[dict[str, Any]]:
        status = main.run(["--data-dir", str(data_dir), "case", "list", "--json", *extra])
        out, err = capsys.readouterr()
        assert status == 0, err
        rows: list[dict[str, Any]] = json.loads(out)
        return rows

    everything = listed()
    assert len(everything) == 2 + len(made)
    assert [r["party"] for r in listed("--party", "staff")] == ["staff"]
    assert {r["party"] for r in listed("--session", inst.session_id)} == {"candidate", "staff"}
    # As a set: these cases were made at one frozen instant, so the list's order between them
    # is their ids' (random) order.
    assert {r["id"] for r in listed("--overdue", "response")} == {
        made["noticed"], made["noticed, delivered"]
    }  # fmt: skip
    assert {r["id"] for r in listed("--overdue", "any")} == {
        made["noticed"], made["noticed, delivered"], made["delivered"], made["delivered twice"]
    }  # fmt: skip
    assert listed("--status", "noticed", "--overdue", "objection") == []
    assert [r["overdue"] for r in listed("--overdue", "objection")] == ["objection"] * 2
