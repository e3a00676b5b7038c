"""``verify`` replays the audit log: a status, void, supersession, signature or seized-item
return changed in the database file behind the app's back is named, while every way the app
itself moves a record along verifies clean."""

from __future__ import annotations

import sqlite3

from app.core.demo.seed import DEMO_PIN, DemoSession
from app.core.records.db import DB_FILE
from app.core.records.service import Workspace
from tests.support.records import INK, confirmed, draft, sign_two


def head(demo: DemoSession) -> str:
    return demo.staff["site_head"][0].id


def admins(demo: DemoSession) -> list[str]:
    return [s.id for s in demo.staff["exam_admin"][:2]]


def signed(ws: Workspace, demo: DemoSession) -> str:
    incident = ws.create_incident(demo.session_id, draft(demo)).id
    sign_two(ws, demo, incident)
    return incident


def edit(ws: Workspace, *statements: str) -> None:
    """Change the SQLite file behind the application's back (the audit triggers, which refuse
    edits of the log itself, are not in the way of these)."""
    con = sqlite3.connect(ws.data_dir / DB_FILE)
    with con:
        for statement in statements:
            con.execute(statement)
    con.close()


def reasons(ws: Workspace, incident_id: str) -> list[str]:
    return [p.reason for p in ws.verify().problems if incident_id in p.record]


def test_every_step_the_app_takes_verifies_clean(ws: Workspace, demo: DemoSession) -> None:
    first = confirmed(ws, demo)
    ws.record_return(first, "R-001", "张三", admins(demo)[0], INK, DEMO_PIN)
    amended = ws.amend(first, draft(demo, description="携带手机两部"), reason="数量有误").id
    for staff in admins(demo):
        ws.sign(amended, staff, INK, DEMO_PIN)
    ws.acknowledge(amended, INK)
    ws.confirm(amended, head(demo), INK, DEMO_PIN)
    ws.mark_exported(amended)
    second = ws.amend(amended, draft(demo, description="携带手机三部"), reason="再次更正").id
    ws.void(second, head(demo), "更正有误", DEMO_PIN)  # the amendment goes, v2 stands again
    refused = ws.create_incident(demo.session_id, draft(demo, seized_items=())).id
    for staff in admins(demo):
        ws.sign(refused, staff, INK, DEMO_PIN)
    ws.refuse(refused, [(admins(demo)[0], INK, DEMO_PIN), (admins(demo)[1], INK, DEMO_PIN)])
    ws.confirm(refused, head(demo), INK, DEMO_PIN)
    dropped = signed(ws, demo)
    ws.update_draft(dropped, draft(demo, description="改写后"))  # voids both signatures
    ws.void(dropped, head(demo), "重复记录", DEMO_PIN)
    report = ws.verify()
    assert report.ok, report.problems


def test_a_void_made_in_the_file_is_caught(ws: Workspace, demo: DemoSession) -> None:
    target = confirmed(ws, demo)
    edit(ws, f"UPDATE incident SET status='void', void_reason='误记' WHERE id='{target}'")
    assert reasons(ws, target) == ["it is void, but the audit log records no voiding"]


def test_a_void_undone_or_its_reason_changed_is_caught(ws: Workspace, demo: DemoSession) -> None:
    target = confirmed(ws, demo)
    ws.void(target, head(demo), "重复记录", DEMO_PIN)
    edit(ws, f"UPDATE incident SET void_reason='考生申诉成立' WHERE id='{target}'")
    assert reasons(ws, target) == ["its void reason is not the one recorded when it was voided"]
    edit(ws, f"UPDATE incident SET status='confirmed', void_reason=NULL WHERE id='{target}'")
    assert reasons(ws, target) == ["the audit log records it voided, but it is confirmed"]


def test_a_record_hidden_as_superseded_is_caught(ws: Workspace, demo: DemoSession) -> None:
    target, other = confirmed(ws, demo), confirmed(ws, demo)
    edit(ws, f"UPDATE incident SET superseded_by_id='{other}' WHERE id='{target}'")
    assert reasons(ws, target) == [
        f"it is marked as replaced by {other}, but the audit log records no standing "
        "amendment of it"
    ]


def test_an_amendment_unmarked_by_hand_is_caught(ws: Workspace, demo: DemoSession) -> None:
    old = confirmed(ws, demo)
    new = ws.amend(old, draft(demo, description="携带手机两部"), reason="数量有误").id
    edit(ws, f"UPDATE incident SET superseded_by_id=NULL WHERE id='{old}'")
    assert reasons(ws, old) == [
        f"the audit log says version {new} replaces it, but it is not marked so"
    ]


def test_a_confirmed_record_rewritten_through_the_app_is_caught(
    ws: Workspace, demo: DemoSession
) -> None:
    """The review's attack: set it back to draft and drop the seal by hand, then edit, sign and
    confirm through the app, which audits each step; the log shows two confirmations."""
    target = confirmed(ws, demo)
    edit(
        ws,
        f"UPDATE incident SET status='draft' WHERE id='{target}'",
        f"DELETE FROM seal WHERE incident_id='{target}'",
    )
    ws.update_draft(target, draft(demo, description="考生未携带手机，记录有误"))
    for staff in admins(demo):
        ws.sign(target, staff, INK, DEMO_PIN)
    ws.acknowledge(target, INK)
    ws.confirm(target, head(demo), INK, DEMO_PIN)
    found = reasons(ws, target)
    assert any("confirms it more than once" in r for r in found), found
    assert any("after it was confirmed" in r for r in found), found
    assert "its content is not the content the site head confirmed" in found


def test_a_signature_slipped_in_before_confirmation_is_caught(
    ws: Workspace, demo: DemoSession
) -> None:
    """A signature row written into the file, then sealed by an honest confirmation."""
    target = signed(ws, demo)
    other = demo.staff["exam_admin"][2]
    edit(
        ws,
        "INSERT INTO signature (id, incident_id, kind, staff_id, candidate_id, signer_name, role,"
        " signed_at, strokes_json, content_hash, voided_at)"
        f" SELECT 'forged-1', incident_id, kind, '{other.id}', NULL, '{other.name}', role,"
        f" signed_at, strokes_json, content_hash, NULL FROM signature WHERE incident_id='{target}'"
        " LIMIT 1",
    )
    ws.acknowledge(target, INK)
    ws.confirm(target, head(demo), INK, DEMO_PIN)
    assert reasons(ws, target) == [
        f"signature forged-1 (staff, {other.name}) was not made through the app: the audit log "
        "has no entry for it"
    ]


def test_a_deleted_signature_is_caught(ws: Workspace, demo: DemoSession) -> None:
    target = signed(ws, demo)
    edit(ws, f"DELETE FROM signature WHERE incident_id='{target}' AND kind='staff'")
    found = reasons(ws, target)
    assert len(found) == 2 and all("recorded in the audit log is gone" in r for r in found)


def test_a_return_changed_or_removed_is_caught(ws: Workspace, demo: DemoSession) -> None:
    target = confirmed(ws, demo)
    ws.record_return(target, "R-001", "张三", admins(demo)[0], INK, DEMO_PIN)
    edit(ws, f"UPDATE seized_return SET returned_to='李四' WHERE incident_id='{target}'")
    assert reasons(ws, target) == [
        "seized-item return R-001 to 李四 is not the one recorded",
        "seized-item return R-001 to 张三, recorded in the audit log, is gone or changed",
    ]
    edit(ws, f"DELETE FROM seized_return WHERE incident_id='{target}'")
    assert reasons(ws, target) == [
        "seized-item return R-001 to 张三, recorded in the audit log, is gone or changed"
    ]


def test_one_records_check_names_a_record_the_log_never_created(
    ws: Workspace, demo: DemoSession
) -> None:
    """The check made before a signed report reads only that record's part of the log, and
    still finds a record written into the file by hand."""
    import json

    from app.core.seal.canonical import canonical_text, content_hash

    source = signed(ws, demo)
    con = sqlite3.connect(ws.data_dir / DB_FILE)
    with con:
        (text,) = con.execute(
            "SELECT content_json FROM incident_content WHERE incident_id = ?", (source,)
        ).fetchone()
        content = json.loads(text)
        content.update(id="made-up-1", number="XY-099")
        con.execute(
            "INSERT INTO incident SELECT 'made-up-1', session_id, 'XY-099', device_code, 99,"
            " version, supersedes_id, superseded_by_id, 'draft', void_reason, party, clause,"
            " subject, room, seat, person_name, occurred_at, local_date, rulebook_id,"
            " rulebook_version, regulator_flag, ?, created_at, updated_at FROM incident"
            " WHERE id = ?",
            (content_hash(content), source),
        )
        con.execute(
            "INSERT INTO incident_content VALUES ('made-up-1', ?)", (canonical_text(content),)
        )
    con.close()
    assert ws.record_problems("made-up-1") == ["the audit log has no record of its creation"]
    assert ws.record_problems(source) == []


def test_one_records_check_finds_its_audit_entries_changed(
    ws: Workspace, demo: DemoSession
) -> None:
    """An entry of the record rewritten with its hash recomputed: the next entry no longer
    links to it, and its signature no longer holds."""
    from app.core.records.audit import entry_hash

    target = confirmed(ws, demo)
    later = confirmed(ws, demo)  # entries after the target's, so each has a successor
    con = sqlite3.connect(ws.data_dir / DB_FILE)
    con.row_factory = sqlite3.Row
    with con:
        con.execute("DROP TRIGGER audit_log_no_update")
        row = con.execute(
            "SELECT * FROM audit_log WHERE incident_id = ? AND action = 'sign' ORDER BY seq",
            (target,),
        ).fetchone()
        details = row["details_json"].replace('"content_hash"', '"content_hash_"')
        from app.core.records.tables import from_utc_text

        digest = entry_hash(
            seq=row["seq"],
            at=from_utc_text(row["at"]),
            action=row["action"],
            session_id=row["session_id"],
            incident_id=row["incident_id"],
            actor_id=row["actor_id"],
            device_id=row["device_id"],
            details_json=details,
            prev_hash=row["prev_hash"],
        )
        con.execute(
            "UPDATE audit_log SET details_json = ?, hash = ? WHERE seq = ?",
            (details, digest, row["seq"]),
        )
    con.close()
    # The next entry no longer links to it, and its device signature is of the old hash.
    assert ws.record_problems(target) == [
        f"audit log entry {row['seq'] + 1}: does not link to the entry before it",
        f"audit log entry {row['seq']}: its device signature does not verify",
    ]
    assert ws.record_problems(later) == []


def test_one_records_check_reads_other_records_entries_only_when_they_hold(
    ws: Workspace, demo: DemoSession
) -> None:
    """An amend entry edited to name another record (and the columns moved to match) is caught
    by the check of either record: every entry the replay reads is checked in place."""
    old, other = confirmed(ws, demo), confirmed(ws, demo)
    new = ws.amend(old, draft(demo, description="携带手机两部"), reason="数量有误").id
    con = sqlite3.connect(ws.data_dir / DB_FILE)
    with con:
        con.execute("DROP TRIGGER audit_log_no_update")
        con.execute(
            "UPDATE audit_log SET details_json = replace(details_json, ?, ?)"
            " WHERE incident_id = ? AND action = 'amend'",
            (old, other, new),
        )
        con.execute(f"UPDATE incident SET superseded_by_id = '{new}' WHERE id = '{other}'")
        con.execute(f"UPDATE incident SET superseded_by_id = NULL WHERE id = '{old}'")
    con.close()
    for record in (old, other, new):
        found = ws.record_problems(record)
        assert any("content does not match its hash" in p for p in found), (record, found)
    assert "its amendment entry names version" in " ".join(ws.record_problems(new))
