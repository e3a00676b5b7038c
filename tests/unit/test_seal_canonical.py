"""Canonical JSON, device keys, record seals and the audit chain, on their own."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.records.audit import GENESIS, entry_hash, verify_chain
from app.core.records.tables import AuditEntry
from app.core.seal import device_keys, key_vault
from app.core.seal.canonical import CanonicalError, canonical_bytes, content_hash
from app.core.seal.record_seal import SignatureFacts, check_seal, make_seal, seal_payload

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def test_canonical_form_is_sorted_compact_utf8() -> None:
    assert canonical_bytes({"b": 1, "a": [True, None, "考场"]}) == (
        '{"a":[true,null,"考场"],"b":1}'.encode()
    )


@given(json_values)
def test_key_order_does_not_change_the_hash(value: object) -> None:
    if isinstance(value, dict):
        reordered = dict(reversed(list(value.items())))
        assert content_hash(reordered) == content_hash(value)
    assert canonical_bytes(value) == canonical_bytes(value)


@pytest.mark.parametrize("bad", [1.5, {"x": 0.1}, {1: "a"}, {"t": dt.date(2024, 1, 1)}, b"raw"])
def test_values_without_a_canonical_form_are_refused(bad: object) -> None:
    with pytest.raises(CanonicalError):
        canonical_bytes(bad)


def test_device_key_created_once_private_and_stable(tmp_path: Path) -> None:
    folder = tmp_path / "device"
    first = device_keys.load_or_create(folder)
    assert first.public_bytes  # made at the first need, in the vault
    mode = stat.S_IMODE((folder / key_vault.FILE).stat().st_mode)
    assert mode == 0o600
    again = device_keys.load_or_create(folder)
    assert (again.device_id, again.public_bytes, again.code) == (
        first.device_id,
        first.public_bytes,
        first.code,
    )
    assert len(first.code) == 2 and set(first.code) <= set(device_keys.CODE_ALPHABET)
    groups = first.fingerprint.split(" ")
    assert len(groups) == 16 and all(len(g) == 4 for g in groups)
    assert device_keys.set_code(folder, "b2").code == "B2"
    assert device_keys.load_or_create(folder).code == "B2"
    with pytest.raises(device_keys.DeviceKeyError, match="not allowed"):
        device_keys.set_code(folder, "I-O")


def test_seal_verifies_and_breaks_on_any_change(tmp_path: Path) -> None:
    key = device_keys.load_or_create(tmp_path)
    sig = SignatureFacts(
        "s1",
        "staff",
        "p1",
        None,
        "王伟",
        "exam_admin",
        "2024-06-15T01:30:00.000000Z",
        "[[[1,2,3,500]]]",
        "h" * 64,
    )
    payload = seal_payload("i1", "h" * 64, [sig])
    value = make_seal(key, payload)
    assert check_seal(payload, value.payload_hash, value.signature_hex, value.public_key_hex) == ""
    changed = seal_payload("i1", "h" * 64, [SignatureFacts(**{**sig.__dict__, "role": "x"})])
    assert "changed" in check_seal(
        changed, value.payload_hash, value.signature_hex, value.public_key_hex
    )
    other = device_keys.load_or_create(tmp_path / "other")
    assert "does not verify" in check_seal(
        payload, value.payload_hash, value.signature_hex, other.public_bytes.hex()
    )


def _chain(n: int) -> list[AuditEntry]:
    entries, prev = [], GENESIS
    at = dt.datetime(2024, 6, 15, tzinfo=dt.UTC)
    for seq in range(1, n + 1):
        fields: dict[str, Any] = dict(
            seq=seq,
            at=at,
            action="sign",
            session_id="s",
            incident_id="i",
            actor_id=None,
            device_id="d",
            details_json="{}",
            prev_hash=prev,
        )
        digest = entry_hash(**fields)
        entries.append(AuditEntry(**fields, hash=digest))
        prev = digest
    return entries


def test_audit_chain_detects_change_gap_and_reorder() -> None:
    entries = _chain(5)
    assert verify_chain(entries) == []
    entries[2].action = "void"
    assert [p.seq for p in verify_chain(entries)] == [3]
    entries = _chain(5)
    assert {p.seq for p in verify_chain(entries[:2] + entries[3:])} == {4}
    assert verify_chain(list(reversed(entries)))
