"""``verify`` catches hand edits of the database file and names the record."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.demo.seed import DemoSession, seed_demo
from app.core.records.db import DB_FILE
from app.core.records.service import Workspace
from app.core.seal.canonical import canonical_text, content_hash


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[tuple[Workspace, DemoSession]]:
    with Workspace.open(tmp_path) as ws:
        yield ws, seed_demo(ws, candidates=8, incidents=5)


def edit(ws: Workspace, *statements: str) -> None:
    """Change the SQLite file behind the application's back, as a person with a tool would."""
    con = sqlite3.connect(ws.data_dir / DB_FILE)
    with con:
        for statement in statements:
            con.execute(statement)
    con.close()


def failing(ws: Workspace) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in ws.verify().problems:
        found.setdefault(problem.record, []).append(problem.reason)
    return found


def test_clean_database_verifies(seeded: tuple[Workspace, DemoSession]) -> None:
    ws, _demo = seeded
    report = ws.verify()
    assert report.ok, report.problems
    assert (report.incidents, report.seals) == (5, 5)
    assert report.audit_entries > 5


def test_changed_clause_column_is_caught(seeded: tuple[Workspace, DemoSession]) -> None:
    ws, demo = seeded
    target = demo.incident_ids[2]
    edit(ws, f"UPDATE incident SET clause = '5.4' WHERE id = '{target}'")
    problems = failing(ws)
    [record] = problems
    assert target in record
    assert "clause" in problems[record][0]


def test_changed_content_is_caught_even_with_its_hash_recomputed(
    seeded: tuple[Workspace, DemoSession],
) -> None:
    ws, demo = seeded
    target = demo.incident_ids[0]
    con = sqlite3.connect(ws.data_dir / DB_FILE)
    query = "SELECT content_json FROM incident_content WHERE incident_id = ?"
    text = con.execute(query, (target,)).fetchone()[0]
    con.close()
    content = json.loads(text)
    content["description"] = "（已篡改）" + content["description"]
    forged = canonical_text(content).replace("'", "''")
    edit(
        ws, f"UPDATE incident_content SET content_json = '{forged}' WHERE incident_id = '{target}'"
    )
    assert any("content hash" in r for r in failing(ws)[next(iter(failing(ws)))])
    edit(ws, f"UPDATE incident SET content_hash = '{content_hash(content)}' WHERE id = '{target}'")
    problems = failing(ws)
    [record] = problems
    assert target in record
    assert any("since the seal" in r for r in problems[record])


def test_changed_signature_is_caught(seeded: tuple[Workspace, DemoSession]) -> None:
    ws, demo = seeded
    target = demo.incident_ids[1]
    edit(
        ws,
        f"UPDATE signature SET signer_name = '冒名' WHERE incident_id = '{target}' "
        "AND kind = 'staff' AND rowid = (SELECT min(rowid) FROM signature "
        f"WHERE incident_id = '{target}' AND kind = 'staff')",
    )
    assert [target in record for record in failing(ws)] == [True]


def test_deleted_record_is_caught(seeded: tuple[Workspace, DemoSession]) -> None:
    ws, demo = seeded
    target = demo.incident_ids[3]
    edit(
        ws,
        "PRAGMA foreign_keys = OFF",
        f"DELETE FROM signature WHERE incident_id = '{target}'",
        f"DELETE FROM seal WHERE incident_id = '{target}'",
        f"DELETE FROM incident_content WHERE incident_id = '{target}'",
        f"DELETE FROM incident WHERE id = '{target}'",
    )
    problems = failing(ws)
    assert any(target in record and "gone" in r[0] for record, r in problems.items())


def test_audit_log_refuses_edits_and_a_forced_edit_breaks_the_chain(
    seeded: tuple[Workspace, DemoSession],
) -> None:
    ws, _demo = seeded
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        edit(ws, "UPDATE audit_log SET action = 'sign' WHERE seq = 3")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        edit(ws, "DELETE FROM audit_log WHERE seq = 3")
    edit(
        ws,
        "DROP TRIGGER audit_log_no_update",
        "UPDATE audit_log SET actor_id = 'someone-else' WHERE seq = 3",
    )
    problems = failing(ws)
    assert list(problems) == ["audit log entry 3"]
    assert problems["audit log entry 3"] == ["content does not match its hash"]


def test_status_edited_by_hand_is_caught(seeded: tuple[Workspace, DemoSession]) -> None:
    """The status is outside the signed content, but every change of it is audited."""
    ws, demo = seeded
    target = demo.incident_ids[0]
    edit(ws, f"UPDATE incident SET status = 'exported' WHERE id = '{target}'")
    [(record, reasons)] = failing(ws).items()
    assert target in record
    assert reasons == ["it is exported, but the audit log records no export of it"]


def test_purged_session_is_skipped_but_the_chain_still_checked(tmp_path: Path) -> None:
    from app.core.sync.export import export_bundle
    from app.core.sync.importing import import_bundles
    from app.core.sync.receipts import accept_receipt, issue_receipt, purge_session
    from tests.support.sync import make_institution, make_laptop, record_incident

    inst = make_institution(tmp_path)
    laptop = make_laptop(tmp_path, "laptop-a", "A", inst.kit)
    try:
        record_incident(laptop, inst.session_id, 0)
        out = tmp_path / "a.pdbundle"
        bundle_id = export_bundle(laptop, inst.session_id, out).receipt.bundle_id
        assert import_bundles(inst.ws, inst.identity, [out])[0].status == "imported"
        accept_receipt(laptop, issue_receipt(inst.ws, inst.identity, bundle_id))
        before = laptop.verify()
        assert before.ok and before.purged_sessions == 0 and before.incidents == 1
        purge_session(laptop, inst.session_id)
        report = laptop.verify()
        assert report.ok, report.problems
        assert report.purged_sessions == 1
        assert report.to_dict()["purged_sessions"] == 1
        assert report.incidents == 0
        assert report.audit_entries > before.audit_entries  # the purge entry, chained
        # The chain is still checked, the purged session's entries included.
        edit(
            laptop,
            "DROP TRIGGER audit_log_no_update",
            "UPDATE audit_log SET details_json = '{}' WHERE action = 'purge'",
        )
        broken = laptop.verify()
        assert not broken.ok
        assert any(p.record.startswith("audit log entry") for p in broken.problems)
    finally:
        laptop.close()
        inst.ws.close()
