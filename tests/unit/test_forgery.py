"""Forgeries by someone who can write every file in the data folder but holds no key.

Each test makes the change an attacker would make with ``sqlite3`` and a text editor, as
carefully as they could (hashes recomputed, chains relinked, a key of their own), and expects
``verify`` or the app to catch it. Without signed audit entries and the vault these passed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.core.demo.seed import DEMO_PIN, DemoSession, seed_demo
from app.core.errors import UserError
from app.core.records.audit import entry_hash
from app.core.records.db import DB_FILE
from app.core.records.people import hash_pin
from app.core.records.service import Workspace
from app.core.records.tables import from_utc_text
from app.core.seal import key_vault
from app.core.seal.canonical import canonical_text, content_hash, sha256_hex
from app.core.seal.device_keys import fingerprint
from app.core.seal.record_seal import seal_payload
from tests.support.forgery import append_forged_entry
from tests.support.records import INK, confirmed

KNOWN_PIN = "1111"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Workspace, DemoSession, str]]:
    with Workspace.open(tmp_path / "data") as ws:
        demo = seed_demo(ws, candidates=4, incidents=0)
        target = confirmed(ws, demo)
        yield ws, demo, target


def _db(ws: Workspace) -> sqlite3.Connection:
    return sqlite3.connect(ws.data_dir / DB_FILE)


def _reasons(ws: Workspace, anchor: str | None = None) -> list[str]:
    report = ws.verify(anchor=anchor)
    assert not report.ok
    return [str(p) for p in report.problems]


def test_an_intact_folder_verifies_anchored_by_its_passphrase(
    site: tuple[Workspace, DemoSession, str],
) -> None:
    ws, _demo, _target = site
    report = ws.verify()
    assert report.ok, report.problems
    assert report.anchor is not None and report.anchor.anchored
    assert "passphrase" in report.anchor.by
    assert ws.verify(anchor=ws.device.fingerprint).ok


def test_a_void_forged_with_a_recomputed_hash_is_caught(
    site: tuple[Workspace, DemoSession, str],
) -> None:
    ws, demo, target = site
    with _db(ws) as con:
        con.execute(f"UPDATE incident SET status='void', void_reason='x' WHERE id='{target}'")
        append_forged_entry(
            con,
            action="void",
            session_id=demo.session_id,
            incident_id=target,
            details={"reason": "x"},
        )
    reasons = _reasons(ws)
    assert any("carries no device signature" in r for r in reasons), reasons


def test_an_entry_signed_with_another_key_is_caught(
    site: tuple[Workspace, DemoSession, str],
) -> None:
    ws, demo, target = site
    mine = Ed25519PrivateKey.generate()
    with _db(ws) as con:
        append_forged_entry(
            con,
            action="void",
            session_id=demo.session_id,
            incident_id=target,
            details={"reason": "x"},
            signature="00" * 64,
        )
    del mine
    reasons = _reasons(ws)
    assert any("device signature does not verify" in r for r in reasons), reasons


def test_a_forged_purge_does_not_hide_a_session(
    site: tuple[Workspace, DemoSession, str],
) -> None:
    ws, demo, _target = site
    with _db(ws) as con:
        append_forged_entry(
            con, action="purge", session_id=demo.session_id, incident_id=None, details={}
        )
    reasons = _reasons(ws)
    assert any("carries no device signature" in r for r in reasons), reasons


def _reseal_everything_with(ws: Workspace, new: Ed25519PrivateKey, target: str) -> None:
    """The thorough forger: the record's text changed, its content hash, seal and every audit
    entry rebuilt and signed with a key of their own, put in the ``device`` table and in a
    vault of their own (under a passphrase of their own)."""
    public = new.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    con = _db(ws)
    content = json.loads(
        con.execute(
            "SELECT content_json FROM incident_content WHERE incident_id=?", (target,)
        ).fetchone()[0]
    )
    content["description"] = "考生未违纪（篡改）"
    text, digest = canonical_text(content), content_hash(content)
    con.execute("UPDATE incident_content SET content_json=? WHERE incident_id=?", (text, target))
    con.execute("UPDATE incident SET content_hash=? WHERE id=?", (digest, target))
    con.execute("UPDATE signature SET content_hash=? WHERE incident_id=?", (digest, target))
    con.commit()
    con.close()
    from sqlmodel import Session

    from app.core.records.signing import seal_facts, valid_signatures
    from app.core.records.tables import Incident

    with Session(ws.engine) as db:
        incident = db.get(Incident, target)
        assert incident is not None
        payload = seal_payload(target, digest, seal_facts(valid_signatures(db, incident)))
    payload_hash = sha256_hex(payload)
    signature = new.sign(bytes.fromhex(payload_hash)).hex()
    con = _db(ws)
    con.execute(
        "UPDATE seal SET payload_hash=?, signature=?, public_key=? WHERE incident_id=?",
        (payload_hash, signature, public.hex(), target),
    )
    con.execute("UPDATE device SET public_key=?", (public.hex(),))
    # The whole chain rebuilt (the triggers dropped and put back, as a forger would).
    triggers = con.execute(
        "SELECT name, sql FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_log'"
    ).fetchall()
    for name, _sql in triggers:
        con.execute(f"DROP TRIGGER {name}")
    rows = con.execute(
        "SELECT seq, at, action, session_id, incident_id, actor_id, device_id, details_json "
        "FROM audit_log ORDER BY seq"
    ).fetchall()
    prev = "0" * 64
    for seq, at, action, session_id, incident_id, actor_id, device_id, details_json in rows:
        details = json.loads(details_json)
        if "content_hash" in details and incident_id == target:
            details["content_hash"] = digest
        if "payload_hash" in details and incident_id == target:
            details["payload_hash"] = payload_hash
        details_json = canonical_text(details)
        when = from_utc_text(at)
        h = entry_hash(
            seq=seq,
            at=when,
            action=action,
            session_id=session_id,
            incident_id=incident_id,
            actor_id=actor_id,
            device_id=device_id,
            details_json=details_json,
            prev_hash=prev,
        )
        con.execute(
            "UPDATE audit_log SET details_json=?, prev_hash=?, hash=?, signature=? WHERE seq=?",
            (details_json, prev, h, new.sign(bytes.fromhex(h)).hex(), seq),
        )
        prev = h
    for _name, sql in triggers:
        con.execute(sql)
    con.commit()
    con.close()


def _forger_vault(ws: Workspace, new: Ed25519PrivateKey) -> None:
    vault_path = ws.data_dir / "device" / key_vault.FILE
    vault_path.unlink()
    key_vault.forget(ws.data_dir)
    legacy = ws.data_dir / key_vault.LEGACY_DEVICE_KEY
    legacy.write_bytes(
        new.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_vault.vault_for(ws.data_dir).create(ws.device.device_id, "the forger's own phrase")
    key_vault.forget(ws.data_dir)


def test_a_consistent_reseal_with_another_key_fails_verify_with_the_anchor(
    site: tuple[Workspace, DemoSession, str],
) -> None:
    ws, _demo, target = site
    genuine = ws.device.fingerprint
    new = Ed25519PrivateKey.generate()
    _reseal_everything_with(ws, new, target)
    _forger_vault(ws, new)
    # The forgery is consistent: against the key the folder now names, everything agrees...
    forged_fp = fingerprint(
        new.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    forged = ws.verify(anchor=forged_fp)
    assert forged.ok, [str(p) for p in forged.problems]
    # ...but the fingerprint from the export receipt or the paper log does not match it,
    reasons = _reasons(ws, anchor=genuine)
    assert any("is not the one --anchor names" in r for r in reasons), reasons
    # and the site head's passphrase does not open the forger's vault.
    reasons = _reasons(ws)
    assert any("vault does not open" in r for r in reasons), reasons


def test_without_any_anchor_verify_says_so(
    site: tuple[Workspace, DemoSession, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, _demo, _target = site
    monkeypatch.delenv(key_vault.ENV)
    key_vault.forget(ws.data_dir)
    report = ws.verify()
    assert report.ok
    assert report.anchor is not None and not report.anchor.anchored
    assert "not anchored" in report.anchor.by and "--anchor" in report.anchor.by


def test_a_pin_swapped_into_the_site_heads_row_is_refused_and_caught(
    site: tuple[Workspace, DemoSession, str],
) -> None:
    ws, demo, _target = site
    head = demo.staff["site_head"][0]
    with _db(ws) as con:
        con.execute("UPDATE staff SET pin_hash=? WHERE id=?", (hash_pin(KNOWN_PIN), head.id))
    other = ws.create_incident(demo.session_id, _draft(demo))
    ws.sign(other.id, demo.staff["exam_admin"][0].id, INK, DEMO_PIN)
    ws.sign(other.id, demo.staff["exam_admin"][1].id, INK, DEMO_PIN)
    ws.acknowledge(other.id, INK)
    with pytest.raises(UserError, match="changed outside the app"):
        ws.confirm(other.id, head.id, INK, pin=KNOWN_PIN)
    with pytest.raises(UserError, match="changed outside the app"):
        ws.check_pin(head.id, KNOWN_PIN)
    reasons = _reasons(ws)
    assert any(head.name in r and "differs" in r for r in reasons), reasons


def test_a_pin_removed_from_a_row_is_caught_too(
    site: tuple[Workspace, DemoSession, str],
) -> None:
    ws, demo, _target = site
    head = newcomer(ws, demo.session_id, "site_head")
    from app.core.records.app_state import set_staff_pin

    set_staff_pin(ws, demo.session_id, head.id, "2468", actor_id=head.id)
    assert ws.verify().ok
    with _db(ws) as con:
        con.execute("UPDATE staff SET pin_hash=NULL WHERE id=?", (head.id,))
    with pytest.raises(UserError, match="changed outside the app"):
        ws.check_pin(head.id, None)
    assert any("differs" in r for r in _reasons(ws))


def test_setting_a_pin_is_an_audited_and_signed_action(
    site: tuple[Workspace, DemoSession, str],
) -> None:
    ws, demo, _target = site
    head = newcomer(ws, demo.session_id, "site_head")
    from app.core.records.app_state import set_staff_pin

    set_staff_pin(ws, demo.session_id, head.id, "2468", actor_id=head.id)
    with _db(ws) as con:
        actions = [
            (a, s is not None)
            for a, s in con.execute(
                "SELECT action, signature FROM audit_log ORDER BY seq DESC LIMIT 2"
            )
        ]
    assert actions == [("staff_rows", True), ("pin_set", True)]
    ws.check_pin(head.id, "2468")


def newcomer(ws: Workspace, session_id: str, role: str):  # type: ignore[no-untyped-def]
    from tests.support.records import newcomer

    return newcomer(ws, session_id, role)


def _draft(demo: DemoSession):  # type: ignore[no-untyped-def]
    from tests.support.records import draft

    return draft(demo)
