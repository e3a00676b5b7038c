"""An import's audit entries are signed one in every ``VOUCH_EVERY``: each signed entry vouches
for the unsigned ones before it (its details name the first, its hash covers them through the
chain). Someone who can write the database but holds no key cannot use that to slip in,
change or unsign an entry: the whole verify and one record's check both catch it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlmodel import col, select

from app.core.records import audit
from app.core.records.audit import COVERS_FROM, details_of
from app.core.records.db import DB_FILE
from app.core.records.tables import AuditEntry, from_utc_text
from app.core.sync import importing
from app.core.sync.export import export_bundle
from app.core.sync.importing import IMPORTED, import_bundles
from tests.support.forgery import append_forged_entry
from tests.support.sync import Institution, make_institution, make_laptop, record_incident

RECORDS = 5


@pytest.fixture
def imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Institution, list[str]]]:
    """An institution that imported five records, its entries signed one in every two: the
    import's entry and five record entries, the 2nd, 4th and 6th signed."""
    inst = make_institution(tmp_path)
    ids, out = _bundle(tmp_path, inst, "A", range(RECORDS))
    monkeypatch.setattr(importing, "VOUCH_EVERY", 2)
    (outcome,) = import_bundles(inst.ws, inst.identity, [out])
    assert outcome.status == IMPORTED, outcome.line()
    yield inst, ids
    inst.ws.close()


def _bundle(
    tmp_path: Path, inst: Institution, code: str, indexes: Iterable[int]
) -> tuple[list[str], Path]:
    """A new laptop's bundle of incidents ``indexes``: their ids, and the file."""
    laptop = make_laptop(tmp_path, f"laptop-{code}", code, inst.kit)
    try:
        ids = [record_incident(laptop, inst.session_id, i) for i in indexes]
        out = tmp_path / f"{code}.pdbundle"
        export_bundle(laptop, inst.session_id, out)
    finally:
        laptop.close()
    return ids, out


def _import_entries(inst: Institution) -> list[AuditEntry]:
    with inst.ws.reading() as db:
        entries = list(db.exec(select(AuditEntry).order_by(col(AuditEntry.seq))).all())
    start = next(i for i, e in enumerate(entries) if e.action == "import_bundle")
    return entries[start : start + RECORDS + 1]  # then the cases' entry, signed on its own


@contextmanager
def _forger(inst: Institution) -> Iterator[sqlite3.Connection]:
    """The database file opened as a forger would: the append-only triggers dropped, then put
    back."""
    con = sqlite3.connect(inst.ws.data_dir / DB_FILE)
    triggers = con.execute(
        "SELECT name, sql FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_log'"
    ).fetchall()
    for name, _sql in triggers:
        con.execute(f"DROP TRIGGER {name}")
    try:
        yield con
    finally:
        for _name, sql in triggers:
            con.execute(sql)
        con.commit()
        con.close()


def _problems(inst: Institution) -> list[str]:
    return [str(p) for p in inst.ws.verify().problems]


def _names_unsigned(problems: list[str], seq: int) -> bool:
    return any(
        f"audit log entry {seq}" in p and "carries no device signature" in p for p in problems
    )


def test_an_import_signs_one_entry_in_every_vouch_every_and_verifies(
    imported: tuple[Institution, list[str]],
) -> None:
    inst, ids = imported
    entries = _import_entries(inst)
    assert [e.action for e in entries] == ["import_bundle"] + ["create"] * RECORDS
    assert [bool(e.signature) for e in entries] == [False, True, False, True, False, True]
    assert [details_of(e.details_json).get(COVERS_FROM) for e in entries] == [
        None,
        entries[0].seq,
        None,
        entries[2].seq,
        None,
        entries[4].seq,
    ]
    assert inst.ws.verify().ok, _problems(inst)
    for ident in ids:
        assert inst.ws.record_problems(ident) == []


def test_an_unsigned_voucher_leaves_the_entries_it_vouched_for_unsigned(
    imported: tuple[Institution, list[str]],
) -> None:
    inst, _ids = imported
    entries = _import_entries(inst)
    covered, voucher = entries[2], entries[3]
    with _forger(inst) as con:
        con.execute("UPDATE audit_log SET signature = NULL WHERE seq = ?", (voucher.seq,))
    problems = _problems(inst)
    assert _names_unsigned(problems, covered.seq), problems
    assert any(f"audit log entry {voucher.seq}" in p for p in problems), problems
    assert covered.incident_id is not None
    assert "an audit entry of its history carries no device signature" in (
        inst.ws.record_problems(covered.incident_id)
    )


def test_a_vouched_for_entry_changed_is_caught_by_its_hash_and_the_vouchers_signature(
    imported: tuple[Institution, list[str]],
) -> None:
    inst, _ids = imported
    entries = _import_entries(inst)
    covered = entries[2]
    assert covered.incident_id is not None
    # One hex digit of the last id made another (it was "0" in one run out of sixteen, and
    # putting a "0" in its place then changed nothing).
    text = covered.details_json
    changed = text[:-3] + ("1" if text[-3] == "0" else "0") + text[-2:]
    assert changed != text
    with _forger(inst) as con:
        con.execute("UPDATE audit_log SET details_json = ? WHERE seq = ?", (changed, covered.seq))
    assert any(
        f"audit log entry {covered.seq}" in p and "does not match its hash" in p
        for p in _problems(inst)
    )
    assert any("does not match its hash" in p for p in inst.ws.record_problems(covered.incident_id))


def test_a_forger_rehashing_the_chain_after_a_change_breaks_the_vouchers_signature(
    imported: tuple[Institution, list[str]],
) -> None:
    """The covered entry given to another record and every hash after it recomputed: the
    chain holds, but the voucher's signature no longer matches its hash."""
    inst, ids = imported
    entries = _import_entries(inst)
    covered, voucher = entries[2], entries[3]
    assert covered.incident_id is not None
    with _forger(inst) as con:
        rows = con.execute(
            "SELECT seq, at, action, session_id, incident_id, actor_id, device_id, details_json, "
            "prev_hash FROM audit_log WHERE seq >= ? ORDER BY seq",
            (covered.seq,),
        ).fetchall()
        prev = rows[0][8]
        for seq, at, action, session_id, incident_id, actor_id, device_id, details, _ in rows:
            if seq == covered.seq:
                incident_id = ids[-1] if incident_id != ids[-1] else ids[0]
            digest = audit.entry_hash(
                seq=seq,
                at=from_utc_text(at),
                action=action,
                session_id=session_id,
                incident_id=incident_id,
                actor_id=actor_id,
                device_id=device_id,
                details_json=details,
                prev_hash=prev,
            )
            con.execute(
                "UPDATE audit_log SET incident_id = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                (incident_id, prev, digest, seq),
            )
            prev = digest
    problems = _problems(inst)
    assert any(
        f"audit log entry {voucher.seq}" in p and "does not verify" in p for p in problems
    ), problems
    given_to = ids[-1] if covered.incident_id != ids[-1] else ids[0]
    assert any("does not verify" in p for p in inst.ws.record_problems(given_to))
    assert "the audit log has no record of its creation" in (
        inst.ws.record_problems(covered.incident_id)
    )


def test_covers_from_in_an_unsigned_entry_vouches_for_nothing(
    imported: tuple[Institution, list[str]],
) -> None:
    """Only a signed entry vouches: an entry appended at the end without the key, claiming to
    vouch for the import's entries, is itself unsigned and caught."""
    inst, ids = imported
    entries = _import_entries(inst)
    with _forger(inst) as con:
        seq = append_forged_entry(
            con,
            action="create",
            session_id=entries[-1].session_id,
            incident_id=ids[-1],
            details={COVERS_FROM: entries[0].seq},
        )
    assert _names_unsigned(_problems(inst), seq)


def test_an_entry_that_vouches_for_nothing_still_needs_its_own_signature(
    tmp_path: Path, imported: tuple[Institution, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every entry signed (``VOUCH_EVERY`` 1): none vouches, so removing any signature is
    caught, as before vouching."""
    inst, _ids = imported
    _, out = _bundle(tmp_path, inst, "B", [10])
    monkeypatch.setattr(importing, "VOUCH_EVERY", 1)
    (outcome,) = import_bundles(inst.ws, inst.identity, [out])
    assert outcome.status == IMPORTED
    assert inst.ws.verify().ok, _problems(inst)
    with inst.ws.reading() as db:
        entry = db.exec(
            select(AuditEntry)
            .where(col(AuditEntry.action) == "import_bundle")
            .order_by(col(AuditEntry.seq).desc())
        ).first()
    assert entry is not None
    assert entry.signature and COVERS_FROM not in entry.details_json
    with _forger(inst) as con:
        con.execute("UPDATE audit_log SET signature = NULL WHERE seq = ?", (entry.seq,))
    assert _names_unsigned(_problems(inst), entry.seq)


def test_an_entry_vouches_only_for_its_own_signers_entries(
    imported: tuple[Institution, list[str]],
) -> None:
    """Someone holding one account's key writes an entry in another's name, unsigned, and
    vouches for it with a signed entry of their own: the chain holds and the voucher's
    signature verifies, yet the entry in the other's name is caught as unsigned."""
    inst, _ids = imported
    with _forger(inst) as con:
        theirs = append_forged_entry(
            con,
            action="note",
            session_id=None,
            incident_id=None,
            details={"account": "reviewer"},
            device_id="another-account",
        )
        own = con.execute("SELECT device_id FROM audit_log WHERE seq = ?", (theirs - 1,))
        voucher = append_forged_entry(
            con,
            action="note",
            session_id=None,
            incident_id=None,
            details={COVERS_FROM: theirs},
            device_id=own.fetchone()[0],
            sign=lambda digest: audit.sign_entry(inst.ws.device, digest),
        )
    problems = _problems(inst)
    assert _names_unsigned(problems, theirs)
    assert not any(f"audit log entry {voucher}:" in p for p in problems), problems
