"""What a forger with write access to a folder's SQLite file (and no key) does to its audit log."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable

from app.core.records.audit import entry_hash
from app.core.records.tables import to_utc_text
from app.core.seal.canonical import canonical_text


def append_forged_entry(
    con: sqlite3.Connection,
    *,
    action: str,
    session_id: str | None,
    incident_id: str | None,
    details: dict[str, object],
    signature: str | None = None,
    device_id: str | None = None,
    sign: Callable[[str], str] | None = None,
) -> int:
    """An entry linked to the chain's end with a correctly computed hash (inserting is what
    the append-only triggers allow), in the name of ``device_id`` (else the last entry's),
    signed with ``signature`` or by ``sign`` over its hash; its ``seq``."""
    seq, prev, last_device = con.execute(
        "SELECT seq, hash, device_id FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    device_id = device_id or last_device
    at = dt.datetime.now(dt.UTC)
    details_json = canonical_text(details)
    digest = entry_hash(
        seq=seq + 1,
        at=at,
        action=action,
        session_id=session_id,
        incident_id=incident_id,
        actor_id=None,
        device_id=device_id,
        details_json=details_json,
        prev_hash=prev,
    )
    if sign is not None:
        signature = sign(digest)
    con.execute(
        "INSERT INTO audit_log (seq, at, action, session_id, incident_id, actor_id, device_id, "
        "details_json, prev_hash, hash, signature) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (
            seq + 1,
            to_utc_text(at),
            action,
            session_id,
            incident_id,
            None,
            device_id,
            details_json,
            prev,
            digest,
            signature,
        ),
    )
    con.commit()
    return int(seq + 1)
