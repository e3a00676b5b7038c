"""The bytes an import hashes for every seal and audit entry, built for 10,000 records at a time.

``seal.record_seal.seal_payload`` and ``records.audit.entry_hash`` walk every value to refuse
types without a canonical form before encoding. At import, ``rows.row_values`` has already
checked each column's type, so that walk is skipped here; the JSON inside an audit entry's
details is parsed refusing floats and constants, which is what the walk would have refused.
The bytes are the same (``tests/unit/test_sync_hashes.py`` compares them).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from app.core.seal.canonical import CanonicalError, encode_checked

_SEALED_FIELDS = ("id", "kind", "staff_id", "candidate_id", "signer_name", "role", "signed_at")


def _encode(value: Any) -> bytes:
    return encode_checked(value)


def seal_payload_bytes(
    incident_id: str, content_hash: str, signatures: Iterable[Mapping[str, Any]]
) -> bytes:
    """``seal_payload`` of signature rows whose columns are already checked (str or None)."""
    covered = []
    for row in sorted(signatures, key=lambda s: str(s["id"])):
        item = {name: row[name] for name in _SEALED_FIELDS}
        item["strokes_sha256"] = hashlib.sha256(row["strokes_json"].encode("utf-8")).hexdigest()
        item["content_hash"] = row["content_hash"]
        covered.append(item)
    return _encode(
        {"incident_id": incident_id, "content_hash": content_hash, "signatures": covered}
    )


def _refuse(text: str) -> Any:
    raise CanonicalError(f"{text[:20]} has no canonical form")


# One decoder for all records (json.loads with options builds a new one on every call).
# Floats and NaN/Infinity refused as they are read: they have no canonical form.
STRICT = json.JSONDecoder(parse_float=_refuse, parse_constant=_refuse)


def audit_hash(entry: Mapping[str, Any], at_text: str, details: Any = None) -> str:
    """``entry_hash`` of an audit row whose columns are checked; ``at_text`` is its instant
    as stored, ``details`` its details when the caller built them (else they are read from
    ``details_json``). Raises ``ValueError`` (``CanonicalError`` among them) when it has no
    hash."""
    if details is None:
        details = STRICT.decode(entry["details_json"])
    return hashlib.sha256(
        _encode(
            {
                "seq": entry["seq"],
                "at": at_text,
                "action": entry["action"],
                "session_id": entry["session_id"],
                "incident_id": entry["incident_id"],
                "actor_id": entry["actor_id"],
                "device_id": entry["device_id"],
                "details": details,
                "prev_hash": entry["prev_hash"],
            }
        )
    ).hexdigest()


def instant(text: str) -> dt.datetime:
    """An instant from the stored UTC text (``rows.row_values`` has checked its form)."""
    # fromisoformat reads the stored form ("...T01:40:00.000000Z") in C; strptime is ~10× slower.
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)
