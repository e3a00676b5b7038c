"""The audit log: append-only, each entry chained to the one before by its hash.

An entry's hash is the SHA-256 of the canonical JSON of its fields plus the previous hash, so
editing, removing or reordering any entry breaks every hash after it. The database refuses
updates and deletions on the table as well (triggers in the first migration).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from app.core.records.dialect import lock_audit_chain
from app.core.records.tables import AuditEntry, Device, to_utc_text
from app.core.seal.account_keys import UNSIGNED_ACTIONS, AccountSigner
from app.core.seal.canonical import canonical_text, content_hash
from app.core.seal.device_keys import DeviceKey, verify_signature

GENESIS = "0" * 64


def entry_hash(
    *,
    seq: int,
    at: dt.datetime,
    action: str,
    session_id: str | None,
    incident_id: str | None,
    actor_id: str | None,
    device_id: str,
    details_json: str,
    prev_hash: str,
) -> str:
    return content_hash(
        {
            "seq": seq,
            "at": to_utc_text(at),
            "action": action,
            "session_id": session_id,
            "incident_id": incident_id,
            "actor_id": actor_id,
            "device_id": device_id,
            "details": json.loads(details_json),
            "prev_hash": prev_hash,
        }
    )


def append(
    db: Session,
    *,
    action: str,
    device: DeviceKey,
    session_id: str | None = None,
    incident_id: str | None = None,
    actor_id: str | None = None,
    details: Mapping[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> AuditEntry:
    """Add an entry in the caller's transaction (so it commits, or not, with the change),
    signed by ``device``: without its key no entry can be added or rewritten unseen.

    At the institution ``device`` is the signed-in account's key (``account_keys``); with
    nobody signed in only a failed sign-in or a lockout is written, unsigned, and any other
    act is refused (``NotSignedIn``)."""
    device_id = device.device_id
    lock_audit_chain(db)
    last = db.exec(
        select(AuditEntry.seq, AuditEntry.hash).order_by(col(AuditEntry.seq).desc()).limit(1)
    ).first()
    seq, prev = (1, GENESIS) if last is None else (last[0] + 1, last[1])
    at = at or dt.datetime.now(dt.UTC)
    details_json = canonical_text(dict(details or {}))
    digest = entry_hash(
        seq=seq,
        at=at,
        action=action,
        session_id=session_id,
        incident_id=incident_id,
        actor_id=actor_id,
        device_id=device_id,
        details_json=details_json,
        prev_hash=prev,
    )
    entry = AuditEntry(
        seq=seq,
        at=at,
        action=action,
        session_id=session_id,
        incident_id=incident_id,
        actor_id=actor_id,
        device_id=device_id,
        details_json=details_json,
        prev_hash=prev,
        hash=digest,
        signature=_signature(device, action, digest),
    )
    db.add(entry)
    if not isinstance(device, AccountSigner):  # account keys are in the accounts table
        record_device(db, device, at)
    return entry


def _signature(device: DeviceKey, action: str, digest: str) -> str | None:
    if isinstance(device, AccountSigner) and not device.signs and action in UNSIGNED_ACTIONS:
        return None
    return sign_entry(device, digest)


# (database, device id) whose device row was found already: one lookup per program, not per
# entry (a found row is committed; one added here might still be rolled back).
_devices_known: set[tuple[str, str]] = set()


def record_device(db: Session, device: DeviceKey, at: dt.datetime) -> None:
    """The device's row (its public key), added the first time the database meets it."""
    known = (str(db.get_bind().engine.url), device.device_id)
    if known in _devices_known:
        return
    with db.no_autoflush:
        found = db.get(Device, device.device_id)
    if found is not None:
        _devices_known.add(known)
    else:
        # The database names the key its entries are signed with from the first entry on, so a
        # copy checked on its own (a backup) can be verified (unanchored) like the folder.
        db.add(
            Device(
                device_id=device.device_id,
                code=device.code,
                public_key=device.public_bytes.hex(),
                first_seen=at,
            )
        )


# A signed entry may vouch for unsigned entries of its own signer just before it, written in
# the same transaction: its details name the first of them, and its hash covers them all
# through the chain. An import writes an entry per record it brings (10,000 for a large
# bundle) and signs one in every ``VOUCH_EVERY``, so the key signs tens of times, not
# thousands.
COVERS_FROM = "covers_from"
VOUCH_EVERY = 256


def sign_entry(device: DeviceKey, digest: str) -> str:
    return device.sign(bytes.fromhex(digest)).hex()


def vouches(voucher: AuditEntry, entry: AuditEntry) -> bool:
    """Whether the signed ``voucher`` vouches for the unsigned ``entry``: it names it, and
    both are its own signer's (no key vouches for entries in another's name)."""
    return voucher.device_id == entry.device_id and entry.seq in vouched_for(voucher)


def vouched_for(entry: AuditEntry) -> range:
    """The entries (by ``seq``) a signed ``entry`` vouches for; none for an unsigned one."""
    if not entry.signature or f'"{COVERS_FROM}"' not in entry.details_json:
        return range(0)
    start = details_of(entry.details_json).get(COVERS_FROM)
    if type(start) is not int or not 1 <= start < entry.seq:
        return range(0)
    return range(start, entry.seq)


def entry_signature_holds(entry: AuditEntry, public_key: bytes) -> bool:
    """Whether ``entry`` carries a signature of its hash by ``public_key``."""
    if not entry.signature:
        return False
    try:
        signature, digest = bytes.fromhex(entry.signature), bytes.fromhex(entry.hash)
    except ValueError:
        return False
    return verify_signature(public_key, signature, digest)


def details_of(details_json: str) -> dict[str, Any]:
    """An entry's details, or nothing from a damaged one (the chain check names it)."""
    try:
        value = json.loads(details_json)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str


def verify_chain(entries: Iterable[AuditEntry]) -> list[ChainProblem]:
    """Every break in the chain: a changed entry, a gap, or a link to the wrong predecessor."""
    problems: list[ChainProblem] = []
    prev, expected_seq = GENESIS, 1
    for entry in entries:
        if entry.seq != expected_seq:
            problems.append(ChainProblem(entry.seq, f"expected entry {expected_seq} (gap)"))
        if entry.prev_hash != prev:
            problems.append(ChainProblem(entry.seq, "does not link to the entry before it"))
        problems += verify_chain_entry(entry)
        prev, expected_seq = entry.hash, entry.seq + 1
    return problems


def verify_in_place(entries: Iterable[AuditEntry], seqs: Iterable[int]) -> list[ChainProblem]:
    """The chain checked around the entries ``seqs`` only: each unchanged, linked to the entry
    before it, and the entry after it linked to it. ``entries`` holds those entries and their
    neighbours (one record's history in a large log, without reading the whole chain)."""
    by_seq = {e.seq: e for e in entries}
    problems: list[ChainProblem] = []
    for seq in sorted(set(seqs)):
        entry = by_seq[seq]
        before = GENESIS if seq == 1 else getattr(by_seq.get(seq - 1), "hash", None)
        if before is None:
            problems.append(ChainProblem(seq, f"expected entry {seq - 1} before it (gap)"))
        elif entry.prev_hash != before:
            problems.append(ChainProblem(seq, "does not link to the entry before it"))
        problems += verify_chain_entry(entry)
        after = by_seq.get(seq + 1)
        if after is not None and after.prev_hash != entry.hash:
            problems.append(ChainProblem(seq + 1, "does not link to the entry before it"))
    return list(dict.fromkeys(problems))  # a neighbour may be one of ``seqs`` too


def verify_chain_entry(entry: AuditEntry) -> list[ChainProblem]:
    """The entry's own hash, recomputed."""
    try:
        recomputed = entry_hash(
            seq=entry.seq,
            at=entry.at,
            action=entry.action,
            session_id=entry.session_id,
            incident_id=entry.incident_id,
            actor_id=entry.actor_id,
            device_id=entry.device_id,
            details_json=entry.details_json,
            prev_hash=entry.prev_hash,
        )
    except ValueError:
        recomputed = ""
    if recomputed != entry.hash:
        return [ChainProblem(entry.seq, "content does not match its hash")]
    return []
