"""Shared set-up for the sync tests (no tests here): an institution with its identity and a
session, laptops that imported the session's kit, and confirmed incidents recorded on them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from app.core.accounts import ADMIN, add_account
from app.core.demo.seed import DEMO_PIN, seed_demo
from app.core.demo.strokes import synthetic_strokes
from app.core.institution.devices import record_change
from app.core.kits.kit_export import export_kit
from app.core.kits.kit_import import import_kit
from app.core.records.content import IncidentDraft
from app.core.records.exchange_tables import DeviceTrust
from app.core.records.service import Workspace
from app.core.rulebook.model import StaffRole
from app.core.trust import device_trust
from app.core.trust.institution import InstitutionIdentity, init_institution

SITE_PASS = "site-pass-123"
ADMIN_PASS = "admin-pass-1"
ADMIN_ACCOUNT, ADMIN_ACCOUNT_PASS = "admin", "admin-password-1"
WHEN = dt.datetime(2024, 6, 15, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


# Institutions opened here, closed after each test (``tests/conftest.py``) when the test did
# not: a shared database's connections must not outlive the test that opened them.
OPENED: list[Workspace] = []


@dataclass
class Institution:
    ws: Workspace
    identity: InstitutionIdentity
    session_id: str
    kit: Path


def make_institution(folder: Path, database_url: str | None = None) -> Institution:
    """The institution, on the folder's SQLite or on the shared database ``database_url``."""
    ws = Workspace.open(folder / "institution", database_url=database_url)
    OPENED.append(ws)
    identity = init_institution(ws.data_dir, "广东职业技能鉴定中心", ADMIN_PASS)
    # The institution acts as an account, whose key signs its audit entries (no device key).
    add_account(ws, ADMIN_ACCOUNT, ADMIN, ADMIN_ACCOUNT_PASS, institution_passphrase=ADMIN_PASS)
    session_id = seed_demo(ws, candidates=6, incidents=0).session_id
    kit = folder / "site.kit"
    export_kit(ws, identity, session_id, kit, SITE_PASS)
    return Institution(ws, identity, session_id, kit)


def make_laptop(folder: Path, name: str, code: str, kit: Path | None) -> Workspace:
    ws = Workspace.open(folder / name)
    ws.set_device_code(code)
    if kit is not None:
        import_kit(ws, kit, SITE_PASS)
    return ws


def revoke_device(ws: Workspace, public_key_hex: str, reason: str) -> None:
    """Revoke the device at the open institution, as ``institution revoke-device`` does (the
    row and its audit entry), without reopening the folder the test holds."""
    with ws.transaction() as db:
        row = db.get(DeviceTrust, public_key_hex)
        record_change(ws, db, device_trust.revoking(row, public_key_hex, reason))


def record_incident(
    ws: Workspace,
    session_id: str,
    index: int,
    description: str = "携带手机并使用",
    evidence: Path | None = None,
) -> str:
    """A candidate incident signed by two staff, acknowledged and confirmed (sealed)."""
    staff = ws.staff(session_id)
    admins = [s for s in staff if s.role == StaffRole.EXAM_ADMIN.value]
    head = next(s for s in staff if s.role == StaffRole.SITE_HEAD.value)
    candidates = ws.candidates(session_id)
    candidate = candidates[index % len(candidates)]
    draft = IncidentDraft(
        party="candidate",
        occurred_at=WHEN + dt.timedelta(minutes=index),
        subject="理论知识",
        room=candidate.room,
        seat=candidate.seat,
        person_id=candidate.id,
        clause="6.1",
        description=f"{description} #{index}",
    )
    incident = ws.create_incident(session_id, draft)
    if evidence is not None:
        incident = ws.attach_evidence(incident.id, evidence)
    ws.sign(incident.id, admins[0].id, synthetic_strokes(admins[0].name), DEMO_PIN)
    ws.sign(incident.id, admins[1].id, synthetic_strokes(admins[1].name), DEMO_PIN)
    ws.acknowledge(incident.id, synthetic_strokes(f"candidate-{index}"))
    ws.confirm(incident.id, head.id, synthetic_strokes(head.name), DEMO_PIN)
    return incident.id


def dump(ws: Workspace) -> list[str]:
    """Every row of every table, in key order: equal dumps mean an unchanged database (on any
    engine the workspace runs on)."""
    from sqlalchemy import MetaData, select

    metadata = MetaData()
    metadata.reflect(ws.engine)
    lines = []
    with ws.engine.connect() as con:
        for table in metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            for row in con.execute(select(table).order_by(*order)):
                lines.append(f"{table.name} {tuple(_plain(v) for v in row)!r}")
    return lines


def _plain(value: object) -> object:
    """A value as SQLite returns it (a boolean is 0 or 1), so that two engines compare."""
    return int(value) if isinstance(value, bool) else value


def record_tables(ws: Workspace, session_id: str) -> dict[str, list[tuple[object, ...]]]:
    """The session's records as stored, row by row, for comparing two databases."""
    queries = {
        "incident": "SELECT * FROM incident WHERE session_id = ? ORDER BY id",
        "content": "SELECT c.* FROM incident_content c JOIN incident i ON i.id = c.incident_id "
        "WHERE i.session_id = ? ORDER BY c.incident_id",
        "signature": "SELECT s.* FROM signature s JOIN incident i ON i.id = s.incident_id "
        "WHERE i.session_id = ? ORDER BY s.id",
        "seal": "SELECT s.* FROM seal s JOIN incident i ON i.id = s.incident_id "
        "WHERE i.session_id = ? ORDER BY s.incident_id",
        "returns": "SELECT r.* FROM seized_return r JOIN incident i ON i.id = r.incident_id "
        "WHERE i.session_id = ? ORDER BY r.id",
        "candidates": "SELECT id, name, id_number, room, seat FROM candidate "
        "WHERE session_id = ? ORDER BY id",
    }
    from sqlalchemy import text

    with ws.engine.connect() as con:
        return {
            k: [
                tuple(_plain(v) for v in row)
                for row in con.execute(text(q.replace("?", ":session")), {"session": session_id})
            ]
            for k, q in queries.items()
        }


def institution_signs(ws: Workspace, identity: InstitutionIdentity) -> None:
    """Until an account signs in, the institution's acts on ``ws``'s folder are signed by its
    own signing key (opened with the institution passphrase): for set-ups that import or issue
    before any account exists."""
    from app.core.seal.account_keys import institution_signer, use

    use(ws.data_dir, institution_signer(ws.data_dir, identity.signing_key))


def second_computer(inst: Institution, folder: Path) -> Workspace:
    """Another computer of the institution on its shared database: a folder of its own with
    the institution's public files only (its accounts, keys and certificates are in the
    database), signed in as the institution's admin."""
    import shutil

    from app.core.accounts import authenticate
    from app.core.trust.institution import ROOT_CERT_FILE
    from app.core.trust.presence import INFO_FILE, folder_of

    url = inst.ws.engine.url.render_as_string(hide_password=False)
    folder_of(folder).mkdir(parents=True)
    for name in (INFO_FILE, ROOT_CERT_FILE):
        shutil.copy(folder_of(inst.ws.data_dir) / name, folder_of(folder) / name)
    ws = Workspace.open(folder, database_url=url)
    authenticate(ws, ADMIN_ACCOUNT, ADMIN_ACCOUNT_PASS)
    return ws
