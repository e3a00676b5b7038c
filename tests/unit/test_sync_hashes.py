"""The import's fast hashes give the very bytes of the seal and audit functions they stand in
for, and the fast row check still refuses what the full one refuses."""

from __future__ import annotations

import datetime as dt
import gc
import json
import uuid
from typing import Any

import pytest

from app.core.records.audit import entry_hash
from app.core.records.tables import Signature, from_utc_text, to_utc_text
from app.core.seal.record_seal import SignatureFacts, seal_payload
from app.core.sync.collection import cycles_collected_later
from app.core.sync.record_hashes import audit_hash, instant, seal_payload_bytes
from app.core.sync.rows import RowError, row_values


def _signature(ident: str, **changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": ident,
        "incident_id": "inc-1",
        "kind": "staff",
        "staff_id": "staff-1",
        "candidate_id": None,
        "signer_name": "谢雨桐",
        "role": "exam_admin",
        "signed_at": "2024-06-15T01:40:00.123456Z",
        "strokes_json": "[[[20,66,10,369],[23,79,26,438]]]",
        "content_hash": "ab" * 32,
        "voided_at": None,
    }
    row.update(changes)
    return row


def _facts(row: dict[str, Any]) -> SignatureFacts:
    return SignatureFacts(**{k: row[k] for k in SignatureFacts.__dataclass_fields__})


def test_seal_payload_bytes_equal_seal_payload() -> None:
    rows = [
        _signature("c", kind="acknowledge", staff_id=None, candidate_id="cand-1"),
        _signature("a", signer_name='带"引号\\与\n换行', strokes_json="[]"),
        _signature("b", role="site_head", strokes_json="[[[1,2,3,4]]]" * 50),
    ]
    expected = seal_payload("inc-1", "cd" * 32, [_facts(r) for r in rows])
    assert seal_payload_bytes("inc-1", "cd" * 32, rows) == expected
    assert seal_payload_bytes("inc-1", "cd" * 32, []) == seal_payload("inc-1", "cd" * 32, [])
    # Anything changed changes the bytes.
    assert seal_payload_bytes("inc-1", "cd" * 32, rows[:2]) != expected


def _entry(**changes: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "seq": 42,
        "at": "2024-06-15T01:40:00.000001Z",
        "action": "create",
        "session_id": "sess-1",
        "incident_id": None,
        "actor_id": "staff-1",
        "device_id": "dev-1",
        "details_json": json.dumps({"说明": "携带手机", "n": [1, {"b": True, "a": None}]}),
        "prev_hash": "0" * 64,
    }
    entry.update(changes)
    return entry


@pytest.mark.parametrize("changes", [{}, {"incident_id": "inc-9", "actor_id": None}])
def test_audit_hash_equals_entry_hash(changes: dict[str, Any]) -> None:
    entry = _entry(**changes)
    expected = entry_hash(**{**entry, "at": from_utc_text(entry["at"])})
    assert audit_hash(entry, entry["at"]) == expected
    assert audit_hash({**entry, "seq": 43}, entry["at"]) != expected


@pytest.mark.parametrize("details", ['{"x":1.5}', '{"x":NaN}', '{"x":-Infinity}', "{", "[1,]"])
def test_audit_hash_refuses_details_without_canonical_form(details: str) -> None:
    with pytest.raises(ValueError):
        audit_hash(_entry(details_json=details), "2024-06-15T01:40:00.000001Z")


def test_instant_reads_the_stored_form_like_from_utc_text() -> None:
    for text in ("2024-06-15T01:40:00.000000Z", "1999-12-31T23:59:59.999999Z"):
        assert instant(text) == from_utc_text(text)
        assert to_utc_text(instant(text)) == text
        assert instant(text).utcoffset() == dt.timedelta(0)
    with pytest.raises(ValueError):
        instant("2024-02-30T01:00:00.000000Z")


def _ids(row: dict[str, Any]) -> dict[str, Any]:
    """The row with its ids in the form the app makes them (UUIDs), as an import needs."""
    ids = ("id", "incident_id", "staff_id", "candidate_id")
    return {
        k: str(uuid.uuid5(uuid.NAMESPACE_OID, v)) if k in ids and v else v for k, v in row.items()
    }


def test_row_values_checks_every_row_after_a_type_pattern_is_known() -> None:
    good = _ids(_signature("a"))
    assert row_values(Signature, good, "s") == good
    assert list(row_values(Signature, good, "s")) == list(Signature.model_fields)
    nulled = _ids(_signature("b", staff_id=None, voided_at="2024-06-15T02:00:00.000000Z"))
    assert row_values(Signature, nulled, "s") == nulled
    for bad, match in (
        (_ids(_signature("c", signer_name=True)), "wrong type"),
        ({**_ids(_signature("c")), "staff_id": 7}, "wrong type"),
        (_ids(_signature("c", kind=None)), "may not be null"),
        (_ids(_signature("c", signed_at="2024-06-15 01:40:00")), "not a UTC time"),
        (_ids(_signature("c", voided_at="yesterday")), "not a UTC time"),
        (_ids(_signature("c", signed_at="2999-06-15T01:40:00.000000Z")), "before 2000 or ahead"),
        (_ids(_signature("c", signer_name="谢雨桐\u202e")), "direction character U\\+202E"),
        (_signature("c"), "not an id of the form"),
    ):
        with pytest.raises(RowError, match=match):
            row_values(Signature, bad, "s")
        # The refused pattern is not remembered as accepted.
        with pytest.raises(RowError, match=match):
            row_values(Signature, bad, "s")


def test_cycle_collection_paused_and_restored() -> None:
    assert gc.isenabled()
    with cycles_collected_later():
        assert not gc.isenabled()
        with cycles_collected_later():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), cycles_collected_later():
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with cycles_collected_later():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
