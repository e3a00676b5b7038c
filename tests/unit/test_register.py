"""The register of barred candidates on both engines: a ban decided in casework enters it with
the engine's dates, a review that changes the decision supersedes its entry (the old one stays,
naming what superseded it), an annulled one leaves nothing in force, ``on`` includes the first
and the last day, and the register takes in each casework step once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.core.accounts import AccountError
from app.core.register import service
from app.core.register.refresh import refresh
from tests.support.casework import READER, account
from tests.support.register import decide, entries, review
from tests.support.sync import Institution

WANG = ("王小明", "440106199001011234")
LI = ("李四", "11010119800101001X")
D = dt.date.fromisoformat


def active(inst: Institution, day: str) -> list[dict[str, object]]:
    return service.list_active(inst.ws, READER, D(day))


def test_a_decided_art7_ban_enters_with_the_engines_dates(
    inst: Institution, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = decide(inst.ws, monkeypatch, WANG, "7.4", severity="minor", day="2026-03-10")
    # Two years from the decision (Civil Code Art. 201): the day after, to the same date.
    assert active(inst, "2026-03-11") == [
        {
            "name": "王小明",
            "id_type": "resident_id",
            "id_number": "440106199001011234",
            "clause": "7.4",
            "first_day": "2026-03-11",
            "last_day": "2028-03-10",
            "case_id": ref,
        }
    ]
    # Inclusive at both ends; not on the decision's own day, nor the day after the last.
    assert active(inst, "2026-03-10") == []
    assert [e["case_id"] for e in active(inst, "2028-03-10")] == [ref]
    assert active(inst, "2028-03-11") == []
    (entry,) = entries(inst.ws)
    assert entry.source == "decision" and entry.document_sha256 == "ab" * 32
    assert entry.decision_date == "2026-03-10"


def test_an_art6_ban_runs_to_the_end_of_the_sittings_year(
    inst: Institution, monkeypatch: pytest.MonkeyPatch
) -> None:
    decide(inst.ws, monkeypatch, WANG, "6.1", severity=None, day="2024-08-01")
    late = decide(inst.ws, monkeypatch, LI, "6.1", severity=None, day="2025-02-01")
    assert [(e["name"], e["last_day"]) for e in active(inst, "2024-12-31")] == [
        ("王小明", "2024-12-31")
    ]
    assert active(inst, "2025-01-01") == []
    # Decided after its year (found later): entered, already elapsed, never in force.
    (elapsed,) = [e for e in entries(inst.ws) if e.case_id == late]
    assert (elapsed.first_day, elapsed.last_day) == ("2025-02-02", "2024-12-31")
    assert active(inst, "2025-02-02") == []


def test_a_review_that_changes_the_decision_supersedes_its_entry(
    inst: Institution, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = decide(inst.ws, monkeypatch, WANG, "7.4", severity="minor", day="2026-03-10")
    assert [e["last_day"] for e in active(inst, "2026-04-01")] == ["2028-03-10"]
    review(inst.ws, ref, "changed", severity="serious")
    # Still counted from the first decision's date: five years.
    assert [(e["last_day"], e["case_id"]) for e in active(inst, "2026-04-01")] == [
        ("2031-03-10", ref)
    ]
    assert [e["case_id"] for e in active(inst, "2030-01-01")] == [ref]
    old, new = entries(inst.ws)
    assert (old.source, old.last_day, old.superseded_by) == ("decision", "2028-03-10", new.id)
    assert (new.source, new.supersedes, new.superseded_by) == ("review_changed", old.id, None)


def test_an_annulled_decision_leaves_nothing_in_force(
    inst: Institution, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = decide(inst.ws, monkeypatch, WANG, "7.4", severity="serious", day="2026-03-10")
    other = decide(inst.ws, monkeypatch, LI, "7.4", severity="minor", day="2026-03-10")
    review(inst.ws, ref, "annulled")
    assert [e["case_id"] for e in active(inst, "2026-04-01")] == [other]
    kept = [e for e in entries(inst.ws) if e.case_id == ref]
    assert [(e.source, e.first_day, e.last_day) for e in kept] == [
        ("decision", "2026-03-11", "2031-03-10"),
        ("review_annulled", None, None),
    ]
    assert kept[0].superseded_by == kept[1].id


def test_an_upheld_review_changes_nothing_and_each_step_is_taken_in_once(
    inst: Institution, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = decide(inst.ws, monkeypatch, WANG, "7.4", severity="minor", day="2026-03-10")
    active(inst, "2026-04-01")
    review(inst.ws, ref, "upheld")
    for _ in range(2):
        assert [e["last_day"] for e in active(inst, "2026-04-01")] == ["2028-03-10"]
    with inst.ws.transaction() as db:
        assert refresh(db) == 0
    assert len(entries(inst.ws)) == 1


def test_a_reviewer_may_look_and_only_an_account_of_the_institution(
    inst: Institution, monkeypatch: pytest.MonkeyPatch
) -> None:
    decide(inst.ws, monkeypatch, WANG, "7.4", day="2026-03-10")
    assert len(service.list_active(inst.ws, READER, D("2026-04-01"))) == 1
    with pytest.raises(AccountError, match="needs a"):
        service.list_active(inst.ws, account("x", "nobody"), D("2026-04-01"))


def test_migration_0011_makes_the_tables_the_models_describe(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import app.core.records.register_tables as tables
    from app.core.records.db import open_engine

    names = {
        m.__tablename__
        for m in (tables.RegisterEntry, tables.RegisterMark, tables.KitScreen, tables.KitCandidate)
    }
    engine = open_engine(tmp_path / "db.sqlite3")
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert [d for d in diff if names & set(map(str, _tables_named(d)))] == []


def _tables_named(change: object) -> list[object]:
    item = change[0] if isinstance(change, list) else change
    found: list[object] = []
    for part in item if isinstance(item, tuple) else ():
        table = getattr(part, "table", None)
        found.append(
            getattr(table, "name", None) if table is not None else getattr(part, "name", part)
        )
    return found


def test_the_database_keeps_every_entry_as_entered(
    inst: Institution, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    ref = decide(inst.ws, monkeypatch, WANG, "7.4", severity="minor", day="2026-03-10")
    review(inst.ws, ref, "changed", severity="serious")
    active(inst, "2026-04-01")
    old, new = entries(inst.ws)
    for statement in (
        f"UPDATE register_entry SET last_day = '2026-03-12' WHERE id = {new.id}",
        f"UPDATE register_entry SET superseded_by = NULL WHERE id = {old.id}",
        f"UPDATE register_entry SET superseded_by = {old.id} WHERE id = {old.id}",
        f"DELETE FROM register_entry WHERE id = {new.id}",
    ):
        with (
            pytest.raises(DBAPIError, match="register_entry is append-only"),
            inst.ws.engine.begin() as connection,
        ):
            connection.execute(text(statement))
    assert [(e.id, e.last_day, e.superseded_by) for e in entries(inst.ws)] == [
        (old.id, "2028-03-10", new.id),
        (new.id, "2031-03-10", None),
    ]
