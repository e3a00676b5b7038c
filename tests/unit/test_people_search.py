"""The search box across sessions, on both engines: ID numbers exactly (as the rosters
normalise them), names by prefix, tickets, record numbers in their latest version, cases; a
search for an ID number audited with its account and without the clear number."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import col, select

from app.core.records.service import Workspace
from app.core.records.tables import AuditEntry
from app.core.search import AUDIT_ACTION, SearchError, find, id_number_tag, search
from tests.support.casework import READER
from tests.support.people_records import ABSENT_ID, ZHANG_ID, Known, seed_known


@pytest.fixture
def institution(tmp_path: Path, institution_db: str | None) -> tuple[Workspace, Known]:
    ws = Workspace.open(tmp_path / "inst", database_url=institution_db)
    known = seed_known(ws)
    yield ws, known  # type: ignore[misc]
    ws.close()


def _ids(ws: Workspace, text: str) -> set[tuple[str, str]]:
    with ws.reading() as db:
        return {(hit.type, hit.id) for hit in find(db, text)}


def _entries(ws: Workspace) -> list[AuditEntry]:
    with ws.reading() as db:
        query = select(AuditEntry).where(col(AuditEntry.action) == AUDIT_ACTION)
        return list(db.exec(query.order_by(col(AuditEntry.seq))).all())


def test_an_id_number_finds_the_person_in_every_session_and_their_cases(
    institution: tuple[Workspace, Known],
) -> None:
    ws, known = institution
    expected = {
        ("person", known.people["zhang-s1"]),
        ("person", known.people["zhang-s2"]),
        ("case", known.cases["K1"]),
        ("case", known.cases["K2"]),
    }
    assert _ids(ws, ZHANG_ID) == expected
    # As typed: a lower-case check character, full-width digits, spaces.
    assert _ids(ws, ZHANG_ID.lower()) == expected
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in ZHANG_ID[:6]) + " " + ZHANG_ID[6:]
    assert _ids(ws, full_width) == expected
    assert _ids(ws, ZHANG_ID[:-1]) == set()  # exactly, never by prefix


def test_names_by_prefix_tickets_staff_and_record_numbers(
    institution: tuple[Workspace, Known],
) -> None:
    ws, known = institution
    people = {i for t, i in _ids(ws, "张三") if t == "person"}
    assert people == {
        known.people["zhang-s1"],
        known.people["zhang-s2"],
        known.people["zhangsanfeng"],
    }
    assert {i for t, i in _ids(ws, "张三丰") if t == "person"} == {known.people["zhangsanfeng"]}
    assert {i for t, i in _ids(ws, "三") if t == "person"} == set()  # a prefix, not inside
    # The records in force about 张…: the latest version of the amended one, not the void one.
    records = {i for t, i in _ids(ws, "张") if t == "incident"}
    assert records == {known.incidents["A-001/2"], known.incidents["B-001/1"]}
    assert _ids(ws, "T2002") == {("person", known.people["wangwu"])}
    assert ("person", known.people["zhaoliu"]) in _ids(ws, "赵")
    assert _ids(ws, "S001") == {("person", known.people["zhaoliu"])}
    assert _ids(ws, "A-001") == {("incident", known.incidents["A-001/2"])}
    assert _ids(ws, "a-001") == {("incident", known.incidents["A-001/2"])}
    assert _ids(ws, "case-k3") == {("case", known.cases["K3"])}
    assert _ids(ws, "王") >= {("person", known.people["wangwu"]), ("case", known.cases["K3"])}


def test_labels_mask_id_numbers_and_name_the_session(
    institution: tuple[Workspace, Known],
) -> None:
    ws, known = institution
    with ws.reading() as db:
        hits = find(db, ZHANG_ID)
    for hit in hits:
        assert ZHANG_ID not in hit.label and ZHANG_ID[-4:] in hit.label
    person = next(h for h in hits if h.id == known.people["zhang-s2"])
    assert person.session_id == known.sessions["S2"]
    assert "越秀考点" in person.label and "T2001" in person.label and "居民身份证" in person.label
    assert person.as_json() == {
        "type": "person",
        "id": known.people["zhang-s2"],
        "label": person.label,
        "session_id": known.sessions["S2"],
    }


def test_wildcards_are_characters_of_the_name(institution: tuple[Workspace, Known]) -> None:
    ws, _known = institution
    assert _ids(ws, "%") == set() and _ids(ws, "_") == set() and _ids(ws, "张%") == set()
    assert {t for t, _ in _ids(ws, "=1")} == {"person", "incident"}  # "=1+1" and his record


def test_an_empty_or_overlong_search_is_refused(institution: tuple[Workspace, Known]) -> None:
    ws, _known = institution
    for text in ("", "   ", "张" * 101):
        with pytest.raises(SearchError):
            search(ws, READER, text)


def test_a_search_for_an_id_number_is_audited_without_the_number(
    institution: tuple[Workspace, Known],
) -> None:
    ws, known = institution
    search(ws, READER, "张三")  # a name: not audited
    assert _entries(ws) == []
    search(ws, READER, ZHANG_ID.lower())
    search(ws, READER, ABSENT_ID)  # found no one: audited all the same
    first, second = _entries(ws)
    details = json.loads(first.details_json)
    assert details["account"] == READER.name
    assert details["id_number_masked"] == ZHANG_ID[:6] + "*" * 8 + ZHANG_ID[-4:]
    assert details["id_number_tag"] == id_number_tag(ws.device, ZHANG_ID)
    assert {(f["type"], f["id"]) for f in details["found"]} == {
        ("person", known.people["zhang-s1"]),
        ("person", known.people["zhang-s2"]),
        ("case", known.cases["K1"]),
        ("case", known.cases["K2"]),
    }
    absent = json.loads(second.details_json)
    assert absent["found"] == [] and absent["id_number_tag"] == id_number_tag(ws.device, ABSENT_ID)
    for entry in (first, second):
        text = entry.details_json.upper()
        for number in (ZHANG_ID, ABSENT_ID):
            assert number not in text and number[6:14] not in text  # nor the birth date
    # The tag is keyed: not the plain SHA-256 a thief could compute from guesses.
    import hashlib

    assert details["id_number_tag"] != hashlib.sha256(ZHANG_ID.encode()).hexdigest()


def test_name_searches_read_the_indexes(institution: tuple[Workspace, Known]) -> None:
    """Names by prefix and numbers exactly come from migration 0010's indexes on each engine
    (with sequential scans switched off, a query no index can serve would still scan)."""
    from app.core.records import dialect

    ws, _known = institution
    with ws.reading() as db:
        connection = db.connection()
        where, params = dialect.prefix_match(db, "name", "张")
        sql = f"SELECT id FROM candidate WHERE {where}"
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
            plan = " ".join(r[0] for r in connection.exec_driver_sql(f"EXPLAIN {sql}", params))
        else:
            plan = " ".join(
                str(r[-1]) for r in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)
            )
        assert "ix_search_candidate_name" in plan, plan
