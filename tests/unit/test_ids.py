"""The ids the app gives its rows: UUIDs of the usual form, in the order they were made."""

from __future__ import annotations

import time
import uuid

import pytest
from sqlmodel import col, select

from app.core import ids
from app.core.demo.seed import DemoSession
from app.core.ids import new_id
from app.core.records.service import Workspace
from app.core.records.tables import Signature
from app.core.value_limits import is_uuid
from tests.support.sync import record_incident


def test_an_id_is_a_version_7_uuid_of_the_form_the_checks_accept() -> None:
    made = new_id()
    value = uuid.UUID(made)
    assert str(value) == made  # lower-case, hyphens in their places
    assert value.version == 7 and value.variant == uuid.RFC_4122
    assert is_uuid(made)


def test_an_id_begins_with_the_millisecond_it_was_made() -> None:
    before = time.time_ns() // 1_000_000
    made = new_id()
    after = time.time_ns() // 1_000_000
    assert before <= uuid.UUID(made).int >> 80 <= after


def test_ids_made_one_after_another_sort_in_that_order() -> None:
    made = [new_id() for _ in range(10_000)]  # many in each millisecond
    assert made == sorted(made)
    assert len(set(made)) == len(made)


def test_a_clock_set_back_still_gives_greater_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    first = new_id()
    an_hour_ago = time.time_ns() - 3_600 * 10**9
    monkeypatch.setattr(ids, "time_ns", lambda: an_hour_ago)
    later = [new_id() for _ in range(100)]
    assert [first, *later] == sorted({first, *later})
    for made in later:  # still well-formed ids
        assert uuid.UUID(made).version == 7 and uuid.UUID(made).variant == uuid.RFC_4122


def test_ids_made_elsewhere_in_the_same_millisecond_differ(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two laptops know nothing of each other's last id: the random bits keep them apart."""
    frozen = time.time_ns()
    monkeypatch.setattr(ids, "time_ns", lambda: frozen)
    made = set()
    for _ in range(1_000):
        monkeypatch.setattr(ids, "_last", 0)  # a program that has made no id yet
        made.add(new_id())
    assert len(made) == 1_000


def test_a_records_signatures_take_ids_in_the_order_they_were_given(
    ws: Workspace, demo: DemoSession
) -> None:
    incident_id = record_incident(ws, demo.session_id, 0)
    with ws.reading() as db:
        rows = db.exec(
            select(Signature.id, Signature.kind)
            .where(col(Signature.incident_id) == incident_id)
            .order_by(col(Signature.signed_at), col(Signature.id))
        ).all()
    assert [kind for _, kind in rows] == ["staff", "staff", "acknowledge", "confirm"]
    given = [ident for ident, _ in rows]
    assert all(uuid.UUID(ident).version == 7 for ident in given)
    assert given == sorted(given)
    assert uuid.UUID(incident_id).version == 4  # typed by its first characters: random
